"""The home screens at work: a main-keyboard button, or typed words that mean one, lead to
its feature; the switch between a person's roles; counting what each person uses.

A tap on a main-keyboard button always wins (it leaves any half-answered question or dish
being added). Typed words are tried where nothing else took the text: outside a question,
or inside one when the answer fits none of its choices (see `conversation.Flows`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot.core import words
from bot.core.i18n import LANGUAGES, catalogue
from bot.core.ptb import App
from bot.services.people import home as homes
from bot.services.people.home import Home
from handlers import (
    approvals,
    claims,
    conversation,
    family,
    kitchen,
    language,
    menu_draft,
    menus,
    my_orders,
    ordering,
    receipt,
    registration,
    reports,
    route,
    staff_order,
    standing,
    start,
    volunteer,
)
from handlers.common import Context, user_id
from handlers.keyboards import LABELS, SWITCH, tapped

Handler = Callable[[Update, Context], Awaitable[None]]
CANTEEN = ("staff", "admin")
# What each intent opens, and whose home screen it belongs to (None: everyone's).
INTENTS: dict[str, tuple[Handler, tuple[str, ...] | None]] = {
    "order": (ordering.begin, ("resident",)),
    "my_orders": (my_orders.show, ("resident",)),
    "regular": (standing.show, ("resident",)),
    "family": (family.show, ("resident",)),
    "register": (registration.begin, ("resident",)),
    "staff_orders": (receipt.orders, CANTEEN),
    "menu": (menus.menu, CANTEEN),
    "sheet": (kitchen.sheet, CANTEEN),
    "order_for": (staff_order.order_command, CANTEEN),
    "deliveries": (claims.board_or_list, ("volunteer",)),
    "route": (route.show_route, ("volunteer",)),
    "available": (volunteer.begin, ("volunteer",)),
    "approvals": (approvals.show_queue, ("admin",)),
    "report": (reports.choose, ("admin",)),
    "help": (start.help_command, None),
    "language": (language.ask, None),
}
# Commands count as a use of these homes (the first one the person holds).
COMMANDS = {
    "order": ("staff", "admin", "resident"),
    "myorders": ("resident",),
    "orders": CANTEEN,
    "menu": CANTEEN,
    "sheet": CANTEEN,
    "invite": CANTEEN,
    "deliveries": ("volunteer",),
    "route": ("volunteer",),
    "available": ("volunteer",),
    "approvals": ("admin",),
    "report": ("admin",),
    "audit": ("admin",),
}
USES_GROUP = 3  # after every feature: counting a command never stops or delays it


class Tapped(filters.MessageFilter):
    """A main-keyboard button's exact text, in any language (counts included)."""

    def filter(self, message: Message) -> bool:
        return message.text is not None and tapped(message.text) is not None


@cache
def _words_of(intent: str) -> frozenset[str]:
    """What may be typed for an intent: its phrases and its button's own words, in every
    language ("order a meal", "订餐", "我要午饭")."""
    labels = {words.normalise(catalogue(lang)[LABELS[intent]]) for lang in LANGUAGES}
    return words.phrases(intent) | labels


def candidates(text: str) -> list[str]:
    """Every intent typed words may mean, for someone or other."""
    typed = words.forms(text)
    return [intent for intent in INTENTS if typed & _words_of(intent)] if typed else []


def meant(found: list[str], home: Home) -> str | None:
    """The one of `found` this person means: of their current home first, then of their
    other homes, then everyone's; intents of roles they do not hold are ignored."""
    for wanted in (home.current, *home.others, None):
        for intent in found:
            owners = INTENTS[intent][1]
            if (owners is None and wanted is None) or (owners and wanted in owners):
                return intent
    return None


async def go(update: Update, context: Context, intent: str) -> None:
    """Leave any half-done question or dish, count the use, open the intent's feature."""
    account_id = user_id(update)
    conversation.end(context)
    menu_draft.drop_draft(context, account_id)
    if intent.startswith(SWITCH):
        await switch(update, context, intent.removeprefix(SWITCH))
        return
    handler, owners = INTENTS[intent]
    if owners:
        await homes.used(context.deps, account_id, owners)
    await handler(update, context)


async def switch(update: Update, context: Context, home: str) -> None:
    """Show another of the person's home screens, and keep it as their home."""
    await homes.switch(context.deps, user_id(update), home)
    await start.help_command(update, context)


async def on_button(update: Update, context: Context) -> None:
    """A main-keyboard button: open what it names."""
    message = update.effective_message
    intent = tapped(message.text or "") if message else None
    if intent is not None:
        await go(update, context, intent)


async def understood(update: Update, context: Context) -> bool:
    """Open what typed words mean, when they mean something for this person."""
    message = update.effective_message
    if message is None or not message.text:
        return False
    found = candidates(message.text)
    if not found:
        return False
    intent = meant(found, await homes.current(context.deps, user_id(update)))
    if intent is None:
        return False
    await go(update, context, intent)
    return True


async def count_command(update: Update, context: Context) -> None:
    """A command counts as a use of its home screen."""
    message = update.effective_message
    text = message.text if message else None
    if not text or update.effective_user is None:
        return
    name = text.split()[0].removeprefix("/").split("@")[0].lower()
    if name in COMMANDS:
        await homes.used(context.deps, user_id(update), COMMANDS[name])


def register(app: App, group: int) -> None:
    """The main-keyboard buttons (before every other text handler of `group`)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & Tapped(), on_button), group=group)
    app.add_handler(MessageHandler(private & filters.COMMAND, count_command), group=USES_GROUP)
