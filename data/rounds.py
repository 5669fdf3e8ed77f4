"""Volunteers' rounds, read from their deliveries: who carried what, when, and where to."""

from __future__ import annotations

from datetime import date, datetime

from data.db import Session, fetch_all
from data.models import Record

# A stop the volunteer went to: whatever they found at the door, they carried the meal.
WENT = ("delivered", "concern", "no_answer", "refused", "undelivered")


class RoundStop(Record):
    """One stop of a volunteer's round, with the meal's portions and the door's place."""

    volunteer_id: int
    window_id: int
    day: date
    meal: str
    ready_at: datetime | None
    seq: int | None
    state: str
    claimed_at: datetime | None
    reported_at: datetime | None
    lat: float | None
    lon: float | None
    meals: int


async def stops_between(
    conn: Session,
    canteen_id: int,
    first: date,
    last: date,
    volunteer_id: int | None = None,
) -> list[RoundStop]:
    """Every stop volunteers went to at the canteen's meals of days `first` to `last` (or
    one volunteer's), in round order."""
    marks = ",".join("?" * len(WENT))
    one = " AND d.volunteer_id = ?" if volunteer_id is not None else ""
    rows = await fetch_all(
        conn,
        "SELECT d.volunteer_id, d.window_id, w.day, w.meal, w.ready_at, d.seq, d.state,"
        " d.claimed_at, d.reported_at, r.lat, r.lon,"
        " (SELECT COALESCE(SUM(i.portions), 0) FROM order_items i WHERE i.order_id = o.id)"
        " AS meals"
        " FROM deliveries d JOIN windows w ON w.id = d.window_id"
        " JOIN orders o ON o.id = d.order_id JOIN residents r ON r.id = o.resident_id"
        f" WHERE w.canteen_id = ? AND w.day >= ? AND w.day <= ? AND d.state IN ({marks})"
        f" AND d.volunteer_id IS NOT NULL{one}"
        " ORDER BY d.volunteer_id, w.day, w.id, COALESCE(d.seq, 0), d.id",
        (
            canteen_id,
            first.isoformat(),
            last.isoformat(),
            *WENT,
            *((volunteer_id,) if volunteer_id is not None else ()),
        ),
    )
    return [RoundStop.from_row(row) for row in rows]
