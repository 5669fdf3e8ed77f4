"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from data.db import fetch_all
from data.models import AuditEntry
from data.timefmt import iso


async def record(
    tx: aiosqlite.Connection,
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


async def for_subject(
    conn: aiosqlite.Connection, subject: str, limit: int = 20, offset: int = 0
) -> list[AuditEntry]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM audit_log WHERE subject = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (subject, limit, offset),
    )
    return [AuditEntry.from_row(row) for row in rows]
