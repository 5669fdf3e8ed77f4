"""The bot with its outbox sender unpaced, for tests about what is sent rather than when.

Telegram allows one message a second to a person, so a report of five files, or a month
of summaries, would otherwise be sent in real seconds while the test waits. Pacing has
its own tests (test_outbox.py, test_faulty_day.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import build_application
from bot.canteen_file import CanteenFile
from bot.core.clock import ManualClock
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import Sandbox
from scheduling.ratelimit import SendLimits
from tests.harness import Env, make_config

UNPACED = SendLimits(per_second=1000, private_interval=0.0, group_per_minute=100_000)


@asynccontextmanager
async def unpaced_bot(
    sandbox: Sandbox, clock: ManualClock, db_path: Path, canteens: CanteenFile | None = None
) -> AsyncIterator[Env]:
    config = make_config(sandbox, db_path, canteens)
    app = build_application(config, clock, TrackedApplication, UNPACED)
    assert isinstance(app, TrackedApplication)
    sandbox.busy_probe = app.busy
    async with running(app):
        env = Env(sandbox=sandbox, clock=clock, config=config, app=app)
        await sandbox.idle()
        yield env
