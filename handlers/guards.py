"""Run before every feature: drop redelivered updates, record the account."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.services.notices import updates
from bot.services.people import accounts
from handlers.common import Context

SEEN = "seen"
SEEN_DAY = "seen_day"


async def once(update: Update, context: Context) -> None:
    """Stop an update Telegram delivered before (same update_id)."""
    if not await updates.first_time(context.deps, update.update_id):
        raise ApplicationHandlerStop


async def record_account(update: Update, context: Context) -> None:
    """Remember the account the first time this process sees it, and the day it was seen."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    cache = context.user_data if context.user_data is not None else {}
    seen = (user.first_name, user.username, user.language_code)
    if cache.get(SEEN) != seen:
        await accounts.touch(
            context.deps, user.id, user.first_name, user.username, user.language_code
        )
        cache[SEEN] = seen
    deps = context.deps
    day = deps.clock.now().astimezone(deps.clock.tz).date()
    if cache.get(SEEN_DAY) != day:  # once a day is enough to know they were here
        await accounts.seen(deps, user.id)
        cache[SEEN_DAY] = day
