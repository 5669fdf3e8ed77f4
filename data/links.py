"""Links between accounts and residents: who may act for whom."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import Link
from data.timefmt import iso


async def create(
    tx: Session,
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


async def get(conn: Session, account_id: int, resident_id: int) -> Link | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM links WHERE account_id = ? AND resident_id = ?",
        (account_id, resident_id),
    )
    return Link.from_row(row) if row else None


async def residents_of(conn: Session, account_id: int) -> list[Link]:
    rows = await fetch_all(
        conn, "SELECT * FROM links WHERE account_id = ? ORDER BY created_at", (account_id,)
    )
    return [Link.from_row(row) for row in rows]


async def accounts_of(conn: Session, resident_id: int) -> list[Link]:
    rows = await fetch_all(
        conn, "SELECT * FROM links WHERE resident_id = ? ORDER BY created_at", (resident_id,)
    )
    return [Link.from_row(row) for row in rows]


async def family_canteens(conn: Session, resident_id: int) -> int:
    """How many canteens the people who act for this senior order at (counting every
    senior each of them is linked to): more than one, and an order must name its canteen."""
    return (await family_canteens_of(conn, [resident_id])).get(resident_id, 0)


async def family_canteens_of(conn: Session, resident_ids: list[int]) -> dict[int, int]:
    """`family_canteens` for many seniors in one query (a carer's list of a thousand)."""
    if not resident_ids:
        return {}
    rows = await fetch_all(
        conn,
        "SELECT mine.resident_id, COUNT(DISTINCT r.canteen_id) FROM links mine"
        " JOIN links theirs ON theirs.account_id = mine.account_id"
        " JOIN residents r ON r.id = theirs.resident_id"
        f" WHERE mine.resident_id IN ({placeholders(resident_ids)}) GROUP BY mine.resident_id",
        resident_ids,
    )
    return {int(row[0]): int(row[1]) for row in rows}


async def remove_family(tx: Session, account_id: int, resident_id: int) -> bool:
    """Unlink a family member from a senior; False when they were not linked (any more)."""
    cursor = await tx.execute(
        "DELETE FROM links WHERE account_id = ? AND resident_id = ? AND relation = 'family'",
        (account_id, resident_id),
    )
    return cursor.rowcount == 1


async def family_of_canteen(
    conn: Session, canteen_id: int, limit: int, offset: int
) -> list[tuple[int, str, int, str]]:
    """(resident, resident's name, account, account's name) of one page of the canteen's
    family links, by senior then member."""
    rows = await fetch_all(
        conn,
        "SELECT r.id, r.name, a.id, COALESCE(NULLIF(a.first_name, ''), CAST(a.id AS TEXT))"
        " FROM links l JOIN residents r ON r.id = l.resident_id JOIN accounts a"
        " ON a.id = l.account_id WHERE r.canteen_id = ? AND l.relation = 'family'"
        " AND r.status != 'erased' ORDER BY r.name, r.id, a.first_name, a.id LIMIT ? OFFSET ?",
        (canteen_id, limit, offset),
    )
    return [(int(row[0]), str(row[1]), int(row[2]), str(row[3])) for row in rows]


async def family_count(conn: Session, canteen_id: int) -> int:
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM links l JOIN residents r ON r.id = l.resident_id"
        " WHERE r.canteen_id = ? AND l.relation = 'family' AND r.status != 'erased'",
        (canteen_id,),
    )
    return int(row[0]) if row else 0
