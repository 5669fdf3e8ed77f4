"""Feedback on served meals: one rating per order, its reasons, a note, its incident."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from data.db import Session, fetch_all, fetch_one
from data.models import Record
from data.timefmt import iso

Rating = Literal["good", "so_so", "bad"]


class Feedback(Record):
    id: int
    order_id: int
    canteen_id: int
    resident_id: int
    account_id: int
    rating: Rating
    reasons: str
    note: str | None
    incident_id: int | None
    rated_at: datetime

    @property
    def reason_list(self) -> list[str]:
        return [reason for reason in self.reasons.split(",") if reason]


class Rated(Record):
    """A rating with the meal it is about: its day, meal and dishes (for digests, reports)."""

    feedback_id: int
    order_id: int
    resident_id: int
    rating: Rating
    reasons: str
    note: str | None
    rated_at: datetime
    day: date
    meal: str
    dish_code: str
    dish: str
    dish_en: str | None

    def dish_name(self, lang: str) -> str:
        return self.dish_en if lang == "en" and self.dish_en else self.dish


async def rate(
    tx: Session,
    order_id: int,
    canteen_id: int,
    resident_id: int,
    account_id: int,
    rating: Rating,
    now: datetime,
) -> bool:
    """The order's rating; False when it was rated already (by anyone)."""
    rows = await fetch_all(
        tx,
        "INSERT INTO feedback (order_id, canteen_id, resident_id, account_id, rating, rated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING RETURNING id",
        (order_id, canteen_id, resident_id, account_id, rating, iso(now)),
    )
    return bool(rows)


async def of_order(conn: Session, order_id: int) -> Feedback | None:
    row = await fetch_one(conn, "SELECT * FROM feedback WHERE order_id = ?", (order_id,))
    return Feedback.from_row(row) if row else None


async def set_reasons(tx: Session, feedback_id: int, reasons: list[str]) -> None:
    await tx.execute(
        "UPDATE feedback SET reasons = ? WHERE id = ?", (",".join(reasons), feedback_id)
    )


async def set_note(tx: Session, feedback_id: int, note: str) -> None:
    await tx.execute("UPDATE feedback SET note = ? WHERE id = ?", (note, feedback_id))


async def set_incident(tx: Session, feedback_id: int, incident_id: int) -> bool:
    """Keep the incident a rating opened; False when it had one already."""
    cursor = await tx.execute(
        "UPDATE feedback SET incident_id = ? WHERE id = ? AND incident_id IS NULL",
        (incident_id, feedback_id),
    )
    return cursor.rowcount == 1


# A rating with its meal and dishes: one row per dish of the rated order.
RATED = (
    "SELECT f.id AS feedback_id, f.order_id, f.resident_id, f.rating, f.reasons, f.note,"
    " f.rated_at, w.day, w.meal, m.code AS dish_code, m.name AS dish, m.name_en AS dish_en"
    " FROM feedback f JOIN orders o ON o.id = f.order_id"
    " JOIN windows w ON w.id = o.window_id"
    " JOIN order_items i ON i.order_id = o.id JOIN menu_items m ON m.id = i.menu_item_id"
)


async def rated_between(conn: Session, canteen_id: int, first: date, last: date) -> list[Rated]:
    """Every rating of the canteen's meals served on days `first` to `last`, one row per
    dish of the order, oldest first."""
    rows = await fetch_all(
        conn,
        RATED + " WHERE f.canteen_id = ? AND w.day >= ? AND w.day <= ?"
        " ORDER BY f.rated_at, f.id, m.code",
        (canteen_id, first.isoformat(), last.isoformat()),
    )
    return [Rated.from_row(row) for row in rows]


async def rated_at_between(
    conn: Session, canteen_id: int, start: datetime, end: datetime
) -> list[Rated]:
    """As `rated_between`, for the ratings given in [start, end) (the staff's daily digest)."""
    rows = await fetch_all(
        conn,
        RATED + " WHERE f.canteen_id = ? AND f.rated_at >= ? AND f.rated_at < ?"
        " ORDER BY f.rated_at, f.id, m.code",
        (canteen_id, iso(start), iso(end)),
    )
    return [Rated.from_row(row) for row in rows]
