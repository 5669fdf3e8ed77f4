"""The store: migrations from nothing, twice, inside transactions."""

from __future__ import annotations

import asyncio

import pytest

from data.db import SQLITE, Database, DatabaseError, IntegrityError, migrations


async def schema(db: Database) -> list[tuple[str, str]]:
    """(name, definition) of every table and index."""
    if db.dialect == SQLITE:
        sql = "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    else:
        sql = (
            "SELECT table_name, string_agg(column_name || ' ' || data_type, ', '"
            " ORDER BY ordinal_position) FROM information_schema.columns"
            " WHERE table_schema = current_schema() GROUP BY table_name"
            " UNION ALL SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() ORDER BY 1"
        )
    return [(row[0], row[1]) for row in await db.fetchall(sql)]


async def test_migrations_build_the_schema_from_nothing(fresh_store: str) -> None:
    db = await Database.open(fresh_store)
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
        if db.dialect == SQLITE:
            assert (await db.fetchall("PRAGMA journal_mode"))[0][0] == "wal"
            assert (await db.fetchall("PRAGMA foreign_keys"))[0][0] == 1
    finally:
        await db.close()


async def test_running_migrations_twice_changes_nothing(fresh_store: str) -> None:
    path = fresh_store
    db = await Database.open(path)
    before = await schema(db)
    assert await db.migrate() == []
    assert await schema(db) == before
    await db.close()
    db = await Database.open(path)
    assert await schema(db) == before
    await db.close()


async def test_a_failed_transaction_leaves_nothing_behind(fresh_store: str) -> None:
    db = await Database.open(fresh_store)
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO accounts (id, created_at) VALUES (1, 'x')")
                raise RuntimeError("boom")
        assert await db.fetchall("SELECT id FROM accounts") == []
    finally:
        await db.close()


async def test_foreign_keys_are_enforced(fresh_store: str) -> None:
    db = await Database.open(fresh_store)
    try:
        with pytest.raises(IntegrityError):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO links (account_id, resident_id, relation, created_at)"
                    " VALUES (5, 6, 'self', 'x')"
                )
    finally:
        await db.close()


async def test_a_message_read_before_it_was_sent_is_not_taken_again(fresh_store: str) -> None:
    """The outbox claim is optimistic: a stale copy of a message cannot be sent twice."""
    from datetime import UTC, datetime

    from data import outbox

    db = await Database.open(fresh_store)
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


async def test_a_read_never_sees_another_tasks_uncommitted_write(fresh_store: str) -> None:
    """While one task's transaction is open, a read sees the store as last committed."""
    db = await Database.open(fresh_store)
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


async def test_the_read_session_cannot_write(fresh_store: str) -> None:
    """Writes go through a transaction; the read session refuses them."""
    db = await Database.open(fresh_store)
    try:
        with pytest.raises(DatabaseError, match=r"readonly|read-only"):
            await db.reader.execute("DELETE FROM accounts")
    finally:
        await db.close()
