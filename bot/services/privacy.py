"""One resident as the admin sees them: find, export everything held, erase on request."""

from __future__ import annotations

import json

from bot.deps import Deps
from bot.i18n import t
from bot.services import invites, notify, phones, staff
from bot.services.approvals import admin_canteens
from bot.services.errors import DomainError, NotAllowedError
from data import audit, privacy, residents, roster
from data.models import Invite, Resident, Role

ADMIN: tuple[Role, ...] = ("admin",)


async def search(deps: Deps, admin_id: int, query: str) -> list[Resident]:
    """Residents of this admin's canteens matching a name, phone or id."""
    found = await admin_canteens(deps, admin_id)
    wanted = query.strip()[:40]
    phone = await phones.search_form_at(deps, found, wanted)
    return await roster.find_residents(deps.db.conn, found, wanted, phone=phone)


async def resident(deps: Deps, admin_id: int, resident_id: int) -> Resident:
    """The resident, when this account is an admin of THEIR canteen."""
    found = await residents.get(deps.db.conn, resident_id)
    if found is None:
        raise NotAllowedError()
    await staff.require(deps, admin_id, found.canteen_id, ADMIN)
    return found


async def export(deps: Deps, admin_id: int, resident_id: int) -> None:
    """Everything held about the resident, as a JSON document sent to the admin."""
    await resident(deps, admin_id, resident_id)
    now = deps.clock.now()
    dump = await privacy.dump(deps.db.conn, resident_id)
    dump["history"] = [
        entry.model_dump(mode="json")
        for entry in await privacy.history(deps.db.conn, resident_id, 10_000, 0)
    ]
    content = json.dumps(dump, ensure_ascii=False, indent=2, default=str).encode()
    async with deps.db.transaction() as tx:
        await audit.record(tx, now, admin_id, "resident.export", f"resident:{resident_id}")
        lang = await notify.language_of(tx, admin_id)
        caption = t(lang, "admin.privacy.export_caption", id=resident_id)
        key = f"export:resident:{resident_id}:acct:{admin_id}:{now.isoformat()}"
        await notify.document(
            tx, key, admin_id, f"resident-{resident_id}.json", content, caption, now
        )
    deps.outbox_queued()


async def erase(deps: Deps, admin_id: int, resident_id: int) -> Resident:
    """Blank the resident's personal data; their past orders stay for the reports, anonymous."""
    found = await resident(deps, admin_id, resident_id)
    if found.status == "erased":
        raise DomainError("admin.privacy.already_erased")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await privacy.erase(tx, resident_id)
        await audit.record(tx, now, admin_id, "resident.erase", f"resident:{resident_id}")
    return found


async def family_invite(deps: Deps, admin_id: int, resident_id: int) -> Invite:
    """A one-use code that links a family member to this senior (an imported one, say)."""
    found = await resident(deps, admin_id, resident_id)
    if found.status != "approved":
        raise DomainError("admin.privacy.not_approved")
    return await invites.create(deps, "family", found.canteen_id, admin_id, found.id)
