"""The monthly report for funders: meals per resident, subsidy per tier, what residents paid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.deps import Deps
from bot.i18n import Html, t
from bot.services.pricing import yuan
from data import canteens, reports
from data.models import Fulfilment
from data.reports import ReportLine

FULFILMENTS: tuple[Fulfilment, ...] = ("delivery", "pickup", "dine_in")


@dataclass(frozen=True)
class ResidentRow:
    resident_id: int
    name: str
    meals: int
    price_fen: int
    subsidy_fen: int
    pay_fen: int


@dataclass(frozen=True)
class TierRow:
    code: str
    name: str
    meals: int
    subsidy_fen: int


@dataclass(frozen=True)
class Monthly:
    canteen: str
    first: date
    last: date
    residents: list[ResidentRow]
    tiers: list[TierRow]
    days: dict[date, dict[str, int]] = field(default_factory=dict)
    deliveries: dict[str, int] = field(default_factory=dict)
    volunteers: int = 0

    @property
    def meals(self) -> int:
        return sum(row.meals for row in self.residents)

    @property
    def price_fen(self) -> int:
        return sum(row.price_fen for row in self.residents)

    @property
    def subsidy_fen(self) -> int:
        return sum(row.subsidy_fen for row in self.residents)

    @property
    def pay_fen(self) -> int:
        return sum(row.pay_fen for row in self.residents)

    @property
    def month(self) -> str:
        return f"{self.first:%Y-%m}"


def month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(day: date) -> tuple[int, int]:
    last = day.replace(day=1) - timedelta(days=1)
    return last.year, last.month


def _name(lang: str, line: ReportLine) -> str:
    if line.resident_status == "erased":
        return t(lang, "admin.report.erased", id=line.resident_id)
    return line.resident


def _residents(lang: str, found: list[ReportLine]) -> list[ResidentRow]:
    rows: dict[int, list[ReportLine]] = defaultdict(list)
    for line in found:
        rows[line.resident_id].append(line)
    return [
        ResidentRow(
            rid,
            _name(lang, lines[0]),
            sum(x.portions for x in lines),
            sum(x.price_fen for x in lines),
            sum(x.subsidy_fen for x in lines),
            sum(x.pay_fen for x in lines),
        )
        for rid, lines in sorted(rows.items(), key=lambda item: _name(lang, item[1][0]))
    ]


def _tiers(deps: Deps, lang: str, found: list[ReportLine]) -> list[TierRow]:
    names = {
        tier.code: tier.name if lang == "en" else tier.name_zh
        for tier in deps.config.canteens.subsidy_tiers
    }
    meals: dict[str, int] = defaultdict(int)
    subsidy: dict[str, int] = defaultdict(int)
    for line in found:
        code = line.tier_code or "-"
        meals[code] += line.portions
        subsidy[code] += line.subsidy_fen
    no_tier = t(lang, "admin.report.no_tier")
    return [TierRow(c, names.get(c, no_tier), meals[c], subsidy[c]) for c in sorted(meals)]


def _days(first: date, last: date, found: list[ReportLine]) -> dict[date, dict[str, int]]:
    span = range((last - first).days + 1)
    days: dict[date, dict[str, int]] = {
        first + timedelta(days=n): dict.fromkeys(FULFILMENTS, 0) for n in span
    }
    for line in found:
        days[line.day][line.fulfilment] += line.portions
    return days


async def monthly(deps: Deps, canteen_id: int, year: int, month: int, lang: str) -> Monthly:
    """The canteen's month: every cooked order counted once, erased residents anonymous."""
    conn = deps.db.conn
    first, last = month_span(year, month)
    found = await reports.lines(conn, canteen_id, first, last)
    canteen = await canteens.get(conn, canteen_id)
    return Monthly(
        canteen=canteen.display_name(lang) if canteen else "",
        first=first,
        last=last,
        residents=_residents(lang, found),
        tiers=_tiers(deps, lang, found),
        days=_days(first, last, found),
        deliveries=await reports.delivery_outcomes(conn, canteen_id, first, last),
        volunteers=await reports.volunteers_out(conn, canteen_id, first, last),
    )


def summary(lang: str, report: Monthly) -> Html:
    """The report in a few lines, as the caption of the workbook."""
    tiers = "\n".join(
        t(
            lang,
            "admin.report.tier_line",
            tier=row.name,
            meals=row.meals,
            amount=yuan(row.subsidy_fen),
        )
        for row in report.tiers
    )
    return t(
        lang,
        "admin.report.summary",
        canteen=report.canteen,
        month=report.month,
        meals=report.meals,
        residents=len(report.residents),
        subsidy=yuan(report.subsidy_fen),
        paid=yuan(report.pay_fen),
        deliveries=sum(report.deliveries.values()),
        delivered=report.deliveries.get("delivered", 0),
        volunteers=report.volunteers,
        tiers=Html(tiers or "-"),
    )
