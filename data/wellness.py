"""Signs of life of seniors who live alone: orders, deliveries, and daily check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from data.db import Session, fetch_all, fetch_one
from data.timefmt import iso

Stamp = Literal["family_alerted_at", "admin_alerted_at"]

_LAST_SIGN = (
    "SELECT r.id, r.created_at,"
    " (SELECT MAX(o.created_at) FROM orders o WHERE o.resident_id = r.id"
    "  AND o.status NOT IN ('declined', 'cancelled')),"
    " (SELECT MAX(d.reported_at) FROM deliveries d JOIN orders o ON o.id = d.order_id"
    "  WHERE o.resident_id = r.id AND d.state = 'delivered'),"
    " (SELECT MAX(c.checked_at) FROM checkins c WHERE c.resident_id = r.id),"
    " (SELECT MAX(a.seen_at) FROM links l JOIN accounts a ON a.id = l.account_id"
    "  WHERE l.resident_id = r.id AND l.relation = 'self')"
    " FROM residents r WHERE r.canteen_id = ? AND r.status = 'approved' AND r.lives_alone = 1"
)


async def last_signs(conn: Session, canteen_id: int) -> dict[int, datetime]:
    """For every approved senior living alone: the last order, delivery, check-in or tap."""
    rows = await fetch_all(conn, _LAST_SIGN + " ORDER BY r.id", (canteen_id,))
    return {
        int(row[0]): max(datetime.fromisoformat(value) for value in row[1:] if value)
        for row in rows
    }


# A sign of life since a moment: her own tap, a meal delivered to her hands, or an order
# someone placed for her (a regular meal placed by the bot is not one).
_SIGN_SINCE = (
    "SELECT r.id FROM residents r WHERE r.id IN ({ids}) AND ("
    " EXISTS (SELECT 1 FROM links l JOIN accounts a ON a.id = l.account_id"
    "  WHERE l.resident_id = r.id AND l.relation = 'self' AND a.seen_at >= :since)"
    " OR EXISTS (SELECT 1 FROM orders o WHERE o.resident_id = r.id AND o.source != 'standing'"
    "  AND o.created_at >= :since)"
    " OR EXISTS (SELECT 1 FROM deliveries d JOIN orders o ON o.id = d.order_id"
    "  WHERE o.resident_id = r.id AND d.state IN ('delivered', 'concern')"
    "  AND d.reported_at >= :since))"
)


async def signs_since(conn: Session, resident_ids: list[int], since: datetime) -> set[int]:
    """The residents among these who showed a sign of life at or after `since`."""
    if not resident_ids:
        return set()
    ids = ",".join(str(int(resident_id)) for resident_id in resident_ids)
    rows = await fetch_all(conn, _SIGN_SINCE.format(ids=ids), {"since": iso(since)})
    return {int(row[0]) for row in rows}


async def alerted(
    conn: Session, resident_id: int, day: date
) -> tuple[datetime | None, datetime | None]:
    """When the family and the admins were told the senior had not checked in that day."""
    row = await fetch_one(
        conn,
        "SELECT family_alerted_at, admin_alerted_at FROM checkins"
        " WHERE resident_id = ? AND day = ?",
        (resident_id, day.isoformat()),
    )
    if row is None:
        return None, None
    family, admin = (datetime.fromisoformat(v) if v else None for v in row)
    return family, admin


async def has_delivery_on(conn: Session, resident_id: int, day: date) -> bool:
    """The senior has a meal coming to the door that day (someone will see them)."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM orders o JOIN windows w ON w.id = o.window_id WHERE o.resident_id = ?"
        " AND w.day = ? AND o.fulfilment = 'delivery'"
        " AND o.status NOT IN ('declined', 'cancelled', 'refused', 'no_answer', 'undelivered')",
        (resident_id, day.isoformat()),
    )
    return row is not None


async def ask(tx: Session, resident_id: int, day: date, now: datetime) -> bool:
    """Note that the senior was asked today; False when they were asked already."""
    cursor = await tx.execute(
        "INSERT INTO checkins (resident_id, day, asked_at) VALUES (?, ?, ?)"
        " ON CONFLICT(resident_id, day) DO NOTHING",
        (resident_id, day.isoformat(), iso(now)),
    )
    return cursor.rowcount == 1


async def check_in(tx: Session, resident_id: int, day: date, now: datetime) -> bool:
    """The senior said they are fine today; False when they had said so already."""
    cursor = await tx.execute(
        "INSERT INTO checkins (resident_id, day, checked_at) VALUES (?, ?, ?)"
        " ON CONFLICT(resident_id, day) DO UPDATE SET checked_at = excluded.checked_at"
        " WHERE checkins.checked_at IS NULL",
        (resident_id, day.isoformat(), iso(now)),
    )
    return cursor.rowcount == 1


async def silent(conn: Session, canteen_id: int, day: date, not_yet: Stamp) -> list[int]:
    """Seniors asked on `day` who have not answered and were not alerted about (`not_yet`)."""
    rows = await fetch_all(
        conn,
        "SELECT c.resident_id FROM checkins c JOIN residents r ON r.id = c.resident_id"
        f" WHERE r.canteen_id = ? AND c.day = ? AND c.asked_at IS NOT NULL"
        f" AND c.checked_at IS NULL AND c.{not_yet} IS NULL ORDER BY c.resident_id",
        (canteen_id, day.isoformat()),
    )
    return [int(row[0]) for row in rows]


async def stamp(tx: Session, resident_id: int, day: date, column: Stamp, now: datetime) -> bool:
    if column not in ("family_alerted_at", "admin_alerted_at"):
        raise ValueError(column)
    cursor = await tx.execute(
        f"UPDATE checkins SET {column} = ? WHERE resident_id = ? AND day = ? AND {column} IS NULL",
        (iso(now), resident_id, day.isoformat()),
    )
    return cursor.rowcount == 1
