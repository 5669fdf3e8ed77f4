"""What the reports count: every meal ordered over some days (served or not), and the deliveries."""

from __future__ import annotations

from datetime import date, datetime

from data.db import Session, fetch_all, placeholders
from data.models import DEAD_STATUSES, Fulfilment, Meal, Record


class ReportLine(Record):
    """One order that was a meal (not declined or cancelled), as the reports count it."""

    order_id: int
    resident_id: int
    resident: str
    resident_status: str
    day: date
    meal: Meal
    serve_at: datetime
    fulfilment: Fulfilment
    # text, not the Literal: a report must not fail on an order status added later
    status: str
    portions: int
    price_fen: int
    subsidy_fen: int
    pay_fen: int
    tier_code: str | None
    delivery_state: str | None
    delivery_note: str | None
    delivery_reason: str | None


_LINES = (
    "SELECT o.id AS order_id, o.resident_id, r.name AS resident, r.status AS resident_status,"
    " w.day, w.meal, w.serve_at, o.fulfilment, o.status, o.price_fen, o.subsidy_fen, o.pay_fen,"
    " o.tier_code, d.state AS delivery_state, d.note AS delivery_note,"
    " d.reason AS delivery_reason,"
    " (SELECT COALESCE(SUM(oi.portions), 0) FROM order_items oi WHERE oi.order_id = o.id)"
    " AS portions"
    " FROM orders o JOIN windows w ON w.id = o.window_id JOIN residents r ON r.id = o.resident_id"
    " LEFT JOIN deliveries d ON d.order_id = o.id"
)


async def lines(conn: Session, canteen_id: int, first: date, last: date) -> list[ReportLine]:
    """The canteen's meals from day `first` to `last` (all but declined and cancelled orders),
    by day and meal: the caller decides which were served."""
    marks = placeholders(DEAD_STATUSES)
    rows = await fetch_all(
        conn,
        f"{_LINES} WHERE w.canteen_id = ? AND w.day BETWEEN ? AND ? AND o.status NOT IN ({marks})"
        " ORDER BY w.day, w.meal, o.id",
        (canteen_id, first.isoformat(), last.isoformat(), *DEAD_STATUSES),
    )
    return [ReportLine.from_row(row) for row in rows]


async def delivery_outcomes(
    conn: Session, canteen_id: int, first: date, last: date
) -> dict[str, int]:
    """Deliveries per state over these days."""
    rows = await fetch_all(
        conn,
        "SELECT d.state, COUNT(*) FROM deliveries d JOIN windows w ON w.id = d.window_id"
        " WHERE w.canteen_id = ? AND w.day BETWEEN ? AND ? GROUP BY d.state",
        (canteen_id, first.isoformat(), last.isoformat()),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def volunteers_out(conn: Session, canteen_id: int, first: date, last: date) -> int:
    """How many different volunteers carried meals over these days."""
    rows = await fetch_all(
        conn,
        "SELECT COUNT(DISTINCT d.volunteer_id) FROM deliveries d"
        " JOIN windows w ON w.id = d.window_id WHERE w.canteen_id = ? AND w.day BETWEEN ? AND ?"
        " AND d.volunteer_id IS NOT NULL",
        (canteen_id, first.isoformat(), last.isoformat()),
    )
    return int(rows[0][0]) if rows else 0
