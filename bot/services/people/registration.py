"""Registering a senior: checked answers in, a pending resident out, admins asked to approve.

A senior already on the canteen's list (the same number and name, imported from the roster,
say) is not copied: the account is linked to that record, which keeps its tier and diet, and
the admins are told. The same number under another name (a couple's shared landline) is a
new record, and the admins are asked to check it before they approve.

A flood is held back: one account has at most MAX_WAITING registrations waiting at once,
and a canteen takes `registrations_per_hour` by chat in any hour. The admins are asked
in digests (bot/services/people/approval_digest.py), not one card per registration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.notices import notify
from bot.services.ordering.pricing import AGE_BANDS
from bot.services.people import messages, phones
from data import accounts, approvals, audit, canteens, links, residents
from data.db import Session
from data.models import Canteen, Resident

LIMITS = {"name": 40, "phone": 20, "building": 40, "unit": 20, "room": 20, "allergies": 100}
DIETS = ("low_salt", "low_sugar", "soft", "minced", "vegetarian", "halal", "no_pork")
PHONE_CHARS = set("0123456789+- ()")
MAX_WAITING = 3  # registrations one account may have waiting for approval at once
HOUR = timedelta(hours=1)


class LimitError(DomainError):
    """Too many registrations for now; the questions end with the reason."""


@dataclass
class Answers:
    """What the applicant told us so far (the handler fills it one question at a time)."""

    relation: Literal["self", "family"] = "self"
    name: str = ""
    phone: str = ""
    age_band: int | None = None
    building: str = ""
    unit: str = ""
    room: str = ""
    lat: float | None = None
    lon: float | None = None
    lives_alone: bool = False
    diet: list[str] = field(default_factory=list)
    allergies: str = ""
    canteen_id: int | None = None


def clean(field_name: str, text: str, *, optional: bool = False) -> str:
    """A typed answer, trimmed; refused when empty (unless optional) or too long."""
    value = " ".join(text.split())
    if not value and not optional:
        raise DomainError("resident.register.empty")
    if len(value) > LIMITS[field_name]:
        raise DomainError("core.error.too_long", limit=LIMITS[field_name])
    return value


def clean_phone(text: str, country: str, *, shared: bool = False) -> str:
    """A typed number, or one from a shared Telegram contact, in E.164."""
    value = clean("phone", text)
    return phones.from_contact(value, country) if shared else phones.normalise(value, country)


def default_country(deps: Deps) -> str:
    """The country a number without a country code belongs to, before a canteen is chosen."""
    return deps.config.canteens.canteens[0].country


def same_name(a: str, b: str) -> bool:
    """`王秀英` and `王 秀英`, `Ann Lee` and `ann lee` are the same name."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


async def canteen_choices(deps: Deps, lat: float | None, lon: float | None) -> list[Canteen]:
    """Every canteen, the nearest first when a location is known."""
    found = await canteens.all_canteens(deps.db.reader)
    if lat is None or lon is None:
        return found
    return sorted(found, key=lambda c: distance_m(lat, lon, c.lat, c.lon))


def _validate(answers: Answers) -> None:
    clean("name", answers.name)
    clean("phone", answers.phone)
    clean("building", answers.building)
    for name in ("unit", "room", "allergies"):
        clean(name, getattr(answers, name), optional=True)
    if answers.age_band not in AGE_BANDS or not set(answers.diet) <= set(DIETS):
        raise DomainError("core.error.stale_button")


@dataclass(frozen=True)
class Registered:
    resident: Resident
    linked: bool  # True: already on the canteen's list, so the account was linked to it


async def submit(deps: Deps, account_id: int, answers: Answers) -> Resident:
    """Register the senior (see `register`) and return their record."""
    return (await register(deps, account_id, answers)).resident


