"""Fixtures: a sandbox per test, and the bot running against it on a fresh database.

The suite runs on one store at a time: SQLite files (the default) or PostgreSQL
(`DOORSTEP_TEST_STORE=postgresql`, a throwaway server started here: tests/pgserver.py).
`make test` runs it on both. Tests about what only SQLite has (its file's permissions,
its backup API, its bytes on disk; its statement trace, which test_crash dies by) are
marked `sqlite_only` and left out of the PostgreSQL run; every other test runs on both.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from data.db import Database
from tests import pgserver
from tests.harness import (
    KITCHEN_CHAT,
    MONDAY_8AM,
    ON_POSTGRES,
    PACED,
    TOKEN,
    UNPACED,
    Env,
    bot_running,
    make_config,
)

# The Mini App's shared fixtures (a bot with its web server, a browser) live beside its
# helpers in tests/web_kit.py.
pytest_plugins = ("tests.web_kit",)

# As the composition root does: PTB durations as timedelta, without deprecation warnings.
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Three workers for two cores (`-n auto`): a test spends part of its time waiting (for
    SQLite's thread, the sandbox's stalls, the bot's timers), which a third worker uses."""
    return max(1, (os.cpu_count() or 1) * 3 // 2)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: about what only SQLite has (its file's permissions, backup API and "
        "bytes on disk, its statement trace); not run on PostgreSQL",
    )
    config.addinivalue_line(
        "markers",
        "postgres_only: several processes on one PostgreSQL (the leader's lease); run in "
        "the PostgreSQL run only",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """One name for this run's PostgreSQL server, shared by every pytest-xdist worker; the
    controller removes what is left of it at its exit, once the workers have stopped it."""
    if not hasattr(session.config, "workerinput"):
        pgserver.name_run()
        if ON_POSTGRES:
            atexit.register(pgserver.remove_if_stopped)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out (deselect, not skip) the tests of the other store: on PostgreSQL those
    about SQLite's file, on SQLite those about several processes sharing PostgreSQL."""
    other = "sqlite_only" if ON_POSTGRES else "postgres_only"
    kept = [item for item in items if not item.get_closest_marker(other)]
    left = [item for item in items if item.get_closest_marker(other)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def pg_admin() -> str:
    """The throwaway PostgreSQL server's admin URL (started on first use)."""
    return pgserver.start()


@pytest.fixture
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty store is (nothing migrated): a file, or a new database."""
    if not ON_POSTGRES:
        return str(tmp_path / "doorstep.sqlite3")
    return _database(request, None)


def _database(request: pytest.FixtureRequest, template: str | None) -> str:
    """A new database for this test, dropped after it (so a run's disk stays small)."""
    admin: str = request.getfixturevalue("pg_admin")
    name = pgserver.fresh_name()
    url = pgserver.create(admin, name, template=template)
    request.addfinalizer(lambda: pgserver.drop(admin, name))
    return url


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store is, every migration applied and nothing in it."""
    migrated: Path | str = request.getfixturevalue("migrated")
    if not ON_POSTGRES:
        path = tmp_path / "doorstep.sqlite3"
        shutil.copy(migrated, path)  # with its owner-only mode
        return str(path)
    return _database(request, str(migrated))


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
    if ON_POSTGRES:
        # Each statement is a round trip to the server: a step over a thousand orders (the
        # lists tests) can outlast the 10 s wait for quiet on a busy machine.
        box.idle = functools.partial(box.idle, timeout=30.0)  # type: ignore[method-assign]
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
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path | str:
    """A database file (or, on PostgreSQL, a template database's name) with every
    migration applied and nothing in it, made once: each test's bot starts on a copy, as
    on a new store but without migrating each time (test_store migrates from nothing)."""
    if ON_POSTGRES:
        return pgserver.migrated_template(request.getfixturevalue("pg_admin"))
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
    store: str,
) -> AsyncIterator[Env]:
    """The bot on a fresh database; its sender keeps Telegram's limits only in tests marked
    `paced`."""
    limits = PACED if request.node.get_closest_marker("paced") else UNPACED
    config = make_config(sandbox, store)
    async with bot_running(sandbox, config, clock, limits) as running_env:
        yield running_env
