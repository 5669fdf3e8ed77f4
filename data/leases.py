"""The leader's lease: one row per bot in `leases` (migration 0023).

Times are UTC ISO text from the processes' own clocks (kept in step by NTP, as any
cluster's are); a lease lasts a few seconds, far more than clocks drift apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from data.db import Session, fetch_one
from data.timefmt import iso


async def take(tx: Session, name: str, holder: str, now: datetime, lasts: timedelta) -> int | None:
    """Take the lease if nobody holds it or its holder let it run out; the new
    generation, or None while another holds it."""
    row = await fetch_one(
        tx,
        "INSERT INTO leases (name, holder, generation, expires_at) VALUES (?, ?, 1, ?)"
        " ON CONFLICT(name) DO UPDATE SET holder = excluded.holder,"
        " generation = leases.generation + 1, expires_at = excluded.expires_at"
        " WHERE leases.expires_at < ? RETURNING generation",
        (name, holder, iso(now + lasts), iso(now)),
    )
    return int(row[0]) if row is not None else None


async def renew(tx: Session, name: str, generation: int, now: datetime, lasts: timedelta) -> bool:
    """Hold the lease longer; False when another process has taken it."""
    cursor = await tx.execute(
        "UPDATE leases SET expires_at = ? WHERE name = ? AND generation = ?",
        (iso(now + lasts), name, generation),
    )
    return cursor.rowcount == 1


async def still_held(tx: Session, name: str, generation: int) -> bool:
    """Whether this generation still holds the lease, checked inside a transaction so that
    its row stays locked until the commit: a process taking the lease meanwhile waits, and
    then gets the next generation after this transaction's writes."""
    cursor = await tx.execute(
        "UPDATE leases SET generation = generation WHERE name = ? AND generation = ?",
        (name, generation),
    )
    return cursor.rowcount == 1


async def holder(conn: Session, name: str) -> tuple[str, int, str] | None:
    """(holder, generation, expires_at) of the lease, for operators and tests."""
    row = await fetch_one(
        conn, "SELECT holder, generation, expires_at FROM leases WHERE name = ?", (name,)
    )
    return (str(row[0]), int(row[1]), str(row[2])) if row is not None else None


async def release(tx: Session, name: str, generation: int) -> None:
    """Give the lease up (a clean stop), so a standby takes it at its next try."""
    await tx.execute(
        "UPDATE leases SET expires_at = '' WHERE name = ? AND generation = ?", (name, generation)
    )