async def register(deps: Deps, account_id: int, answers: Answers) -> Registered:
    """Link the account to the senior's record when the canteen has it already; else store
    the senior as pending, link the account, and ask the canteen's admins."""
    _validate(answers)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        canteen = await canteens.get(tx, answers.canteen_id or 0)
        if canteen is None:
            raise DomainError("core.error.stale_button")
        phone = phones.normalise(answers.phone, canteen.country)
        if answers.relation == "self" and await _has_self(tx, account_id):
            raise DomainError("resident.register.already")
        await _within_limits(tx, deps, account_id, canteen)
        same_phone = await residents.with_phone(tx, canteen.id, phone)
        same = [r for r in same_phone if same_name(r.name, answers.name)]
        if same:
            registered = Registered(await _link(tx, account_id, same[0], answers, now), True)
        else:
            resident = await _create(tx, account_id, canteen.id, phone, answers, now)
            if same_phone:
                await _ask_to_check(tx, resident, same_phone, now)
            registered = Registered(resident, False)
    deps.outbox_queued()
    if not registered.linked:
        deps.jobs_changed()  # the admins' approval digest takes it from here
    return registered


async def _create(
    tx: Session,
    account_id: int,
    canteen_id: int,
    phone: str,
    answers: Answers,
    now: datetime,
) -> Resident:
    resident_id = await residents.create(
        tx,
        canteen_id=canteen_id,
        name=answers.name,
        phone=phone,
        building=answers.building,
        unit=answers.unit,
        room=answers.room,
        lat=answers.lat,
        lon=answers.lon,
        lives_alone=answers.lives_alone,
        diet=answers.diet,
        allergies=answers.allergies,
        age_band=answers.age_band,
        created_by=account_id,
        now=now,
    )
    await links.create(tx, account_id, resident_id, answers.relation, now)
    await audit.record(tx, now, account_id, "resident.register", f"resident:{resident_id}")
    resident = await residents.get(tx, resident_id)
    assert resident is not None
    return resident


async def _link(
    tx: Session, account_id: int, found: Resident, answers: Answers, now: datetime
) -> Resident:
    """Link the account to the record the canteen has; only a record nobody acts for yet
    is linked this way (anyone else asks for a family invite), and nothing on it is
    overwritten: a missing map pin or allergies are added."""
    if await links.accounts_of(tx, found.id):
        raise DomainError("resident.one_record.linked_already", name=found.name)
    await links.create(tx, account_id, found.id, answers.relation, now)
    await residents.fill_blanks(
        tx, found.id, lat=answers.lat, lon=answers.lon, allergies=answers.allergies
    )
    subject = f"resident:{found.id}"
    await audit.record(tx, now, account_id, "resident.link", subject, answers.relation)
    account = await accounts.get(tx, account_id)
    who = account.first_name if account and account.first_name else str(account_id)
    for admin_id in await accounts.holders(tx, found.canteen_id, "admin"):
        lang = await notify.language_of(tx, admin_id)
        body = messages.linked_admin(lang, found, who, answers.relation)
        key = f"resident:{found.id}:linked:acct:{account_id}:to:{admin_id}"
        await notify.text(tx, key, admin_id, body, now)
    linked = await residents.get(tx, found.id)
    assert linked is not None
    return linked


async def _ask_to_check(
    tx: Session, resident: Resident, others: list[Resident], now: datetime
) -> None:
    """A new senior with the number of someone on the list: the admins check before approving."""
    for admin_id in await accounts.holders(tx, resident.canteen_id, "admin"):
        lang = await notify.language_of(tx, admin_id)
        body = messages.same_phone_admin(lang, resident, others)
        key = f"resident:{resident.id}:same_phone:to:{admin_id}"
        await notify.text(tx, key, admin_id, body, now)


async def may_begin(deps: Deps, account_id: int) -> None:
    """Refused before the first question when this account has too many waiting."""
    await _within_limits(deps.db.reader, deps, account_id, None)


async def _within_limits(
    conn: Session, deps: Deps, account_id: int, canteen: Canteen | None
) -> None:
    if await approvals.waiting_by(conn, account_id) >= MAX_WAITING:
        raise LimitError("resident.register_limits.too_many_waiting", n=MAX_WAITING)
    if canteen is None:
        return
    spec = deps.config.canteens.canteen(canteen.code)
    since = deps.clock.now() - HOUR
    if await approvals.registered_since(conn, canteen.id, since) >= spec.registrations_per_hour:
        raise LimitError("resident.register_limits.busy", phone=canteen.phone)


async def _has_self(tx: Session, account_id: int) -> bool:
    for link in await links.residents_of(tx, account_id):
        resident = await residents.get(tx, link.resident_id)
        if link.relation == "self" and resident and resident.status in ("pending", "approved"):
            return True
    return False
