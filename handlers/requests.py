"""Requests by voice or in words: to the staff as an incident, and "call her" for staff."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import IncidentRef, RequestDraft
from bot.core.i18n import t
from bot.core.ptb import App
from bot.services.incidents import messages, requests
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


async def _sent(update: Update, context: Context, asked: requests.Asked, lang: str) -> None:
    """The sender hears that a person will answer, and within how long."""
    own = await requests.is_self(context.deps, user_id(update), asked.resident.id)
    body = messages.told_sender(lang, asked.resident.name, asked.minutes, own=own)
    if update.callback_query is not None:
        await show(update, body, None)
    else:
        await tell(update, context, body)


async def voice(update: Update, context: Context) -> None:
    """A voice message: to the staff at once, or after "which senior?" for several."""
    message = update.effective_message
    if message is None or message.voice is None:
        return
    lang = await language_of(update, context)
    deps, account_id = context.deps, user_id(update)
    seniors = await requests.seniors_of(deps, account_id)
    if not seniors:
        await tell(update, context, t(lang, "incident.request.none"))
        return
    file_id, caption = message.voice.file_id, message.caption or ""
    if len(seniors) == 1:
        asked = await requests.ask(deps, account_id, seniors[0].id, caption, file_id)
        await _sent(update, context, asked, lang)
        return
    await requests.keep(deps, account_id, message.message_id, caption, file_id)
    rows = messages.offer_buttons(message.message_id, [(r.id, r.name) for r in seniors], lang)
    await tell(update, context, messages.which(lang), reply_markup=inline(rows))


async def offer(update: Update, context: Context) -> None:
    """Typed words the bot did not understand, from someone who acts for a senior: kept,
    and offered back with one button to send them to the canteen."""
    message = update.effective_message
    if message is None or not message.text or message.text.startswith("/"):
        return
    deps, account_id = context.deps, user_id(update)
    seniors = await requests.seniors_of(deps, account_id)
    if not seniors:
        return
    lang = await language_of(update, context)
    await requests.keep(deps, account_id, message.message_id, message.text, None)
    rows = messages.offer_buttons(message.message_id, [(r.id, r.name) for r in seniors], lang)
    await tell(update, context, messages.offer(lang), reply_markup=inline(rows))


async def send(update: Update, context: Context, tap: RequestDraft, lang: str) -> None:
    """One tap: the kept words (or voice) go to the staff."""
    asked = await requests.send_kept(context.deps, user_id(update), tap.message, tap.resident)
    await answer(update)
    await _sent(update, context, asked, lang)


async def call(update: Update, context: Context, tap: IncidentRef, lang: str) -> None:
    """Her number, in a message of its own (a number in a message is tapped to call)."""
    resident = await requests.phone(context.deps, user_id(update), tap.incident)
    await answer(update)
    await tell(update, context, messages.call(lang, resident.name, resident.phone))


BUTTONS = (Button(callbacks.REQUEST_SEND, send), Button(callbacks.INCIDENT_CALL, call))


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.VOICE, voice), group=group)
