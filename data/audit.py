"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

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
