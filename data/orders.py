"""Orders and their items: what one resident eats at one window."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import LIVE_STATUSES, Fulfilment, Order, OrderItem, OrderStatus
from data.timefmt import iso

LIVE = LIVE_STATUSES
CANCELLABLE: tuple[OrderStatus, ...] = ("placed", "confirmed")


async def create(
    tx: Session,
    *,
    window_id: int,
    resident_id: int,
    placed_by: int | None,
    source: str,
    fulfilment: Fulfilment,
    status: OrderStatus,
    price_fen: int,
    subsidy_fen: int,
    pay_fen: int,
    tier_code: str | None,
    request_key: str | None,
    now: datetime,
) -> int | None:
    """Insert an order; None when an order with this request key exists already."""
    row = await fetch_one(
        tx,
        "INSERT INTO orders (window_id, resident_id, placed_by, source, fulfilment, status,"
        " price_fen, subsidy_fen, pay_fen, tier_code, request_key, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(request_key) DO NOTHING RETURNING id",
        (
            window_id,
            resident_id,
            placed_by,
            source,
            fulfilment,
            status,
            price_fen,
            subsidy_fen,
            pay_fen,
            tier_code,
            request_key,
            iso(now),
            iso(now),
        ),
    )
    return int(row[0]) if row is not None else None


async def add_item(
    tx: Session, order_id: int, menu_item_id: int, portions: int, unit_price_fen: int
) -> None:
    await tx.execute(
        "INSERT INTO order_items (order_id, menu_item_id, portions, unit_price_fen)"
        " VALUES (?, ?, ?, ?)",
        (order_id, menu_item_id, portions, unit_price_fen),
    )


async def get(conn: Session, order_id: int) -> Order | None:
    row = await fetch_one(conn, "SELECT * FROM orders WHERE id = ?", (order_id,))
    return Order.from_row(row) if row else None


async def by_request_key(conn: Session, key: str) -> Order | None:
    row = await fetch_one(conn, "SELECT * FROM orders WHERE request_key = ?", (key,))
    return Order.from_row(row) if row else None


async def items(conn: Session, order_id: int) -> list[OrderItem]:
    rows = await fetch_all(conn, "SELECT * FROM order_items WHERE order_id = ?", (order_id,))
    return [OrderItem.from_row(row) for row in rows]


async def items_of(conn: Session, order_ids: list[int]) -> list[OrderItem]:
    """The items of many orders at once (a list of orders), by order."""
    if not order_ids:
        return []
    rows = await fetch_all(
        conn,
        f"SELECT * FROM order_items WHERE order_id IN ({placeholders(order_ids)})"
        " ORDER BY order_id",
        tuple(order_ids),
    )
    return [OrderItem.from_row(row) for row in rows]


async def live_at_window(conn: Session, resident_id: int, window_id: int) -> list[Order]:
    """The resident's orders at a window that still count (not declined or cancelled)."""
    marks = placeholders(LIVE)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM orders WHERE resident_id = ? AND window_id = ? AND status IN ({marks})",
        (resident_id, window_id, *LIVE),
    )
    return [Order.from_row(row) for row in rows]


async def latest(conn: Session, resident_id: int) -> Order | None:
    """The resident's most recent order that was not declined or cancelled."""
    marks = placeholders(LIVE)
    row = await fetch_one(
        conn,
        f"SELECT * FROM orders WHERE resident_id = ? AND status IN ({marks})"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (resident_id, *LIVE),
    )
    return Order.from_row(row) if row else None


async def recent(conn: Session, resident_ids: list[int], since: datetime) -> list[Order]:
    """Orders of these residents created since `since`, newest first (all: lists page)."""
    if not resident_ids:
        return []
    marks = placeholders(resident_ids)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM orders WHERE resident_id IN ({marks}) AND created_at >= ?"
        " ORDER BY created_at DESC, id DESC",
        (*resident_ids, iso(since)),
    )
    return [Order.from_row(row) for row in rows]


async def cancel(
    tx: Session,
    order_id: int,
    now: datetime,
    statuses: tuple[OrderStatus, ...] = CANCELLABLE,
) -> bool:
    """Cancel an order in one of `statuses` (waiting or confirmed, unless said otherwise);
    False when it had moved on."""
    marks = placeholders(statuses)
    cursor = await tx.execute(
        f"UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id = ?"
        f" AND status IN ({marks})",
        (iso(now), order_id, *statuses),
    )
    return cursor.rowcount == 1


async def change(
    tx: Session,
    order_id: int,
    statuses: tuple[OrderStatus, ...],
    *,
    fulfilment: Fulfilment,
    price_fen: int,
    subsidy_fen: int,
    pay_fen: int,
    tier_code: str | None,
    now: datetime,
) -> bool:
    """Change how an order reaches the senior and its amounts, only while its status is one
    of `statuses`; False when it had moved on."""
    marks = placeholders(statuses)
    cursor = await tx.execute(
        "UPDATE orders SET fulfilment = ?, price_fen = ?, subsidy_fen = ?, pay_fen = ?,"
        f" tier_code = ?, updated_at = ? WHERE id = ? AND status IN ({marks})",
        (fulfilment, price_fen, subsidy_fen, pay_fen, tier_code, iso(now), order_id, *statuses),
    )
    return cursor.rowcount == 1


async def set_item(
    tx: Session, order_id: int, menu_item_id: int, portions: int, unit_price_fen: int
) -> None:
    """The order's one dish becomes this dish, in these portions."""
    await tx.execute("DELETE FROM order_items WHERE order_id = ?", (order_id,))
    await add_item(tx, order_id, menu_item_id, portions, unit_price_fen)
