"""Deliveries: one delivery order carried by one volunteer, and what became of it.

Every change is conditional on the state it expects (`... WHERE volunteer_id IS NULL`),
so two volunteers pressing at once, or a job running twice, change a row once.
`escalated_at` records that the delivery was raised above the volunteer: to the admins
for a door nobody opened, or to the staff for a delivery nobody reported.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import DeliveryState, OrderStatus, Record, Window
from data.timefmt import iso

HELD: tuple[DeliveryState, ...] = ("claimed", "assigned")
LIVE_ORDERS: tuple[OrderStatus, ...] = ("confirmed", "ready", "out")


class Stop(Record):
    """A delivery with its order and senior, as dispatch and the volunteer read it."""

    @field_validator("handed_back", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if value is None:
            return frozenset()
        if isinstance(value, str | int):
            return frozenset(int(part) for part in str(value).split(",") if part)
        return value

    id: int
    order_id: int
    window_id: int
    canteen_id: int
    volunteer_id: int | None
    state: DeliveryState
    seq: int | None
    reported_at: datetime | None
    resolved_at: datetime | None
    escalated_at: datetime | None
    note: str | None
    reason: str | None
    handed_back: frozenset[int] = frozenset()  # volunteers who gave this delivery up
    order_status: OrderStatus
    resident_id: int
    name: str
    phone: str
    building: str
    unit: str
    room: str
    lat: float | None
    lon: float | None
    diet: str
    allergies: str
    meals: int
    door_notes: str = ""


_STOPS = (
    "SELECT d.id, d.order_id, d.window_id, r.canteen_id, d.volunteer_id, d.state, d.seq,"
    " d.reported_at, d.resolved_at, d.escalated_at, d.note, d.reason,"
    " (SELECT GROUP_CONCAT(a.account_id) FROM audit_log a WHERE a.subject = 'delivery:' || d.id"
    " AND a.action = 'delivery.hand_back') AS handed_back,"
    " o.status AS order_status,"
    " o.resident_id, r.name, r.phone, r.building, r.unit, r.room, r.lat, r.lon, r.diet,"
    " r.allergies, r.door_notes, (SELECT COALESCE(SUM(portions), 0) FROM order_items i"
    " WHERE i.order_id = o.id) AS meals"
    " FROM deliveries d JOIN orders o ON o.id = d.order_id"
    " JOIN residents r ON r.id = o.resident_id"
)


async def open_for_window(tx: Session, window_id: int) -> int:
    """One delivery per confirmed delivery order that has none yet; how many were made."""
    cursor = await tx.execute(
        "INSERT INTO deliveries (order_id, window_id) SELECT id, window_id FROM orders"
        " WHERE window_id = ? AND fulfilment = 'delivery' AND status IN ('confirmed', 'ready')"
        " ORDER BY id ON CONFLICT(order_id) DO NOTHING",
        (window_id,),
    )
    return max(cursor.rowcount, 0)


async def stops(conn: Session, window_id: int) -> list[Stop]:
    """The window's deliveries whose order still goes out, in route order then id."""
    marks = placeholders(LIVE_ORDERS)
    rows = await fetch_all(
        conn,
        f"{_STOPS} WHERE d.window_id = ? AND o.status IN ({marks})"
        " ORDER BY d.volunteer_id, d.seq, d.id",
        (window_id, *LIVE_ORDERS),
    )
    return [Stop.from_row(row) for row in rows]


async def stop(conn: Session, delivery_id: int) -> Stop | None:
    row = await fetch_one(conn, f"{_STOPS} WHERE d.id = ?", (delivery_id,))
    return Stop.from_row(row) if row else None


async def held_meals(conn: Session, volunteer_id: int, window_id: int) -> int:
    """Meals this volunteer already carries at this window."""
    row = await fetch_one(
        conn,
        "SELECT COALESCE(SUM(i.portions), 0) FROM deliveries d"
        " JOIN order_items i ON i.order_id = d.order_id"
        " WHERE d.volunteer_id = ? AND d.window_id = ?",
        (volunteer_id, window_id),
    )
    return int(row[0]) if row else 0


