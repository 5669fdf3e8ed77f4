"""/deliveries: the claim board for volunteers; for staff, who carries what, and reassigning."""

from __future__ import annotations

from collections import Counter
from datetime import tzinfo

from telegram import Update

from bot.core import callbacks, pager
from bot.core.callbacks import Delivery, DeliveryPage, Handover, WindowPage
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.services.delivery import claims, deliveries, messages
from bot.services.delivery.deliveries import local_time
from bot.services.people import staff
from data.deliveries import Stop
from data.models import Window
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline
from handlers.windows import pick_window


async def board_or_list(update: Update, context: Context) -> None:
    """Volunteers see the open boards; staff pick a window to see its deliveries."""
    deps, account_id = context.deps, user_id(update)
    lang = await language_of(update, context)
    if await staff.canteens_of(deps, account_id):
        await pick_window(update, context, callbacks.DELIVERIES_OF, "volunteer.staff.pick")
        return
    found = await claims.claimable_windows(deps, account_id)
    if not found:
        await tell(update, context, t(lang, "volunteer.board.none"))
    for window in found:
        board = await claims.board(deps, account_id, window.id)
        first = messages.claim_page(board, lang, local_time(deps, window.claim_until))
        await tell(update, context, first.text, reply_markup=inline(first.rows))


async def claim(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """Take one delivery from the board."""
    taken = await claims.claim(context.deps, user_id(update), tap.delivery)
    await _claimed(update, context, lang, taken)


async def claim_building(update: Update, context: Context, tap: Delivery, lang: str) -> None:
    """Take the open deliveries of a building, as many as the bag holds."""
    taken = await claims.claim(context.deps, user_id(update), tap.delivery, whole_building=True)
    await _claimed(update, context, lang, taken)


async def _claimed(update: Update, context: Context, lang: str, taken: claims.Claimed) -> None:
    """Say what was taken; the board again, at the page of the building."""
    ids = ", ".join(f"#{number}" for number in taken.numbers)
    await answer(update, t(lang, "volunteer.claim.done", ids=ids))
    until = local_time(context.deps, taken.board.window.claim_until)
    shown = messages.claim_page(taken.board, lang, until, near=taken.building)
    await show(update, shown.text, inline(shown.rows))


async def turn(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    """Another page of the claim board (read again, as this volunteer may see it now)."""
    deps = context.deps
    board = await claims.board(deps, user_id(update), tap.window)
    shown = messages.claim_page(board, lang, local_time(deps, board.window.claim_until), tap.page)
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


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
    return pager.Entry(line, flow=((again, callbacks.REASSIGN.pack(stop.id)),))


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
        lambda n: callbacks.DELIVERIES_OF.pack(window.id, n),
        empty=t(lang, "volunteer.staff.empty"),
    )


async def staff_list(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    """A window's deliveries as staff see them."""
    deps = context.deps
    window, stops, names = await deliveries.for_staff(deps, user_id(update), tap.window)
    shown = staff_pages(window, stops, names, lang, deps.clock.tz).page(tap.page)
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


async def choose_volunteer(update: Update, context: Context, tap: DeliveryPage, lang: str) -> None:
    """Who could take this delivery instead, a button each."""
    stop, people = await deliveries.candidates(context.deps, user_id(update), tap.delivery)
    book = pager.Pager(
        lang,
        t(lang, "volunteer.staff.choose", id=stop.order_id, building=stop.building),
        [
            pager.Entry("", [[(v.name, callbacks.REASSIGN_TO.pack(stop.id, v.account_id))]])
            for v in people
        ],
        lambda n: callbacks.REASSIGN.pack(stop.id, n),
    )
    await answer(update)
    if not people:
        await show(update, t(lang, "volunteer.staff.nobody"), None)
        return
    shown = book.page(tap.page)
    await show(update, shown.text, inline(shown.rows))


async def reassign(update: Update, context: Context, tap: Handover, lang: str) -> None:
    """Give the delivery to the volunteer chosen; both are told."""
    stop = await deliveries.reassign(context.deps, user_id(update), tap.delivery, tap.volunteer)
    await answer(update)
    await show(update, t(lang, "volunteer.staff.given", id=stop.order_id), None)


BUTTONS = (
    Button(callbacks.CLAIM, claim),
    Button(callbacks.CLAIM_BUILDING, claim_building),
    Button(callbacks.BOARD, turn),
    Button(callbacks.DELIVERIES_OF, staff_list),
    Button(callbacks.REASSIGN, choose_volunteer),
    Button(callbacks.REASSIGN_TO, reassign),
)
