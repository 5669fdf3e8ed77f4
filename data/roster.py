"""The people on a canteen's books: imported seniors, roster files, pending staff and volunteers."""

from __future__ import annotations

from datetime import datetime

from data.db import Session, fetch_all, fetch_one, insert, placeholders
from data.models import Record, Resident, Role
from data.timefmt import iso


class RosterEntry(Record):
    """One checked row of a roster file, ready to store."""

    name: str
    phone: str
    building: str
    unit: str = ""
    room: str = ""
    lives_alone: bool = False
    delivery_eligible: bool = False
    diet: str = ""
    allergies: str = ""
    age_band: int | None = None
    tier_code: str | None = None


class StagedFile(Record):
    id: int
    canteen_id: int | None  # None until the admin says which canteen the file is for
    account_id: int
    filename: str
    content: bytes
    created_at: datetime
    applied_at: datetime | None


class PendingRole(Record):
    """Someone waiting to become staff, admin or volunteer, with what they told us."""

    account_id: int
    canteen_id: int
    role: Role
    first_name: str
    username: str | None
    volunteer_name: str | None
    volunteer_phone: str | None
    area: str | None
    canteen_name: str
    canteen_name_en: str | None
    created_at: datetime

    def canteen(self, lang: str) -> str:
        return self.canteen_name_en if lang == "en" and self.canteen_name_en else self.canteen_name


async def phones(conn: Session, canteen_id: int) -> set[str]:
    """Phone numbers of the canteen's residents who were not erased."""
    rows = await fetch_all(
        conn,
        "SELECT phone FROM residents WHERE canteen_id = ? AND status != 'erased'",
        (canteen_id,),
    )
    return {str(row[0]) for row in rows}


async def add(
    tx: Session, canteen_id: int, entry: RosterEntry, by: int | None, now: datetime
) -> int:
    """An approved resident from a roster file (the community vouches for them)."""
    return await insert(
        tx,
        "INSERT INTO residents (canteen_id, name, phone, building, unit, room, lives_alone,"
        " delivery_eligible, diet, allergies, age_band, tier_code, status, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?)",
        (
            canteen_id,
            entry.name,
            entry.phone,
            entry.building,
            entry.unit,
            entry.room,
            int(entry.lives_alone),
            int(entry.delivery_eligible),
            entry.diet,
            entry.allergies,
            entry.age_band,
            entry.tier_code,
            by,
            iso(now),
        ),
    )


async def stage(
    tx: Session,
    canteen_id: int | None,
    account_id: int,
    filename: str,
    content: bytes,
    now: datetime,
) -> int:
    return await insert(
        tx,
        "INSERT INTO roster_imports (canteen_id, account_id, filename, content, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (canteen_id, account_id, filename, content, iso(now)),
    )


async def staged(conn: Session, import_id: int) -> StagedFile | None:
    row = await fetch_one(conn, "SELECT * FROM roster_imports WHERE id = ?", (import_id,))
    return StagedFile.from_row(row) if row else None


async def choose_canteen(tx: Session, import_id: int, canteen_id: int) -> bool:
    """Say which canteen a staged file is for, once, before it is imported."""
    cursor = await tx.execute(
        "UPDATE roster_imports SET canteen_id = ? WHERE id = ? AND canteen_id IS NULL"
        " AND applied_at IS NULL",
        (canteen_id, import_id),
    )
    return cursor.rowcount == 1


async def mark_applied(tx: Session, import_id: int, now: datetime) -> bool:
    """Claim the staged file for importing; False when it was imported already."""
    cursor = await tx.execute(
        "UPDATE roster_imports SET applied_at = ? WHERE id = ? AND applied_at IS NULL",
        (iso(now), import_id),
    )
    return cursor.rowcount == 1


async def pending_residents(conn: Session, canteen_ids: list[int]) -> list[Resident]:
    if not canteen_ids:
        return []
    marks = placeholders(canteen_ids)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM residents WHERE status = 'pending' AND canteen_id IN ({marks})"
        " ORDER BY created_at, id",
        canteen_ids,
    )
    return [Resident.from_row(row) for row in rows]


