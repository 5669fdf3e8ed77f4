"""The one error handler: a rule's refusal (a `DomainError`, an out-of-date button
included) is told kindly, as the tap's answer or a message; anything else is logged and the
user hears an apology. Handlers raise refusals and leave the answering to this."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.core.logs import update_kind
from handlers import conversation
from handlers.common import Context, language_of, refuse, tell
from handlers.keyboards import home_keyboard

log = logging.getLogger("doorstep.errors")


async def on_error(update: object, context: Context) -> None:
    """Log the failure and apologise to the user whose update caused it."""
    if isinstance(update, Update) and isinstance(context.error, DomainError):
        await _refused(update, context, context.error)
        return
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


async def _refused(update: Update, context: Context, error: DomainError) -> None:
    """A rule said no, or a button was out of date: a tap is answered with why (any question
    half-answered stays); a message in a private chat (a senior still waiting for approval
    taps Order, say) leaves any half-begun question, says why, shows the home keyboard."""
    log.info("update %s refused: %s", update.update_id, error.key)
    user, chat = update.effective_user, update.effective_chat
    if update.callback_query is not None or user is None or chat is None or chat.type != "private":
        await refuse(update, context, error)
        return
    conversation.end(context)
    lang = await language_of(update, context)
    keyboard = await home_keyboard(context, user.id, lang)
    await tell(update, context, t(lang, error.key, **error.values), reply_markup=keyboard)
