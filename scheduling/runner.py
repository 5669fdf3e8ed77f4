"""The one job runner: every scheduled job is a `Kind`, planned, named, put and run here.

The store holds the schedule; jobs are only reminders to look at it. A kind says how to
list what is due from the store, the job's deterministic name (`close:window:42`) and
the service it calls. The runner puts each run on PTB's JobQueue under its name, in
place of any job of that name, never beside it; it lists every kind again at start-up,
when the clock jumps and when a service says jobs changed (`deps.jobs_changed`); and it
runs each step through scheduling/retry.py, so a step that fails is tried again and, if
it keeps failing, people are told. Every service behind a job is safe to run twice, so a
run that comes again after a restart or a jump changes nothing the first one did.

What is listed is put as it is (a run due while the bot was down runs at once), except:
- a run that is failing keeps its moment to try again;
- a kind the store lists even once it has run (a reminder; the daily and monthly jobs,
  listed from the calendar) is put only when no job of its name waits, and after
  start-up only when not yet due: a run of it that is due and not waiting has run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from telegram.ext import CallbackContext, JobQueue

from bot.core.deps import Deps
from bot.core.ptb import App
from bot.services.notices.step_alerts import Subject
from scheduling.retry import Retries

log = logging.getLogger("doorstep.jobs")

About = Literal["window", "canteen", "delivery"]
Every = Literal["day", "month"]
# What a kind lists: (the id of the record a run is for, or None, and when it is due).
Due = tuple[int | None, datetime]
PLAN_NAME = "plan-jobs"


@dataclass(frozen=True)
class Kind:
    """One kind of job: its name, the service it calls, and how to list what is due."""

    name: str  # the job's name, `{}` standing for the record's id: "close:window:{}"
    call: Callable[..., Awaitable[object]]  # (deps, id), or (deps) when there is no id
    listing: Callable[[Deps], Awaitable[Iterable[Due]]]  # what is due, from the store
    step: str  # its words, should it keep failing: a key of staff.step_failing.step
    about: About | None = None  # what the id names, to tell that place's people
    listed_until_done: bool = True  # False: the store lists a run even once it has run
    every: Every | None = None  # comes back each day or month at the same time

    def subject(self, record_id: int | None) -> Subject:
        """The step and the place it is for, as the alert about it names them."""
        return Subject(
            self.step,
            canteen_id=record_id if self.about == "canteen" else None,
            window_id=record_id if self.about == "window" else None,
            delivery_id=record_id if self.about == "delivery" else None,
        )


@dataclass(frozen=True)
class Run:
    """One run of a kind: for which record, at what moment of the domain clock."""

    kind: Kind
    record_id: int | None
    at: datetime  # the moment the store or the calendar gives
    retry_at: datetime | None = None  # a failed run's moment to try again

    @property
    def name(self) -> str:
        return self.kind.name.format(self.record_id)

    @property
    def due(self) -> datetime:
        return self.retry_at or self.at

    def next(self, now: datetime, tz: tzinfo) -> Run:
        """A calendar run's next one, strictly after `now`, at the same time of day."""
        assert self.kind.every is not None
        return Run(self.kind, self.record_id, next_at(self.at, self.kind.every, now, tz))


def next_at(at: datetime, every: Every, now: datetime, tz: tzinfo) -> datetime:
    """The first moment after `now` at `at`'s time of day, on every day or every 1st."""
    moment = at.astimezone(tz).time()
    day = now.astimezone(tz).date()
    if every == "month":
        day = day.replace(day=1)
    while (due := datetime.combine(day, moment, tzinfo=tz)) <= now:
        day = next_month(day) if every == "month" else day + timedelta(days=1)
    return due


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


class Runner:
    """Puts, plans again and runs the jobs of `kinds` on the Application's JobQueue."""

    def __init__(self, app: App, deps: Deps, kinds: Sequence[Kind]) -> None:
        if app.job_queue is None:
            raise RuntimeError("the job-queue extra of python-telegram-bot is required")
        self.app = app
        self.queue: JobQueue[Any] = app.job_queue
        self.deps = deps
        self.kinds = kinds
        self.retries = Retries(app.bot, deps)

    async def start(self) -> list[Run]:
        """Plan every job from the store, and plan again on clock jumps and changes."""
        self.deps.jobs_changed.listen(self.plan_soon)
        self.deps.clock.on_jump(self.jumped)
        return await self.rebuild(starting=True)

    async def rebuild(self, *, starting: bool = False) -> list[Run]:
        """List every kind's runs from the store and put those that need putting."""
        now = self.deps.clock.now()
        planned = []
        for kind in self.kinds:
            for record_id, at in await kind.listing(self.deps):
                run = Run(kind, record_id, at)
                if self.needs_putting(run, now, starting):
                    self.put(run)
                    planned.append(run)
        return planned

    def needs_putting(self, run: Run, now: datetime, starting: bool) -> bool:
        if run.name in self.retries.failing:
            return False
        if run.kind.listed_until_done:
            return True
        return not self.queue.get_jobs_by_name(run.name) and (starting or run.at > now)

    def put(self, run: Run) -> None:
        """Run `run` at its moment, in place of any job of its name."""
        for old in self.queue.get_jobs_by_name(run.name):
            old.schedule_removal()
        delay = self.deps.clock.real_seconds(run.due - self.deps.clock.now())
        self.queue.run_once(
            self._run, when=delay, data=run, name=run.name, job_kwargs={"misfire_grace_time": None}
        )

    def jumped(self) -> None:
        """The clock jumped: every job moves to its new real-time delay now, and the store is
        listed again in a moment."""
        if not self.app.running:
            return
        for job in self.queue.jobs():
            if isinstance(job.data, Run):
                self.put(job.data)
        self.plan_soon()

    def plan_soon(self) -> None:
        """List the store again in a moment (as a job, so tests and shutdown wait for it)."""
        if not self.app.running:
            return
        for old in self.queue.get_jobs_by_name(PLAN_NAME):
            old.schedule_removal()
        self.queue.run_once(self._plan, when=0, name=PLAN_NAME)

    async def _plan(self, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.rebuild()

    async def _run(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        """Run one step; a job woken before its time (timers are not exact) is put back, a
        calendar job plans its next run first, and a step that fails is put back (in place
        of that next run) at the moment to try again."""
        assert context.job is not None
        run = context.job.data
        assert isinstance(run, Run)
        now = self.deps.clock.now()
        if now < run.due:
            self.put(run)
            return
        log.debug("running %s", run.name)
        if run.kind.every is not None:
            self.put(run.next(now, self.deps.clock.tz))

        async def step() -> None:
            if run.record_id is None:
                await run.kind.call(self.deps)
            else:
                await run.kind.call(self.deps, run.record_id)

        again = await self.retries.attempt(run.name, step, run.kind.subject(run.record_id))
        if again is not None:
            self.put(replace(run, retry_at=again))
