"""Windows (one meal service of one canteen on one day) and their menus."""

from __future__ import annotations

from datetime import date, datetime

from data.db import Session, fetch_all, fetch_one, insert, placeholders
from data.models import MenuItem, Window, WindowState
from data.timefmt import iso


async def create(
    tx: Session,
    canteen_id: int,
    day: date,
    meal: str,
    opens_at: datetime,
    cutoff_at: datetime,
    serve_at: datetime,
    claim_until: datetime,
) -> int | None:
    """Create the window unless it exists; the new id, or None when it existed."""
    row = await fetch_one(
        tx,
        "INSERT INTO windows (canteen_id, day, meal, opens_at, cutoff_at, serve_at, claim_until)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(canteen_id, day, meal) DO NOTHING RETURNING id",
        (
            canteen_id,
            day.isoformat(),
            meal,
            iso(opens_at),
            iso(cutoff_at),
            iso(serve_at),
            iso(claim_until),
        ),
    )
    return int(row[0]) if row is not None else None


async def get(conn: Session, window_id: int) -> Window | None:
    row = await fetch_one(conn, "SELECT * FROM windows WHERE id = ?", (window_id,))
    return Window.from_row(row) if row else None


async def find(conn: Session, canteen_id: int, day: date, meal: str) -> Window | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM windows WHERE canteen_id = ? AND day = ? AND meal = ?",
        (canteen_id, day.isoformat(), meal),
    )
    return Window.from_row(row) if row else None


async def orderable(conn: Session, canteen_id: int, now: datetime) -> list[Window]:
    """Windows taking orders at `now`: opened and before their cutoff."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM windows WHERE canteen_id = ? AND opens_at <= ? AND cutoff_at > ?"
        " AND state IN ('scheduled', 'open') ORDER BY cutoff_at",
        (canteen_id, iso(now), iso(now)),
    )
    return [Window.from_row(row) for row in rows]


async def in_states(conn: Session, states: tuple[WindowState, ...]) -> list[Window]:
    marks = placeholders(states)
    rows = await fetch_all(
        conn, f"SELECT * FROM windows WHERE state IN ({marks}) ORDER BY cutoff_at", states
    )
    return [Window.from_row(row) for row in rows]


async def move(
    tx: Session,
    window_id: int,
    from_states: tuple[WindowState, ...],
    to_state: WindowState,
    stamp_column: str,
    now: datetime,
) -> bool:
    """Change state only from one of `from_states`; False when another run did it already."""
    if stamp_column not in ("opened_at", "closed_at", "ready_at", "dispatched_at"):
        raise ValueError(stamp_column)
    marks = placeholders(from_states)
    cursor = await tx.execute(
        f"UPDATE windows SET state = ?, {stamp_column} = ? WHERE id = ? AND state IN ({marks})",
        (to_state, iso(now), window_id, *from_states),
    )
    return cursor.rowcount == 1


async def add_menu_item(
    tx: Session,
    window_id: int,
    code: str,
    name: str,
    name_en: str | None,
    price_fen: int,
    tags: list[str],
    capacity: int | None,
    allergens: list[str] | None = None,
) -> int:
    """Add a dish to a window's menu; `allergens` None when the dish does not name them."""
    return await insert(
        tx,
        "INSERT INTO menu_items (window_id, code, name, name_en, price_fen, tags, capacity,"
        " allergens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            window_id,
            code,
            name,
            name_en,
            price_fen,
            ",".join(tags),
            capacity,
            None if allergens is None else ",".join(allergens),
        ),
    )


async def menu(conn: Session, window_id: int) -> list[MenuItem]:
    rows = await fetch_all(
        conn, "SELECT * FROM menu_items WHERE window_id = ? ORDER BY code", (window_id,)
    )
    return [MenuItem.from_row(row) for row in rows]


async def menu_item(conn: Session, item_id: int) -> MenuItem | None:
    row = await fetch_one(conn, "SELECT * FROM menu_items WHERE id = ?", (item_id,))
    return MenuItem.from_row(row) if row else None


async def menu_items(conn: Session, item_ids: list[int]) -> dict[int, MenuItem]:
    """Many menu items at once, by id."""
    if not item_ids:
        return {}
    rows = await fetch_all(
        conn, f"SELECT * FROM menu_items WHERE id IN ({placeholders(item_ids)})", tuple(item_ids)
    )
    return {item.id: item for item in map(MenuItem.from_row, rows)}


async def portions_taken(conn: Session, item_id: int) -> int:
    """Portions of a menu item held by orders that still count (not declined or cancelled)."""
    row = await fetch_one(
        conn,
        "SELECT COALESCE(SUM(oi.portions), 0) FROM order_items oi JOIN orders o"
        " ON o.id = oi.order_id WHERE oi.menu_item_id = ?"
        " AND o.status NOT IN ('declined', 'cancelled')",
        (item_id,),
    )
    return int(row[0]) if row else 0


async def between(conn: Session, canteen_ids: list[int], first: date, last: date) -> list[Window]:
    """The windows of these canteens from day `first` to `last`, earliest first."""
    if not canteen_ids:
        return []
    marks = placeholders(canteen_ids)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM windows WHERE canteen_id IN ({marks}) AND day BETWEEN ? AND ?"
        " ORDER BY day, cutoff_at",
        (*canteen_ids, first.isoformat(), last.isoformat()),
    )
    return [Window.from_row(row) for row in rows]


async def set_sold_out(tx: Session, item_id: int, sold_out: bool) -> None:
    await tx.execute("UPDATE menu_items SET sold_out = ? WHERE id = ?", (int(sold_out), item_id))


async def copy_menu(tx: Session, source_id: int, target_id: int) -> int:
    """Copy the dishes of one window into another (codes already there are kept); how many."""
    cursor = await tx.execute(
        "INSERT INTO menu_items (window_id, code, name, name_en, price_fen, tags, capacity,"
        " allergens, photo_file_id) SELECT ?, code, name, name_en, price_fen, tags, capacity,"
        " allergens, photo_file_id FROM menu_items"
        " WHERE window_id = ? ORDER BY code ON CONFLICT(window_id, code) DO NOTHING",
        (target_id, source_id),
    )
    return max(cursor.rowcount, 0)


async def edit_menu_item(
    tx: Session,
    item_id: int,
    name: str,
    name_en: str | None,
    price_fen: int,
    tags: list[str],
    capacity: int | None,
    allergens: list[str] | None,
) -> None:
    """Change a dish's names, price, diet tags, portions and allergens."""
    await tx.execute(
        "UPDATE menu_items SET name = ?, name_en = ?, price_fen = ?, tags = ?, capacity = ?,"
        " allergens = ? WHERE id = ?",
        (
            name,
            name_en,
            price_fen,
            ",".join(tags),
            capacity,
            None if allergens is None else ",".join(allergens),
            item_id,
        ),
    )


async def set_photo(tx: Session, item_id: int, file_id: str) -> None:
    await tx.execute("UPDATE menu_items SET photo_file_id = ? WHERE id = ?", (file_id, item_id))
