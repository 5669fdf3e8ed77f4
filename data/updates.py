"""Updates already handled."""

from __future__ import annotations

from datetime import datetime

from data.db import Session
from data.timefmt import iso


async def claim(tx: Session, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen."""
    cursor = await tx.execute(
        "INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (update_id, iso(now)),
    )
    return cursor.rowcount == 1
