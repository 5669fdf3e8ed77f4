"""Standing orders: a resident's regular meal, placed when each window opens."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import Fulfilment, Meal, StandingOrder
from data.timefmt import iso


async def save(
    tx: Session,
    *,
    resident_id: int,
    meal: Meal,
    weekdays: list[str],
    dish_code: str,
    portions: int,
    fulfilment: Fulfilment,
    created_by: int,
    now: datetime,
) -> None:
    """Create the resident's regular meal, or replace the one for the same meal."""
    await tx.execute(
        "INSERT INTO standing_orders (resident_id, meal, weekdays, dish_code, portions,"
        " fulfilment, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(resident_id, meal) DO UPDATE SET weekdays=excluded.weekdays,"
        " dish_code=excluded.dish_code, portions=excluded.portions,"
        " fulfilment=excluded.fulfilment, paused=0, created_by=excluded.created_by",
        (
            resident_id,
            meal,
            ",".join(weekdays),
            dish_code,
            portions,
            fulfilment,
            created_by,
            iso(now),
        ),
    )


async def get(conn: Session, standing_id: int) -> StandingOrder | None:
    row = await fetch_one(conn, "SELECT * FROM standing_orders WHERE id = ?", (standing_id,))
    return StandingOrder.from_row(row) if row else None


async def of_residents(conn: Session, resident_ids: list[int]) -> list[StandingOrder]:
    if not resident_ids:
        return []
    marks = placeholders(resident_ids)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM standing_orders WHERE resident_id IN ({marks}) ORDER BY resident_id, meal",
        resident_ids,
    )
    return [StandingOrder.from_row(row) for row in rows]


async def due_for(conn: Session, canteen_id: int, meal: Meal) -> list[StandingOrder]:
    """Unpaused standing orders for one meal of approved residents of a canteen."""
    rows = await fetch_all(
        conn,
        "SELECT s.* FROM standing_orders s JOIN residents r ON r.id = s.resident_id"
        " WHERE r.canteen_id = ? AND r.status = 'approved' AND s.meal = ? AND s.paused = 0"
        " ORDER BY s.id",
        (canteen_id, meal),
    )
    return [StandingOrder.from_row(row) for row in rows]


async def set_paused(tx: Session, standing_id: int, paused: bool) -> None:
    await tx.execute(
        "UPDATE standing_orders SET paused = ? WHERE id = ?", (int(paused), standing_id)
    )


async def delete(tx: Session, standing_id: int) -> None:
    await tx.execute("DELETE FROM standing_orders WHERE id = ?", (standing_id,))
