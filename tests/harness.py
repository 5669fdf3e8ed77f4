"""The test harness: the real bot, polling the local sandbox over HTTP, on a real SQLite file.

Tests read like a person using the chat:

    alice = env.user(1001, "Alice")
    await alice.send("/start")
    await alice.click("🍱 Order a meal")
    assert "Lunch" in alice.last.text

The bot's outbox sender is unpaced unless a test asks for Telegram's limits: one message
a second to a person would make a report of five files, or a month of summaries, take
real seconds while the test waits. Tests about pacing are marked `@pytest.mark.paced`
(the `env` fixture reads it) or pass `limits=PACED` to `bot_running`.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application

from bot.app import build_application
from bot.canteen_file import CanteenFile, load_canteen_file
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import Sandbox
from bot.settings import Config, Settings
from bot.webhook import WebhookPlan
from data.db import Session
from scheduling.ratelimit import SendLimits

TOKEN = "123456:TEST-TOKEN"
TZ = ZoneInfo("Asia/Shanghai")
# A Monday morning: Monday's lunch and dinner take orders; Tuesday's open at 16:00.
MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
ADMIN_ID = 9000
KITCHEN_CHAT = -1001000000001
# The long tests (test_crash, test_fuzz) run by default at a depth that reaches the same
# behaviour in seconds; DOORSTEP_TEST_DEPTH=full runs them to their whole depth.
FULL_DEPTH = os.environ.get("DOORSTEP_TEST_DEPTH") == "full"
# Which store the suite runs on: SQLite files, or a throwaway PostgreSQL server.
ON_POSTGRES = os.environ.get("DOORSTEP_TEST_STORE", "sqlite") == "postgresql"
# Telegram's own limits (scheduling/ratelimit.py), for the tests about pacing.
PACED = SendLimits()
# No spacing at all, for tests about what is sent rather than when.
UNPACED = SendLimits(per_second=1000, private_interval=0.0, group_per_minute=100_000)


def free_port() -> int:
    """A TCP port nothing listens on now (the bot's webhook, health endpoint)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_config(
    sandbox: Sandbox, db_path: Path | str, canteens: CanteenFile | None = None, **env: Any
) -> Config:
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=sandbox.base_url,
        DOORSTEP_DB=str(db_path),
        # No daily backups unless a test is about them (test_backups_e2e).
        **{"DOORSTEP_ADMIN_IDS": str(ADMIN_ID), "DOORSTEP_BACKUP_KEEP": "0", **env},
    )
    return Config(settings=settings, canteens=canteens or load_canteen_file(None))


@dataclass
class Env:
    """One running bot with its sandbox, clock and store."""

    sandbox: Sandbox
    clock: ManualClock
    config: Config
    app: Application  # type: ignore[type-arg]

    @property
    def deps(self) -> Deps:
        deps = self.app.bot_data["deps"]
        assert isinstance(deps, Deps)
        return deps

    def user(self, user_id: int, first_name: str, language_code: str = "zh-hans") -> Any:
        return self.sandbox.user(user_id, first_name, language_code=language_code)

    async def advance(self, **delta: float) -> None:
        """Move the clock (jobs due by then run) and wait until the bot is quiet again."""
        self.clock.advance(timedelta(**delta))
        await self.sandbox.idle()

    async def settle(self) -> None:
        await self.sandbox.idle()

    async def drained(self, limit: float = 120.0) -> None:
        """Wait until the outbox has nothing left to send (the sender runs on its own)."""
        async with asyncio.timeout(limit):
            while await self.rows("SELECT 1 FROM outbox WHERE status IN ('pending', 'sending')"):
                await self.sandbox.idle(timeout=limit)

    async def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self.deps.db.fetchall(sql, params)]


async def fail_inserts(tx: Session, table: str, when: str = "TRUE") -> None:
    """Make the store refuse every insert into `table` whose new row matches `when` (SQL
    on NEW), as a full disk would; `allow_inserts` ends it. A trigger on either store."""
    if tx.dialect == "sqlite":
        await tx.execute(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} WHEN {when}"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        return
    await tx.execute(
        f"CREATE FUNCTION fail_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF {when} THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$"
    )
    await tx.execute(
        f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION fail_{table}()"
    )


async def allow_inserts(tx: Session, table: str) -> None:
    if tx.dialect == "sqlite":
        await tx.execute(f"DROP TRIGGER fail_{table}")
        return
    await tx.execute(f"DROP TRIGGER fail_{table} ON {table}")
    await tx.execute(f"DROP FUNCTION fail_{table}()")


@asynccontextmanager
async def bot_running(
    sandbox: Sandbox,
    config: Config,
    clock: ManualClock,
    limits: SendLimits = UNPACED,
    webhook: WebhookPlan | None = None,
) -> AsyncIterator[Env]:
    """The bot built from `config`, polling `sandbox` (or, given a plan, listening for its
    webhook posts), its sender held to `limits`."""
    app = build_application(config, clock, TrackedApplication, limits)
    assert isinstance(app, TrackedApplication)
    sandbox.busy_probe = app.busy
    async with running(app, webhook=webhook):
        env = Env(sandbox=sandbox, clock=clock, config=config, app=app)
        await sandbox.idle()
        yield env
