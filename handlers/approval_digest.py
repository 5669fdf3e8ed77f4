"""The buttons of an approval digest: Approve or Decline one senior; the digest then shows
what was done and the others still waiting on it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler

from bot.core.callbacks import Callback, pattern, unpack
from bot.core.i18n import t
from bot.core.ptb import App
from bot.services.notices import notify
from bot.services.people import approval_digest, messages, resident_approval
from handlers.common import Context, deps_of
from handlers.staff_ui import answer, dispatch, show, user_id

PREFIX = messages.DIGEST_PREFIX


def markup(buttons: notify.Buttons) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(label, callback_data=data) for label, data in r] for r in buttons]
    return InlineKeyboardMarkup(rows) if rows else None


def _on_message(update: Update) -> list[int]:
    """The seniors the tapped digest still offers buttons for."""
    query = update.callback_query
    message = query.message if query else None
    keyboard = message.reply_markup if isinstance(message, Message) else None
    found = []
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            data = unpack(PREFIX, str(button.callback_data or ""))
            if data is not None and data.args and data.args[0].isdigit():
                found.append(int(data.args[0]))
    return found


async def decided(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Approve ("ok") or decline ("no") one senior of the digest."""
    deps, admin_id = deps_of(context), user_id(update)
    resident_id = callback.int_arg(0)
    decided = await resident_approval.decide(deps, admin_id, resident_id, callback.action == "ok")
    done = t(lang, f"resident.approval.done_{decided.status}", name=decided.name)
    others = [found for found in _on_message(update) if found != resident_id]
    rest = await approval_digest.still_waiting(deps, admin_id, others)
    page = messages.digest_pages(lang, rest, done)[0]  # they fitted on this page before
    await answer(update)
    await show(update, page.text, markup(page.buttons))


async def on_button(update: Update, context: Context) -> None:
    """Every digest button (the decision is checked again in the service)."""
    await dispatch(update, context, PREFIX, {"ok": decided, "no": decided})


def register(app: App, group: int) -> None:
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
