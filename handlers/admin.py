"""The community admin's handlers: registered here, one button prefix for all their screens.

A roster file sent as a document is checked (dry run) and imported on a button press;
an admin of several canteens first says which canteen it is for. Only admins get past
the services' checks; anyone else is refused kindly.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.core.ptb import App
from bot.services.people import approvals, messages, roster
from handlers import approvals as approval_screens
from handlers import privacy, reports, team
from handlers.buttons import dispatch, show
from handlers.common import Context, deps_of, language_of, refuse, tell, user_id

PREFIX = callbacks.ADMIN.prefix
MAX_DOWNLOAD = roster.MAX_BYTES


async def document(update: Update, context: Context) -> None:
    """An admin sent a roster file: download it, check every row, offer to import."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    deps, lang = deps_of(context), await language_of(update, context)
    sent = message.document
    try:
        await approvals.admin_canteens(deps, user_id(update))
        if (sent.file_size or 0) > MAX_DOWNLOAD:
            raise DomainError("admin.roster.too_big")
        content = await _download(context, sent.file_id)
        found = await roster.stage(deps, user_id(update), sent.file_name or "", content)
    except DomainError as error:
        await refuse(update, context, error)
        return
    if isinstance(found, roster.Pick):
        rows = [
            [
                InlineKeyboardButton(
                    canteen.display_name(lang),
                    callback_data=pack(PREFIX, "imc", found.import_id, canteen.id),
                )
            ]
            for canteen in found.choices
        ]
        markup = InlineKeyboardMarkup(rows)
        await tell(update, context, t(lang, "admin.roster_canteen.which"), reply_markup=markup)
        return
    await tell(
        update, context, messages.roster_summary(lang, found), reply_markup=_dry_run(lang, found)
    )


def _dry_run(lang: str, found: roster.Preview) -> InlineKeyboardMarkup:
    """Import (when there is someone new) and Cancel, under the dry run."""
    rows = [
        [
            InlineKeyboardButton(
                t(lang, "admin.roster.cancel_button"),
                callback_data=pack(PREFIX, "imx", found.import_id),
            )
        ]
    ]
    if found.new:
        label = t(lang, "admin.roster.import_button", count=len(found.new))
        rows.insert(
            0, [InlineKeyboardButton(label, callback_data=pack(PREFIX, "imp", found.import_id))]
        )
    return InlineKeyboardMarkup(rows)


async def choose_canteen(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """The admin said which canteen the file is for: the dry run, then Import or Cancel."""
    deps = deps_of(context)
    found = await roster.choose(deps, user_id(update), callback.int_arg(0), callback.int_arg(1))
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, messages.roster_summary(lang, found), _dry_run(lang, found))


async def _download(context: Context, file_id: str) -> bytes:
    try:
        telegram_file = await context.bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        raise DomainError("admin.roster.download_failed") from error


async def confirm_import(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Import the staged roster file (once, by an admin of its canteen)."""
    added = await roster.confirm(deps_of(context), user_id(update), callback.int_arg(0))
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, t(lang, "admin.roster.imported", count=added), None)


async def cancel_import(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Leave the staged file unimported."""
    await approvals.admin_canteens(deps_of(context), user_id(update))
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, t(lang, "admin.roster.cancelled"), None)


async def on_button(update: Update, context: Context) -> None:
    """The roster file's buttons (the admin's others are routes: see `BUTTONS`)."""
    actions = {"imp": confirm_import, "imx": cancel_import, "imc": choose_canteen}
    await dispatch(update, context, PREFIX, actions)


BUTTONS = (*approval_screens.BUTTONS, *reports.BUTTONS, *privacy.BUTTONS)


def register(app: App, group: int) -> None:
    """Every community-admin command and the roster file; before the fallbacks."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        CommandHandler("approvals", approval_screens.show_queue, filters=private), group=group
    )
    app.add_handler(CommandHandler("report", reports.choose, filters=private), group=group)
    app.add_handler(CommandHandler("audit", privacy.search, filters=private), group=group)
    team.register(app, group)
    app.add_handler(MessageHandler(private & filters.Document.ALL, document), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
