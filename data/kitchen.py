"""What the canteen sees of orders: receipt lists, kitchen sheet rows, status changes."""

from __future__ import annotations

from datetime import date, datetime

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import LIVE_STATUSES, Fulfilment, OrderStatus, Record
from data.timefmt import iso

# Orders the kitchen cooks for: everything not declined or cancelled.
COOKED = LIVE_STATUSES


class LineItem(Record):
    menu_item_id: int
    code: str
    name: str
    name_en: str | None
    portions: int

    def display_name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class OrderLine(Record):
    """One order with its resident and dishes, as the canteen reads it."""

    id: int
    window_id: int
    status: OrderStatus
    fulfilment: Fulfilment
    resident_id: int
    resident: str
    building: str
    unit: str
    room: str
    diet: str
    allergies: str
    items: tuple[LineItem, ...] = ()

    @property
    def diet_tags(self) -> list[str]:
        return sorted(tag for tag in self.diet.split(",") if tag)


_LINES = (
    "SELECT o.id, o.window_id, o.status, o.fulfilment, o.resident_id, r.name AS resident,"
    " r.building, r.unit, r.room, r.diet, r.allergies"
    " FROM orders o JOIN residents r ON r.id = o.resident_id"
)
_ITEMS = (
    "SELECT oi.order_id, oi.menu_item_id, m.code, m.name, m.name_en, oi.portions"
    " FROM order_items oi JOIN menu_items m ON m.id = oi.menu_item_id"
)


async def lines(
    conn: Session, window_id: int, statuses: tuple[OrderStatus, ...] = COOKED
) -> list[OrderLine]:
    """The window's orders in these statuses, oldest first, each with its dishes."""
    marks = placeholders(statuses)
    rows = await fetch_all(
        conn,
        f"{_LINES} WHERE o.window_id = ? AND o.status IN ({marks}) ORDER BY o.id",
        (window_id, *statuses),
    )
    items = await fetch_all(
        conn,
        f"{_ITEMS} JOIN orders o ON o.id = oi.order_id WHERE o.window_id = ? ORDER BY m.code",
        (window_id,),
    )
    by_order: dict[int, list[LineItem]] = {}
    for item in items:
        by_order.setdefault(int(item["order_id"]), []).append(LineItem.from_row(item))
    return [
        OrderLine.model_validate({**dict(row), "items": tuple(by_order.get(int(row["id"]), []))})
        for row in rows
    ]


async def line(conn: Session, order_id: int) -> OrderLine | None:
    row = await fetch_one(conn, f"{_LINES} WHERE o.id = ?", (order_id,))
    if row is None:
        return None
    items = await fetch_all(conn, f"{_ITEMS} WHERE oi.order_id = ? ORDER BY m.code", (order_id,))
    return OrderLine.model_validate(
        {**dict(row), "items": tuple(LineItem.from_row(i) for i in items)}
    )


async def move(
    tx: Session,
    order_id: int,
    from_statuses: tuple[OrderStatus, ...],
    to_status: OrderStatus,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Change one order's status only from an expected one; False when it was not."""
    marks = placeholders(from_statuses)
    cursor = await tx.execute(
        f"UPDATE orders SET status = ?, updated_at = ?, decline_reason = COALESCE(?,"
        f" decline_reason) WHERE id = ? AND status IN ({marks})",
        (to_status, iso(now), reason, order_id, *from_statuses),
    )
    return cursor.rowcount == 1


async def move_all(
    tx: Session,
    window_id: int,
    from_statuses: tuple[OrderStatus, ...],
    to_status: OrderStatus,
    now: datetime,
    fulfilments: tuple[Fulfilment, ...] = ("delivery", "pickup", "dine_in"),
) -> list[int]:
    """Change every order of a window in `from_statuses`; the ids that changed."""
    marks = placeholders(from_statuses)
    kinds = placeholders(fulfilments)
    rows = await fetch_all(
        tx,
        f"UPDATE orders SET status = ?, updated_at = ? WHERE window_id = ?"
        f" AND status IN ({marks}) AND fulfilment IN ({kinds}) RETURNING id",
        (to_status, iso(now), window_id, *from_statuses, *fulfilments),
    )
    return sorted(int(row[0]) for row in rows)


async def usual_eaters(
    conn: Session, canteen_id: int, meal: str, since: date, before: date, times: int
) -> list[int]:
    """Approved residents who ordered `meal` on at least `times` days in [since, before)."""
    rows = await fetch_all(
        conn,
        "SELECT o.resident_id FROM orders o JOIN windows w ON w.id = o.window_id"
        " JOIN residents r ON r.id = o.resident_id"
        " WHERE w.canteen_id = ? AND w.meal = ? AND w.day >= ? AND w.day < ?"
        " AND o.status NOT IN ('cancelled', 'declined') AND r.status = 'approved'"
        " GROUP BY o.resident_id HAVING COUNT(DISTINCT w.day) >= ? ORDER BY o.resident_id",
        (canteen_id, meal, since.isoformat(), before.isoformat(), times),
    )
    return [int(row[0]) for row in rows]


async def residents_with_order(conn: Session, window_id: int) -> set[int]:
    """Residents holding an order at this window that still counts."""
    rows = await fetch_all(
        conn,
        "SELECT DISTINCT resident_id FROM orders WHERE window_id = ?"
        " AND status NOT IN ('cancelled', 'declined')",
        (window_id,),
    )
    return {int(row[0]) for row in rows}
