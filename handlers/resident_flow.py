"""Step-by-step questions for residents, one per message, kept in user_data.

Every step shows big reply-keyboard buttons with Back and Cancel; what a button means is
remembered in `options` (and `aliases`, such as a dish's code), so a tap is looked up, a
typed answer that fits one choice ("A", "一份", "lunch today") counts as that choice, and
anything else counts as typed text. /start, Cancel (tapped or typed), a main-menu button,
or typed words that mean one where no choice fits, leave the flow; nothing is stored until
its last step. A flow remembers the day it began: buttons such as "Lunch today" mean that
day, so on a later day the flow has expired and says so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update

from bot.core import words
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from handlers import fallback
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import button_texts, home_keyboard

KEY = "resident_flow"
Rows = Sequence[Sequence[tuple[str, str]]]  # rows of (label, value)


@dataclass
class Flow:
    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    day: date | None = None  # the day its questions were asked ("today" means this day)

    def go(self, step: str) -> None:
        self.history.append(self.step)
        self.step = step


@dataclass(frozen=True)
class Reply:
    text: str
    choice: str | None
    phone: str | None = None
    location: tuple[float, float] | None = None


Step = Callable[[Update, Context, Flow], Awaitable[None]]
Answer = Callable[[Update, Context, Flow, Reply], Awaitable[None]]
Understood = Callable[[Update, Context], Awaitable[bool]]


@dataclass(frozen=True)
class Feature:
    asks: dict[str, Step]
    answers: dict[str, Answer]


def account_of(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def today(context: Context) -> date:
    return deps_of(context).clock.now().date()


def begin(context: Context, name: str, step: str, data: dict[str, Any] | None = None) -> Flow:
    flow = Flow(name, step, dict(data or {}), day=today(context))
    if context.user_data is not None:
        context.user_data[KEY] = flow
    return flow


def current(context: Context) -> Flow | None:
    found = context.user_data.get(KEY) if context.user_data is not None else None
    return cast(Flow | None, found)


def end(context: Context) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


async def drop(update: Update, context: Context) -> None:
    """/start leaves any question half-way (runs before the /start handler itself)."""
    end(context)


async def ask(
    update: Update,
    context: Context,
    flow: Flow,
    text: Html,
    rows: Rows,
    *,
    special: KeyboardButton | None = None,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Ask one question with big buttons (plus Back and Cancel); `aliases` are other words
    for a choice that may be typed (a dish's code)."""
    lang = await language_of(update, context)
    flow.options = {label: value for row in rows for label, value in row}
    flow.aliases = dict(aliases or {})
    keyboard: list[list[KeyboardButton | str]] = [[label for label, _ in row] for row in rows]
    if special is not None:
        keyboard.insert(0, [special])
    keyboard.append([t(lang, "core.button.back"), t(lang, "core.button.cancel")])
    markup = ReplyKeyboardMarkup(keyboard, resize_keyboard=True)
    await tell(update, context, text, reply_markup=markup)


async def finish(update: Update, context: Context, text: Html) -> None:
    """Leave the flow and show the main keyboard again."""
    end(context)
    lang = await language_of(update, context)
    keyboard = await home_keyboard(context, account_of(update), lang)
    await tell(update, context, text, reply_markup=keyboard)


def reply_of(update: Update, flow: Flow) -> Reply:
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    phone = message.contact.phone_number if message.contact else None
    place = message.location
    location = (place.latitude, place.longitude) if place else None
    return Reply(text, words.choose(text, flow.options, flow.aliases), phone, location)


def _is(text: str, button: str, typed: str) -> bool:
    """The Back or Cancel button, tapped or its words typed ("取消", "back")."""
    return text in button_texts(button) or words.said(text, typed)


class Dispatcher:
    """Routes a message to the step the user is on; with no step, typed words or the fallback.

    `understood` opens what typed words mean (a main-menu feature) and says whether it did.
    """

    def __init__(self, features: dict[str, Feature], understood: Understood) -> None:
        self.features = features
        self.understood = understood

    async def on_message(self, update: Update, context: Context) -> None:
        """Answer the current question, or go Back, or Cancel."""
        flow = current(context)
        message = update.effective_message
        if flow is None or message is None or flow.name not in self.features:
            if not await self.understood(update, context):
                await fallback.unknown_text(update, context)
            return
        lang = await language_of(update, context)
        if flow.day is not None and flow.day != today(context):
            await finish(update, context, t(lang, "core.home.expired"))
            return
        feature = self.features[flow.name]
        reply = reply_of(update, flow)
        if reply.choice is None and _is(reply.text, "core.button.cancel", "cancel"):
            await finish(update, context, t(lang, "resident.flow.cancelled"))
            return
        if reply.choice is None and _is(reply.text, "core.button.back", "back"):
            if not flow.history:
                await finish(update, context, t(lang, "core.start.choose_below"))
                return
            flow.step = flow.history.pop()
            await feature.asks[flow.step](update, context, flow)
            return
        try:
            await feature.answers[flow.step](update, context, flow, reply)
        except DomainError as error:
            if reply.choice is None and await self.understood(update, context):
                return  # no choice fitted, and the words name a main-menu feature
            await refuse(update, context, error)
