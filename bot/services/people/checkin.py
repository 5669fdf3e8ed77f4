"""The daily "I'm fine" check-in of seniors who live alone, on days without a delivery.

Asked in the morning; a senior who has not answered by the deadline is reported to the
family, and to the admins when the family has not helped within the escalation time
(straight to the admins when nobody is linked as family). Any sign of life that day (her
own tap in the chat, an order for her, a meal handed to her) counts as an answer, so
nobody is alarmed about a senior who is plainly fine; and an "I'm fine" that comes after
an alert sends an all-clear to whoever was alerted.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.core.deps import Deps
from bot.core.errors import NotAllowedError
from bot.services.incidents import raising
from bot.services.kitchen.schedule import day_due
from bot.services.notices import notify
from bot.services.ordering import ordering_rules as rules
from bot.services.people import erased, messages
from bot.services.people.wellness import alert, family_of
from data import accounts, links, residents, wellness
from data.db import Session


async def ask(deps: Deps, canteen_id: int) -> int:
    """Send today's check-in button to each senior living alone with no meal at the door."""
    spec = await rules.spec_of(deps, deps.db.reader, canteen_id)
    if not spec.daily_checkin:
        return 0
    now = deps.clock.now()
    today = now.astimezone(deps.clock.tz).date()
    asked = 0
    async with deps.db.transaction() as tx:
        alone = list(await wellness.last_signs(tx, canteen_id))
        fine = await wellness.signs_since(tx, alone, _midnight(deps, today))
        for resident_id in (r for r in alone if r not in fine):
            own = [
                link.account_id
                for link in await links.accounts_of(tx, resident_id)
                if link.relation == "self"
            ]
            if not own or await wellness.has_delivery_on(tx, resident_id, today):
                continue
            if not await wellness.ask(tx, resident_id, today, now):
                continue
            asked += 1
            for account_id in own:
                lang = await notify.language_of(tx, account_id)
                button = messages.checkin_buttons(lang, resident_id)
                key = f"checkin:{resident_id}:{today}:acct:{account_id}"
                await notify.text(tx, key, account_id, messages.checkin_ask(lang), now, button)
    deps.outbox_queued()
    return asked


def _midnight(deps: Deps, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=deps.clock.tz)


async def _silent(
    tx: Session, deps: Deps, canteen_id: int, day: date, not_yet: wellness.Stamp
) -> list[int]:
    """Seniors asked that day who neither answered nor showed any other sign of life."""
    quiet = await wellness.silent(tx, canteen_id, day, not_yet)
    fine = await wellness.signs_since(tx, quiet, _midnight(deps, day))
    return [resident_id for resident_id in quiet if resident_id not in fine]


async def check_in(deps: Deps, account_id: int, resident_id: int) -> bool:
    """The senior (their own account) says they are fine today; False when said already.
    Whoever was told she had not checked in hears the all-clear."""
    now = deps.clock.now()
    today = now.astimezone(deps.clock.tz).date()
    async with deps.db.transaction() as tx:
        link = await links.get(tx, account_id, resident_id)
        resident = await residents.get(tx, resident_id)
        erased.refuse(resident)
        if link is None or link.relation != "self" or resident is None:
            raise NotAllowedError()
        if resident.status != "approved":
            raise NotAllowedError()
        fresh = await wellness.check_in(tx, resident_id, today, now)
        matter = raising.day_matter(resident_id, today)
        await raising.settle(tx, matter, ("checkin",), "checked_in", now, account_id)
        family_told, admins_told = await wellness.alerted(tx, resident_id, today)
        told = [*await family_of(tx, resident_id)] if family_told else []
        if admins_told:
            told += await accounts.holders(tx, resident.canteen_id, "admin")
        if fresh and told:
            at = f"{now.astimezone(deps.clock.tz):%H:%M}"
            key = f"checkin:allclear:{resident_id}:{today}"
            await alert(
                tx, resident, list(dict.fromkeys(told)), key, "admin.checkin.all_clear", now, at=at
            )
    deps.outbox_queued()
    return fresh


async def deadline(deps: Deps, canteen_id: int) -> int:
    """Tell the family about each senior who has not checked in (the admins if no family)."""
    spec = await rules.spec_of(deps, deps.db.reader, canteen_id)
    now = deps.clock.now()
    today = day_due(now, spec.checkin_deadline, deps)
    told = 0
    async with deps.db.transaction() as tx:
        admins = await accounts.holders(tx, canteen_id, "admin")
        for resident_id in await _silent(tx, deps, canteen_id, today, "family_alerted_at"):
            resident = await residents.get(tx, resident_id)
            family = await family_of(tx, resident_id)
            if resident is None:
                continue
            key = f"checkin:missed:{resident_id}:{today}"
            if family:
                await alert(tx, resident, family, key, "admin.checkin.missed_family", now)
            else:
                await alert(tx, resident, admins, key, "admin.checkin.missed_admin", now)
                await wellness.stamp(tx, resident_id, today, "admin_alerted_at", now)
            await wellness.stamp(tx, resident_id, today, "family_alerted_at", now)
            opening = raising.about_day(canteen_id, resident_id, today, "checkin")
            await raising.raise_alert(tx, deps, opening, family or admins)
            told += 1
    deps.outbox_queued()
    if told:
        deps.jobs_changed()
    return told


async def escalate(deps: Deps, canteen_id: int) -> int:
    """Still no check-in after the family was told: the admins are told."""
    spec = await rules.spec_of(deps, deps.db.reader, canteen_id)
    now = deps.clock.now()
    late = datetime.combine(date(2000, 1, 1), spec.checkin_deadline)
    today = day_due(now, (late + timedelta(minutes=spec.checkin_escalate_minutes)).time(), deps)
    told = 0
    async with deps.db.transaction() as tx:
        admins = await accounts.holders(tx, canteen_id, "admin")
        for resident_id in await _silent(tx, deps, canteen_id, today, "admin_alerted_at"):
            resident = await residents.get(tx, resident_id)
            if resident is None:
                continue
            key = f"checkin:escalate:{resident_id}:{today}"
            await alert(tx, resident, admins, key, "admin.checkin.missed_admin", now)
            await wellness.stamp(tx, resident_id, today, "admin_alerted_at", now)
            opening = raising.about_day(canteen_id, resident_id, today, "checkin")
            await raising.raise_alert(tx, deps, opening, admins)
            told += 1
    deps.outbox_queued()
    return told