async def claim(tx: Session, delivery_id: int, volunteer_id: int, now: datetime) -> bool:
    """Take an open delivery; False when someone else holds it already."""
    cursor = await tx.execute(
        "UPDATE deliveries SET volunteer_id = ?, state = 'claimed', claimed_at = ?"
        " WHERE id = ? AND volunteer_id IS NULL AND state = 'open'",
        (volunteer_id, iso(now), delivery_id),
    )
    return cursor.rowcount == 1


async def place(tx: Session, delivery_id: int, volunteer_id: int, seq: int) -> bool:
    """Put a delivery on a route at `seq` (an open one becomes assigned, a claim stays)."""
    cursor = await tx.execute(
        "UPDATE deliveries SET volunteer_id = ?, seq = ?,"
        " state = CASE state WHEN 'open' THEN 'assigned' ELSE state END"
        " WHERE id = ? AND state IN ('open', 'claimed', 'assigned')"
        " AND (volunteer_id IS NULL OR volunteer_id = ?)",
        (volunteer_id, seq, delivery_id, volunteer_id),
    )
    return cursor.rowcount == 1


async def hand_to(tx: Session, delivery_id: int, volunteer_id: int) -> int | None:
    """Staff give a not yet reported delivery to someone; the previous volunteer, or 0."""
    row = await fetch_one(
        tx,
        "SELECT volunteer_id FROM deliveries WHERE id = ? AND state IN ('open', 'claimed',"
        " 'assigned')",
        (delivery_id,),
    )
    if row is None:
        return None
    await tx.execute(
        "UPDATE deliveries SET volunteer_id = ?, state = 'assigned' WHERE id = ?",
        (volunteer_id, delivery_id),
    )
    return int(row[0] or 0)


async def release(tx: Session, delivery_id: int, volunteer_id: int) -> bool:
    """The volunteer hands the delivery back: open again, nobody holds it (the audit log
    remembers who gave it up, so it is not routed back to them)."""
    cursor = await tx.execute(
        "UPDATE deliveries SET volunteer_id = NULL, state = 'open', seq = NULL, claimed_at = NULL"
        " WHERE id = ? AND volunteer_id = ? AND state IN ('claimed', 'assigned')",
        (delivery_id, volunteer_id),
    )
    return cursor.rowcount == 1


async def held_by(conn: Session, volunteer_id: int, canteen_id: int) -> list[tuple[int, int]]:
    """(delivery, window) of what this volunteer holds and has not reported, at the
    canteen's windows."""
    rows = await fetch_all(
        conn,
        "SELECT d.id, d.window_id FROM deliveries d JOIN windows w ON w.id = d.window_id"
        " WHERE d.volunteer_id = ? AND w.canteen_id = ? AND d.state IN ('claimed', 'assigned')"
        " ORDER BY d.window_id, d.id",
        (volunteer_id, canteen_id),
    )
    return [(int(row[0]), int(row[1])) for row in rows]


async def ensure(tx: Session, order_id: int, window_id: int) -> int:
    """The delivery of a delivery order, made when it has none; its id."""
    await tx.execute(
        "INSERT INTO deliveries (order_id, window_id) VALUES (?, ?)"
        " ON CONFLICT(order_id) DO NOTHING",
        (order_id, window_id),
    )
    row = await fetch_one(tx, "SELECT id FROM deliveries WHERE order_id = ?", (order_id,))
    assert row is not None
    return int(row[0])


async def uncarried(conn: Session, window_id: int) -> list[int]:
    """Order ids of the window's live delivery orders that no volunteer holds."""
    rows = await fetch_all(
        conn,
        "SELECT o.id FROM orders o LEFT JOIN deliveries d ON d.order_id = o.id"
        " WHERE o.window_id = ? AND o.fulfilment = 'delivery'"
        " AND o.status IN ('placed', 'confirmed', 'ready', 'out')"
        " AND (d.id IS NULL OR d.volunteer_id IS NULL) ORDER BY o.id",
        (window_id,),
    )
    return [int(row[0]) for row in rows]


