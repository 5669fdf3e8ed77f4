"""What happens to a window as time passes: open, remind, close; then meals ready.

Every function here is safe to run twice: the state moves only from the states it
expects (data.windows.move), and messages are queued under fixed outbox keys.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.delivery import carrying, claims
from bot.services.delivery.deliveries import staff_of
from bot.services.kitchen import kitchen_sheet, messages, receipt
from bot.services.notices import notify
from bot.services.ordering import standing
from bot.services.people import staff
from data import audit, canteens, deliveries, links, windows
from data import kitchen as orders_view
from data.db import Session
from data.models import Window

log = logging.getLogger("doorstep.windows")

REMIND_BEFORE = timedelta(hours=1)
USUAL_DAYS = 14  # "often" means: ordered this meal on
USUAL_TIMES = 2  # at least this many of the last 14 days


async def open_window(deps: Deps, window_id: int) -> bool:
    """Open the window and place its regular meals, all in one transaction (so a crash
    leaves it either scheduled, to be opened again, or open with every meal placed);
    False when it was not due or is open already."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        window = await windows.get(tx, window_id)
        if window is None or now < window.opens_at or now >= window.cutoff_at:
            return False
        if not await windows.move(tx, window_id, ("scheduled",), "open", "opened_at", now):
            return False
        placing = await standing.place_due(deps, tx, window)
        await audit.record(tx, now, None, "window.open", f"window:{window_id}")
    deps.outbox_queued()
    log.info(
        "window %s open: %d regular meals placed, %d missed",
        window_id,
        len(placing.placed),
        len(placing.missed),
    )
    return True


async def remind(deps: Deps, window_id: int) -> int:
    """Ask residents who usually eat this meal, and have not ordered yet, to order."""
    conn = deps.db.reader
    window = await windows.get(conn, window_id)
    now = deps.clock.now()
    if window is None or window.state not in ("scheduled", "open") or now >= window.cutoff_at:
        return 0
    since = window.day - timedelta(days=USUAL_DAYS)
    usual = await orders_view.usual_eaters(
        conn, window.canteen_id, window.meal, since, window.day, USUAL_TIMES
    )
    ordered = await orders_view.residents_with_order(conn, window_id)
    queued = 0
    async with deps.db.transaction() as tx:
        queued += await remind_staff(tx, deps, window)
        for resident_id in (r for r in usual if r not in ordered):
            for link in await links.accounts_of(tx, resident_id):
                if link.notify:
                    lang = await notify.language_of(tx, link.account_id)
                    body = messages.reminder(window, lang, deps.clock.tz)
                    key = f"remind:window:{window_id}:account:{link.account_id}"
                    queued += await notify.text(tx, key, link.account_id, body, now)
    deps.outbox_queued()
    return queued


async def remind_staff(tx: Session, deps: Deps, window: Window) -> int:
    """One message to each staff member: how many orders still wait, and the cutoff."""
    waiting = await orders_view.lines(tx, window.id, ("placed",))
    if not waiting:
        return 0
    cutoff = f"{window.cutoff_at.astimezone(deps.clock.tz):%H:%M}"
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    rule = unconfirmed_rule(deps, canteen.code)
    queued = 0
    for account_id in await staff_of(tx, window.canteen_id):
        lang = await notify.language_of(tx, account_id)
        body = messages.staff_reminder(window, lang, len(waiting), cutoff, rule)
        key = f"remind-staff:window:{window.id}:account:{account_id}"
        queued += await notify.text(tx, key, account_id, body, deps.clock.now())
    return queued


def unconfirmed_rule(deps: Deps, canteen_code: str) -> str:
    """The canteen's rule for orders still unconfirmed at the cutoff."""
    return deps.config.canteens.canteen(canteen_code).unconfirmed_at_cutoff


