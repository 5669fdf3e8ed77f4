"""Adding a dish step by step: name, price, diet tags as toggles, portions available.

A flow of the one flow machine: the cook's typed text answers its questions through the
machine's message handler, its inline buttons (tags, Next, No limit, Cancel) come here.
Any command, main-keyboard button or other button ends it (so a dish left half-added does
not swallow later text), and so does the day's change.
"""

from __future__ import annotations

from pydantic import BaseModel
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.core.labels import tag_label
from bot.core.ptb import App
from bot.services.ordering import menus
from handlers import conversation, multiselect
from handlers.buttons import answer, dispatch, show
from handlers.common import Context, deps_of, language_of, tell, user_id
from handlers.conversation import Feature, Flow, Reply
from handlers.menus import DRAFT_PREFIX as PREFIX
from handlers.menus import menu_keyboard, menu_text

NAME = "dish"
# The steps of adding a dish, one question each.
DISH_NAME, PRICE, TAGS, PORTIONS = "name", "price", "tags", "portions"
# After the features: a command or another button has done its work, then the dish ends.
LEAVE_GROUP = 2


class DishAnswers(BaseModel):
    """The dish as told so far, for one meal's menu."""

    window_id: int
    name: str = ""
    price_fen: int = 0
    tags: list[str] = []


Adding = Flow[DishAnswers]


def button(label: str, action: str, *ids: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(PREFIX, action, *ids))


def drop_draft(context: Context, account_id: int) -> None:
    """Forget the dish being added, if that is what the person was doing."""
    if conversation.current_of(context, NAME, DishAnswers) is not None:
        conversation.end(context)


async def leave(update: Update, context: Context) -> None:
    """A command or another screen's button: the dish being added is abandoned."""
    if update.effective_user is not None:
        drop_draft(context, update.effective_user.id)


def tags_keyboard(flow: Adding, lang: str) -> InlineKeyboardMarkup:
    window_id = flow.data.window_id
    labels = [(tag_label(tag, lang), tag) for tag in menus.TAGS]
    rows = [
        [button(label, "tg", window_id, menus.TAGS.index(tag))]
        for label, tag in multiselect.marked(labels, flow.data.tags, unchosen="▫️ ")
    ]
    rows.append([button(t(lang, "staff.menu.next"), "tn", window_id)])
    rows.append([cancel_button(window_id, lang)])
    return InlineKeyboardMarkup(rows)


def cancel_button(window_id: int, lang: str) -> InlineKeyboardButton:
    return button(t(lang, "core.button.cancel"), "x", window_id)


def _cancel_only(flow: Adding, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[cancel_button(flow.data.window_id, lang)]])


def _portions_keyboard(flow: Adding, lang: str) -> InlineKeyboardMarkup:
    rows = [[button(t(lang, "staff.menu.no_limit"), "nl", flow.data.window_id)]]
    rows.append([cancel_button(flow.data.window_id, lang)])
    return InlineKeyboardMarkup(rows)


async def ask_name(update: Update, context: Context, flow: Adding) -> None:
    lang = await language_of(update, context)
    markup = _cancel_only(flow, lang)
    await tell(update, context, t(lang, "staff.menu.ask_name"), reply_markup=markup)


async def ask_price(update: Update, context: Context, flow: Adding) -> None:
    lang = await language_of(update, context)
    text = t(lang, "staff.menu.ask_price", name=flow.data.name)
    await tell(update, context, text, reply_markup=_cancel_only(flow, lang))


async def ask_tags(update: Update, context: Context, flow: Adding) -> None:
    lang = await language_of(update, context)
    markup = tags_keyboard(flow, lang)
    await tell(update, context, t(lang, "staff.menu.ask_tags"), reply_markup=markup)


async def ask_portions(update: Update, context: Context, flow: Adding) -> None:
    lang = await language_of(update, context)
    markup = _portions_keyboard(flow, lang)
    await tell(update, context, t(lang, "staff.menu.ask_portions"), reply_markup=markup)


async def answer_name(update: Update, context: Context, flow: Adding, reply: Reply) -> None:
    flow.data.name = menus.clean_name(reply.text)
    flow.go(PRICE)
    await ask_price(update, context, flow)


