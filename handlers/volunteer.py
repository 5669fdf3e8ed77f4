"""Volunteers join and say when they can help: weekdays, meals, bag size, area or location.

The questions are a step-by-step flow on the residents' flow machinery (one question
per message, big buttons, Back and Cancel); the concern note of handlers/route.py is a
step of the same flow. `register` adds every volunteer handler.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.canteen_file import WEEKDAYS
from bot.core import callbacks
from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import volunteers
from handlers import claims, resident_flow, route
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import Feature, Flow, Reply
from handlers.staff_ui import answer as answer_tap
from handlers.staff_ui import dispatch

PREFIX = callbacks.VOLUNTEER.prefix

FLOW = "volunteer"
NEXT = {"days": "meals", "meals": "bag", "bag": "area"}


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
    data = {"days": [], "meals": [], "capacity": 4}
    await ask(update, context, resident_flow.begin(context, FLOW, "days", data))


async def invite_to_answer(update: Update, context: Context) -> None:
    """Right after joining: a button to start the questions (a /start drops any flow)."""
    lang = await language_of(update, context)
    button = InlineKeyboardButton(t(lang, "volunteer.join.begin"), callback_data=pack(PREFIX, "av"))
    markup = InlineKeyboardMarkup([[button]])
    await tell(update, context, t(lang, "volunteer.join.intro"), reply_markup=markup)


async def _begin_from_button(
    update: Update, context: Context, callback: Callback, lang: str
) -> None:
    await answer_tap(update)
    await begin(update, context)


async def ask(update: Update, context: Context, flow: Flow) -> None:
    lang = await language_of(update, context)
    if flow.step == "note":
        await resident_flow.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])
        return
    special = None
    if flow.step == "area":
        special = KeyboardButton(t(lang, "volunteer.join.share_location"), request_location=True)
    question = t(lang, f"volunteer.join.{flow.step}")
    await resident_flow.ask(update, context, flow, question, rows(flow, lang), special=special)


def rows(flow: Flow, lang: str) -> resident_flow.Rows:
    if flow.step == "days":
        names = t(lang, "staff.fmt.weekdays").split(",")
        chosen = flow.data["days"]
        days = [(("✅ " if d in chosen else "") + names[i], d) for i, d in enumerate(WEEKDAYS)]
        every = (t(lang, "volunteer.join.every_day"), "all")
        return [days[:4], days[4:], [every, (t(lang, "volunteer.join.done"), "done")]]
    if flow.step == "meals":
        meals = [(t(lang, f"staff.meal.{m}"), m) for m in volunteers.MEALS]
        return [meals, [(t(lang, "volunteer.join.both"), "both")]]
    if flow.step == "bag":
        return [[(str(n), str(n)) for n in volunteers.CAPACITIES]]
    return [[(t(lang, "volunteer.join.skip"), "skip")]]


async def answer(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    """Take one answer, then ask the next question (or save)."""
    data, choice = flow.data, reply.choice
    if flow.step == "note":
        await route.concern_noted(update, context, flow, reply.text)
        return
    if flow.step == "days" and choice in WEEKDAYS:
        data["days"] = [d for d in WEEKDAYS if (d in data["days"]) != (d == choice)]
    elif flow.step == "days" and choice in ("all", "done"):
        data["days"] = list(WEEKDAYS) if choice == "all" else data["days"]
        if data["days"]:
            flow.go("meals")
    elif flow.step == "meals" and choice is not None:
        data["meals"] = list(volunteers.MEALS) if choice == "both" else [choice]
        flow.go("bag")
    elif flow.step == "bag" and choice is not None and choice.isdigit():
        data["capacity"] = int(choice)
        flow.go("area")
    elif flow.step == "area":
        await _save(update, context, flow, reply)
        return
    await ask(update, context, flow)


async def _save(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    data = flow.data
    lat, lon = reply.location or (None, None)
    area = "" if reply.choice == "skip" or reply.location else reply.text
    profile = volunteers.Profile(data["days"], data["meals"], data["capacity"], area, lat, lon)
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
    await resident_flow.finish(update, context, text)


FEATURE = Feature(
    asks=dict.fromkeys(("days", "meals", "bag", "area", "note"), ask),
    answers=dict.fromkeys(("days", "meals", "bag", "area", "note"), answer),
)


async def on_button(update: Update, context: Context) -> None:
    """Every volunteer button: claims on the board, and the stops of a route."""
    await dispatch(
        update, context, PREFIX, {"av": _begin_from_button, **claims.ACTIONS, **route.ACTIONS}
    )


def register(app: App, group: int) -> None:
    """The volunteer handlers (the flow's answers come through the residents' step handler)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("available", begin, filters=private), group=group)
    app.add_handler(
        CommandHandler("deliveries", claims.board_or_list, filters=private), group=group
    )
    app.add_handler(CommandHandler("route", route.show_route, filters=private), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
    claims.register(app, group)