async def close(deps: Deps, window_id: int) -> bool:
    """Close at the cutoff and queue the kitchen sheet, once however often this runs."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        window = await windows.get(tx, window_id)
        if window is None or now < window.cutoff_at:
            return False
        if not await windows.move(tx, window_id, ("scheduled", "open"), "closed", "closed_at", now):
            return False
        closed = await windows.get(tx, window_id)
        assert closed is not None
        await settle_unconfirmed(tx, deps, closed)
        await kitchen_sheet.queue_for_kitchen(tx, deps, closed)
        await audit.record(tx, now, None, "window.close", f"window:{window_id}")
    deps.outbox_queued()
    log.info("window %s closed", window_id)
    await claims.open_claims(deps, window_id)  # the volunteers' claim board
    return True


async def settle_unconfirmed(tx: Session, deps: Deps, window: Window) -> list[int]:
    """At the cutoff no order is left waiting: confirmed (the default) or declined, as the
    canteen file says, and the senior and family are told either way."""
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    if unconfirmed_rule(deps, canteen.code) == "confirm":
        return await receipt.confirm_placed(tx, deps, window, None)
    now = deps.clock.now()
    declined = []
    for order in await orders_view.lines(tx, window.id, ("placed",)):
        if await orders_view.move(tx, order.id, ("placed",), "declined", now, "unconfirmed"):
            declined.append(order.id)
            await audit.record(tx, now, None, "order.decline", f"order:{order.id}", "unconfirmed")
            await receipt.tell_resident(tx, deps, order, window, "declined", "unconfirmed")
    return declined


async def close_overdue(deps: Deps) -> list[int]:
    """Close every window whose cutoff passed (while the bot was down, say)."""
    now = deps.clock.now()
    due = await windows.in_states(deps.db.reader, ("scheduled", "open"))
    return [w.id for w in due if w.cutoff_at <= now and await close(deps, w.id)]


async def meals_ready(deps: Deps, account_id: int, window_id: int) -> Ready:
    """Staff say the meals are cooked: orders become ready, the window goes to dispatch."""
    await staff.require_window(deps, account_id, window_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await windows.move(tx, window_id, ("closed",), "dispatched", "ready_at", now):
            raise DomainError("staff.ready.not_closed")
        ready = await orders_view.move_all(tx, window_id, ("placed", "confirmed"), "ready", now)
        # Meals already on a route go out in this same step: were the process to die
        # before the hand-over below, nothing would send them out after a restart.
        routed = await windows.get(tx, window_id)
        assert routed is not None
        if routed.dispatched_at is not None:
            await deliveries.send_out(tx, window_id, now)
            await carrying.see_carried(tx, deps, routed)  # nothing cooked is left behind
        await audit.record(tx, now, account_id, "window.ready", f"window:{window_id}")
    await hand_over_to_dispatch(deps, window_id)
    return await ready_summary(deps, window_id, ready)


@dataclass(frozen=True)
class Ready:
    """What the kitchen hears when it marks the meals ready."""

    meals: int
    carried: int
    waiting_for_routes: int
    uncarried: list[str]  # names of seniors whose meal has no volunteer


async def ready_summary(deps: Deps, window_id: int, ready: list[int]) -> Ready:
    conn = deps.db.reader
    carried = waiting = 0
    for stop in await deliveries.stops(conn, window_id):
        if stop.order_id not in ready:
            continue
        if stop.volunteer_id is not None:
            carried += 1
        else:
            waiting += 1
    window = await windows.get(conn, window_id)
    assert window is not None
    nobody = await deliveries.uncarried(conn, window_id) if window.dispatched_at else []
    names = [line.resident for o in nobody if (line := await orders_view.line(conn, o))]
    return Ready(len(ready), carried, 0 if window.dispatched_at else waiting, names)


async def hand_over_to_dispatch(deps: Deps, window_id: int) -> None:
    """The hook for volunteer dispatch: `bot.services.delivery.dispatch.window_ready(deps, id)`.

    The volunteer issue provides that function (claims, routes); until then the window
    simply waits in the `dispatched` state with its orders `ready`.
    """
    try:
        dispatch = importlib.import_module("bot.services.delivery.dispatch")
    except ModuleNotFoundError:
        return
    await dispatch.window_ready(deps, window_id)
    deps.outbox_queued()