async def answer_price(update: Update, context: Context, flow: Adding, reply: Reply) -> None:
    flow.data.price_fen = menus.parse_price(reply.text)
    flow.go(TAGS)
    await ask_tags(update, context, flow)


async def answer_tags(update: Update, context: Context, flow: Adding, reply: Reply) -> None:
    """Typed text while the tags are asked: the tags are buttons."""
    lang = await language_of(update, context)
    await tell(update, context, t(lang, "staff.menu.use_buttons"))


async def answer_portions(update: Update, context: Context, flow: Adding, reply: Reply) -> None:
    await _finish(update, context, flow, menus.parse_portions(reply.text))


async def _add(update: Update, context: Context, callback: Callback, lang: str) -> None:
    window_id = callback.int_arg(0)
    await menus.check_editable(deps_of(context), user_id(update), window_id)
    flow = conversation.begin(context, NAME, DISH_NAME, DishAnswers(window_id=window_id))
    await answer(update)
    await ask_name(update, context, flow)


async def _toggle_tag(update: Update, context: Context, callback: Callback, lang: str) -> None:
    flow = _adding_at(context, callback, TAGS)
    tag = menus.TAGS[callback.int_arg(1)]
    flow.data.tags = multiselect.toggled(menus.TAGS, flow.data.tags, tag)
    await answer(update)
    await show(update, t(lang, "staff.menu.ask_tags"), tags_keyboard(flow, lang))


async def _tags_done(update: Update, context: Context, callback: Callback, lang: str) -> None:
    flow = _adding_at(context, callback, TAGS)
    flow.go(PORTIONS)
    await answer(update)
    await show(update, t(lang, "staff.menu.ask_portions"), _portions_keyboard(flow, lang))


async def _no_limit(update: Update, context: Context, callback: Callback, lang: str) -> None:
    flow = _adding_at(context, callback, PORTIONS)
    await answer(update)
    await _finish(update, context, flow, None)


async def _cancel(update: Update, context: Context, callback: Callback, lang: str) -> None:
    drop_draft(context, user_id(update))
    await answer(update)
    await show(update, t(lang, "staff.menu.cancelled"), None)


def _adding_at(context: Context, callback: Callback, step: str) -> Adding:
    """The dish being added, when the button pressed is one of its current question."""
    flow = conversation.current_of(context, NAME, DishAnswers)
    if flow is None or flow.data.window_id != callback.int_arg(0) or flow.step != step:
        raise DomainError("core.error.stale_button")
    if flow.day != conversation.today(context):
        raise DomainError("core.error.stale_button")
    return flow


async def _finish(update: Update, context: Context, flow: Adding, portions: int | None) -> None:
    """Add the dish (the only write of the flow), then show the menu with it."""
    deps, lang, data = deps_of(context), await language_of(update, context), flow.data
    conversation.end(context)
    item = await menus.add_dish(
        deps,
        user_id(update),
        data.window_id,
        data.name,
        data.price_fen,
        sorted(data.tags),
        portions,
    )
    view = await menus.view(deps, user_id(update), data.window_id)
    await tell(update, context, t(lang, "staff.menu.added", code=item.code, name=item.name))
    await tell(update, context, menu_text(view, lang), reply_markup=menu_keyboard(view, lang))


ACTIONS = {
    "add": _add,
    "tg": _toggle_tag,
    "tn": _tags_done,
    "nl": _no_limit,
    "x": _cancel,
}

FEATURE = Feature(
    asks={DISH_NAME: ask_name, PRICE: ask_price, TAGS: ask_tags, PORTIONS: ask_portions},
    answers={
        DISH_NAME: answer_name,
        PRICE: answer_price,
        TAGS: answer_tags,
        PORTIONS: answer_portions,
    },
    state=DishAnswers,
)


async def on_button(update: Update, context: Context) -> None:
    """Buttons of adding a dish."""
    await dispatch(update, context, PREFIX, ACTIONS)


def register(app: App, group: int) -> None:
    """Its buttons; its typed answers come through the flow machine's message handler."""
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
    app.add_handler(MessageHandler(filters.COMMAND, leave), group=LEAVE_GROUP)
    app.add_handler(CallbackQueryHandler(leave, pattern=rf"^(?!{PREFIX}:)"), group=LEAVE_GROUP)
