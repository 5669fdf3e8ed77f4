"""Residents: the people who eat."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import aiosqlite

from data.db import fetch_all, fetch_one, insert, placeholders
from data.models import Resident
from data.timefmt import iso

Decision = Literal["approved", "declined"]


async def get(conn: aiosqlite.Connection, resident_id: int) -> Resident | None:
    row = await fetch_one(conn, "SELECT * FROM residents WHERE id = ?", (resident_id,))
    return Resident.from_row(row) if row else None


async def many(conn: aiosqlite.Connection, resident_ids: list[int]) -> dict[int, Resident]:
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
    tx: aiosqlite.Connection,
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


async def decide(tx: aiosqlite.Connection, resident_id: int, status: Decision) -> bool:
    """Approve or decline a pending resident; False when it was not pending any more."""
    cursor = await tx.execute(
        "UPDATE residents SET status = ? WHERE id = ? AND status = 'pending'",
        (status, resident_id),
    )
    return cursor.rowcount == 1
