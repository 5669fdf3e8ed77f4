"""The one flow machine: every step-by-step question (registering, ordering, regular meals,
ordering for a senior, a volunteer's availability and notes, adding a dish, changing an
order, a senior's details) runs on it.

A flow is a name, the step it is at (each feature names its steps as constants), its
answers so far (a typed model of its own), what the buttons on the screen mean, the steps
Back returns to, and the day it began. A question is one message with big buttons plus
Back and Cancel (`ask`); a tap is looked up in `options` (and `aliases`, such as a dish's
code), a typed answer that fits one choice ("A", "一份", "lunch today") counts as that
choice, and anything else counts as typed text. /start, Cancel (tapped or typed), a
main-menu button, or typed words that mean one where no choice fits, leave the flow;
nothing else is stored until its last step. "Lunch today" means the day the flow began,
so on a later day the flow has expired and says so.

The store keeps the flow (data/flows.py): `Flows.load` reads the person's flow before any
feature sees an update from their private chat, the handlers work on it in the chat's
`context.chat_data` (the private chat's updates come one at a time, so no other update
sees it half-done; a group's updates never see it), and `Flows.keep` writes it back as
the update left it, after every feature has run (and removes it once the flow has
ended). So a restart, or another process, goes on at the same question, and the buttons
the person sees still mean what they meant.

Why our own machine and not PTB's ConversationHandler with a persistence class: PTB's
persistence pickles user_data and conversation states and writes them on a timer or at
shutdown, so a killed process loses the last answers, and a pickle breaks when a class
moves; a ConversationHandler must own every handler of every state, which sits badly with
main-menu buttons and typed words that must win over any question, and with buttons of
a flow pressed on an older message; and its answers are an untyped dict. Here a flow's
answers are a pydantic model (or a dataclass) read back through pydantic, in a row of our
own store next to everything else the bot keeps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any, Generic, TypeAlias, cast

from pydantic import TypeAdapter, ValidationError
from telegram import KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.constants import ChatType
from typing_extensions import TypeVar

from bot.core import words
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from data import flows
from handlers import fallback
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import button_texts, home_keyboard

KEY = "flow"  # chat_data: the flow this update works on
KEPT = "flow_kept"  # chat_data: the flow as the store had it, so only a change is written
Rows = Sequence[Sequence[tuple[str, str]]]  # rows of (label, value)
S = TypeVar("S", default=dict[str, Any])  # a flow's answers (a dict for flows not yet typed)
M = TypeVar("M")


@dataclass
class Flow(Generic[S]):
    name: str
    step: str
    data: S
    day: date  # the day its questions were asked ("today" means this day)
    options: dict[str, str] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)

    def go(self, step: str) -> None:
        self.history.append(self.step)
        self.step = step


@dataclass(frozen=True)
class Reply:
    text: str
    choice: str | None
    phone: str | None = None
    location: tuple[float, float] | None = None


Step: TypeAlias = Callable[[Update, Context, Flow[S]], Awaitable[None]]
Answer: TypeAlias = Callable[[Update, Context, Flow[S], Reply], Awaitable[None]]
Understood = Callable[[Update, Context], Awaitable[bool]]


@dataclass(frozen=True)
class Feature(Generic[S]):
    """A flow's questions and answers by step, and the type its answers are read back as."""

    asks: dict[str, Step[S]]
    answers: dict[str, Answer[S]]
    state: Any = dict[str, Any]  # a model, dataclass or TypedDict pydantic can read JSON into


