"""One resident as the admin sees them: find, export everything held, erase on request."""

from __future__ import annotations

import json

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.notices import notify
from bot.services.people import erased, erasure, invites, messages, phones, staff
from bot.services.people.approvals import admin_canteens
from bot.services.people.erasure import Erased
from data import audit, privacy, residents, roster
from data.erasure import checkpoint
from data.models import Invite, Resident, Role

ADMIN: tuple[Role, ...] = ("admin",)


async def search(deps: Deps, admin_id: int, query: str) -> list[Resident]:
    """Residents of this admin's canteens matching a name, phone or id."""
    found = await admin_canteens(deps, admin_id)
    wanted = query.strip()[:40]
    phone = await phones.search_form_at(deps, found, wanted)
    return await roster.find_residents(deps.db.reader, found, wanted, phone=phone)


async def resident(deps: Deps, admin_id: int, resident_id: int) -> Resident:
    """The resident, when this account is an admin of THEIR canteen."""
    found = await residents.get(deps.db.reader, resident_id)
    if found is None:
        raise NotAllowedError()
    await staff.require(deps, admin_id, found.canteen_id, ADMIN)
    return found


async def export(deps: Deps, admin_id: int, resident_id: int) -> None:
    """Everything held about the resident, as a JSON document sent to the admin."""
    erased.refuse(await resident(deps, admin_id, resident_id))
    now = deps.clock.now()
    dump = await privacy.dump(deps.db.reader, resident_id)
    dump["history"] = [
        entry.model_dump(mode="json")
        for entry in await privacy.history(deps.db.reader, resident_id)
    ]
    content = json.dumps(dump, ensure_ascii=False, indent=2, default=str).encode()
    async with deps.db.transaction() as tx:
        await audit.record(tx, now, admin_id, "resident.export", f"resident:{resident_id}")
        lang = await notify.language_of(tx, admin_id)
        caption = messages.export_caption(lang, resident_id)
        key = f"export:resident:{resident_id}:acct:{admin_id}:{now.isoformat()}"
        await notify.document(
            tx, key, admin_id, f"resident-{resident_id}.json", content, caption, now
        )
    deps.outbox_queued()


async def erase(deps: Deps, admin_id: int, resident_id: int) -> Erased:
    """Remove the resident's personal data from everywhere it lives in the store (see
    `bot.services.people.erasure`); their past orders stay for the reports, anonymous. Then the
    write-ahead log is emptied, so the file on disk no longer holds the old pages (the
    connection overwrites freed space: `PRAGMA secure_delete`)."""
    found = await resident(deps, admin_id, resident_id)
    if found.status == "erased":
        raise DomainError("admin.privacy.already_erased")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        done = await erasure.everywhere(tx, deps, found, admin_id, now)
        await privacy.erase(tx, resident_id)
        await audit.record(tx, now, admin_id, "resident.erase", f"resident:{resident_id}")
    await checkpoint(deps.db.reader)
    deps.outbox_queued()
    return done


async def flows_ended(deps: Deps, done: Erased, account_ids: list[int]) -> None:
    """Tell each account whose questions about the erased senior were ended, once."""
    if not account_ids:
        return
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for account_id in account_ids:
            lang = await notify.language_of(tx, account_id)
            key = f"erased:{done.person.resident_id}:flow:{account_id}"
            await notify.text(tx, key, account_id, messages.flow_ended(lang), now)
    deps.outbox_queued()


async def family_invite(deps: Deps, admin_id: int, resident_id: int) -> Invite:
    """A one-use code that links a family member to this senior (an imported one, say)."""
    found = await resident(deps, admin_id, resident_id)
    erased.refuse(found)
    if found.status != "approved":
        raise DomainError("admin.privacy.not_approved")
    return await invites.create(deps, "family", found.canteen_id, admin_id, found.id)
