"""Start and stop a built Application by hand (the demo and the tests run it in-process)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from telegram import Update

from bot.core.ptb import App


class TrackedApplication(App):
    """An Application that knows whether it is still working on an update or a job.

    Used when the bot runs in-process beside the sandbox (demo and tests), so that
    "wait until the bot is quiet" does not depend on how long the bot takes to think.
    """

    __slots__ = ("jobs_in_progress", "updates_in_progress")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.updates_in_progress = 0
        self.jobs_in_progress = 0

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
        """True while an update waits or is handled, or a job is due or running."""
        if self.update_queue.qsize() or self.updates_in_progress or self.jobs_in_progress:
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
) -> AsyncIterator[App]:
    """What `run_polling` does, without owning the event loop: init, poll, and shut down."""
    await app.initialize()
    if isinstance(app, TrackedApplication):
        app.track_jobs()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
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
