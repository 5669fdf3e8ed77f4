"""/deliveries: the claim board for volunteers; for staff, who carries what, and reassigning."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Callback, pack, pattern
from bot.i18n import Html, t
from bot.ptb import App
from bot.services import claims, notify, staff
from bot.services import deliveries as delivery_service
from bot.services.deliveries import local_time
from bot.services.errors import DomainError
from bot.services.labels import window_label
from data.deliveries import Stop
from data.models import Window
from handlers.common import Context, deps_of, language_of, tell
from handlers.staff_ui import answer, dispatch, pick_window, show, user_id

STAFF_PREFIX = "dlv1"


def markup(rows: list[list[tuple[Html, str]]] | notify.Buttons) -> InlineKeyboardMarkup | None:
    buttons = [[InlineKeyboardButton(label, callback_data=data) for label, data in r] for r in rows]
    return InlineKeyboardMarkup(buttons) if buttons else None


async def board_or_list(update: Update, context: Context) -> None:
    """Volunteers see the open boards; staff pick a window to see its deliveries."""
    deps, account_id = deps_of(context), user_id(update)
    lang = await language_of(update, context)
    if await staff.canteens_of(deps, account_id):
        await pick_window(update, context, STAFF_PREFIX, "volunteer.staff.pick")
        return
    try:
        found = await claims.claimable_windows(deps, account_id)
    except DomainError as error:
        await tell(update, context, t(lang, error.key))
        return
    if not found:
        await tell(update, context, t(lang, "volunteer.board.none"))
    for window in found:
        board = await claims.board(deps, account_id, window.id)
        until = local_time(deps, window.claim_until)
        text = claims.render(board, lang, until)
        await tell(update, context, text, reply_markup=markup(claims.buttons(board, lang)))


async def _claim(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps, account_id = deps_of(context), user_id(update)
    take = claims.claim_group if callback.action == "g" else claims.claim
    taken = await take(deps, account_id, callback.int_arg(0))
    ids = ", ".join(f"#{i}" for i in taken)
    await answer(update, t(lang, "volunteer.claim.done", ids=ids))
    stop = await delivery_service.held(deps, account_id, taken[0])
    board = await claims.board(deps, account_id, stop.window_id)
    window = board.window
    text = claims.render(board, lang, local_time(deps, window.claim_until))
    await show(update, text, markup(claims.buttons(board, lang)))


ACTIONS = {"c": _claim, "g": _claim}


def staff_text(window: Window, stops: list[Stop], names: dict[int, str], lang: str) -> Html:
    lines = [t(lang, "volunteer.staff.title", window=window_label(window, lang))]
    for stop in stops:
        who = names.get(stop.volunteer_id or 0, "—")
        state = t(lang, f"volunteer.state.{stop.state}")
        lines.append(
            t(
                lang,
                "volunteer.staff.line",
                id=stop.id,
                name=stop.name,
                building=stop.building,
                who=who,
                state=state,
            )
        )
    if not stops:
        lines.append(t(lang, "volunteer.staff.empty"))
    return Html("\n".join(lines))


async def _window(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    window, stops, names = await delivery_service.for_staff(
        deps, user_id(update), callback.int_arg(0)
    )
    rows = [
        [(t(lang, "volunteer.staff.reassign", id=s.id), pack(STAFF_PREFIX, "re", s.id))]
        for s in stops
        if s.state in ("open", "claimed", "assigned")
    ]
    await answer(update)
    await show(update, staff_text(window, stops, names, lang), markup(rows[:40]))


async def _choose(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop, people = await delivery_service.candidates(
        deps_of(context), user_id(update), callback.int_arg(0)
    )
    rows = [[(v.name, pack(STAFF_PREFIX, "to", stop.id, v.account_id))] for v in people]
    await answer(update)
    text = t(lang, "volunteer.staff.choose", id=stop.id, building=stop.building)
    await show(update, text if rows else t(lang, "volunteer.staff.nobody"), markup(rows[:40]))


async def _give(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    stop = await delivery_service.reassign(
        deps, user_id(update), callback.int_arg(0), callback.int_arg(1)
    )
    await answer(update)
    await show(update, t(lang, "volunteer.staff.given", id=stop.id), None)


async def on_staff_button(update: Update, context: Context) -> None:
    """The staff's delivery screens."""
    await dispatch(update, context, STAFF_PREFIX, {"w": _window, "re": _choose, "to": _give})


def register(app: App, group: int) -> None:
    app.add_handler(
        CallbackQueryHandler(on_staff_button, pattern=pattern(STAFF_PREFIX)), group=group
    )
