"""The window jobs on PTB's JobQueue, rebuilt from the store at start-up and on clock jumps.

The store holds the schedule; jobs are only reminders to look at it. Each job calls a
service that is safe to run twice, so a job that runs again after a restart or a jump
changes nothing the first run did; a step that fails is tried again (scheduling/retry.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from telegram.ext import CallbackContext, JobQueue

from bot.core.deps import Deps
from bot.core.ptb import App
from bot.services.kitchen import schedule
from bot.services.kitchen import windows as window_service
from bot.services.notices.step_alerts import Subject
from data import windows
from scheduling import retry
from scheduling.windows import Planned, plan

log = logging.getLogger("doorstep.jobs")

AnyQueue = JobQueue[Any]
JobCallback = Callable[[CallbackContext[Any, Any, Any, Any]], Coroutine[Any, Any, None]]


@runtime_checkable
class Scheduled(Protocol):
    """A job's data: a deterministic name and the domain-clock moment it is due."""

    @property
    def name(self) -> str: ...

    @property
    def due(self) -> datetime: ...


RUNS = {
    "open": window_service.open_window,
    "remind": window_service.remind,
    "close": window_service.close,
}


async def install(app: App, deps: Deps) -> None:
    """At start-up: close what is overdue, plan every job, and plan again on clock jumps."""
    closed = await window_service.close_overdue(deps)
    if closed:
        log.info("closed overdue windows at start-up: %s", closed)
    await rebuild(queue_of(app), deps)
    deps.clock.on_jump(lambda: replan(app, deps))


def queue_of(app: App) -> AnyQueue:
    if app.job_queue is None:
        raise RuntimeError("the job-queue extra of python-telegram-bot is required")
    return app.job_queue


async def rebuild(queue: AnyQueue, deps: Deps) -> list[Planned]:
    """Replace the jobs with one per step still due for every scheduled or open window."""
    found = await windows.in_states(deps.db.reader, ("scheduled", "open"))
    planned = plan(found, deps.clock.now(), deps.clock.tz)
    for job in planned:
        put(queue, deps, job)
    return planned


def put(
    queue: AnyQueue, deps: Deps, planned: Scheduled, callback: JobCallback | None = None
) -> None:
    """Schedule `planned` under its name (run by `callback`), replacing a job of that name."""
    for old in queue.get_jobs_by_name(planned.name):
        old.schedule_removal()
    delay = deps.clock.real_seconds(planned.due - deps.clock.now())
    queue.run_once(
        callback or run,
        when=delay,
        data=planned,
        name=planned.name,
        job_kwargs={"misfire_grace_time": None},
    )


def replan(app: App, deps: Deps) -> None:
    """The clock jumped: move every planned job to its new real-time delay."""
    if not app.running or app.job_queue is None:
        return
    for job in app.job_queue.jobs():
        if isinstance(job.data, Scheduled):
            put(app.job_queue, deps, job.data, job.callback)


async def run(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Run one planned step; a job woken before its time (timers are not exact) is put back,
    and a step that fails is put back at the moment to try again."""
    assert context.job is not None
    planned = context.job.data
    assert isinstance(planned, Planned)
    deps = context.application.bot_data["deps"]
    assert isinstance(deps, Deps)
    queue = queue_of(context.application)
    if deps.clock.now() < planned.due:
        put(queue, deps, planned)
        return

    async def step() -> None:
        if planned.kind == "ensure":
            await schedule.ensure_windows(deps)
            await rebuild(queue, deps)
        else:
            assert planned.window_id is not None
            await RUNS[planned.kind](deps, planned.window_id)

    subject = Subject(planned.kind, window_id=planned.window_id)
    again = await retry.attempt(context, planned.name, step, subject)
    if again is not None:
        put(queue, deps, replace(planned, due=again))
