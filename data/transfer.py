"""Copying a SQLite store into a PostgreSQL one, table by table (`doorstep migrate-store`).

Tables are copied parents first (by their foreign keys), in pages, with their ids, all in
one transaction on the target; then every identity column is moved past the largest id.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from data.db import Session, fetch_all, restart_ids

PAGE = 2000
# The target keeps its own record of migrations (the same ones, applied by this code).
NOT_COPIED = {"schema_migrations"}


async def tables(source: Session) -> list[str]:
    """The source's tables, every one after those its foreign keys point at."""
    names = [
        str(row[0])
        for row in await fetch_all(
            source,
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        if row[0] not in NOT_COPIED
    ]
    parents = {
        name: {
            str(row["table"])
            for row in await fetch_all(source, f"PRAGMA foreign_key_list({name})")
            if row["table"] != name
        }
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            raise RuntimeError(f"foreign keys go round in a circle among {names}")
        ordered += ready
    return ordered


async def columns(source: Session, table: str) -> list[str]:
    return [str(row["name"]) for row in await fetch_all(source, f"PRAGMA table_info({table})")]


async def count(session: Session, table: str) -> int:
    row = (await fetch_all(session, f"SELECT COUNT(*) FROM {table}"))[0]
    return int(row[0])


async def pages(source: Session, table: str, names: list[str]) -> AsyncIterator[list[tuple]]:  # type: ignore[type-arg]
    listed = ", ".join(names)
    offset = 0
    while True:
        rows = await fetch_all(
            source,
            f"SELECT {listed} FROM {table} ORDER BY rowid LIMIT ? OFFSET ?",
            (PAGE, offset),
        )
        if not rows:
            return
        yield [tuple(row) for row in rows]
        offset += len(rows)


async def copy_table(source: Session, target: Session, table: str) -> int:
    """Every row of `table`, ids included; how many."""
    names = await columns(source, table)
    marks = ", ".join("?" * len(names))
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"
    copied = 0
    async for page in pages(source, table, names):
        await target.executemany(sql, page)
        copied += len(page)
    return copied


async def copy_all(source: Session, target: Session) -> dict[str, int]:
    """Copy every table (inside the target's transaction); rows copied per table."""
    copied = {table: await copy_table(source, target, table) for table in await tables(source)}
    await restart_ids(target)
    return copied
