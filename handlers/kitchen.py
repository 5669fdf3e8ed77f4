"""/sheet: the kitchen sheet of a window on demand, as text and as a CSV document.

/sheet (like /orders) works in a private chat and in a canteen's kitchen group, for that
canteen's staff; the sheet goes to the chat it was asked in.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core import pager
from bot.core.callbacks import Callback, pattern
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.core.ptb import App
from bot.services.kitchen import kitchen_sheet, messages
from handlers.common import Context, deps_of, tell
from handlers.staff_ui import STAFF_CHATS, dispatch, pick_window, user_id

PREFIX = "ktn1"


async def sheet(update: Update, context: Context) -> None:
    """Ask which window's kitchen sheet to show."""
    await pick_window(update, context, PREFIX, "staff.sheet.pick")


async def _send(update: Update, context: Context, callback: Callback, lang: str) -> None:
    built = await kitchen_sheet.on_demand(
        deps_of(context), user_id(update), callback.int_arg(0), lang
    )
    assert update.callback_query is not None
    await update.callback_query.answer()
    for page in pager.split(messages.sheet(built, lang)):
        await tell(update, context, page)
    caption = t(lang, "staff.sheet.csv_caption", window=Html(window_label(built.window, lang)))
    document = InputFile(kitchen_sheet.to_csv(built), filename=kitchen_sheet.filename(built.window))
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, document, caption=caption)


async def on_button(update: Update, context: Context) -> None:
    """The window picked for /sheet."""
    await dispatch(update, context, PREFIX, {"w": _send})


def register(app: App, group: int) -> None:
    app.add_handler(CommandHandler("sheet", sheet, filters=STAFF_CHATS), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
