"""Home screens: how often each account uses each of its roles' screens, which it picked,
and the counts the canteen's home screen shows at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from data.db import Session, fetch_all, placeholders
from data.timefmt import iso


async def used(tx: Session, account_id: int, home: str) -> None:
    """Count one use of a home screen (a main-keyboard button, typed words or a command)."""
    await tx.execute(
        "INSERT INTO home_screens (account_id, home, uses) VALUES (?, ?, 1)"
        " ON CONFLICT(account_id, home) DO UPDATE SET uses = home_screens.uses + 1",
        (account_id, home),
    )


async def picked(tx: Session, account_id: int, home: str, now: datetime) -> None:
    """The account picked this home with the switch button."""
    await tx.execute(
        "INSERT INTO home_screens (account_id, home, picked_at) VALUES (?, ?, ?)"
        " ON CONFLICT(account_id, home) DO UPDATE SET picked_at = excluded.picked_at",
        (account_id, home, iso(now)),
    )


async def screens(conn: Session, account_id: int) -> list[tuple[str, int, str | None]]:
    """(home, uses, picked_at) of every home screen this account has used or picked."""
    rows = await fetch_all(
        conn,
        "SELECT home, uses, picked_at FROM home_screens WHERE account_id = ?",
        (account_id,),
    )
    return [(str(row[0]), int(row[1]), row[2]) for row in rows]


async def order_counts(conn: Session, window_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """{window id: {order status: how many}} for these windows."""
    if not window_ids:
        return {}
    rows = await fetch_all(
        conn,
        f"SELECT window_id, status, COUNT(*) FROM orders WHERE window_id IN"
        f" ({placeholders(window_ids)}) GROUP BY window_id, status",
        list(window_ids),
    )
    counts: dict[int, dict[str, int]] = {window_id: {} for window_id in window_ids}
    for window_id, status, count in rows:
        counts[int(window_id)][str(status)] = int(count)
    return counts
