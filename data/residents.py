"""Residents: the people who eat."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from data.db import Session, fetch_all, fetch_one, insert, placeholders
from data.models import Record, Resident
from data.timefmt import iso

Decision = Literal["approved", "declined"]


async def get(conn: Session, resident_id: int) -> Resident | None:
    row = await fetch_one(conn, "SELECT * FROM residents WHERE id = ?", (resident_id,))
    return Resident.from_row(row) if row else None


async def many(conn: Session, resident_ids: list[int]) -> dict[int, Resident]:
    """Many residents at once, by id (the seniors one care worker follows)."""
    if not resident_ids:
        return {}
    rows = await fetch_all(
        conn,
        f"SELECT * FROM residents WHERE id IN ({placeholders(resident_ids)})",
        tuple(resident_ids),
    )
    return {resident.id: resident for resident in map(Resident.from_row, rows)}


async def create(
    tx: Session,
    *,
    canteen_id: int,
    name: str,
    phone: str,
    building: str,
    unit: str,
    room: str,
    lat: float | None,
    lon: float | None,
    lives_alone: bool,
    diet: list[str],
    allergies: str,
    age_band: int | None,
    created_by: int,
    now: datetime,
) -> int:
    """A new resident, pending until staff approve."""
    return await insert(
        tx,
        "INSERT INTO residents (canteen_id, name, phone, building, unit, room, lat, lon,"
        " lives_alone, diet, allergies, age_band, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            canteen_id,
            name,
            phone,
            building,
            unit,
            room,
            lat,
            lon,
            int(lives_alone),
            ",".join(diet),
            allergies,
            age_band,
            created_by,
            iso(now),
        ),
    )


async def decide(tx: Session, resident_id: int, status: Decision) -> bool:
    """Approve or decline a pending resident; False when it was not pending any more."""
    cursor = await tx.execute(
        "UPDATE residents SET status = ? WHERE id = ? AND status = 'pending'",
        (status, resident_id),
    )
    return cursor.rowcount == 1


class StoredPhone(Record):
    """A resident's number as stored, with the country of their canteen."""

    id: int
    phone: str
    country: str


async def phones_to_normalise(conn: Session) -> list[StoredPhone]:
    """Residents whose number is not in E.164 yet ('+' then digits only)."""
    rows = await fetch_all(
        conn,
        "SELECT r.id, r.phone, c.country FROM residents r JOIN canteens c ON c.id = r.canteen_id"
        " WHERE r.phone != '' ORDER BY r.id",
    )
    # "+ then digits only" is read here: SQL has no portable character class.
    return [
        StoredPhone.from_row(row)
        for row in rows
        if not (row["phone"].startswith("+") and row["phone"][1:].isdecimal())
    ]


async def set_phone(tx: Session, resident_id: int, phone: str) -> None:
    await tx.execute("UPDATE residents SET phone = ? WHERE id = ?", (phone, resident_id))


async def with_phone(conn: Session, canteen_id: int, phone: str) -> list[Resident]:
    """The canteen's pending and approved residents with this (E.164) number, oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM residents WHERE canteen_id = ? AND phone = ?"
        " AND status IN ('pending', 'approved') ORDER BY id",
        (canteen_id, phone),
    )
    return [Resident.from_row(row) for row in rows]


async def fill_blanks(
    tx: Session,
    resident_id: int,
    *,
    lat: float | None,
    lon: float | None,
    allergies: str,
) -> None:
    """Add a map pin and allergies the record does not have yet; nothing is overwritten."""
    pin = (lat, lon) if lat is not None and lon is not None else (None, None)
    no_pin = "lat IS NULL AND lon IS NULL"
    await tx.execute(
        f"UPDATE residents SET lat = CASE WHEN {no_pin} THEN ? ELSE lat END,"
        f" lon = CASE WHEN {no_pin} THEN ? ELSE lon END,"
        " allergies = CASE WHEN allergies = '' THEN ? ELSE allergies END WHERE id = ?",
        (*pin, allergies, resident_id),
    )


# The details staff may change, and the column each is kept in (never user input).
EDITABLE = {
    "building": "building",
    "unit": "unit",
    "room": "room",
    "door_notes": "door_notes",
    "allergies": "allergies",
    "diet": "diet",
    "tier": "tier_code",
    "delivery": "delivery_eligible",
}


async def set_detail(tx: Session, resident_id: int, detail: str, value: str | int | None) -> None:
    """Change one of the EDITABLE details (a map pin goes with its old building)."""
    column = EDITABLE[detail]
    await tx.execute(f"UPDATE residents SET {column} = ? WHERE id = ?", (value, resident_id))
    if detail == "building":
        await tx.execute("UPDATE residents SET lat = NULL, lon = NULL WHERE id = ?", (resident_id,))
