"""What the funders' reports count, computed once for any run of days.

The daily summary (one day) and the monthly report (one month) are the same
computation, `period`, so the days of a month add up to the month. A meal is served
when it was delivered or collected (pickup and dine-in end as collected): only served
meals are counted, charged and claimed from the funder. Every other order that was a
meal (declined and cancelled ones never were) is listed apart with the reason it was
not served, and claims nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.core.deps import Deps
from bot.services.people.messages import erased_name
from bot.services.reports import messages
from data import canteens, reports
from data.models import Fulfilment, Meal
from data.reports import ReportLine

FULFILMENTS: tuple[Fulfilment, ...] = ("delivery", "pickup", "dine_in")
MEALS: tuple[Meal, ...] = ("lunch", "dinner")
# The only order statuses that are a served meal; any other status (a new one too) is not.
SERVED: tuple[str, ...] = ("delivered", "collected")
# Statuses of a meal nobody has handed over yet: the kitchen may have cooked it.
WAITING: tuple[str, ...] = ("placed", "confirmed", "ready")
# Delivery states that say nothing yet about the door, or that the meal was handed over.
NO_VERDICT: tuple[str, ...] = ("open", "claimed", "assigned", "delivered", "concern")


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
class Unserved:
    """A meal that was not served: listed with its reason, charged and claimed nothing."""

    order_id: int
    day: date
    meal: Meal
    resident_id: int
    name: str
    fulfilment: Fulfilment
    meals: int
    reason: str  # see `reason_of`
    note: str


@dataclass(frozen=True)
class Report:
    canteen: str
    first: date
    last: date
    residents: list[ResidentRow]
    tiers: list[TierRow]
    days: dict[date, dict[str, int]] = field(default_factory=dict)
    by_meal: dict[Meal, dict[str, int]] = field(default_factory=dict)
    unserved: list[Unserved] = field(default_factory=list)
    deliveries: dict[str, int] = field(default_factory=dict)
    volunteers: int = 0

    @property
    def meals(self) -> int:
        """Meals served (portions)."""
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
    def unserved_meals(self) -> int:
        return sum(row.meals for row in self.unserved)

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


def served(line: ReportLine) -> bool:
    return line.status in SERVED


def reason_of(line: ReportLine, now: datetime) -> str:
    """Why a meal was not served, as a short code.

    What the volunteer reported at the door comes first (`no_answer`, `refused`, or any
    outcome added later); a meal nobody handed over is `upcoming` before its serving
    time, else `undelivered` or `uncollected`; any other status is its own reason.
    """
    if line.delivery_state == "undelivered":  # the volunteer said why, in `door_note`
        return "not_delivered"
    if line.delivery_state and line.delivery_state not in NO_VERDICT:
        return line.delivery_state
    if line.status in WAITING:
        if line.serve_at > now:
            return "upcoming"
        return "undelivered" if line.fulfilment == "delivery" else "uncollected"
    return line.status


def _name(lang: str, line: ReportLine) -> str:
    if line.resident_status == "erased":
        return erased_name(lang, line.resident_id)
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
        code = line.tier_code or ""  # no tier: an empty code, first
        meals[code] += line.portions
        subsidy[code] += line.subsidy_fen
    no_tier = messages.no_tier(lang)
    return [TierRow(c, names.get(c, no_tier), meals[c], subsidy[c]) for c in sorted(meals)]


def _days(first: date, last: date, found: list[ReportLine]) -> dict[date, dict[str, int]]:
    span = range((last - first).days + 1)
    days: dict[date, dict[str, int]] = {
        first + timedelta(days=n): dict.fromkeys(FULFILMENTS, 0) for n in span
    }
    for line in found:
        days[line.day][line.fulfilment] += line.portions
    return days


def _by_meal(found: list[ReportLine]) -> dict[Meal, dict[str, int]]:
    counts: dict[Meal, dict[str, int]] = {meal: dict.fromkeys(FULFILMENTS, 0) for meal in MEALS}
    for line in found:
        counts[line.meal][line.fulfilment] += line.portions
    return counts


def _unserved(lang: str, found: list[ReportLine], now: datetime) -> list[Unserved]:
    return [
        Unserved(
            order_id=line.order_id,
            day=line.day,
            meal=line.meal,
            resident_id=line.resident_id,
            name=_name(lang, line),
            fulfilment=line.fulfilment,
            meals=line.portions,
            reason=reason_of(line, now),
            note=messages.door_note(lang, line),
        )
        for line in found
    ]


async def period(deps: Deps, canteen_id: int, first: date, last: date, lang: str) -> Report:
    """The canteen's days `first` to `last`: served meals counted and claimed, the rest listed
    apart with their reasons, erased residents anonymous."""
    conn = deps.db.reader
    found = await reports.lines(conn, canteen_id, first, last)
    meals = [line for line in found if served(line)]
    canteen = await canteens.get(conn, canteen_id)
    return Report(
        canteen=canteen.display_name(lang) if canteen else "",
        first=first,
        last=last,
        residents=_residents(lang, meals),
        tiers=_tiers(deps, lang, meals),
        days=_days(first, last, meals),
        by_meal=_by_meal(meals),
        unserved=_unserved(lang, [line for line in found if not served(line)], deps.clock.now()),
        deliveries=await reports.delivery_outcomes(conn, canteen_id, first, last),
        volunteers=await reports.volunteers_out(conn, canteen_id, first, last),
    )


async def monthly(deps: Deps, canteen_id: int, year: int, month: int, lang: str) -> Report:
    """One calendar month."""
    first, last = month_span(year, month)
    return await period(deps, canteen_id, first, last, lang)


async def daily(deps: Deps, canteen_id: int, day: date, lang: str) -> Report:
    """One day: the same computation as the month, so the days add up to the month."""
    return await period(deps, canteen_id, day, day, lang)
