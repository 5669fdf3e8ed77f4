"""Volunteers join and say when they can help: weekdays, meals, bag size, area or location.

The questions are a flow of the one flow machine (one question per message, big buttons,
Back and Cancel), their answers the service's own `Profile`; the note a volunteer writes
on a stop (handlers/route.py) is a flow of its own. `register` adds every volunteer
handler.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import KeyboardButton, Update
from telegram.ext import CommandHandler, filters
from typing_extensions import TypedDict

from bot.canteen_file import WEEKDAYS
from bot.core import callbacks
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import volunteers
from bot.services.people.volunteers import Profile
from handlers import claims, conversation, multiselect, route
from handlers.buttons import Button, answer
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.conversation import Feature, Flow, Reply
from handlers.keyboards import inline

NAME = "available"
DAYS, MEALS, BAG, AREA = "days", "meals", "bag", "area"
EVERY_DAY, DONE, BOTH, SKIP = "all", "done", "both", "skip"  # buttons besides the choices
NOTE_FLOW, NOTE = "volunteer", "note"  # a note on a stop (begun by handlers/route.py)

Availability = Flow[Profile]


class NoteShape(TypedDict, total=False):
    """What a note on a stop is about: the delivery, and a concern or why not delivered
    (route.py keeps it as a dict; this is how the store reads it back)."""

    delivery: int
    action: str


async def begin(update: Update, context: Context) -> None:
    """Ask the availability questions (after joining, or /available to change them)."""
    user = update.effective_user
    if user is None:
        return
    try:
        await volunteers.canteen_of(deps_of(context), user.id)
    except DomainError as error:
        await refuse(update, context, error)
        return
    await ask(update, context, conversation.begin(context, NAME, DAYS, Profile()))


async def invite_to_answer(update: Update, context: Context) -> None:
    """Right after joining: a button to start the questions (a /start drops any flow)."""
    lang = await language_of(update, context)
    markup = inline([[(t(lang, "volunteer.join.begin"), callbacks.AVAILABILITY.pack())]])
    await tell(update, context, t(lang, "volunteer.join.intro"), reply_markup=markup)


async def begin_from_button(
    update: Update, context: Context, _: callbacks.Nothing, lang: str
) -> None:
    """The button under the welcome to a new volunteer: the availability questions."""
    await answer(update)
    await begin(update, context)


async def ask(update: Update, context: Context, flow: Availability) -> None:
    lang = await language_of(update, context)
    special = None
    if flow.step == AREA:
        special = KeyboardButton(t(lang, "volunteer.join.share_location"), request_location=True)
    question = t(lang, f"volunteer.join.{flow.step}")
    await conversation.ask(update, context, flow, question, rows(flow, lang), special=special)


def rows(flow: Availability, lang: str) -> conversation.Rows:
    if flow.step == DAYS:
        names = t(lang, "staff.fmt.weekdays").split(",")
        days = multiselect.marked(list(zip(names, WEEKDAYS, strict=True)), flow.data.weekdays)
        every = (t(lang, "volunteer.join.every_day"), EVERY_DAY)
        return [days[:4], days[4:], [every, (t(lang, "volunteer.join.done"), DONE)]]
    if flow.step == MEALS:
        meals = [(t(lang, f"staff.meal.{m}"), m) for m in volunteers.MEALS]
        return [meals, [(t(lang, "volunteer.join.both"), BOTH)]]
    if flow.step == BAG:
        return [[(str(n), str(n)) for n in volunteers.CAPACITIES]]
    return [[(t(lang, "volunteer.join.skip"), SKIP)]]


async def answer_days(update: Update, context: Context, flow: Availability, reply: Reply) -> None:
    """A weekday toggles; Every day or Done goes on once at least one day is chosen."""
    choice, data = reply.choice, flow.data
    if choice in WEEKDAYS:
        data.weekdays = multiselect.toggled(WEEKDAYS, data.weekdays, choice)
    elif choice == EVERY_DAY:
        data.weekdays = list(WEEKDAYS)
    if choice in (EVERY_DAY, DONE) and data.weekdays:
        flow.go(MEALS)
    await ask(update, context, flow)


async def answer_meals(update: Update, context: Context, flow: Availability, reply: Reply) -> None:
    if reply.choice is not None:
        flow.data.meals = list(volunteers.MEALS) if reply.choice == BOTH else [reply.choice]
        flow.go(BAG)
    await ask(update, context, flow)


async def answer_bag(update: Update, context: Context, flow: Availability, reply: Reply) -> None:
    if reply.choice is not None and reply.choice.isdigit():
        flow.data.capacity = int(reply.choice)
        flow.go(AREA)
    await ask(update, context, flow)


async def answer_area(update: Update, context: Context, flow: Availability, reply: Reply) -> None:
    """Where they help (typed, a shared location, or skipped): then everything is saved."""
    lat, lon = reply.location or (None, None)
    area = "" if reply.choice == SKIP or reply.location else reply.text
    profile = replace(flow.data, area=area, lat=lat, lon=lon)
    user = update.effective_user
    assert user is not None
    saved = await volunteers.save(deps_of(context), user.id, profile)
    lang = await language_of(update, context)
    names: dict[str, str] = dict(
        zip(WEEKDAYS, t(lang, "staff.fmt.weekdays").split(","), strict=True)
    )
    days = ", ".join(names[d] for d in saved.weekdays.split(","))
    meals = ", ".join(t(lang, f"staff.meal.{m}") for m in saved.meals.split(","))
    text = t(lang, "volunteer.join.saved", days=days, meals=Html(meals), capacity=saved.capacity)
    await conversation.finish(update, context, text)


async def ask_note(update: Update, context: Context, flow: Flow) -> None:
    """Back to the note's question (route.py asks it first, naming the stop)."""
    lang = await language_of(update, context)
    await conversation.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])


async def answer_note(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    await route.concern_noted(update, context, flow, reply.text)


FEATURE = Feature(
    asks=dict.fromkeys((DAYS, MEALS, BAG, AREA), ask),
    answers={DAYS: answer_days, MEALS: answer_meals, BAG: answer_bag, AREA: answer_area},
    state=Profile,
)
NOTE_FEATURE = Feature(asks={NOTE: ask_note}, answers={NOTE: answer_note}, state=NoteShape)


BUTTONS = (Button(callbacks.AVAILABILITY, begin_from_button),)


def register(app: App, group: int) -> None:
    """The volunteer handlers (the flow's answers come through the residents' step handler)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("available", begin, filters=private), group=group)
    app.add_handler(
        CommandHandler("deliveries", claims.board_or_list, filters=private), group=group
    )
    app.add_handler(CommandHandler("route", route.show_route, filters=private), group=group)
