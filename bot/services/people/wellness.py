"""The wellness watch: a senior living alone who has gone quiet is brought to someone's notice.

Quiet means no order, no delivery and no check-in for `wellness_quiet_days` (canteen
file). The family and the canteen's admins are told once per quiet spell.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.deps import Deps
from bot.services.incidents import raising
from bot.services.notices import notify
from bot.services.ordering import ordering_rules as rules
from bot.services.people import messages
from data import accounts, links, residents, wellness
from data.db import Session
from data.incidents import Opening
from data.models import Resident


async def family_of(conn: Session, resident_id: int) -> list[int]:
    """Accounts linked as family (not the senior's own account)."""
    return [
        link.account_id
        for link in await links.accounts_of(conn, resident_id)
        if link.relation == "family"
    ]


async def alert(
    tx: Session,
    resident: Resident,
    to: list[int],
    key: str,
    text_key: str,
    now: datetime,
    **values: object,
) -> int:
    """Queue the alert `text_key` about `resident` to each account, once per `key`, before
    any routine message."""
    sent = 0
    for account_id in to:
        lang = await notify.language_of(tx, account_id)
        body = messages.senior_alert(lang, text_key, resident, values)
        key_of = f"{key}:acct:{account_id}"
        sent += await notify.text(tx, key_of, account_id, body, now, urgent=True)
    return sent


async def watch(deps: Deps, canteen_id: int) -> list[int]:
    """Alert about every quiet senior of the canteen; the ids alerted about this time."""
    spec = await rules.spec_of(deps, deps.db.reader, canteen_id)
    now = deps.clock.now()
    quiet = timedelta(days=spec.wellness_quiet_days)
    found = []
    raised: list[tuple[Opening, list[int]]] = []
    async with deps.db.transaction() as tx:
        admins = await accounts.holders(tx, canteen_id, "admin")
        for resident_id, last in (await wellness.last_signs(tx, canteen_id)).items():
            resident = await residents.get(tx, resident_id)
            if resident is None or now - last < quiet:
                continue
            since = last.astimezone(deps.clock.tz)
            key = f"wellness:quiet:{resident_id}:{since:%Y%m%d%H%M%S}"
            to = [*await family_of(tx, resident_id), *admins]
            days = (now - last).days
            if await alert(tx, resident, to, key, "admin.wellness.quiet", now, days=days):
                found.append(resident_id)
                today = now.astimezone(deps.clock.tz).date()
                raised.append((raising.about_day(canteen_id, resident_id, today, "quiet"), to))
        await raising.raise_many(tx, deps, raised, "quiet")
    deps.outbox_queued()
    if found:
        deps.jobs_changed()
    return found
