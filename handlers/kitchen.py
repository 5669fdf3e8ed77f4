"""/sheet: the kitchen sheet of a window on demand, as text and as a CSV document.

/sheet (like /orders) works in a private chat and in a canteen's kitchen group, for that
canteen's staff; the sheet goes to the chat it was asked in.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.core import callbacks, pager
from bot.core.callbacks import WindowPage
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.core.ptb import App
from bot.services.kitchen import kitchen_sheet, messages
from handlers.buttons import Button, answer
from handlers.common import Context, tell, user_id
from handlers.windows import STAFF_CHATS, pick_window


async def sheet(update: Update, context: Context) -> None:
    """Ask which window's kitchen sheet to show."""
    await pick_window(update, context, callbacks.SHEET_OF, "staff.sheet.pick")


async def send(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    """The picked window's sheet: its text in parts, then the CSV."""
    built = await kitchen_sheet.on_demand(context.deps, user_id(update), tap.window, lang)
    await answer(update)
    for page in pager.split(messages.sheet(built, lang)):
        await tell(update, context, page)
    caption = t(lang, "staff.sheet.csv_caption", window=Html(window_label(built.window, lang)))
    document = InputFile(kitchen_sheet.to_csv(built), filename=kitchen_sheet.filename(built.window))
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, document, caption=caption)


BUTTONS = (Button(callbacks.SHEET_OF, send),)


def register(app: App, group: int) -> None:
    app.add_handler(CommandHandler("sheet", sheet, filters=STAFF_CHATS), group=group)
