"""The admin's approval queues: residents (decided by resident_approval), staff and volunteers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.notices import notify
from bot.services.people import messages, staff
from data import accounts, audit, canteens, roster
from data.models import Resident, Role
from data.roster import PendingRole

ADMIN: tuple[Role, ...] = ("admin",)
ROLES: tuple[Role, ...] = ("staff", "admin", "volunteer")


@dataclass(frozen=True)
class Queue:
    residents: list[Resident]
    roles: list[PendingRole]

    @property
    def empty(self) -> bool:
        return not self.residents and not self.roles


async def admin_canteens(deps: Deps, account_id: int) -> list[int]:
    """The canteens this account administers; a kind refusal when none."""
    found = await staff.canteens_of(deps, account_id, ADMIN)
    if not found:
        raise NotAllowedError("admin.access.only_admins")
    return found


async def queue(deps: Deps, admin_id: int) -> Queue:
    """Who waits for this admin's decision, oldest first."""
    found = await admin_canteens(deps, admin_id)
    conn = deps.db.reader
    return Queue(
        await roster.pending_residents(conn, found), await roster.pending_roles(conn, found)
    )


def role_of(value: str) -> Role:
    """A role named on a button; a forged one is refused."""
    for role in ROLES:
        if value == role:
            return role
    raise NotAllowedError("core.error.stale_button")


async def decide_role(
    deps: Deps, admin_id: int, account_id: int, canteen_id: int, role: Role, approve: bool
) -> str:
    """An admin of THAT canteen approves or declines a pending role; the applicant is told."""
    await staff.require(deps, admin_id, canteen_id, ADMIN)
    now = deps.clock.now()
    outcome = "approved" if approve else "declined"
    async with deps.db.transaction() as tx:
        if not await roster.decide_role(tx, account_id, canteen_id, role, approve):
            raise DomainError("admin.approvals.already")
        action = f"role.{outcome}.{role}"
        await audit.record(
            tx, now, admin_id, action, f"account:{account_id}", f"canteen:{canteen_id}"
        )
        canteen = await canteens.get(tx, canteen_id)
        lang = await notify.language_of(tx, account_id)
        body = messages.role_decided(lang, outcome, role, canteen)
        key = f"role:{canteen_id}:{role}:account:{account_id}:{outcome}"
        await notify.text(tx, key, account_id, body, now)
    deps.outbox_queued()
    account = await accounts.get(deps.db.reader, account_id)
    return account.first_name if account and account.first_name else str(account_id)
