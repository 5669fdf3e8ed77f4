"""Accounts (Telegram users who act) and their roles per canteen."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import Account, Role, RoleGrant
from data.timefmt import iso


async def upsert(
    tx: Session,
    account_id: int,
    first_name: str,
    username: str | None,
    now: datetime,
    telegram_language: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO accounts (id, first_name, username, telegram_language, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET first_name=excluded.first_name,"
        " username=excluded.username, telegram_language=excluded.telegram_language",
        (account_id, first_name[:64], username, (telegram_language or "")[:16] or None, iso(now)),
    )


async def ensure(tx: Session, account_id: int, now: datetime) -> None:
    """Create the account if it does not exist yet, leaving an existing one alone."""
    await tx.execute(
        "INSERT INTO accounts (id, created_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
        (account_id, iso(now)),
    )


async def mark_seen(tx: Session, account_id: int, now: datetime) -> None:
    """The account did something in the chat now."""
    await tx.execute("UPDATE accounts SET seen_at = ? WHERE id = ?", (iso(now), account_id))


async def get(conn: Session, account_id: int) -> Account | None:
    row = await fetch_one(conn, "SELECT * FROM accounts WHERE id = ?", (account_id,))
    return Account.from_row(row) if row else None


async def set_language(tx: Session, account_id: int, language: str) -> None:
    await tx.execute("UPDATE accounts SET language = ? WHERE id = ?", (language, account_id))


async def set_blocked(tx: Session, account_id: int, when: datetime | None) -> None:
    await tx.execute(
        "UPDATE accounts SET blocked_at = ? WHERE id = ?",
        (iso(when) if when else None, account_id),
    )


async def grant_role(
    tx: Session,
    account_id: int,
    canteen_id: int,
    role: Role,
    granted_by: int | None,
    now: datetime,
    status: str = "active",
) -> None:
    await tx.execute(
        "INSERT INTO roles (account_id, canteen_id, role, status, granted_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(account_id, canteen_id, role)"
        " DO UPDATE SET status=excluded.status, granted_by=excluded.granted_by",
        (account_id, canteen_id, role, status, granted_by, iso(now)),
    )


async def roles_of(conn: Session, account_id: int) -> list[RoleGrant]:
    rows = await fetch_all(
        conn, "SELECT * FROM roles WHERE account_id = ? AND status = 'active'", (account_id,)
    )
    return [RoleGrant.from_row(row) for row in rows]


async def holders(conn: Session, canteen_id: int, role: Role) -> list[int]:
    """Account ids holding an active role at a canteen."""
    rows = await fetch_all(
        conn,
        "SELECT account_id FROM roles WHERE canteen_id = ? AND role = ? AND status = 'active'"
        " ORDER BY account_id",
        (canteen_id, role),
    )
    return [int(row[0]) for row in rows]


async def languages(
    conn: Session, account_ids: list[int]
) -> dict[int, tuple[str | None, str | None]]:
    """(chosen language, Telegram's language code) per account."""
    if not account_ids:
        return {}
    marks = placeholders(account_ids)
    rows = await fetch_all(
        conn,
        f"SELECT id, language, telegram_language FROM accounts WHERE id IN ({marks})",
        account_ids,
    )
    return {int(row[0]): (row[1], row[2]) for row in rows}


async def has_role(conn: Session, account_id: int, canteen_id: int, role: Role) -> bool:
    """The account holds this role at this canteen now (read from the store every time)."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM roles WHERE account_id = ? AND canteen_id = ? AND role = ?"
        " AND status = 'active'",
        (account_id, canteen_id, role),
    )
    return row is not None


async def grant_from_settings(tx: Session, account_id: int, canteen_id: int, now: datetime) -> bool:
    """Make a settings admin an admin of the canteen (granted_by NULL marks the settings as
    the reason); an admin role already held by invite is left as it is. True when changed."""
    cursor = await tx.execute(
        "INSERT INTO roles (account_id, canteen_id, role, status, granted_by, created_at)"
        " VALUES (?, ?, 'admin', 'active', NULL, ?) ON CONFLICT(account_id, canteen_id, role)"
        " DO UPDATE SET status = 'active', granted_by = NULL WHERE roles.status != 'active'",
        (account_id, canteen_id, iso(now)),
    )
    return cursor.rowcount == 1


async def settings_admins(conn: Session) -> list[tuple[int, int]]:
    """(account, canteen) of every active admin role that the settings granted."""
    rows = await fetch_all(
        conn,
        "SELECT account_id, canteen_id FROM roles WHERE role = 'admin' AND status = 'active'"
        " AND granted_by IS NULL ORDER BY account_id, canteen_id",
    )
    return [(int(row[0]), int(row[1])) for row in rows]


async def revoke_role(tx: Session, account_id: int, canteen_id: int, role: Role) -> bool:
    """Take an active role back; False when it was not active (removed already)."""
    cursor = await tx.execute(
        "UPDATE roles SET status = 'revoked' WHERE account_id = ? AND canteen_id = ?"
        " AND role = ? AND status = 'active'",
        (account_id, canteen_id, role),
    )
    return cursor.rowcount == 1


async def team(conn: Session, canteen_id: int) -> list[tuple[int, Role, str]]:
    """(account, role, name) of the canteen's active staff and volunteers, by name."""
    rows = await fetch_all(
        conn,
        "SELECT r.account_id, r.role, COALESCE(NULLIF(v.name, ''), NULLIF(a.first_name, ''),"
        " CAST(r.account_id AS TEXT)) AS name FROM roles r JOIN accounts a ON a.id = r.account_id"
        " LEFT JOIN volunteers v ON v.account_id = r.account_id AND v.canteen_id = r.canteen_id"
        " WHERE r.canteen_id = ? AND r.status = 'active' AND r.role IN ('staff', 'volunteer')"
        " ORDER BY r.role, name, r.account_id",
        (canteen_id,),
    )
    return [(int(row[0]), cast(Role, row[1]), str(row[2])) for row in rows]
