"""The dispatch jobs: claim deadline, no-answer escalation, unreported deliveries, and the
admins' approval digests (`digest:admin:9000`, due when the admin may get the next one).

Like the window jobs (scheduling/jobs.py, whose `put` and `replan` these share), the
store is the schedule: jobs are planned from it at start-up, on clock jumps, and when a
service says something became due (`deps.jobs_changed`). Names are deterministic
(`assign:window:42`, `escalate:delivery:7`, `unreported:window:42`), so planning again
replaces a job, and every job calls a service that is safe to run twice; a step that
fails is tried again (scheduling/retry.py).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from telegram.ext import CallbackContext

from bot.core.deps import Deps
from bot.core.ptb import App
from bot.services.delivery import claims, dispatch, outcomes
from bot.services.delivery.deliveries import rules
from bot.services.notices.step_alerts import Subject
from bot.services.people import approval_digest
from data import deliveries, windows
from scheduling import retry, routing
from scheduling.jobs import AnyQueue, put, queue_of
from scheduling.routing.model import Courier, Place
from scheduling.routing.model import Stop as RouteStop

log = logging.getLogger("doorstep.dispatch")

DispatchKind = Literal["assign", "escalate", "unreported", "digest"]
PLAN_NAME = "dispatch-plan"


async def plan(request: dispatch.RouteRequest) -> dispatch.Plan:
    """The routing engine's plan for one window's deliveries (solved off the event loop)."""
    keys = {c.account_id for c in request.couriers}
    stops = [
        RouteStop(
            key=s.id,
            building=s.building,
            place=Place(s.lat, s.lon) if s.lat is not None and s.lon is not None else None,
            demand=s.meals,
            last_courier=request.last.get(s.resident_id),
            fixed_courier=s.volunteer_id if s.volunteer_id in keys else None,
        )
        for s in request.stops
    ]
    couriers = [Courier(key=c.account_id, capacity=c.capacity) for c in request.couriers]
    found = await asyncio.to_thread(
        routing.plan_routes, Place(*request.depot), stops, couriers, seconds=SOLVE_SECONDS
    )
    return dispatch.Plan(dict(found.routes), list(found.unassigned))


async def assign(deps: Deps, window_id: int) -> bool:
    """The claim deadline of one window: its routes planned by the engine, stored and sent."""
    return await dispatch.assign(deps, window_id, plan)


RUNS = {
    "assign": assign,
    "escalate": outcomes.escalate,
    "unreported": outcomes.unreported,
    "digest": approval_digest.send,
}
SUBJECTS = {"escalate": "delivery", "digest": "admin"}
SOLVE_SECONDS = 0.5


@dataclass(frozen=True)
class DispatchJob:
    kind: DispatchKind
    due: datetime
    subject_id: int

    @property
    def name(self) -> str:
        subject = SUBJECTS.get(self.kind, "window")
        return f"{self.kind}:{subject}:{self.subject_id}"


async def install(app: App, deps: Deps) -> None:
    """At start-up: open boards a crash left closed, plan every job, plan again on changes."""
    await reopen_boards(deps)
    deps.jobs_changed.listen(lambda: plan_soon(app))
    deps.clock.on_jump(lambda: plan_soon(app))
    await rebuild(queue_of(app), deps)


async def reopen_boards(deps: Deps) -> None:
    """Windows closed while the bot was down (or before a crash) get their claim board."""
    now = deps.clock.now()
    for window in await windows.in_states(deps.db.reader, ("closed", "dispatched")):
        if window.dispatched_at is None and window.serve_at > now:
            await claims.open_claims(deps, window.id)


async def planned(deps: Deps) -> list[DispatchJob]:
    """Every dispatch job the store says is still to run."""
    conn = deps.db.reader
    jobs = [
        DispatchJob("assign", w.claim_until, w.id) for w in await deliveries.awaiting_routes(conn)
    ]
    for window in await deliveries.awaiting_reports(conn):
        after = (await rules(deps, window.canteen_id)).unreported_after_minutes
        jobs.append(
            DispatchJob("unreported", window.serve_at + timedelta(minutes=after), window.id)
        )
    for stop in await deliveries.unanswered(conn):
        wait = (await rules(deps, stop.canteen_id)).no_answer_escalate_minutes
        assert stop.reported_at is not None
        jobs.append(DispatchJob("escalate", stop.reported_at + timedelta(minutes=wait), stop.id))
    for admin_id, when in await approval_digest.due(deps):
        jobs.append(DispatchJob("digest", when, admin_id))
    return jobs


async def rebuild(queue: AnyQueue, deps: Deps) -> list[DispatchJob]:
    jobs = await planned(deps)
    for job in jobs:
        put(queue, deps, job, run)
    return jobs


def plan_soon(app: App) -> None:
    """Plan again from the store in a moment (a job, so tests and shutdown wait for it)."""
    if not app.running or app.job_queue is None:
        return
    for old in app.job_queue.get_jobs_by_name(PLAN_NAME):
        old.schedule_removal()
    app.job_queue.run_once(_plan_job, when=0, name=PLAN_NAME)


async def _plan_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    deps = context.application.bot_data["deps"]
    assert isinstance(deps, Deps)
    await rebuild(queue_of(context.application), deps)


async def run(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Run one dispatch step; a job woken before its time (timers are not exact) is put
    back, and a step that fails is put back at the moment to try again."""
    assert context.job is not None
    job = context.job.data
    assert isinstance(job, DispatchJob)
    deps = context.application.bot_data["deps"]
    assert isinstance(deps, Deps)
    queue = queue_of(context.application)
    if deps.clock.now() < job.due:
        put(queue, deps, job, run)
        return

    async def step() -> None:
        await RUNS[job.kind](deps, job.subject_id)

    subject = (
        Subject(job.kind, delivery_id=job.subject_id)
        if job.kind == "escalate"
        else Subject(job.kind, window_id=job.subject_id)
    )
    again = await retry.attempt(context, job.name, step, subject)
    if again is not None:
        put(queue, deps, replace(job, due=again), run)
