"""Choosing the language: Simplified Chinese or English."""

from __future__ import annotations

from telegram import Update

from bot.core.callbacks import unpack
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.people import accounts
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, refuse, remember_language, tell
from handlers.keyboards import LANG_PREFIX, home_keyboard, language_keyboard
from handlers.staff_ui import show


async def ask(update: Update, context: Context) -> None:
    """Offer the two languages as buttons."""
    lang = await language_of(update, context)
    await tell(update, context, t(lang, "core.language.choose"), reply_markup=language_keyboard())


async def chosen(update: Update, context: Context) -> None:
    """Store the chosen language and answer in it; the command menu follows it."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    callback = unpack(LANG_PREFIX, query.data)
    lang = callback.args[0] if callback and callback.action == "set" and callback.args else ""
    try:
        await accounts.set_language(deps_of(context), user.id, lang)
    except DomainError as error:
        await refuse(update, context, error)
        return
    remember_language(context, lang)
    await query.answer()
    await show(update, t(lang, "core.language.changed"), None)  # a forged tap on a file: anew
    await publish_for(context.bot, deps_of(context), user.id)
    keyboard = await home_keyboard(context, user.id, lang)
    await tell(update, context, t(lang, "core.start.choose_below"), reply_markup=keyboard)
