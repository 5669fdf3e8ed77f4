"""The community admin's daily and monthly jobs, one of each per canteen.

Per canteen: the daily summary and the wellness watch at `daily_summary`, the check-in
asked at `checkin_ask`, its deadline and the escalation after it, and on the first of
each month last month's report. Their times come from the canteen file, not the store,
so the runner (scheduling/runner.py) plans each one's next run as it starts it; names
are deterministic (`admin:summary:canteen:1`), and every service behind them is safe to
run twice (fixed outbox keys, stamped rows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from bot.canteen_file import Canteen as CanteenSpec
from bot.core.deps import Deps
from bot.services.people import checkin, wellness
from bot.services.reports import report_outbox
from data import canteens
from scheduling.runner import Due, Every, Kind, next_at

MONTHLY_AT = time(6, 0)  # the 1st, once last month's last meals are long served

TimeOf = Callable[[CanteenSpec], time]  # a job's time of day in a canteen's file


def escalate_at(spec: CanteenSpec) -> time:
    """The check-in's escalation: its deadline and the canteen's wait after it."""
    deadline = datetime.combine(date(2000, 1, 1), spec.checkin_deadline)
    return (deadline + timedelta(minutes=spec.checkin_escalate_minutes)).time()


def at_times(time_of: TimeOf, every: Every = "day") -> Callable[[Deps], Awaitable[list[Due]]]:
    """Each canteen's next run, at the time `time_of` reads from its part of the canteen file."""

    async def due(deps: Deps) -> list[Due]:
        now, tz = deps.clock.now(), deps.clock.tz
        found: list[Due] = []
        for canteen in await canteens.all_canteens(deps.db.reader):
            spec = deps.config.canteens.canteen(canteen.code)
            first = datetime.combine(now.astimezone(tz).date(), time_of(spec), tz)
            found.append((canteen.id, next_at(first, every, now, tz)))
        return found

    return due


def admin_kind(
    job: str,
    call: Callable[[Deps, int], Awaitable[object]],
    time_of: TimeOf,
    *,
    every: Every = "day",
    step: str | None = None,
) -> Kind:
    """A job of each canteen at a time its canteen file gives, every day (or month)."""
    return Kind(
        f"admin:{job}:canteen:{{}}",
        call,
        at_times(time_of, every),
        step or job,
        "canteen",
        listed_until_done=False,
        every=every,
    )


KINDS = (
    admin_kind("summary", report_outbox.daily_summary, lambda spec: spec.daily_summary),
    admin_kind("wellness", wellness.watch, lambda spec: spec.daily_summary),
    admin_kind("monthly", report_outbox.monthly_to_admins, lambda _: MONTHLY_AT, every="month"),
    admin_kind("ask", checkin.ask, lambda spec: spec.checkin_ask),
    admin_kind("deadline", checkin.deadline, lambda spec: spec.checkin_deadline),
    # The check-in's escalation has its own words: "escalate" alone names the no-answer one.
    admin_kind("escalate", checkin.escalate, escalate_at, step="checkin_escalate"),
)
