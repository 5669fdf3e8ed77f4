"""/route and the buttons on each stop: delivered, no answer, refused, concern, hand back.

Every button goes through a service that checks the delivery is this volunteer's now,
so a forged or stale button shows no address and changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Callback, pack
from bot.i18n import Html, t
from bot.services import claims, deliveries, outcomes
from bot.services.deliveries import PREFIX, card, card_buttons, local_time
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
    at = local_time(deps, deps.clock.now())
    outcome = t(lang, f"volunteer.report.{callback.action}", at=at)
    await answer(update)
    retry = None
    if callback.action == "na":
        retry = keyboard([[(t(lang, "volunteer.button.ans"), pack(PREFIX, "ans", stop.id))]])
    await show(update, Html(f"{card(stop, lang)}\n\n{outcome}"), retry)


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
    flow = resident_flow.begin(context, "volunteer", "note", {"delivery": stop.id})
    await resident_flow.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])


async def concern_noted(update: Update, context: Context, flow: Flow, note: str) -> None:
    """The note arrived: report the concern to the staff."""
    lang = await language_of(update, context)
    if not note.strip():
        await resident_flow.ask(update, context, flow, t(lang, "volunteer.concern.ask"), [])
        return
    delivery_id = int(flow.data["delivery"])
    await outcomes.report(deps_of(context), user_id(update), delivery_id, "cn", note)
    await resident_flow.finish(update, context, t(lang, "volunteer.concern.sent", id=delivery_id))


async def _hand_back(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop = await claims.hand_back(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await show(update, t(lang, "volunteer.back.done", id=stop.id), None)


ACTIONS = {
    "see": _see,
    "ok": _report,
    "na": _report,
    "rf": _report,
    "cn": _concern,
    "ans": _answered,
    "bk": _hand_back,
}
