"""Start and stop a built Application by hand (the demo and the tests run it in-process)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Generator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from telegram import Update

from bot.core.ptb import App
from bot.webhook import WebhookPlan

RT = TypeVar("RT")


class TrackedApplication(App):
    """An Application that knows whether it is still working on an update or a job.

    Used when the bot runs in-process beside the sandbox (demo and tests), so that
    "wait until the bot is quiet" does not depend on how long the bot takes to think,
    and needs no quiet interval on top: every place where work can wait is counted.
    """

    __slots__ = ("jobs_in_progress", "tasks_in_progress", "updates_in_progress")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.updates_in_progress = 0
        self.jobs_in_progress = 0
        self.tasks_in_progress = 0

    def create_task(
        self,
        coroutine: Generator[asyncio.Future[object], None, RT] | Awaitable[RT],
        update: object | None = None,
        *,
        name: str | None = None,
    ) -> asyncio.Task[RT]:
        """Count the task until it is done: PTB hands each update to one (from the moment
        it leaves the update queue, before the per-chat lane lets it start), and runs
        non-blocking handlers and a job's error handling in them."""
        task = super().create_task(coroutine, update, name=name)
        self.tasks_in_progress += 1
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, _task: asyncio.Task[Any]) -> None:
        self.tasks_in_progress -= 1

    async def process_update(self, update: object) -> None:
        self.updates_in_progress += 1
        try:
            await super().process_update(update)
        finally:
            self.updates_in_progress -= 1

    def track_jobs(self) -> None:
        if self.job_queue is None:
            return

        def on_event(event: JobEvent) -> None:
            self.jobs_in_progress += 1 if event.code == EVENT_JOB_SUBMITTED else -1

        self.job_queue.scheduler.add_listener(
            on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )

    def busy(self) -> bool:
        """True while an update waits or is handled, a task the bot started is not done,
        a job is due or running, or the outbox sender has something to send."""
        if self.update_queue.qsize() or self.updates_in_progress or self.tasks_in_progress:
            return True
        if self.jobs_in_progress:
            return True
        sender = self.bot_data.get("sender")
        if sender is not None and sender.busy():
            return True
        if self.job_queue is None:
            return False
        now = time.time()
        return any(
            job.next_t is not None and job.next_t.timestamp() <= now
            for job in self.job_queue.jobs()
        )


@asynccontextmanager
async def running(
    app: App,
    *,
    poll_timeout: int = 1,
    webhook: WebhookPlan | None = None,
) -> AsyncIterator[App]:
    """What `run_polling` (or `run_webhook`, given a plan) does, without owning the event
    loop: init, poll or listen, and shut down."""
    await app.initialize()
    if isinstance(app, TrackedApplication):
        app.track_jobs()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    if webhook is None:
        await app.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
    else:
        await app.updater.start_webhook(**webhook.serving())
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
