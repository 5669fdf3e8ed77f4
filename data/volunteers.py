"""Volunteers: who can carry meals, when, and how many at once."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_all, fetch_one
from data.models import Volunteer
from data.timefmt import iso


async def save(tx: Session, volunteer: Volunteer, now: datetime) -> None:
    """Create the volunteer, or update what they said (availability, bag, area)."""
    await tx.execute(
        "INSERT INTO volunteers (account_id, canteen_id, name, phone, capacity, weekdays, meals,"
        " area, lat, lon, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
        " ON CONFLICT(account_id, canteen_id) DO UPDATE SET name=excluded.name,"
        " phone=excluded.phone, capacity=excluded.capacity, weekdays=excluded.weekdays,"
        " meals=excluded.meals, area=excluded.area, lat=excluded.lat, lon=excluded.lon,"
        " active=1",
        (
            volunteer.account_id,
            volunteer.canteen_id,
            volunteer.name,
            volunteer.phone,
            volunteer.capacity,
            volunteer.weekdays,
            volunteer.meals,
            volunteer.area,
            volunteer.lat,
            volunteer.lon,
            iso(now),
        ),
    )


async def get(conn: Session, account_id: int, canteen_id: int) -> Volunteer | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM volunteers WHERE account_id = ? AND canteen_id = ?",
        (account_id, canteen_id),
    )
    return Volunteer.from_row(row) if row else None


async def of_canteen(conn: Session, canteen_id: int) -> list[Volunteer]:
    """The canteen's active volunteers who still hold the volunteer role."""
    rows = await fetch_all(
        conn,
        "SELECT v.* FROM volunteers v JOIN roles r ON r.account_id = v.account_id"
        " AND r.canteen_id = v.canteen_id AND r.role = 'volunteer' AND r.status = 'active'"
        " WHERE v.canteen_id = ? AND v.active = 1 ORDER BY v.account_id",
        (canteen_id,),
    )
    return [Volunteer.from_row(row) for row in rows]
