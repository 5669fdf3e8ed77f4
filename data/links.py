"""Links between accounts and residents: who may act for whom."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import aiosqlite

from data.db import fetch_all, fetch_one
from data.models import Link
from data.timefmt import iso


async def create(
    tx: aiosqlite.Connection,
    account_id: int,
    resident_id: int,
    relation: Literal["self", "family"],
    now: datetime,
) -> bool:
    cursor = await tx.execute(
        "INSERT INTO links (account_id, resident_id, relation, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(account_id, resident_id) DO NOTHING",
        (account_id, resident_id, relation, iso(now)),
    )
    return cursor.rowcount == 1


async def get(conn: aiosqlite.Connection, account_id: int, resident_id: int) -> Link | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM links WHERE account_id = ? AND resident_id = ?",
        (account_id, resident_id),
    )
    return Link.from_row(row) if row else None


async def residents_of(conn: aiosqlite.Connection, account_id: int) -> list[Link]:
    rows = await fetch_all(
        conn, "SELECT * FROM links WHERE account_id = ? ORDER BY created_at", (account_id,)
    )
    return [Link.from_row(row) for row in rows]


async def accounts_of(conn: aiosqlite.Connection, resident_id: int) -> list[Link]:
    rows = await fetch_all(
        conn, "SELECT * FROM links WHERE resident_id = ? ORDER BY created_at", (resident_id,)
    )
    return [Link.from_row(row) for row in rows]


async def family_canteens(conn: aiosqlite.Connection, resident_id: int) -> int:
    """How many canteens the people who act for this senior order at (counting every
    senior each of them is linked to): more than one, and an order must name its canteen."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(DISTINCT r.canteen_id) FROM links mine"
        " JOIN links theirs ON theirs.account_id = mine.account_id"
        " JOIN residents r ON r.id = theirs.resident_id WHERE mine.resident_id = ?",
        (resident_id,),
    )
    return int(row[0]) if row else 0
