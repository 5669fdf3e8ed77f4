"""Alerts: a matter about a senior's meal that a person must see to, open until handled.

One open alert per kind and order (a unique index), so an alert raised twice is one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import Record
from data.timefmt import iso

AlertKind = Literal["no_carrier", "no_answer", "undelivered"]


class Alert(Record):
    id: int
    canteen_id: int
    kind: AlertKind
    order_id: int
    opened_at: datetime
    handled_at: datetime | None
    handled_by: int | None
    outcome: str | None


async def open_alert(
    tx: Session, canteen_id: int, kind: AlertKind, order_id: int, now: datetime
) -> int | None:
    """Open an alert; None when one of this kind is open for the order already."""
    row = await fetch_one(
        tx,
        "INSERT INTO alerts (canteen_id, kind, order_id, opened_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (kind, order_id) WHERE handled_at IS NULL DO NOTHING RETURNING id",
        (canteen_id, kind, order_id, iso(now)),
    )
    return int(row[0]) if row is not None else None


async def get(conn: Session, alert_id: int) -> Alert | None:
    row = await fetch_one(conn, "SELECT * FROM alerts WHERE id = ?", (alert_id,))
    return Alert.from_row(row) if row else None


async def open_for_order(conn: Session, order_id: int) -> list[Alert]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM alerts WHERE order_id = ? AND handled_at IS NULL ORDER BY id",
        (order_id,),
    )
    return [Alert.from_row(row) for row in rows]


async def handle(
    tx: Session, alert_id: int, account_id: int | None, outcome: str, now: datetime
) -> bool:
    """Mark an open alert handled; False when it was handled already."""
    cursor = await tx.execute(
        "UPDATE alerts SET handled_at = ?, handled_by = ?, outcome = ?"
        " WHERE id = ? AND handled_at IS NULL",
        (iso(now), account_id, outcome, alert_id),
    )
    return cursor.rowcount == 1


async def handle_for_order(
    tx: Session,
    order_id: int,
    kinds: tuple[AlertKind, ...],
    account_id: int | None,
    outcome: str,
    now: datetime,
) -> int:
    """Close the open alerts of these kinds about an order (the matter ended); how many."""
    marks = ",".join("?" * len(kinds))
    cursor = await tx.execute(
        "UPDATE alerts SET handled_at = ?, handled_by = ?, outcome = ?"
        f" WHERE order_id = ? AND kind IN ({marks}) AND handled_at IS NULL",
        (iso(now), account_id, outcome, order_id, *kinds),
    )
    return max(cursor.rowcount, 0)


async def open_at(conn: Session, canteen_ids: list[int], limit: int) -> list[Alert]:
    """The alerts still open at these canteens, oldest first."""
    if not canteen_ids:
        return []
    marks = placeholders(canteen_ids)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM alerts WHERE canteen_id IN ({marks}) AND handled_at IS NULL"
        " ORDER BY opened_at, id LIMIT ?",
        (*canteen_ids, limit),
    )
    return [Alert.from_row(row) for row in rows]
