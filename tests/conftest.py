"""Fixtures: a sandbox per test, and the bot running against it on a fresh database."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from data.db import Database
from tests.harness import (
    KITCHEN_CHAT,
    MONDAY_8AM,
    PACED,
    TOKEN,
    UNPACED,
    Env,
    bot_running,
    make_config,
)

# As the composition root does: PTB durations as timedelta, without deprecation warnings.
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Three workers for two cores (`-n auto`): a test spends part of its time waiting (for
    SQLite's thread, the sandbox's stalls, the bot's timers), which a third worker uses."""
    return max(1, (os.cpu_count() or 1) * 3 // 2)


@pytest.fixture(scope="session", autouse=True)
def no_certificate_bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The bot speaks plain HTTP to the sandbox on 127.0.0.1, yet httpx reads a whole CA
    bundle for every client it makes: two per bot start, 50 ms each, a tenth of a short
    test. An empty certificate folder is only looked in when a certificate is checked,
    which no test does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SSL_CERT_FILE", "")  # else httpx reads the file this names
        patch.setenv("SSL_CERT_DIR", str(tmp_path_factory.mktemp("no-certificates")))
        yield


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox(token=TOKEN, bot_username="doorstep_bot")
    await box.start()
    box.group(KITCHEN_CHAT, "Kitchen")
    try:
        yield box
    finally:
        await box.stop()
    box.assert_no_violations()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_8AM)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with every migration applied and nothing in it, made once: each
    test's bot starts on a copy, as on a new file but without 50 ms of migrating each
    time (test_store migrates from nothing)."""
    path = tmp_path_factory.mktemp("migrated") / "doorstep.sqlite3"

    async def migrate() -> None:
        await (await Database.open(path)).close()

    asyncio.run(migrate())
    return path


@pytest.fixture
async def env(
    request: pytest.FixtureRequest,
    sandbox: Sandbox,
    clock: ManualClock,
    tmp_path: Path,
    migrated: Path,
) -> AsyncIterator[Env]:
    """The bot on a fresh database; its sender keeps Telegram's limits only in tests marked
    `paced`."""
    limits = PACED if request.node.get_closest_marker("paced") else UNPACED
    path = tmp_path / "doorstep.sqlite3"
    shutil.copy(migrated, path)  # with its owner-only mode
    config = make_config(sandbox, path)
    async with bot_running(sandbox, config, clock, limits) as running_env:
        yield running_env
