"""/hours: a volunteer sees their month ("18 rounds, 92 meals, 41 km")."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.ptb import App
from bot.services.volunteering import hours, messages
from handlers.common import Context, language_of, tell, user_id


async def my_month(update: Update, context: Context) -> None:
    """This month's rounds, meals and kilometres at each canteen they help."""
    lang = await language_of(update, context)
    found = await hours.mine(context.deps, user_id(update))
    await tell(update, context, messages.my_month(lang, found))


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("hours", my_month, filters=private), group=group)
