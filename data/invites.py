"""One-use invite codes that expire."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_one
from data.models import Invite, InviteKind
from data.timefmt import iso


async def create(
    tx: Session,
    code: str,
    kind: InviteKind,
    canteen_id: int,
    resident_id: int | None,
    created_by: int,
    now: datetime,
    expires_at: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO invites (code, kind, canteen_id, resident_id, created_by, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (code, kind, canteen_id, resident_id, created_by, iso(now), iso(expires_at)),
    )


async def get(conn: Session, code: str) -> Invite | None:
    row = await fetch_one(conn, "SELECT * FROM invites WHERE code = ?", (code,))
    return Invite.from_row(row) if row else None


async def consume(tx: Session, code: str, account_id: int, now: datetime) -> bool:
    """Mark the code used by this account; False when it was used or expired meanwhile."""
    cursor = await tx.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL"
        " AND expires_at > ?",
        (account_id, iso(now), code, iso(now)),
    )
    return cursor.rowcount == 1
