"""Residents: the people who eat."""

from __future__ import annotations

import aiosqlite

from data.db import fetch_one
from data.models import Resident


async def get(conn: aiosqlite.Connection, resident_id: int) -> Resident | None:
    row = await fetch_one(conn, "SELECT * FROM residents WHERE id = ?", (resident_id,))
    return Resident.from_row(row) if row else None
