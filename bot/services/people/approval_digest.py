"""Approval cards gathered: one message per admin every few minutes, not one per registration.

The first registration after a quiet spell reaches the admin at once; those that follow
within EVERY wait and go together in the next digest. A digest longer than Telegram
takes is paged (text and buttons), each registration is in one digest per admin, and a
digest is routine: an alert about a senior is never queued behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import pager
from bot.core.callbacks import DIGEST_APPROVE, DIGEST_DECLINE
from bot.core.deps import Deps
from bot.core.i18n import Html, t
from bot.services.notices import notify
from bot.services.people import resident_approval
from data import accounts, approvals, residents
from data.models import Resident

EVERY = timedelta(minutes=5)
MAX_BUTTONS = 100  # Telegram's limit of inline buttons on one message
PER_PAGE = 20  # registrations on one page (two buttons each), however short


@dataclass(frozen=True)
class Page:
    text: Html
    buttons: notify.Buttons


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
        for number, page in enumerate(pages(lang, waiting), start=1):
            key = f"digest:acct:{admin_id}:{now.isoformat()}:page:{number}"
            await notify.text(tx, key, admin_id, page.text, now, page.buttons)
        await approvals.mark_shown(tx, admin_id, [r.id for r in waiting], now)
    deps.outbox_queued()
    deps.jobs_changed()  # anyone who registered meanwhile waits for the next one
    return len(waiting)


def _entry(lang: str, number: int, resident: Resident) -> str:
    return f"<b>{number}.</b> {resident_approval.describe(lang, resident)}"


def _buttons(lang: str, resident: Resident) -> list[tuple[str, str]]:
    return [
        (t(lang, "admin.digest.approve", name=resident.name), DIGEST_APPROVE.pack(resident.id)),
        (t(lang, "admin.digest.decline", name=resident.name), DIGEST_DECLINE.pack(resident.id)),
    ]


def pages(lang: str, waiting: list[Resident], done: str = "") -> list[Page]:
    """The digest as messages Telegram accepts: each within pager.TEXT_LIMIT characters
    and MAX_BUTTONS buttons; `done` (what was just decided) heads the first page."""
    groups: list[list[tuple[str, Resident]]] = [[]]
    size = 0
    for number, resident in enumerate(waiting, start=1):
        entry = _entry(lang, number, resident)
        group = groups[-1]
        full = len(group) >= min(PER_PAGE, MAX_BUTTONS // 2)
        if group and (full or size + len(entry) + 2 > pager.TEXT_LIMIT - 300):
            groups.append([])
            size = 0
        groups[-1].append((entry, resident))
        size += len(entry) + 2
    found = []
    for index, group in enumerate(groups, start=1):
        part = f" ({index}/{len(groups)})" if len(groups) > 1 else ""
        title = t(lang, "admin.digest.title", n=len(waiting), part=part)
        head = [done, title] if done and index == 1 else [title]
        if not group:  # everyone was decided: what was done is all there is to say
            head = [done] if done else head
        text = Html("\n\n".join([*head, *(entry for entry, _ in group)]))
        found.append(Page(text, [_buttons(lang, resident) for _, resident in group]))
    return found


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
