"""Paging through one resident's history in the audit log, for an admin of their canteen."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.services.privacy import resident as resident_for_admin
from data import accounts, privacy
from data.models import AuditEntry, Resident

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    resident: Resident
    entries: list[AuditEntry]
    actors: dict[int, str]
    number: int
    pages: int

    @property
    def has_older(self) -> bool:
        return self.number + 1 < self.pages

    @property
    def has_newer(self) -> bool:
        return self.number > 0


async def page(deps: Deps, admin_id: int, resident_id: int, number: int) -> Page:
    """Page `number` (0 is the newest) of the resident's history."""
    resident = await resident_for_admin(deps, admin_id, resident_id)
    conn = deps.db.conn
    total = await privacy.history_size(conn, resident_id)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(number, 0), pages - 1)
    entries = await privacy.history(conn, resident_id, PAGE_SIZE, number * PAGE_SIZE)
    actors = {}
    for account_id in {e.account_id for e in entries if e.account_id is not None}:
        account = await accounts.get(conn, account_id)
        actors[account_id] = account.first_name if account and account.first_name else ""
    return Page(resident, entries, actors, number, pages)
