"""Approving a new resident: the canteen's admins are asked (in digests, see
approval_digest), one of them decides."""

from __future__ import annotations

from bot.core import callbacks
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.notices import notify
from bot.services.people import erased, messages
from data import accounts, audit, links, residents
from data.models import Resident

PREFIX = callbacks.REGISTRATION.prefix  # handlers/registration.py still reads by prefix


async def decide(deps: Deps, admin_id: int, resident_id: int, approve: bool) -> Resident:
    """An admin of the senior's canteen approves or declines them; the applicant is told."""
    now = deps.clock.now()
    status: residents.Decision = "approved" if approve else "declined"
    async with deps.db.transaction() as tx:
        resident = await residents.get(tx, resident_id)
        if resident is None or admin_id not in await accounts.holders(
            tx, resident.canteen_id, "admin"
        ):
            raise NotAllowedError()
        erased.refuse(resident)
        if not await residents.decide(tx, resident_id, status):
            raise DomainError("resident.approval.already", name=resident.name)
        await audit.record(tx, now, admin_id, f"resident.{status}", f"resident:{resident_id}")
        for link in await links.accounts_of(tx, resident_id):
            lang = await notify.language_of(tx, link.account_id)
            own = link.relation == "self"
            body = messages.approval_decided(lang, status, own, resident.name)
            key = f"resident:{resident_id}:{status}:acct:{link.account_id}"
            await notify.text(tx, key, link.account_id, body, now)
        decided = await residents.get(tx, resident_id)
        assert decided is not None
    deps.outbox_queued()
    return decided