async def room_left(conn: Session, window: Window) -> list[tuple[int, int]]:
    """(volunteer, meals their bag still takes) for each volunteer on this window's routes,
    the emptiest bag first."""
    rows = await fetch_all(
        conn,
        "SELECT v.account_id, v.capacity - COALESCE(SUM(i.portions), 0) AS room"
        " FROM volunteers v JOIN deliveries d ON d.volunteer_id = v.account_id"
        " AND d.window_id = ? AND d.state IN ('claimed', 'assigned')"
        " JOIN orders o ON o.id = d.order_id"
        " AND o.status IN ('placed', 'confirmed', 'ready', 'out')"
        " JOIN order_items i ON i.order_id = d.order_id"
        " JOIN roles g ON g.account_id = v.account_id AND g.canteen_id = v.canteen_id"
        " AND g.role = 'volunteer' AND g.status = 'active'"
        " WHERE v.canteen_id = ? AND v.active = 1"
        " GROUP BY v.account_id, v.capacity ORDER BY room DESC, v.account_id",
        (window.id, window.canteen_id),
    )
    return [(int(row[0]), int(row[1])) for row in rows]


async def last_seq(conn: Session, volunteer_id: int, window_id: int) -> int:
    row = await fetch_one(
        conn,
        "SELECT COALESCE(MAX(seq), 0) FROM deliveries WHERE volunteer_id = ? AND window_id = ?",
        (volunteer_id, window_id),
    )
    return int(row[0]) if row else 0


async def report(
    tx: Session,
    delivery_id: int,
    volunteer_id: int,
    outcome: DeliveryState,
    now: datetime,
    note: str | None = None,
    reason: str | None = None,
) -> bool:
    """Record what happened at the door; only the holder, only once (no-answer may follow)."""
    cursor = await tx.execute(
        "UPDATE deliveries SET state = ?, reported_at = ?, note = COALESCE(?, note), reason = ?"
        " WHERE id = ? AND volunteer_id = ? AND state IN ('claimed', 'assigned')",
        (outcome, iso(now), note, reason, delivery_id, volunteer_id),
    )
    return cursor.rowcount == 1


async def unreport(tx: Session, delivery_id: int, volunteer_id: int, since: datetime) -> bool:
    """Take back a report made at or after `since` (a mis-tap): the delivery is held again."""
    cursor = await tx.execute(
        "UPDATE deliveries SET state = CASE WHEN claimed_at IS NULL THEN 'assigned'"
        " ELSE 'claimed' END, reported_at = NULL, resolved_at = NULL, escalated_at = NULL,"
        " reason = NULL WHERE id = ? AND volunteer_id = ? AND reported_at >= ?"
        " AND state IN ('delivered', 'no_answer', 'refused', 'concern', 'undelivered')",
        (delivery_id, volunteer_id, iso(since)),
    )
    return cursor.rowcount == 1


async def resolve(tx: Session, delivery_id: int, volunteer_id: int, now: datetime) -> bool:
    """Nobody answered, then they did: the meal was handed over after all."""
    cursor = await tx.execute(
        "UPDATE deliveries SET state = 'delivered', resolved_at = ?"
        " WHERE id = ? AND volunteer_id = ? AND state = 'no_answer' AND resolved_at IS NULL",
        (iso(now), delivery_id, volunteer_id),
    )
    return cursor.rowcount == 1


async def mark_escalated(tx: Session, delivery_id: int, now: datetime) -> bool:
    cursor = await tx.execute(
        "UPDATE deliveries SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
        (iso(now), delivery_id),
    )
    return cursor.rowcount == 1