def account_of(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def today(context: Context) -> date:
    return deps_of(context).clock.now().date()


def begin(context: Context, name: str, step: str, data: S) -> Flow[S]:
    """Start a flow (any flow the person was in ends)."""
    flow = Flow(name, step, data, today(context))
    if context.chat_data is not None:
        context.chat_data[KEY] = flow
    return flow


def current(context: Context) -> Flow[Any] | None:
    found = context.chat_data.get(KEY) if context.chat_data is not None else None
    return cast(Flow[Any] | None, found)


def current_of(context: Context, name: str, state: type[M]) -> Flow[M] | None:
    """The person's flow if it is `name` (a button of that flow was pressed), else None."""
    flow = current(context)
    if flow is None or flow.name != name or not isinstance(flow.data, state):
        return None
    return cast(Flow[M], flow)


def end(context: Context) -> None:
    if context.chat_data is not None:
        context.chat_data.pop(KEY, None)


async def drop(update: Update, context: Context) -> None:
    """/start leaves any question half-way (runs before the /start handler itself)."""
    end(context)


async def ask(
    update: Update,
    context: Context,
    flow: Flow[Any],
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


def reply_of(update: Update, flow: Flow[Any]) -> Reply:
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


def asker(update: Update) -> int | None:
    """The account whose questions an update may answer: one in its private chat."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    return user.id


@cache
def _adapter(state: Any) -> TypeAdapter[Any]:
    return TypeAdapter(state)


class Flows:
    """Every flow by name: reads and writes the person's flow in the store around an
    update, and routes a message to the step they are on (with no step, typed words or
    the fallback).

    `understood` opens what typed words mean (a main-menu feature) and says whether it did.
    """

    def __init__(self, features: Mapping[str, Feature[Any]], understood: Understood) -> None:
        self.features = dict(features)
        self.understood = understood

    async def load(self, update: Update, context: Context) -> None:
        """Before any feature: the person's flow as the store keeps it."""
        account_id = asker(update)
        if account_id is None or context.chat_data is None:
            return
        kept = await flows.of(deps_of(context).db.reader, account_id)
        context.chat_data[KEPT] = kept
        context.chat_data[KEY] = self.revived(kept) if kept else None

    async def keep(self, update: Update, context: Context) -> None:
        """After every feature: write the flow back as the update left it (or let it go)."""
        account_id = asker(update)
        if account_id is None or context.chat_data is None:
            return
        flow, before = context.chat_data.pop(KEY, None), context.chat_data.pop(KEPT, None)
        after = self.frozen(account_id, flow) if flow is not None else None
        if after == before:
            return
        deps = deps_of(context)
        async with deps.db.transaction() as tx:
            if after is None:
                await flows.forget(tx, [account_id])
                return
            await flows.keep(tx, after, deps.clock.now())
            await flows.forget_asked_before(tx, today(context) - timedelta(days=1))

    def revived(self, kept: flows.Kept) -> Flow[Any] | None:
        """The flow again from its row; None when no flow of that name or shape exists
        now (a newer version of the bot), so the person is simply at no question."""
        feature = self.features.get(kept.name)
        if feature is None:
            return None
        try:
            data = _adapter(feature.state).validate_json(kept.state)
        except ValidationError:
            return None
        return Flow(
            kept.name,
            kept.step,
            data,
            kept.day,
            dict(kept.options),
            list(kept.history),
            dict(kept.aliases),
        )

    def frozen(self, account_id: int, flow: Flow[Any]) -> flows.Kept:
        feature = self.features.get(flow.name)
        state = feature.state if feature is not None else dict[str, Any]
        return flows.Kept(
            account_id=account_id,
            name=flow.name,
            step=flow.step,
            state=_adapter(state).dump_json(flow.data).decode(),
            options=dict(flow.options),
            aliases=dict(flow.aliases),
            history=tuple(flow.history),
            day=flow.day,
        )

    async def on_message(self, update: Update, context: Context) -> None:
        """Answer the current question, or go Back, or Cancel."""
        flow = current(context)
        message = update.effective_message
        if flow is None or message is None or flow.name not in self.features:
            if not await self.understood(update, context):
                await fallback.unknown_text(update, context)
            return
        lang = await language_of(update, context)
        if flow.day != today(context):
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
