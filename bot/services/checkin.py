"""The daily "I'm fine" check-in of seniors who live alone, on days without a delivery.

Asked in the morning; a senior who has not answered by the deadline is reported to the
family, and to the admins when the family has not helped within the escalation time
(straight to the admins when nobody is linked as family).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.callbacks import pack
from bot.deps import Deps
from bot.i18n import t
from bot.services import erased, notify
from bot.services import ordering_rules as rules
from bot.services.errors import NotAllowedError
from bot.services.schedule import day_due
from bot.services.wellness import alert, family_of
from data import accounts, links, residents, wellness

PREFIX = "chk1"


async def ask(deps: Deps, canteen_id: int) -> int:
    """Send today's check-in button to each senior living alone with no meal at the door."""
    spec = await rules.spec_of(deps, deps.db.conn, canteen_id)
    if not spec.daily_checkin:
        return 0
    now = deps.clock.now()
    today = now.astimezone(deps.clock.tz).date()
    asked = 0
    async with deps.db.transaction() as tx:
        for resident_id in await wellness.last_signs(tx, canteen_id):
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
                button: notify.Buttons = [
                    [(t(lang, "admin.checkin.button"), pack(PREFIX, "ok", resident_id))]
                ]
                key = f"checkin:{resident_id}:{today}:acct:{account_id}"
                await notify.text(tx, key, account_id, t(lang, "admin.checkin.ask"), now, button)
    deps.outbox_queued()
    return asked


async def check_in(deps: Deps, account_id: int, resident_id: int) -> bool:
    """The senior (their own account) says they are fine today; False when said already."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        link = await links.get(tx, account_id, resident_id)
        resident = await residents.get(tx, resident_id)
        erased.refuse(resident)
        if link is None or link.relation != "self" or resident is None:
            raise NotAllowedError()
        if resident.status != "approved":
            raise NotAllowedError()
        return await wellness.check_in(tx, resident_id, now.astimezone(deps.clock.tz).date(), now)


async def deadline(deps: Deps, canteen_id: int) -> int:
    """Tell the family about each senior who has not checked in (the admins if no family)."""
    spec = await rules.spec_of(deps, deps.db.conn, canteen_id)
    now = deps.clock.now()
    today = day_due(now, spec.checkin_deadline, deps)
    told = 0
    async with deps.db.transaction() as tx:
        admins = await accounts.holders(tx, canteen_id, "admin")
        for resident_id in await wellness.silent(tx, canteen_id, today, "family_alerted_at"):
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
            told += 1
    deps.outbox_queued()
    return told


async def escalate(deps: Deps, canteen_id: int) -> int:
    """Still no check-in after the family was told: the admins are told."""
    spec = await rules.spec_of(deps, deps.db.conn, canteen_id)
    now = deps.clock.now()
    late = datetime.combine(date(2000, 1, 1), spec.checkin_deadline)
    today = day_due(now, (late + timedelta(minutes=spec.checkin_escalate_minutes)).time(), deps)
    told = 0
    async with deps.db.transaction() as tx:
        admins = await accounts.holders(tx, canteen_id, "admin")
        for resident_id in await wellness.silent(tx, canteen_id, today, "admin_alerted_at"):
            resident = await residents.get(tx, resident_id)
            if resident is None:
                continue
            key = f"checkin:escalate:{resident_id}:{today}"
            await alert(tx, resident, admins, key, "admin.checkin.missed_admin", now)
            await wellness.stamp(tx, resident_id, today, "admin_alerted_at", now)
            told += 1
    deps.outbox_queued()
    return told
