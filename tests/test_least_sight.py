"""Least sight: the store and its backups readable by their owner only, a backup that copies
only a database that exists, and logs that never carry a senior's name, phone or address."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main as doorstep
from data.db import Database
from tests.harness import Env, fail_inserts

NAME, PHONE, STREET, ROOM = "Zhang Xiuying", "13912345678", "Peach Blossom Court 7", "Flat 88B"
ACCOUNT_NAME = "Xiuying"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), which makes new files readable by everyone unless they say not."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("open_umask")
async def test_the_store_its_wal_and_shm_and_a_backup_are_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "doorstep.sqlite3"
    db = await Database.open(path)
    try:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO accounts (id, created_at) VALUES (1, '2026-03-02')")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")  # mode() fails if one is missing
        assert {p.name: oct(mode(p)) for p in (path, wal, shm)} == {
            p.name: "0o600" for p in (path, wal, shm)
        }
        await db.backup(tmp_path / "copy.sqlite3")
        assert oct(mode(tmp_path / "copy.sqlite3")) == "0o600"
    finally:
        await db.close()


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("open_umask")
async def test_a_store_made_readable_by_others_is_closed_again_when_opened(
    tmp_path: Path,
) -> None:
    path = tmp_path / "doorstep.sqlite3"
    await (await Database.open(path)).close()
    path.chmod(0o644)
    db = await Database.open(path)
    try:
        assert oct(mode(path)) == "0o600"
    finally:
        await db.close()


@pytest.mark.sqlite_only
def test_backup_refuses_a_database_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    missing = tmp_path / "typo.sqlite3"
    monkeypatch.setenv("DOORSTEP_DB", str(missing))
    target = tmp_path / "backup.sqlite3"
    assert doorstep(["backup", str(target)]) == 1
    assert f"No database at {missing}" in capsys.readouterr().err
    assert not missing.exists()
    assert not target.exists()


async def test_no_log_record_carries_a_name_phone_or_address(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """A registration, then a failure while storing it (so the error handler logs the
    update), all with every logger at DEBUG: no record holds what the senior typed."""
    caplog.set_level(logging.DEBUG)
    senior = env.sandbox.user(2001, ACCOUNT_NAME, language_code="en", phone=f"+86{PHONE}")
    await senior.send("/start")
    await senior.click("📝 Register")
    await senior.click("🙋 Myself")
    await senior.send(NAME)
    await senior.click("📱 Share my phone number")
    await senior.click("80 or older")
    await senior.send(STREET)
    await senior.click("No unit")
    await senior.send(ROOM)
    await senior.click("Skip")
    await senior.click("Yes")
    await senior.click("Low salt")
    await senior.click("✅ Done")
    async with env.deps.db.transaction() as tx:
        await fail_inserts(tx, "residents")
    await senior.click("✅ Send for approval")
    assert senior.last.text.startswith("Sorry, something went wrong on our side.")

    assert logging.getLogger("doorstep").isEnabledFor(logging.DEBUG)
    assert any("caused an error" in r.getMessage() for r in caplog.records)
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for private in (NAME, PHONE, STREET, ROOM, ACCOUNT_NAME):
        assert private not in logged, f"{private!r} is in the logs"
