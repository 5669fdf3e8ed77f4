"""The store: migrations from nothing, twice, inside transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from data.db import Database, migrations


async def schema(db: Database) -> list[tuple[str, str]]:
    rows = await db.fetchall(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    )
    return [(row[0], row[1]) for row in rows]


async def test_migrations_build_the_schema_from_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "fresh.sqlite3")
    try:
        names = {name for name, _ in await schema(db)}
        for table in (
            "canteens",
            "accounts",
            "residents",
            "links",
            "roles",
            "windows",
            "menu_items",
            "orders",
            "order_items",
            "volunteers",
            "deliveries",
            "standing_orders",
            "outbox",
            "audit_log",
            "invites",
        ):
            assert table in names
        versions = [row[0] for row in await db.fetchall("SELECT version FROM schema_migrations")]
        assert versions == [version for version, _, _ in migrations()]
        assert (await db.fetchall("PRAGMA journal_mode"))[0][0] == "wal"
        assert (await db.fetchall("PRAGMA foreign_keys"))[0][0] == 1
    finally:
        await db.close()


async def test_running_migrations_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "twice.sqlite3"
    db = await Database.open(path)
    before = await schema(db)
    assert await db.migrate() == []
    assert await schema(db) == before
    await db.close()
    db = await Database.open(path)
    assert await schema(db) == before
    await db.close()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "tx.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO accounts (id, created_at) VALUES (1, 'x')")
                raise RuntimeError("boom")
        assert await db.fetchall("SELECT id FROM accounts") == []
    finally:
        await db.close()


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    import sqlite3

    db = await Database.open(tmp_path / "fk.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO links (account_id, resident_id, relation, created_at)"
                    " VALUES (5, 6, 'self', 'x')"
                )
    finally:
        await db.close()


async def test_a_message_read_before_it_was_sent_is_not_taken_again(tmp_path: Path) -> None:
    """The outbox claim is optimistic: a stale copy of a message cannot be sent twice."""
    from datetime import UTC, datetime

    from data import outbox

    db = await Database.open(tmp_path / "outbox.sqlite3")
    now = datetime(2026, 3, 2, tzinfo=UTC)
    try:
        async with db.transaction() as tx:
            await outbox.enqueue(tx, "k", 1, "text", {"text": "hi"}, now)
        (stale,) = await outbox.due(db.conn, now)
        async with db.transaction() as tx:
            assert await outbox.mark_sending(tx, stale.id, stale.attempts)
            await outbox.mark_sent(tx, stale.id, 7, now)
        async with db.transaction() as tx:
            assert not await outbox.mark_sending(tx, stale.id, stale.attempts)
        assert [m.status for m in await outbox.by_status(db.conn, "sent")] == ["sent"]
    finally:
        await db.close()


async def test_a_read_never_sees_another_tasks_uncommitted_write(tmp_path: Path) -> None:
    """While one task's transaction is open, a read sees the store as last committed."""
    db = await Database.open(tmp_path / "store.sqlite3")
    inside, done = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO accounts (id, first_name, created_at) VALUES (1, 'A', 'x')"
            )
            inside.set()
            await done.wait()

    task = asyncio.create_task(writer())
    await inside.wait()
    seen_during = await db.fetchall("SELECT id FROM accounts")
    done.set()
    await task
    seen_after = await db.fetchall("SELECT id FROM accounts")
    await db.close()
    assert ([tuple(r) for r in seen_during], [tuple(r) for r in seen_after]) == ([], [(1,)])


async def test_the_read_session_cannot_write(tmp_path: Path) -> None:
    """Writes go through a transaction; the read session refuses them."""
    db = await Database.open(tmp_path / "store.sqlite3")
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await db.reader.execute("DELETE FROM accounts")
    finally:
        await db.close()
