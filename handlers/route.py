"""/route and the buttons on each stop: delivered, no answer, delivered with a concern,
not delivered (with a reason), hand back, and undo for a few minutes after a report.

Every button goes through a service that checks the delivery is this volunteer's now,
so a forged or stale button shows no address and changes nothing.
"""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import Delivery, DeliveryReason, StaleButtonError
from bot.core.i18n import Html, t
from bot.services.delivery import claims, deliveries, outcomes
from bot.services.delivery.deliveries import local_time
from bot.services.delivery.messages import card, card_buttons, reason_buttons
from data.deliveries import Stop
from handlers import conversation
from handlers.buttons import Button, Press, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.conversation import Flow
from handlers.keyboards import inline


async def show_route(update: Update, context: Context) -> None:
    """The volunteer's stops in order, one button each to open the stop."""
    lang = await language_of(update, context)
    stops = await deliveries.route_of(context.deps, user_id(update))
    if not stops:
        await tell(update, context, t(lang, "volunteer.route.none"))
        return
    rows = [
        [
            (
                t(lang, "volunteer.route.open", seq=s.seq or "·", building=s.building, name=s.name),
                callbacks.STOP.pack(s.id),
            )
        ]
        for s in stops
    ]
    text = t(lang, "volunteer.route.list", n=len(stops))
    await tell(update, context, text, reply_markup=inline(rows))


async def see(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """The stop's card, with its buttons while it is still to be delivered."""
    stop = await deliveries.held(context.deps, user_id(update), tap.delivery)
    await answer(update)
    buttons = card_buttons(stop, lang) if stop.state in ("claimed", "assigned") else []
    await tell(update, context, card(stop, lang), reply_markup=inline(buttons))


def reporting(action: str) -> Press[Delivery]:
    """The button that reports `action` at the door: ok, na (no answer) or rf (refused)."""

    async def report(update: Update, context: Context, tap: Delivery, lang: str) -> None:
        stop = await outcomes.report(context.deps, user_id(update), tap.delivery, action)
        await answer(update)
        await _reported(update, context, stop, action, lang)

    return report


async def _reported(
    update: Update, context: Context, stop: Stop, action: str, lang: str, reason: str = ""
) -> None:
    """The card with what was reported, "they answered" after a no-answer, and undo."""
    deps = context.deps
    at = local_time(deps, deps.clock.now())
    why = t(lang, f"volunteer.reason.{reason}") if reason else ""
    outcome = t(lang, f"volunteer.report.{action}", at=at, reason=why)
    rows = [[(t(lang, "volunteer.button.undo"), callbacks.UNDO.pack(stop.id))]]
    if action == "na":
        rows.insert(0, [(t(lang, "volunteer.button.ans"), callbacks.ANSWERED.pack(stop.id))])
    text = Html(f"{card(stop, lang)}\n\n{outcome}")
    if update.callback_query is not None:
        await show(update, text, inline(rows))
    else:
        await tell(update, context, text, reply_markup=inline(rows))


async def not_delivered(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """Ask why the meal was not delivered (only the holder sees the question)."""
    stop = await deliveries.held(context.deps, user_id(update), tap.delivery)
    await answer(update)
    ask = t(lang, "volunteer.not_delivered.ask")
    buttons = reason_buttons(stop, lang, outcomes.REASONS)
    await show(update, Html(f"{card(stop, lang)}\n\n{ask}"), inline(buttons))


async def not_delivered_because(
    update: Update, context: Context, tap: DeliveryReason, lang: str
) -> None:
    """Report why it was not delivered; "something else" asks for a note first."""
    if tap.reason not in outcomes.REASONS:
        raise StaleButtonError()
    deps = context.deps
    if tap.reason == "other":
        stop = await deliveries.held(deps, user_id(update), tap.delivery)
        await answer(update)
        flow = conversation.begin(
            context, "volunteer", "note", {"delivery": stop.id, "action": "nd"}
        )
        await conversation.ask(update, context, flow, t(lang, "volunteer.not_delivered.other"), [])
        return
    stop = await outcomes.report(deps, user_id(update), tap.delivery, "nd", reason=tap.reason)
    await answer(update)
    await _reported(update, context, stop, "nd", lang, tap.reason)


async def undo(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """Take the report back (a few minutes after it): the stop is on the route again."""
    stop = await outcomes.undo(context.deps, user_id(update), tap.delivery)
    await answer(update, t(lang, "volunteer.undo.done"))
    await show(update, card(stop, lang), inline(card_buttons(stop, lang)))


async def answered(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """They opened the door after all: delivered."""
    deps = context.deps
    stop = await outcomes.answered(deps, user_id(update), tap.delivery)
    outcome = t(lang, "volunteer.report.ok", at=local_time(deps, deps.clock.now()))
    await answer(update)
    await show(update, Html(f"{card(stop, lang)}\n\n{outcome}"), None)


async def concern(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """Ask for a short note first (the delivery must be theirs to ask at all)."""
    stop = await deliveries.held(context.deps, user_id(update), tap.delivery)
    await answer(update)
    flow = conversation.begin(context, "volunteer", "note", {"delivery": stop.id, "action": "cn"})
    await conversation.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])


async def concern_noted(update: Update, context: Context, flow: Flow, note: str) -> None:
    """The note arrived: report the concern (delivered) or why it was not delivered."""
    lang = await language_of(update, context)
    action = str(flow.data.get("action", "cn"))
    if not note.strip():
        key = "volunteer.concern.ask" if action == "cn" else "volunteer.not_delivered.other"
        await conversation.ask(update, context, flow, t(lang, key), [])
        return
    delivery_id = int(flow.data["delivery"])
    reason = "other" if action == "nd" else ""
    stop = await outcomes.report(context.deps, user_id(update), delivery_id, action, note, reason)
    await conversation.finish(update, context, t(lang, "volunteer.concern.sent", id=stop.order_id))
    await _reported(update, context, stop, action, lang, reason)


async def hand_back(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """The volunteer cannot go after all: the delivery is open again."""
    stop = await claims.hand_back(context.deps, user_id(update), tap.delivery)
    await answer(update)
    await show(update, t(lang, "volunteer.back.done", id=stop.order_id), None)


BUTTONS = (
    Button(callbacks.STOP, see),
    Button(callbacks.DELIVERED, reporting("ok")),
    Button(callbacks.NO_ANSWER, reporting("na")),
    Button(callbacks.REFUSED, reporting("rf")),
    Button(callbacks.CONCERN, concern),
    Button(callbacks.NOT_DELIVERED, not_delivered),
    Button(callbacks.NOT_DELIVERED_BECAUSE, not_delivered_because),
    Button(callbacks.UNDO, undo),
    Button(callbacks.ANSWERED, answered),
    Button(callbacks.HAND_BACK, hand_back),
)
# handlers/volunteer.py still dispatches the volunteer's prefix itself, with these.
