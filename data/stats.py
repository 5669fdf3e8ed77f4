"""Counts for the demo's closing figures (and anyone who wants a quick look at a day)."""

from __future__ import annotations

from datetime import date, datetime

from data.db import Session, fetch_all, placeholders
from data.models import LIVE_STATUSES

# The same orders the kitchen cooks for (a placed order not yet confirmed counts too).
LIVE = LIVE_STATUSES


async def orders_by_status(conn: Session, day: date) -> dict[str, int]:
    rows = await fetch_all(
        conn,
        "SELECT o.status, COUNT(*) FROM orders o JOIN windows w ON w.id = o.window_id"
        " WHERE w.day = ? GROUP BY o.status ORDER BY o.status",
        (day.isoformat(),),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def live_by_fulfilment(conn: Session, window_id: int) -> dict[str, int]:
    marks = placeholders(LIVE)
    rows = await fetch_all(
        conn,
        f"SELECT fulfilment, COUNT(*) FROM orders WHERE window_id = ? AND status IN ({marks})"
        " GROUP BY fulfilment ORDER BY fulfilment",
        (window_id, *LIVE),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def walk_ins(conn: Session, window_id: int) -> int:
    """Meals recorded at the counter (after the kitchen sheet, so not on it)."""
    rows = await fetch_all(
        conn,
        "SELECT COUNT(*) FROM orders WHERE window_id = ? AND source = 'walk_in'"
        " AND status = 'collected'",
        (window_id,),
    )
    return int(rows[0][0])


async def live_portions(conn: Session, window_id: int) -> int:
    marks = placeholders(LIVE)
    rows = await fetch_all(
        conn,
        "SELECT COALESCE(SUM(i.portions), 0) FROM order_items i JOIN orders o"
        f" ON o.id = i.order_id WHERE o.window_id = ? AND o.status IN ({marks})",
        (window_id, *LIVE),
    )
    return int(rows[0][0])


async def deliveries_by_state(conn: Session, window_id: int) -> dict[str, int]:
    rows = await fetch_all(
        conn,
        "SELECT state, COUNT(*) FROM deliveries WHERE window_id = ? GROUP BY state ORDER BY state",
        (window_id,),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def routes(conn: Session, window_id: int) -> dict[int, int]:
    """Stops per volunteer in one window."""
    rows = await fetch_all(
        conn,
        "SELECT volunteer_id, COUNT(*) FROM deliveries WHERE window_id = ?"
        " AND volunteer_id IS NOT NULL GROUP BY volunteer_id ORDER BY volunteer_id",
        (window_id,),
    )
    return {int(row[0]): int(row[1]) for row in rows}


async def outbox_by_status(conn: Session) -> dict[str, int]:
    rows = await fetch_all(
        conn, "SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status"
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def orders_all_by_status(conn: Session) -> dict[str, int]:
    """Every order the store holds, by status (for /metrics)."""
    rows = await fetch_all(conn, "SELECT status, COUNT(*) FROM orders GROUP BY status")
    return {str(row[0]): int(row[1]) for row in rows}


async def windows_by_state(conn: Session) -> dict[str, int]:
    rows = await fetch_all(conn, "SELECT state, COUNT(*) FROM windows GROUP BY state")
    return {str(row[0]): int(row[1]) for row in rows}


async def deliveries_all_by_state(conn: Session) -> dict[str, int]:
    rows = await fetch_all(conn, "SELECT state, COUNT(*) FROM deliveries GROUP BY state")
    return {str(row[0]): int(row[1]) for row in rows}


async def oldest_waiting_message(conn: Session) -> datetime | None:
    """When the oldest message still to send was queued, or None."""
    rows = await fetch_all(
        conn, "SELECT MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending')"
    )
    return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] is not None else None


async def reachable(conn: Session) -> bool:
    """The store answers a query."""
    return bool(await fetch_all(conn, "SELECT 1"))
