"""Step-by-step questions for residents, one per message, kept in user_data.

Every step shows big reply-keyboard buttons with Back and Cancel; what a button means is
remembered in `options`, so a tap is looked up and anything else counts as typed text.
/start, Cancel or a main-menu button leave the flow; nothing is stored until its last step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update

from bot.i18n import Html, t
from bot.services import accounts
from bot.services.errors import DomainError
from handlers import fallback
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import button_texts, main_keyboard

KEY = "resident_flow"
Rows = Sequence[Sequence[tuple[str, str]]]  # rows of (label, value)


@dataclass
class Flow:
    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class Feature:
    asks: dict[str, Step]
    answers: dict[str, Answer]


def account_of(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def begin(context: Context, name: str, step: str, data: dict[str, Any] | None = None) -> Flow:
    flow = Flow(name, step, dict(data or {}))
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
) -> None:
    """Ask one question with big buttons (plus Back and Cancel)."""
    lang = await language_of(update, context)
    flow.options = {label: value for row in rows for label, value in row}
    keyboard: list[list[KeyboardButton | str]] = [[label for label, _ in row] for row in rows]
    if special is not None:
        keyboard.insert(0, [special])
    keyboard.append([t(lang, "core.button.back"), t(lang, "core.button.cancel")])
    markup = ReplyKeyboardMarkup(keyboard, resize_keyboard=True)
    await tell(update, context, text, reply_markup=markup)


async def finish(update: Update, context: Context, text: Html) -> None:
    """Leave the flow and show the main keyboard again."""
    end(context)
    user = update.effective_user
    assert user is not None
    lang = await language_of(update, context)
    who = await accounts.who(deps_of(context), user.id)
    await tell(update, context, text, reply_markup=main_keyboard(lang, who))


def reply_of(update: Update, flow: Flow) -> Reply:
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    phone = message.contact.phone_number if message.contact else None
    place = message.location
    location = (place.latitude, place.longitude) if place else None
    return Reply(text, flow.options.get(text), phone, location)


class Dispatcher:
    """Routes a message to the step the user is on; no step means the fallback answers."""

    def __init__(self, features: dict[str, Feature]) -> None:
        self.features = features

    async def on_message(self, update: Update, context: Context) -> None:
        """Answer the current question, or go Back, or Cancel."""
        flow = current(context)
        message = update.effective_message
        if flow is None or message is None or flow.name not in self.features:
            await fallback.unknown_text(update, context)
            return
        feature = self.features[flow.name]
        text = message.text or ""
        lang = await language_of(update, context)
        if text in button_texts("core.button.cancel"):
            await finish(update, context, t(lang, "resident.flow.cancelled"))
            return
        if text in button_texts("core.button.back"):
            if not flow.history:
                await finish(update, context, t(lang, "core.start.choose_below"))
                return
            flow.step = flow.history.pop()
            await feature.asks[flow.step](update, context, flow)
            return
        try:
            await feature.answers[flow.step](update, context, flow, reply_of(update, flow))
        except DomainError as error:
            await refuse(update, context, error)
