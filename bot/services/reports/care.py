"""The month's care figures beside the funders' report: incidents (how many, how long to
take and to close), meal ratings (per dish and per week) and the volunteers' table.

Counted from the store as it is: an incident belongs to the month it was opened in, a
rating to the month of the meal it rates, a round to the month of its meal.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.core.deps import Deps
from bot.services.volunteering import hours
from data import feedback, incidents


@dataclass(frozen=True)
class IncidentFigures:
    opened: int
    by_kind: dict[str, int]
    taken: int  # by a person (not those that ended by themselves first)
    take_minutes: list[int]  # opened -> taken, of those taken
    closed: int
    close_minutes: list[int]  # opened -> closed, of those closed
    by_outcome: dict[str, int]

    @property
    def still_open(self) -> int:
        return self.opened - self.closed


@dataclass(frozen=True)
class Ratings:
    good: int = 0
    so_so: int = 0
    bad: int = 0

    @property
    def count(self) -> int:
        return self.good + self.so_so + self.bad

    def plus(self, rating: str) -> Ratings:
        return Ratings(
            self.good + (rating == "good"),
            self.so_so + (rating == "so_so"),
            self.bad + (rating == "bad"),
        )


@dataclass(frozen=True)
class FeedbackFigures:
    total: Ratings
    by_dish: dict[str, Ratings]  # dish name -> ratings of orders that had it
    by_week: dict[str, Ratings]  # ISO week ("2026-W10") of the meal -> ratings
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Care:
    month: str
    incidents: IncidentFigures
    feedback: FeedbackFigures
    volunteers: list[hours.Month]


def median(values: list[int]) -> int:
    return round(statistics.median(values)) if values else 0


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


async def _incidents(deps: Deps, canteen_id: int, year: int, month: int) -> IncidentFigures:
    first, last = hours.month_days(year, month)
    tz = deps.clock.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    found = await incidents.opened_between(deps.db.reader, canteen_id, start, end)
    taken = [i for i in found if i.taken_by is not None and i.taken_at is not None]
    closed = [i for i in found if i.closed_at is not None]
    return IncidentFigures(
        opened=len(found),
        by_kind=dict(Counter(i.kind for i in found)),
        taken=len(taken),
        take_minutes=[_minutes(i.opened_at, i.taken_at) for i in taken if i.taken_at],
        closed=len(closed),
        close_minutes=[_minutes(i.opened_at, i.closed_at) for i in closed if i.closed_at],
        by_outcome=dict(Counter(i.outcome or "" for i in closed)),
    )


async def _feedback(
    deps: Deps, canteen_id: int, year: int, month: int, lang: str
) -> FeedbackFigures:
    first, last = hours.month_days(year, month)
    found = await feedback.rated_between(deps.db.reader, canteen_id, first, last)
    total, by_dish, by_week = Ratings(), dict[str, Ratings](), dict[str, Ratings]()
    reasons: Counter[str] = Counter()
    seen: set[int] = set()
    for row in found:
        dish = row.dish_name(lang)
        by_dish[dish] = by_dish.get(dish, Ratings()).plus(row.rating)
        if row.feedback_id in seen:
            continue
        seen.add(row.feedback_id)
        total = total.plus(row.rating)
        year_no, week, _ = row.day.isocalendar()
        label = f"{year_no}-W{week:02d}"
        by_week[label] = by_week.get(label, Ratings()).plus(row.rating)
        reasons.update(r for r in row.reasons.split(",") if r)
    return FeedbackFigures(total, by_dish, by_week, dict(reasons))


async def monthly(deps: Deps, canteen_id: int, year: int, month: int, lang: str) -> Care:
    return Care(
        month=f"{year}-{month:02d}",
        incidents=await _incidents(deps, canteen_id, year, month),
        feedback=await _feedback(deps, canteen_id, year, month, lang),
        volunteers=await hours.month(deps, canteen_id, year, month),
    )
