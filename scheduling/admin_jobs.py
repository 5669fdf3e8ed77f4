"""The community admin's daily and monthly jobs, on the window jobs' JobQueue helpers.

Per canteen: the daily summary and the wellness watch at `daily_summary`, the check-in
asked at `checkin_ask`, its deadline and the escalation after it, and on the first of
each month last month's report. Names are deterministic (`admin:summary:canteen:1`), and
each job plans its next run before it works, so nothing is duplicated or lost; every
service behind them is safe to run twice (fixed outbox keys, stamped rows). A run that
fails is tried again (scheduling/retry.py) in place of the next one, which it plans
again when it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from telegram.ext import CallbackContext

from bot.canteen_file import Canteen as CanteenSpec
from bot.core.deps import Deps
from bot.core.ptb import App
from bot.services.notices.step_alerts import Subject
from bot.services.people import checkin, wellness
from bot.services.reports import report_outbox
from data import canteens
from scheduling import retry
from scheduling.jobs import put, queue_of

log = logging.getLogger("doorstep.admin_jobs")

AdminKind = Literal["summary", "wellness", "monthly", "ask", "deadline", "escalate"]
MONTHLY_AT = time(6, 0)  # the 1st, once last month's last meals are long served
RUNS: dict[AdminKind, Callable[[Deps, int], Awaitable[Any]]] = {
    "summary": report_outbox.daily_summary,
    "wellness": wellness.watch,
    "monthly": report_outbox.monthly_to_admins,
    "ask": checkin.ask,
    "deadline": checkin.deadline,
    "escalate": checkin.escalate,
}

# The check-in's escalation has its own words: "escalate" alone names the no-answer one.
STEP_WORDS: dict[AdminKind, str] = {"escalate": "checkin_escalate"}


@dataclass(frozen=True)
class AdminJob:
    kind: AdminKind
    canteen_id: int
    at: time
    due: datetime

    @property
    def name(self) -> str:
        return f"admin:{self.kind}:canteen:{self.canteen_id}"

    def after(self, now: datetime, tz: tzinfo) -> AdminJob:
        """The next run strictly after `now`."""
        return AdminJob(self.kind, self.canteen_id, self.at, next_due(self.kind, self.at, now, tz))


def next_due(kind: AdminKind, at: time, now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz)
    day = local.date()
    if kind == "monthly":
        day = day.replace(day=1)
    while (due := datetime.combine(day, at, tzinfo=tz)) <= local:
        day = _next_month(day) if kind == "monthly" else day + timedelta(days=1)
    return due


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def times(spec: CanteenSpec) -> dict[AdminKind, time]:
    escalate = datetime.combine(date(2000, 1, 1), spec.checkin_deadline) + timedelta(
        minutes=spec.checkin_escalate_minutes
    )
    return {
        "summary": spec.daily_summary,
        "wellness": spec.daily_summary,
        "monthly": MONTHLY_AT,
        "ask": spec.checkin_ask,
        "deadline": spec.checkin_deadline,
        "escalate": escalate.time(),
    }


def plan(canteen_id: int, spec: CanteenSpec, now: datetime, tz: tzinfo) -> list[AdminJob]:
    """Every admin job of one canteen, at its next due moment."""
    return [
        AdminJob(kind, canteen_id, at, next_due(kind, at, now, tz))
        for kind, at in times(spec).items()
    ]


async def install(app: App, deps: Deps) -> None:
    """At start-up: plan every canteen's admin jobs (clock jumps move them with the rest)."""
    queue = queue_of(app)
    for canteen in await canteens.all_canteens(deps.db.reader):
        spec = deps.config.canteens.canteen(canteen.code)
        for job in plan(canteen.id, spec, deps.clock.now(), deps.clock.tz):
            put(queue, deps, job, run)


async def run(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Plan the next run, then do this one; a job woken early is put back, and a run that
    fails is put back (under the same name, so in place of the next) to try again."""
    assert context.job is not None
    job = context.job.data
    assert isinstance(job, AdminJob)
    deps = context.application.bot_data["deps"]
    assert isinstance(deps, Deps)
    queue = queue_of(context.application)
    now = deps.clock.now()
    if now < job.due:
        put(queue, deps, job, run)
        return
    put(queue, deps, job.after(now, deps.clock.tz), run)

    async def step() -> None:
        await RUNS[job.kind](deps, job.canteen_id)

    subject = Subject(STEP_WORDS.get(job.kind, job.kind), canteen_id=job.canteen_id)
    again = await retry.attempt(context, job.name, step, subject)
    if again is not None:
        put(queue, deps, replace(job, due=again), run)
