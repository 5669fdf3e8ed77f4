"""/route and the buttons on each stop: delivered, no answer, delivered with a concern,
not delivered (with a reason), hand back, and undo for a few minutes after a report.

Every button goes through a service that checks the delivery is this volunteer's now,
so a forged or stale button shows no address and changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.callbacks import Callback, pack
from bot.core.i18n import Html, t
from bot.services.delivery import claims, deliveries, outcomes
from bot.services.delivery.deliveries import local_time
from bot.services.delivery.messages import PREFIX, card, card_buttons, reason_buttons
from data.deliveries import Stop
from handlers import resident_flow
from handlers.common import Context, deps_of, language_of, tell
from handlers.resident_flow import Flow
from handlers.staff_ui import answer, show, user_id


def keyboard(
    rows: list[list[tuple[Html, str]]] | list[list[tuple[str, str]]],
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def show_route(update: Update, context: Context) -> None:
    """The volunteer's stops in order, one button each to open the stop."""
    lang = await language_of(update, context)
    stops = await deliveries.route_of(deps_of(context), user_id(update))
    if not stops:
        await tell(update, context, t(lang, "volunteer.route.none"))
        return
    rows = [
        [
            (
                t(lang, "volunteer.route.open", seq=s.seq or "·", building=s.building, name=s.name),
                pack(PREFIX, "see", s.id),
            )
        ]
        for s in stops
    ]
    await tell(
        update, context, t(lang, "volunteer.route.list", n=len(stops)), reply_markup=keyboard(rows)
    )


async def _see(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop = await deliveries.held(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    buttons = card_buttons(stop, lang) if stop.state in ("claimed", "assigned") else []
    await tell(
        update, context, card(stop, lang), reply_markup=keyboard(buttons) if buttons else None
    )


async def _report(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    stop = await outcomes.report(deps, user_id(update), callback.int_arg(0), callback.action)
    await answer(update)
    await _reported(update, context, stop, callback.action, lang)


async def _reported(
    update: Update, context: Context, stop: Stop, action: str, lang: str, reason: str = ""
) -> None:
    """The card with what was reported, "they answered" after a no-answer, and undo."""
    deps = deps_of(context)
    at = local_time(deps, deps.clock.now())
    why = t(lang, f"volunteer.reason.{reason}") if reason else ""
    outcome = t(lang, f"volunteer.report.{action}", at=at, reason=why)
    rows = [[(t(lang, "volunteer.button.undo"), pack(PREFIX, "un", stop.id))]]
    if action == "na":
        rows.insert(0, [(t(lang, "volunteer.button.ans"), pack(PREFIX, "ans", stop.id))])
    text = Html(f"{card(stop, lang)}\n\n{outcome}")
    if update.callback_query is not None:
        await show(update, text, keyboard(rows))
    else:
        await tell(update, context, text, reply_markup=keyboard(rows))


async def _not_delivered(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Ask why the meal was not delivered (only the holder sees the question)."""
    stop = await deliveries.held(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    ask = t(lang, "volunteer.not_delivered.ask")
    buttons = reason_buttons(stop, lang, outcomes.REASONS)
    await show(update, Html(f"{card(stop, lang)}\n\n{ask}"), keyboard(buttons))


async def _reason(update: Update, context: Context, callback: Callback, lang: str) -> None:
    reason = callback.args[1] if len(callback.args) > 1 else ""
    if reason not in outcomes.REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    deps = deps_of(context)
    if reason == "other":  # a note first
        stop = await deliveries.held(deps, user_id(update), callback.int_arg(0))
        await answer(update)
        data = {"delivery": stop.id, "action": "nd"}
        flow = resident_flow.begin(context, "volunteer", "note", data)
        await resident_flow.ask(update, context, flow, t(lang, "volunteer.not_delivered.other"), [])
        return
    stop = await outcomes.report(deps, user_id(update), callback.int_arg(0), "nd", reason=reason)
    await answer(update)
    await _reported(update, context, stop, "nd", lang, reason)


async def _undo(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop = await outcomes.undo(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update, t(lang, "volunteer.undo.done"))
    await show(update, card(stop, lang), keyboard(card_buttons(stop, lang)))


async def _answered(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    stop = await outcomes.answered(deps, user_id(update), callback.int_arg(0))
    outcome = t(lang, "volunteer.report.ok", at=local_time(deps, deps.clock.now()))
    await answer(update)
    await show(update, Html(f"{card(stop, lang)}\n\n{outcome}"), None)


async def _concern(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Ask for a short note first (the delivery must be theirs to ask at all)."""
    stop = await deliveries.held(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    data = {"delivery": stop.id, "action": "cn"}
    flow = resident_flow.begin(context, "volunteer", "note", data)
    await resident_flow.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])


async def concern_noted(update: Update, context: Context, flow: Flow, note: str) -> None:
    """The note arrived: report the concern (delivered) or why it was not delivered."""
    lang = await language_of(update, context)
    action = str(flow.data.get("action", "cn"))
    if not note.strip():
        key = "volunteer.concern.ask" if action == "cn" else "volunteer.not_delivered.other"
        await resident_flow.ask(update, context, flow, t(lang, key), [])
        return
    delivery_id = int(flow.data["delivery"])
    reason = "other" if action == "nd" else ""
    deps = deps_of(context)
    stop = await outcomes.report(deps, user_id(update), delivery_id, action, note, reason)
    await resident_flow.finish(update, context, t(lang, "volunteer.concern.sent", id=stop.order_id))
    await _reported(update, context, stop, action, lang, reason)


async def _hand_back(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop = await claims.hand_back(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await show(update, t(lang, "volunteer.back.done", id=stop.order_id), None)


ACTIONS = {
    "see": _see,
    "ok": _report,
    "na": _report,
    "rf": _report,
    "cn": _concern,
    "nd": _not_delivered,
    "nr": _reason,
    "un": _undo,
    "ans": _answered,
    "bk": _hand_back,
}
