"""The one error handler: log the update's id and kind, tell the user something kind."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.i18n import t
from bot.logs import update_kind
from handlers.common import Context, language_of

log = logging.getLogger("doorstep.errors")


async def on_error(update: object, context: Context) -> None:
    """Log the failure and apologise to the user whose update caused it."""
    # By id and kind: the update itself holds what people wrote (names, phones, addresses).
    log.error("%s caused an error", update_kind(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return
    try:
        lang = await language_of(update, context)
        if update.callback_query is not None:
            await update.callback_query.answer(t(lang, "core.error.generic"), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, t(lang, "core.error.generic"))
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