async def last_volunteers(conn: Session, window: Window) -> dict[int, int]:
    """Per resident of this window, the volunteer who last brought them a meal."""
    rows = await fetch_all(
        conn,
        "SELECT o.resident_id, d.volunteer_id FROM deliveries d"
        " JOIN orders o ON o.id = d.order_id JOIN windows w ON w.id = d.window_id"
        " WHERE w.canteen_id = ? AND w.serve_at < ? AND d.volunteer_id IS NOT NULL"
        " AND d.state IN ('delivered', 'concern') ORDER BY w.serve_at, d.id",
        (window.canteen_id, iso(window.serve_at)),
    )
    return {int(row[0]): int(row[1]) for row in rows}


async def mark_dispatched(tx: Session, window_id: int, now: datetime) -> bool:
    """Routes were sent for this window (once); the window's state is the canteen's."""
    cursor = await tx.execute(
        "UPDATE windows SET dispatched_at = ? WHERE id = ? AND dispatched_at IS NULL",
        (iso(now), window_id),
    )
    return cursor.rowcount == 1


async def send_out(tx: Session, window_id: int, now: datetime) -> list[int]:
    """Cooked meals that a volunteer holds are on their way: their orders become `out`."""
    rows = await fetch_all(
        tx,
        "UPDATE orders SET status = 'out', updated_at = ? WHERE status = 'ready' AND id IN"
        " (SELECT order_id FROM deliveries WHERE window_id = ? AND volunteer_id IS NOT NULL"
        " AND state IN ('claimed', 'assigned')) RETURNING id",
        (iso(now), window_id),
    )
    return sorted(int(row[0]) for row in rows)


# What the dispatch jobs look at: the store is the schedule.


async def awaiting_routes(conn: Session) -> list[Window]:
    """Windows whose claim board is open: deliveries made, routes not yet sent."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM windows w WHERE w.dispatched_at IS NULL"
        " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.window_id = w.id) ORDER BY w.id",
    )
    return [Window.from_row(row) for row in rows]


async def awaiting_reports(conn: Session) -> list[Window]:
    """Windows with routes sent and a held delivery nobody reported or raised yet."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM windows w WHERE w.dispatched_at IS NOT NULL AND EXISTS (SELECT 1"
        " FROM deliveries d WHERE d.window_id = w.id AND d.state IN ('claimed', 'assigned')"
        " AND d.volunteer_id IS NOT NULL AND d.escalated_at IS NULL) ORDER BY w.id",
    )
    return [Window.from_row(row) for row in rows]


async def unanswered(conn: Session) -> list[Stop]:
    """Meals that did not reach the senior (no answer, not delivered) whose alert is still
    open and not yet raised to the admins."""
    rows = await fetch_all(
        conn,
        f"{_STOPS} WHERE d.state IN ('no_answer', 'undelivered') AND d.escalated_at IS NULL"
        " AND EXISTS (SELECT 1 FROM alerts a WHERE a.order_id = d.order_id"
        " AND a.handled_at IS NULL) ORDER BY d.id",
    )
    return [Stop.from_row(row) for row in rows]


# What the staff read: every delivery of a window, reported ones included.


async def of_window(conn: Session, window_id: int) -> list[Stop]:
    """Every delivery of the window whose order was not declined or cancelled, by order."""
    rows = await fetch_all(
        conn,
        f"{_STOPS} WHERE d.window_id = ? AND o.status NOT IN ('declined', 'cancelled')"
        " ORDER BY d.order_id",
        (window_id,),
    )
    return [Stop.from_row(row) for row in rows]


async def drop(tx: Session, order_id: int) -> int | None:
    """The order is no longer carried (cancelled, or picked up instead): its delivery goes,
    unless the meal already left or was reported. The volunteer who held it, 0 when nobody
    did, None when there was nothing to drop."""
    row = await fetch_one(
        tx,
        "DELETE FROM deliveries WHERE order_id = ? AND state IN ('open', 'claimed', 'assigned')"
        " RETURNING volunteer_id",
        (order_id,),
    )
    if row is None:
        return None
    return int(row[0] or 0)
