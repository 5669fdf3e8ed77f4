"""The store: migrations from nothing, twice, inside transactions."""

from __future__ import annotations

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
