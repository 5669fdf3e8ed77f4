"""One resident's history in the audit log, for an admin of their canteen."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.services.people.privacy import resident as resident_for_admin
from data import accounts, privacy
from data.models import AuditEntry, Resident


@dataclass(frozen=True)
class History:
    resident: Resident
    entries: list[AuditEntry]  # newest first
    actors: dict[int, str]  # account id -> first name


async def history(deps: Deps, admin_id: int, resident_id: int) -> History:
    """Everything recorded about the resident, its orders and deliveries, newest first."""
    resident = await resident_for_admin(deps, admin_id, resident_id)
    conn = deps.db.reader
    entries = await privacy.history(conn, resident_id)
    actors = {}
    for account_id in {e.account_id for e in entries if e.account_id is not None}:
        account = await accounts.get(conn, account_id)
        actors[account_id] = account.first_name if account and account.first_name else ""
    return History(resident, entries, actors)
