"""Registrations waiting for the admins: who has been shown which, and how many came lately."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_all, fetch_one
from data.models import Resident
from data.timefmt import iso

_ADMIN_OF = (
    "JOIN roles g ON g.canteen_id = r.canteen_id AND g.role = 'admin' AND g.status = 'active'"
)
_NOT_SHOWN = (
    "NOT EXISTS (SELECT 1 FROM approval_notices n WHERE n.resident_id = r.id"
    " AND n.admin_id = g.account_id)"
)


async def unannounced(conn: Session, admin_id: int) -> list[Resident]:
    """Waiting residents of the admin's canteens not yet shown to this admin, oldest first."""
    rows = await fetch_all(
        conn,
        f"SELECT r.* FROM residents r {_ADMIN_OF} AND g.account_id = ?"
        f" WHERE r.status = 'pending' AND {_NOT_SHOWN} ORDER BY r.created_at, r.id",
        (admin_id,),
    )
    return [Resident.from_row(row) for row in rows]


async def waiting_admins(conn: Session) -> list[tuple[int, datetime | None]]:
    """(admin, when their last digest went) for every admin with someone not yet shown."""
    rows = await fetch_all(
        conn,
        "SELECT g.account_id, (SELECT MAX(n.sent_at) FROM approval_notices n"
        f" WHERE n.admin_id = g.account_id) FROM residents r {_ADMIN_OF}"
        f" WHERE r.status = 'pending' AND {_NOT_SHOWN} GROUP BY g.account_id ORDER BY 1",
    )
    return [(int(row[0]), datetime.fromisoformat(row[1]) if row[1] else None) for row in rows]


async def last_sent(conn: Session, admin_id: int) -> datetime | None:
    row = await fetch_one(
        conn, "SELECT MAX(sent_at) FROM approval_notices WHERE admin_id = ?", (admin_id,)
    )
    return datetime.fromisoformat(row[0]) if row and row[0] else None


async def mark_shown(tx: Session, admin_id: int, resident_ids: list[int], now: datetime) -> None:
    await tx.executemany(
        "INSERT INTO approval_notices (resident_id, admin_id, sent_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(resident_id, admin_id, iso(now)) for resident_id in resident_ids],
    )


async def waiting_by(conn: Session, account_id: int) -> int:
    """Registrations this account made that still wait for an admin."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM residents WHERE created_by = ? AND status = 'pending'",
        (account_id,),
    )
    return int(row[0]) if row else 0


async def registered_since(conn: Session, canteen_id: int, since: datetime) -> int:
    """Registrations by chat at this canteen since then (roster imports are not counted)."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM audit_log a JOIN residents r ON a.subject = 'resident:' || r.id"
        " WHERE a.action = 'resident.register' AND a.at >= ? AND r.canteen_id = ?",
        (iso(since), canteen_id),
    )
    return int(row[0]) if row else 0
