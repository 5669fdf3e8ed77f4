"""Adding a dish step by step: name, price, diet tags as toggles, portions available.

While a dish is being added, the cook's typed text answers its questions. Any command,
main-keyboard button or other button ends it (so a dish left half-added does not swallow
later text), and so does the day's change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.core.labels import tag_label
from bot.core.ptb import App
from bot.services.ordering import menus
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import home_keyboard
from handlers.menus import DRAFT_PREFIX as PREFIX
from handlers.menus import menu_keyboard, menu_text
from handlers.staff_ui import answer, dispatch, show, user_id

DRAFTS = "menu_drafts"
# The steps of adding a dish, one question each.
NAME, PRICE, TAGS, PORTIONS = "name", "price", "tags", "portions"
# After the features: a command or another button has done its work, then the dish ends.
LEAVE_GROUP = 2


def button(label: str, action: str, *ids: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(PREFIX, action, *ids))


@dataclass
class Draft:
    window_id: int
    step: str = NAME
    name: str = ""
    price_fen: int = 0
    tags: set[str] = field(default_factory=set)
    day: date | None = None  # the day it began; it ends at the day's change


class Drafting(filters.MessageFilter):
    """Text from a user who is in the middle of adding a dish."""

    def __init__(self, drafts: dict[int, Draft]) -> None:
        super().__init__(name="Drafting")
        self.drafts = drafts

    def filter(self, message: Message) -> bool:
        return message.from_user is not None and message.from_user.id in self.drafts


def drafts_of(context: Context) -> dict[int, Draft]:
    return cast(dict[int, Draft], context.bot_data[DRAFTS])


def drop_draft(context: Context, account_id: int) -> None:
    """Forget the dish this account was adding, if any."""
    drafts_of(context).pop(account_id, None)


async def leave(update: Update, context: Context) -> None:
    """A command or another screen's button: the dish being added is abandoned."""
    if update.effective_user is not None:
        drop_draft(context, update.effective_user.id)


def _today(context: Context) -> date:
    return deps_of(context).clock.now().date()


def tags_keyboard(draft: Draft, lang: str) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                ("✅ " if tag in draft.tags else "▫️ ") + tag_label(tag, lang),
                "tg",
                draft.window_id,
                i,
            )
        ]
        for i, tag in enumerate(menus.TAGS)
    ]
    rows.append([button(t(lang, "staff.menu.next"), "tn", draft.window_id)])
    rows.append([cancel_button(draft.window_id, lang)])
    return InlineKeyboardMarkup(rows)


def cancel_button(window_id: int, lang: str) -> InlineKeyboardButton:
    return button(t(lang, "core.button.cancel"), "x", window_id)


async def _add(update: Update, context: Context, callback: Callback, lang: str) -> None:
    window_id = callback.int_arg(0)
    await menus.check_editable(deps_of(context), user_id(update), window_id)
    drafts_of(context)[user_id(update)] = Draft(window_id, day=_today(context))
    await answer(update)
    markup = InlineKeyboardMarkup([[cancel_button(window_id, lang)]])
    await tell(update, context, t(lang, "staff.menu.ask_name"), reply_markup=markup)


async def _toggle_tag(update: Update, context: Context, callback: Callback, lang: str) -> None:
    draft = _draft_at(context, update, callback, TAGS)
    tag = menus.TAGS[callback.int_arg(1)]
    draft.tags.symmetric_difference_update({tag})
    await answer(update)
    await show(update, t(lang, "staff.menu.ask_tags"), tags_keyboard(draft, lang))


async def _tags_done(update: Update, context: Context, callback: Callback, lang: str) -> None:
    draft = _draft_at(context, update, callback, TAGS)
    draft.step = PORTIONS
    await answer(update)
    rows = [[button(t(lang, "staff.menu.no_limit"), "nl", draft.window_id)]]
    rows.append([cancel_button(draft.window_id, lang)])
    await show(update, t(lang, "staff.menu.ask_portions"), InlineKeyboardMarkup(rows))


async def _no_limit(update: Update, context: Context, callback: Callback, lang: str) -> None:
    draft = _draft_at(context, update, callback, PORTIONS)
    await answer(update)
    await _finish(update, context, draft, None, lang)


async def _cancel(update: Update, context: Context, callback: Callback, lang: str) -> None:
    drafts_of(context).pop(user_id(update), None)
    await answer(update)
    await show(update, t(lang, "staff.menu.cancelled"), None)


def _draft_at(context: Context, update: Update, callback: Callback, step: str) -> Draft:
    draft = drafts_of(context).get(user_id(update))
    if draft is None or draft.window_id != callback.int_arg(0) or draft.step != step:
        raise DomainError("core.error.stale_button")
    return draft


async def on_text(update: Update, context: Context) -> None:
    """The answer to the current question of adding a dish."""
    message = update.effective_message
    draft = drafts_of(context).get(user_id(update))
    if message is None or message.text is None or draft is None:
        return
    lang = await language_of(update, context)
    if draft.day != _today(context):
        drop_draft(context, user_id(update))
        keyboard = await home_keyboard(context, user_id(update), lang)
        await tell(update, context, t(lang, "core.home.expired"), reply_markup=keyboard)
        return
    try:
        await _step(update, context, draft, message.text, lang)
    except DomainError as error:
        await refuse(update, context, error)


async def _step(update: Update, context: Context, draft: Draft, text: str, lang: str) -> None:
    cancel = InlineKeyboardMarkup([[cancel_button(draft.window_id, lang)]])
    if draft.step == NAME:
        draft.name, draft.step = menus.clean_name(text), PRICE
        await tell(
            update, context, t(lang, "staff.menu.ask_price", name=draft.name), reply_markup=cancel
        )
    elif draft.step == PRICE:
        draft.price_fen, draft.step = menus.parse_price(text), TAGS
        await tell(
            update, context, t(lang, "staff.menu.ask_tags"), reply_markup=tags_keyboard(draft, lang)
        )
    elif draft.step == PORTIONS:
        await _finish(update, context, draft, menus.parse_portions(text), lang)
    else:
        await tell(update, context, t(lang, "staff.menu.use_buttons"))


async def _finish(
    update: Update, context: Context, draft: Draft, portions: int | None, lang: str
) -> None:
    deps = deps_of(context)
    drafts_of(context).pop(user_id(update), None)
    item = await menus.add_dish(
        deps,
        user_id(update),
        draft.window_id,
        draft.name,
        draft.price_fen,
        sorted(draft.tags),
        portions,
    )
    view = await menus.view(deps, user_id(update), draft.window_id)
    await tell(update, context, t(lang, "staff.menu.added", code=item.code, name=item.name))
    await tell(update, context, menu_text(view, lang), reply_markup=menu_keyboard(view, lang))


ACTIONS = {
    "add": _add,
    "tg": _toggle_tag,
    "tn": _tags_done,
    "nl": _no_limit,
    "x": _cancel,
}


async def on_button(update: Update, context: Context) -> None:
    """Buttons of adding a dish."""
    await dispatch(update, context, PREFIX, ACTIONS)


def register(app: App, group: int) -> None:
    drafts: dict[int, Draft] = {}
    app.bot_data[DRAFTS] = drafts
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND & Drafting(drafts)
    app.add_handler(MessageHandler(typed, on_text), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
    app.add_handler(MessageHandler(filters.COMMAND, leave), group=LEAVE_GROUP)
    app.add_handler(CallbackQueryHandler(leave, pattern=rf"^(?!{PREFIX}:)"), group=LEAVE_GROUP)
