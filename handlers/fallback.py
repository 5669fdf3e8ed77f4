"""What nobody else handled: text we did not understand, buttons out of date."""

from __future__ import annotations

from telegram import Update

from bot.core.i18n import t
from bot.services.people import home as homes
from handlers import requests
from handlers.common import Context, language_of, tell
from handlers.keyboards import main_keyboard, screen


async def unknown_text(update: Update, context: Context) -> None:
    """The home keyboard again, with one line on what the bot does for this person."""
    user = update.effective_user
    if user is None:
        return
    await requests.offer(update, context)  # words for the canteen: one tap sends them
    lang = await language_of(update, context)
    home = await homes.of(context.deps, user.id)
    text = t(lang, f"core.can_do.{screen(home)}")
    await tell(update, context, text, reply_markup=main_keyboard(lang, home))


async def stale_button(update: Update, context: Context) -> None:
    """A button whose data we no longer know (old version or forged)."""
    query = update.callback_query
    if query is None:
        return
    lang = await language_of(update, context)
    await query.answer(t(lang, "core.error.stale_button"), show_alert=True)
