"""Approval cards gathered: one message per admin every few minutes, not one per registration.

The first registration after a quiet spell reaches the admin at once; those that follow
within EVERY wait and go together in the next digest. A digest longer than Telegram
takes is paged (text and buttons), each registration is in one digest per admin, and a
digest is routine: an alert about a senior is never queued behind it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.deps import Deps
from bot.services.notices import notify
from bot.services.people import messages
from data import accounts, approvals, residents
from data.models import Resident

EVERY = timedelta(minutes=5)


async def due(deps: Deps) -> list[tuple[int, datetime]]:
    """(admin, when their next digest may go) for every admin with someone not yet shown."""
    now = deps.clock.now()
    return [
        (admin_id, max(now, last + EVERY) if last else now)
        for admin_id, last in await approvals.waiting_admins(deps.db.reader)
    ]


async def send(deps: Deps, admin_id: int) -> int:
    """Queue this admin's digest of registrations not yet shown, when EVERY has passed
    since the last; how many it lists (0: nothing new, or too soon: then it is planned
    again for its time). Safe to run twice."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        last = await approvals.last_sent(tx, admin_id)
        if last is not None and now < last + EVERY:
            deps.jobs_changed()  # planned again for its time
            return 0
        waiting = await approvals.unannounced(tx, admin_id)
        if not waiting:
            return 0
        lang = await notify.language_of(tx, admin_id)
        for number, page in enumerate(messages.digest_pages(lang, waiting), start=1):
            key = f"digest:acct:{admin_id}:{now.isoformat()}:page:{number}"
            await notify.text(tx, key, admin_id, page.text, now, page.buttons)
        await approvals.mark_shown(tx, admin_id, [r.id for r in waiting], now)
    deps.outbox_queued()
    deps.jobs_changed()  # anyone who registered meanwhile waits for the next one
    return len(waiting)


async def still_waiting(deps: Deps, admin_id: int, resident_ids: list[int]) -> list[Resident]:
    """Of these residents (a digest's), those still pending that this admin may decide."""
    found = []
    for resident_id in dict.fromkeys(resident_ids):
        resident = await residents.get(deps.db.reader, resident_id)
        if resident is None or resident.status != "pending":
            continue
        if admin_id in await accounts.holders(deps.db.reader, resident.canteen_id, "admin"):
            found.append(resident)
    return found
