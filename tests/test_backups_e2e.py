"""Daily backups taken on schedule, each checked, the oldest pruned; restored by command."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main as doorstep
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from tests.harness import ADMIN_ID, bot_running, make_config

# The bot's own daily copies are of a SQLite file; a PostgreSQL store's backups are the
# database's (scheduling/upkeep.py lists none there).
pytestmark = pytest.mark.sqlite_only


def accounts_in(path: Path) -> set[int]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM accounts")}


async def command(*argv: str) -> int:
    """`doorstep ...` as the operator runs it (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(doorstep, list(argv))


def set_aside(folder: Path) -> list[Path]:
    """The stores a restore kept aside (their -wal and -shm files, when SQLite left any,
    go beside them under the same name)."""
    found = folder.glob("doorstep.sqlite3.before-restore-*")
    return [path for path in found if not path.name.endswith(("-wal", "-shm"))]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def test_backups_are_taken_daily_checked_pruned_and_restored(
    sandbox: Sandbox,
    clock: ManualClock,
    tmp_path: Path,
    migrated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, folder = tmp_path / "doorstep.sqlite3", tmp_path / "backups"
    shutil.copy(migrated, store)
    settings = {"DOORSTEP_BACKUP_KEEP": "2", "DOORSTEP_BACKUP_DIR": str(folder)}
    config = make_config(sandbox, store, **settings)
    async with bot_running(sandbox, config, clock) as env:  # Monday 08:00
        await sandbox.user(1001, "Ann", language_code="en").send("/start")
        assert not folder.exists()
        await env.advance(days=1)  # Tuesday 08:00: the 03:30 backup runs on landing
        assert names(folder) == ["doorstep-2026-03-03T080000.sqlite3"]
        await sandbox.user(1002, "Bo", language_code="en").send("/start")
        await env.advance(days=1)
        await env.advance(days=1)  # Thursday: three taken, the oldest gone
        assert names(folder) == [
            "doorstep-2026-03-04T080000.sqlite3",
            "doorstep-2026-03-05T080000.sqlite3",
        ]
        await sandbox.user(1003, "Cai", language_code="en").send("/start")  # after the last
    newest = folder / "doorstep-2026-03-05T080000.sqlite3"
    assert {1001, 1002} <= accounts_in(newest)
    assert 1003 not in accounts_in(newest)
    assert oct(newest.stat().st_mode & 0o777) == "0o600"

    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DOORSTEP_DB", str(store))
    assert await command("restore", str(newest)) == 1
    assert f"A store is already at {store}; nothing restored" in capsys.readouterr().err
    assert 1003 in accounts_in(store)

    assert await command("restore", str(newest), "--force") == 0
    said = capsys.readouterr().out
    assert f"Restored {newest} to {store}." in said
    assert 1003 not in accounts_in(store)
    [aside] = set_aside(tmp_path)
    assert 1003 in accounts_in(aside)  # the replaced store is kept, not deleted
    assert await command("check") == 0


def test_restore_refuses_a_file_that_is_not_a_good_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "doorstep.sqlite3"
    monkeypatch.setenv("DOORSTEP_DB", str(store))
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert doorstep(["restore", str(junk), "--force"]) == 1
    assert "is not a good backup; nothing restored" in capsys.readouterr().err
    assert not store.exists()


async def test_a_backup_that_breaks_a_rule_is_kept_aside_and_the_admins_are_told(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path, migrated: Path
) -> None:
    store, folder = tmp_path / "doorstep.sqlite3", tmp_path / "backups"
    shutil.copy(migrated, store)
    settings = {"DOORSTEP_BACKUP_KEEP": "2", "DOORSTEP_BACKUP_DIR": str(folder)}
    admin = sandbox.user(ADMIN_ID, "Admin", language_code="en")
    async with bot_running(sandbox, make_config(sandbox, store, **settings), clock) as env:
        await admin.send("/start")
        async with env.deps.db.transaction() as tx:  # a row no code path writes
            await tx.execute(
                "INSERT INTO outbox (key, chat_id, kind, payload, status, next_attempt_at,"
                " created_at, sent_at) VALUES ('odd', 1, 'text', '{}', 'failed', ?, ?, ?)",
                ("2026-03-02T00:00:00+00:00",) * 3,
            )
        await env.advance(days=1)
        await env.advance(minutes=10)
        await env.drained()
        assert env.deps.metrics.job_failures._value.get() >= 2  # noqa: SLF001
    taken = names(folder)
    assert len(taken) == 1
    assert taken[0].endswith(".broken.sqlite3")
    assert any("Not done yet: the backup of the store" in m.text for m in admin.messages)
