"""Accounts (Telegram users who act) and their roles per canteen."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from data.db import fetch_all, fetch_one, placeholders
from data.models import Account, Role, RoleGrant
from data.timefmt import iso


async def upsert(
    tx: aiosqlite.Connection,
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


async def ensure(tx: aiosqlite.Connection, account_id: int, now: datetime) -> None:
    """Create the account if it does not exist yet, leaving an existing one alone."""
    await tx.execute(
        "INSERT INTO accounts (id, created_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
        (account_id, iso(now)),
    )


async def mark_seen(tx: aiosqlite.Connection, account_id: int, now: datetime) -> None:
    """The account did something in the chat now."""
    await tx.execute("UPDATE accounts SET seen_at = ? WHERE id = ?", (iso(now), account_id))


async def get(conn: aiosqlite.Connection, account_id: int) -> Account | None:
    row = await fetch_one(conn, "SELECT * FROM accounts WHERE id = ?", (account_id,))
    return Account.from_row(row) if row else None


async def set_language(tx: aiosqlite.Connection, account_id: int, language: str) -> None:
    await tx.execute("UPDATE accounts SET language = ? WHERE id = ?", (language, account_id))


async def set_blocked(tx: aiosqlite.Connection, account_id: int, when: datetime | None) -> None:
    await tx.execute(
        "UPDATE accounts SET blocked_at = ? WHERE id = ?",
        (iso(when) if when else None, account_id),
    )


async def grant_role(
    tx: aiosqlite.Connection,
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


async def roles_of(conn: aiosqlite.Connection, account_id: int) -> list[RoleGrant]:
    rows = await fetch_all(
        conn, "SELECT * FROM roles WHERE account_id = ? AND status = 'active'", (account_id,)
    )
    return [RoleGrant.from_row(row) for row in rows]


async def holders(conn: aiosqlite.Connection, canteen_id: int, role: Role) -> list[int]:
    """Account ids holding an active role at a canteen."""
    rows = await fetch_all(
        conn,
        "SELECT account_id FROM roles WHERE canteen_id = ? AND role = ? AND status = 'active'"
        " ORDER BY account_id",
        (canteen_id, role),
    )
    return [int(row[0]) for row in rows]


async def languages(
    conn: aiosqlite.Connection, account_ids: list[int]
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
