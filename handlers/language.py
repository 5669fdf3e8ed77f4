"""Choosing the language: Simplified Chinese or English."""

from __future__ import annotations

from telegram import Update

from bot.core.callbacks import SET_LANGUAGE, Language
from bot.core.i18n import t
from bot.services.people import accounts
from handlers.buttons import Button, answer, show
from handlers.command_menus import publish_for
from handlers.common import Context, language_of, remember_language, tell, user_id
from handlers.keyboards import home_keyboard, language_keyboard


async def ask(update: Update, context: Context) -> None:
    """Offer the two languages as buttons."""
    lang = await language_of(update, context)
    await tell(update, context, t(lang, "core.language.choose"), reply_markup=language_keyboard())


async def chosen(update: Update, context: Context, choice: Language, _: str) -> None:
    """Store the chosen language and answer in it; the command menu follows it."""
    account_id, lang = user_id(update), choice.code
    await accounts.set_language(context.deps, account_id, lang)
    remember_language(context, lang)
    await answer(update)
    await show(update, t(lang, "core.language.changed"), None)
    await publish_for(context.bot, context.deps, account_id)
    keyboard = await home_keyboard(context, account_id, lang)
    await tell(update, context, t(lang, "core.start.choose_below"), reply_markup=keyboard)


BUTTONS = (Button(SET_LANGUAGE, chosen),)
