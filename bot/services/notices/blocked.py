"""A chat that blocked the bot: remember it and tell staff if it was a resident or volunteer."""

from __future__ import annotations

from bot.core.deps import Deps
from bot.services.incidents import raising
from bot.services.notices import messages, notify
from data import accounts, links, residents


async def chat_blocked(deps: Deps, chat_id: int) -> None:
    if chat_id <= 0:
        return
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        account = await accounts.get(tx, chat_id)
        if account is None or account.blocked_at is not None:
            return
        await accounts.set_blocked(tx, chat_id, now)
        grants = await accounts.roles_of(tx, chat_id)
        canteen_ids = {grant.canteen_id for grant in grants if grant.role == "volunteer"}
        seniors = []
        for link in await links.residents_of(tx, chat_id):
            resident = await residents.get(tx, link.resident_id)
            if resident is not None:
                canteen_ids.add(resident.canteen_id)
                if resident.status == "approved":
                    seniors.append(resident)
        for canteen_id in sorted(canteen_ids):
            for staff_id in await accounts.holders(tx, canteen_id, "staff"):
                lang = await notify.language_of(tx, staff_id)
                body = messages.blocked(lang, account.first_name, chat_id)
                await notify.text(tx, f"blocked:{chat_id}:{staff_id}", staff_id, body, now)
        today = now.astimezone(deps.clock.tz).date()
        for senior in seniors:  # a senior, or family, who hears nothing more: a person sees to it
            told = await accounts.holders(tx, senior.canteen_id, "staff")
            opening = raising.about_day(senior.canteen_id, senior.id, today, "blocked")
            await raising.raise_alert(tx, deps, opening, told, account.first_name)
    if seniors:
        deps.jobs_changed()
