"""The one callback dispatch: a tap's data names a route (bot/core/callbacks.py), its payload
is read into its type, and the handler of that route runs with it.

Data that is not ours, from an older version, garbled or forged is out of date; a rule
that says no raises a `DomainError`. Neither is caught here or in a handler: both reach
the one error handler (handlers/errors.py), which answers the tap kindly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.core import callbacks
from bot.core.callbacks import Callback, Route, StaleButtonError
from bot.core.i18n import Html
from bot.core.ptb import App, Context
from handlers.common import language_of

P = TypeVar("P", bound=tuple[Any, ...])
Press = Callable[[Update, Context, P, str], Awaitable[None]]  # (update, context, payload, lang)


@dataclass(frozen=True)
class Button(Generic[P]):
    """What tapping a route's button does."""

    route: Route[..., P]
    press: Press[P]


class Dispatch:
    """Every screen's buttons, by route."""

    def __init__(self, buttons: Iterable[Button[Any]]) -> None:
        self.buttons: dict[Route[..., Any], Button[Any]] = {}
        for button in buttons:
            if button.route in self.buttons:
                raise ValueError(f"two handlers for {button.route.prefix}:{button.route.action}")
            self.buttons[button.route] = button

    def handles(self, data: object) -> bool:
        """Whether `data` names one of these routes (its payload is read later)."""
        return callbacks.route_of(data) in self.buttons

    async def on_tap(self, update: Update, context: Context) -> None:
        """Run the tapped route's handler with the payload the button carries."""
        query = update.callback_query
        found = callbacks.read(query.data if query else None)
        button = self.buttons.get(found.route) if found else None
        if found is None or button is None:
            raise StaleButtonError()
        await button.press(update, context, found.payload, await language_of(update, context))


def register(app: App, group: int, buttons: Iterable[Button[Any]]) -> None:
    """One handler for every route of `buttons`; other data goes on to later handlers."""
    dispatch = Dispatch(buttons)
    app.add_handler(CallbackQueryHandler(dispatch.on_tap, pattern=dispatch.handles), group=group)


async def answer(update: Update, text: str | None = None) -> None:
    """Answer the tap (stops the spinner), with a short note when there is one."""
    assert update.callback_query is not None
    await update.callback_query.answer(text)


async def show(update: Update, text: Html, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the tapped message with a new screen."""
    query = update.callback_query
    assert query is not None
    if query.message is None:
        return
    if isinstance(query.message, Message) and query.message.text is None:
        # a photo or a file has no text to replace (a forged tap): the screen comes anew
        await query.message.chat.send_message(text, reply_markup=markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():  # a refresh that found no change
            raise


# The untyped form, for screens that still dispatch by prefix (the step-by-step flows).
Action = Callable[[Update, Context, Callback, str], Awaitable[None]]


async def dispatch(
    update: Update, context: Context, prefix: str, actions: Mapping[str, Action]
) -> None:
    """Route a tap of `prefix` to its action; an unknown or garbled one is out of date."""
    query = update.callback_query
    if query is None:
        return
    callback = callbacks.unpack(prefix, query.data)
    action = actions.get(callback.action) if callback else None
    if callback is None or action is None:
        raise StaleButtonError()
    try:
        await action(update, context, callback, await language_of(update, context))
    except (ValueError, IndexError) as error:  # an id that is no number, a part missing
        raise StaleButtonError() from error
