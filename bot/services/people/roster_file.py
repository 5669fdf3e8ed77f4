"""Checking a roster's rows: every row checked, each problem named with its row.

The rows come from `roster_reader`, which reads the file itself (CSV or XLSX) within limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.errors import DomainError
from bot.services.ordering.pricing import AGE_BANDS
from bot.services.people.registration import DIETS, LIMITS, PHONE_CHARS
from data.roster import RosterEntry

# Column names people use, in English and Chinese, for each field.
ALIASES = {
    "name": ("name", "姓名"), "phone": ("phone", "电话", "手机"),
    "building": ("building", "楼栋", "楼号"), "unit": ("unit", "单元"),
    "room": ("room", "房间", "门牌"), "lives_alone": ("lives_alone", "alone", "独居"),
    "delivery": ("delivery", "送餐"), "diet": ("diet", "饮食"),
    "allergies": ("allergies", "过敏"), "age": ("age", "年龄"), "tier": ("tier", "补贴"),
}  # fmt: skip
REQUIRED = ("name", "phone", "building")
YES = {"yes", "y", "1", "true", "是", "x", "✓"}
NO = {"no", "n", "0", "false", "否", ""}


@dataclass(frozen=True)
class Problem:
    """Why one row cannot be imported: a catalogue key (admin.roster.*) and its values."""

    row: int
    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Checked:
    entries: list[tuple[int, RosterEntry]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def phone_key(phone: str) -> str:
    """What two ways of writing the same number share: the digits."""
    return "".join(ch for ch in phone if ch.isdigit())


def columns(header: list[str]) -> dict[str, int]:
    """Which column holds which field; the required ones must be there."""
    found = {}
    for index, title in enumerate(header):
        for name, aliases in ALIASES.items():
            if title.strip().lower() in aliases and name not in found:
                found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise DomainError("admin.roster.no_columns", columns=", ".join(REQUIRED))
    return found


def check(rows: Sequence[tuple[int, list[str]]], tiers: Iterable[str]) -> Checked:
    """Every data row as an entry to import or as problems; `rows` are the file's non-blank
    rows with their numbers in the file (which the problems name), the header first."""
    if not rows:
        raise DomainError("admin.roster.empty")
    where = columns(rows[0][1])
    checked, seen, tier_codes = Checked(), dict[str, int](), set(tiers)
    for number, cells in rows[1:]:
        checked.rows += 1
        value = {name: cells[i] if i < len(cells) else "" for name, i in where.items()}
        problems = _row_problems(number, value, tier_codes)
        key = phone_key(value["phone"])
        if not problems and key in seen:
            problems = [Problem(number, "admin.roster.duplicate", {"other": seen[key]})]
        if problems:
            checked.problems += problems
            continue
        seen[key] = number
        checked.entries.append((number, _entry(value)))
    return checked


def _row_problems(number: int, value: dict[str, str], tiers: set[str]) -> list[Problem]:
    found = [
        Problem(number, "admin.roster.missing", {"field": f}) for f in REQUIRED if not value[f]
    ]
    for name, limit in LIMITS.items():
        if len(value.get(name, "")) > limit:
            found.append(Problem(number, "admin.roster.too_long", {"field": name, "limit": limit}))
    phone = value["phone"]
    if phone and (not set(phone) <= PHONE_CHARS or not 5 <= len(phone_key(phone)) <= 15):
        found.append(Problem(number, "admin.roster.bad_phone", {"value": phone}))
    for name in ("lives_alone", "delivery"):
        if value.get(name, "").lower() not in YES | NO:
            found.append(
                Problem(number, "admin.roster.bad_yes_no", {"field": name, "value": value[name]})
            )
    age = value.get("age", "")
    if age and (not age.isdigit() or int(age) > 130):
        found.append(Problem(number, "admin.roster.bad_age", {"value": age}))
    for tag in _tags(value.get("diet", "")):
        if tag not in DIETS:
            found.append(Problem(number, "admin.roster.bad_diet", {"value": tag}))
    tier = value.get("tier", "")
    if tier and tier not in tiers:
        found.append(Problem(number, "admin.roster.bad_tier", {"value": tier}))
    return found


def _tags(text: str) -> list[str]:
    for mark in "、;，":
        text = text.replace(mark, ",")
    return [tag.strip().lower() for tag in text.split(",") if tag.strip()]


def _band(age: str) -> int | None:
    if not age:
        return None
    return max((band for band in AGE_BANDS if band <= int(age)), default=None)


def _entry(value: dict[str, str]) -> RosterEntry:
    tags = set(_tags(value.get("diet", "")))
    return RosterEntry(
        name=value["name"],
        phone=value["phone"],
        building=value["building"],
        unit=value.get("unit", ""),
        room=value.get("room", ""),
        lives_alone=value.get("lives_alone", "").lower() in YES,
        delivery_eligible=value.get("delivery", "").lower() in YES,
        diet=",".join(tag for tag in DIETS if tag in tags),
        allergies=value.get("allergies", ""),
        age_band=_band(value.get("age", "")),
        tier_code=value.get("tier") or None,
    )
