"""/deliveries: the claim board for volunteers; for staff, who carries what, and reassigning."""

from __future__ import annotations

from collections import Counter
from datetime import tzinfo

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.core import pager
from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.core.ptb import App
from bot.services.delivery import claims, messages
from bot.services.delivery import deliveries as delivery_service
from bot.services.delivery.deliveries import local_time
from bot.services.people import staff
from data.deliveries import Stop
from data.models import Window
from handlers.common import Context, deps_of, language_of, tell
from handlers.keyboards import inline
from handlers.staff_ui import answer, dispatch, pick_window, show, user_id

STAFF_PREFIX = "dlv1"


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
        first = messages.claim_page(board, lang, local_time(deps, window.claim_until))
        await tell(update, context, first.text, reply_markup=inline(first.rows))


async def _claim(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps, account_id = deps_of(context), user_id(update)
    take = claims.claim_group if callback.action == "g" else claims.claim
    taken = await take(deps, account_id, callback.int_arg(0))
    stop = await delivery_service.held(deps, account_id, taken[0])
    board = await claims.board(deps, account_id, stop.window_id)
    numbers = {mine.id: mine.order_id for mine in board.mine}
    ids = ", ".join(f"#{numbers.get(i, i)}" for i in taken)
    await answer(update, t(lang, "volunteer.claim.done", ids=ids))
    until = local_time(deps, board.window.claim_until)
    shown = messages.claim_page(board, lang, until, near=stop.building)
    await show(update, shown.text, inline(shown.rows))


async def _turn(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Another page of the claim board (read again, as this volunteer may see it now)."""
    deps = deps_of(context)
    board = await claims.board(deps, user_id(update), callback.int_arg(0))
    until = local_time(deps, board.window.claim_until)
    shown = messages.claim_page(board, lang, until, callback.int_arg_or(1, 0))
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


ACTIONS = {"c": _claim, "g": _claim, "b": _turn}

# Who needs a person first: doors nobody opened, refusals, concerns, nobody carrying it;
# a state not named here (a new outcome) counts as needing a person too.
NEEDS_A_PERSON = {"open": 3, "claimed": 4, "assigned": 4, "delivered": 5}


def _staff_entry(stop: Stop, names: dict[int, str], lang: str, tz: tzinfo) -> pager.Entry:
    state = t(lang, f"volunteer.state.{stop.state}")
    when = stop.resolved_at or stop.reported_at
    if when is not None:
        at = f"{when.astimezone(tz):%H:%M}"
        state = t(lang, "volunteer.staff_list.outcome", state=state, at=at)
    line = t(
        lang,
        "volunteer.staff.line",
        id=stop.order_id,
        name=stop.name,
        building=stop.building,
        who=names.get(stop.volunteer_id or 0, "—"),
        state=state,
    )
    if stop.state not in ("open", "claimed", "assigned"):
        return pager.Entry(line)
    again = t(lang, "volunteer.staff.reassign", id=stop.order_id)
    return pager.Entry(line, flow=((again, pack(STAFF_PREFIX, "re", stop.id)),))


def staff_pages(
    window: Window, stops: list[Stop], names: dict[int, str], lang: str, tz: tzinfo
) -> pager.Pager:
    """Every delivery of the window by order number, those needing a person first."""
    ordered = sorted(stops, key=lambda s: (NEEDS_A_PERSON.get(s.state, 0), s.order_id))
    counts = Counter(stop.state for stop in ordered)
    tally = " · ".join(
        t(lang, "volunteer.staff_list.count", state=t(lang, f"volunteer.state.{state}"), n=n)
        for state, n in counts.items()
    )
    head = t(lang, "volunteer.staff.title", window=window_label(window, lang))
    return pager.Pager(
        lang,
        Html(f"{head}\n{tally}") if tally else head,
        [_staff_entry(stop, names, lang, tz) for stop in ordered],
        lambda n: pack(STAFF_PREFIX, "w", window.id, n),
        empty=t(lang, "volunteer.staff.empty"),
    )


async def _window(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    window, stops, names = await delivery_service.for_staff(
        deps, user_id(update), callback.int_arg(0)
    )
    shown = staff_pages(window, stops, names, lang, deps.clock.tz).page(callback.int_arg_or(1, 0))
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


async def _choose(update: Update, context: Context, callback: Callback, lang: str) -> None:
    stop, people = await delivery_service.candidates(
        deps_of(context), user_id(update), callback.int_arg(0)
    )
    book = pager.Pager(
        lang,
        t(lang, "volunteer.staff.choose", id=stop.order_id, building=stop.building),
        [
            pager.Entry("", [[(v.name, pack(STAFF_PREFIX, "to", stop.id, v.account_id))]])
            for v in people
        ],
        lambda n: pack(STAFF_PREFIX, "re", stop.id, n),
    )
    await answer(update)
    if not people:
        await show(update, t(lang, "volunteer.staff.nobody"), None)
        return
    shown = book.page(callback.int_arg_or(1, 0))
    await show(update, shown.text, inline(shown.rows))


async def _give(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    stop = await delivery_service.reassign(
        deps, user_id(update), callback.int_arg(0), callback.int_arg(1)
    )
    await answer(update)
    await show(update, t(lang, "volunteer.staff.given", id=stop.order_id), None)


async def on_staff_button(update: Update, context: Context) -> None:
    """The staff's delivery screens."""
    await dispatch(update, context, STAFF_PREFIX, {"w": _window, "re": _choose, "to": _give})


def register(app: App, group: int) -> None:
    app.add_handler(
        CallbackQueryHandler(on_staff_button, pattern=pattern(STAFF_PREFIX)), group=group
    )
