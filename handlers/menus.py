"""/menu: a window's dishes as staff see them; copy last week's, mark a dish sold out."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.core.labels import tag_label, window_label, yuan
from bot.core.ptb import App
from bot.services.ordering import menus
from bot.services.people import staff
from handlers import fallback, windows
from handlers.buttons import answer, dispatch, show
from handlers.common import Context, deps_of, language_of, refuse, tell, user_id

PREFIX = callbacks.MENU.prefix
DRAFT_PREFIX = callbacks.DISH.prefix  # adding a dish: handlers/menu_draft.py


def button(label: str, action: str, *ids: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(PREFIX, action, *ids))


def menu_text(view: menus.MenuView, lang: str) -> Html:
    lines = [t(lang, "staff.menu.title", window=window_label(view.window, lang))]
    for item, taken in view.items:
        left = "∞" if item.capacity is None else str(max(item.capacity - taken, 0))
        tags = " ".join(tag_label(tag, lang) for tag in item.tag_list)
        key = "staff.menu.item_sold_out" if item.sold_out else "staff.menu.item"
        lines.append(
            t(
                lang,
                key,
                code=item.code,
                name=item.display_name(lang),
                price=yuan(item.price_fen),
                tags=Html(tags),
                taken=taken,
                left=left,
            )
        )
    if not view.items:
        lines.append(t(lang, "staff.menu.empty"))
    return Html("\n".join(lines))


def menu_keyboard(view: menus.MenuView, lang: str) -> InlineKeyboardMarkup | None:
    if view.window.state not in menus.EDITABLE:
        return None  # a closed meal's menu is only shown
    rows = [
        [
            button(
                t(
                    lang,
                    "staff.menu.back_on" if item.sold_out else "staff.menu.sold_out",
                    code=item.code,
                ),
                "so",
                item.id,
            )
        ]
        for item, _ in view.items
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "staff.menu.add"), callback_data=pack(DRAFT_PREFIX, "add", view.window.id)
            ),
            button(t(lang, "staff.menu.copy"), "cp", view.window.id),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def menu(update: Update, context: Context) -> None:
    """Ask which window's menu to show."""
    await windows.pick_window(update, context, callbacks.MENU_OF, "staff.menu.pick")


async def _panel(update: Update, context: Context, window_id: int, lang: str) -> None:
    view = await menus.view(deps_of(context), user_id(update), window_id)
    await show(update, menu_text(view, lang), menu_keyboard(view, lang))


async def _show(update: Update, context: Context, callback: Callback, lang: str) -> None:
    view = await menus.view(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await show(update, menu_text(view, lang), menu_keyboard(view, lang))


async def _sold_out(update: Update, context: Context, callback: Callback, lang: str) -> None:
    item = await menus.toggle_sold_out(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await _panel(update, context, item.window_id, lang)


async def _copy(update: Update, context: Context, callback: Callback, lang: str) -> None:
    window_id = callback.int_arg(0)
    added = await menus.copy_last_week(deps_of(context), user_id(update), window_id)
    await answer(update, t(lang, "staff.menu.copied", n=added))
    await _panel(update, context, window_id, lang)


ACTIONS = {
    "w": _show,
    "so": _sold_out,
    "cp": _copy,
}


async def on_button(update: Update, context: Context) -> None:
    """Buttons of the menu screens."""
    await dispatch(update, context, PREFIX, ACTIONS)


async def photo(update: Update, context: Context) -> None:
    """Staff send a dish's photo with its letter as the caption; anyone else's photo gets
    what any message the bot does not understand gets."""
    message = update.effective_message
    deps, account_id = deps_of(context), user_id(update)
    if message is None or not message.photo or not await staff.canteens_of(deps, account_id):
        await fallback.unknown_text(update, context)
        return
    lang = await language_of(update, context)
    try:
        kept = await menus.photo_by_code(
            deps, account_id, message.caption or "", message.photo[-1].file_id
        )
    except DomainError as error:
        await refuse(update, context, error)
        return
    dish = kept[0].display_name(lang)
    await tell(update, context, t(lang, "web.menu.photo_kept", dish=dish, n=len(kept)))


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("menu", menu, filters=private), group=group)
    app.add_handler(MessageHandler(private & filters.PHOTO, photo), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