_PENDING = (
    "SELECT r.account_id, r.canteen_id, r.role, r.created_at, a.first_name, a.username,"
    " v.name AS volunteer_name, v.phone AS volunteer_phone, v.area,"
    " c.name AS canteen_name, c.name_en AS canteen_name_en"
    " FROM roles r JOIN accounts a ON a.id = r.account_id JOIN canteens c ON c.id = r.canteen_id"
    " LEFT JOIN volunteers v ON v.account_id = r.account_id AND v.canteen_id = r.canteen_id"
    " WHERE r.status = 'pending'"
)


async def pending_roles(conn: Session, canteen_ids: list[int]) -> list[PendingRole]:
    if not canteen_ids:
        return []
    marks = placeholders(canteen_ids)
    rows = await fetch_all(
        conn,
        f"{_PENDING} AND r.canteen_id IN ({marks}) ORDER BY r.created_at, r.account_id",
        canteen_ids,
    )
    return [PendingRole.from_row(row) for row in rows]


async def decide_role(
    tx: Session, account_id: int, canteen_id: int, role: Role, approve: bool
) -> bool:
    """Activate or revoke a pending role; False when it was not pending any more."""
    cursor = await tx.execute(
        "UPDATE roles SET status = ? WHERE account_id = ? AND canteen_id = ? AND role = ?"
        " AND status = 'pending'",
        ("active" if approve else "revoked", account_id, canteen_id, role),
    )
    return cursor.rowcount == 1


async def find_residents(
    conn: Session,
    canteen_ids: list[int],
    query: str,
    limit: int = 10,
    *,
    approved_only: bool = False,
    phone: str | None = None,
) -> list[Resident]:
    """Residents (not erased) whose name contains `query`, whose phone contains `phone`
    (the query itself when not given), or whose id it is."""
    if not canteen_ids:
        return []
    marks = placeholders(canteen_ids)
    like = f"%{query.replace('%', '').replace('_', '')}%"
    phone_like = like if phone is None else f"%{phone.replace('%', '').replace('_', '')}%"
    statuses = "status = 'approved'" if approved_only else "status != 'erased'"
    rows = await fetch_all(
        conn,
        f"SELECT * FROM residents WHERE canteen_id IN ({marks}) AND {statuses}"
        " AND (name LIKE ? OR phone LIKE ? OR CAST(id AS TEXT) = ?) ORDER BY name, id LIMIT ?",
        (*canteen_ids, like, phone_like, query, limit),
    )
    return [Resident.from_row(row) for row in rows]


# The seniors table's orders, by a key the screen sends: never SQL from the request.
TABLE_ORDER = {
    "name": "name, id",
    "building": "building, unit, room, name, id",
    "tier": "COALESCE(tier_code, ''), name, id",
    "status": "status, name, id",
    "newest": "created_at DESC, id DESC",
}


async def residents_table(
    conn: Session,
    canteen_ids: list[int],
    query: str,
    order: str,
    offset: int,
    limit: int,
) -> tuple[list[Resident], int]:
    """One page of the canteens' seniors (not erased) whose name, phone or building contains
    `query`, in the order named by `order` (a TABLE_ORDER key), and how many there are."""
    if not canteen_ids:
        return [], 0
    marks = placeholders(canteen_ids)
    like = f"%{query.replace('%', '').replace('_', '')}%"
    where = (
        f"canteen_id IN ({marks}) AND status != 'erased'"
        " AND (name LIKE ? OR phone LIKE ? OR building LIKE ?)"
    )
    params = (*canteen_ids, like, like, like)
    count = await fetch_one(conn, f"SELECT COUNT(*) AS n FROM residents WHERE {where}", params)
    rows = await fetch_all(
        conn,
        f"SELECT * FROM residents WHERE {where} ORDER BY {TABLE_ORDER[order]} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [Resident.from_row(row) for row in rows], int(count["n"]) if count else 0
