"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_one
from data.timefmt import iso


async def record(
    tx: Session,
    now: datetime,
    account_id: int | None,
    action: str,
    subject: str,
    detail: str = "",
) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, account_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (iso(now), account_id, action, subject, detail),
    )


async def count(conn: Session, subject: str) -> int:
    """How many entries a subject has (a number that grows with each change to it)."""
    row = await fetch_one(conn, "SELECT COUNT(*) FROM audit_log WHERE subject = ?", (subject,))
    return int(row[0]) if row else 0
