"""Every delivery order has a carrier, or a person knows it has none.

Once the claim deadline has passed, a delivery order that nobody holds (confirmed late,
handed back after the routes went out, left over by the planner) goes at once to a
volunteer with room in their bag on that round (not to one who handed it back). When
nobody has room, the staff are told by name which seniors have no carrier, and each such
order gets an open `no_carrier` alert until someone carries it or a person handles it.
"""

from __future__ import annotations

from functools import partial

from bot.core.deps import Deps
from bot.services.delivery import messages
from bot.services.delivery.deliveries import queue_card, staff_of, tell
from bot.services.incidents import raising
from bot.services.people import volunteers
from data import alerts, audit, windows
from data import deliveries as store
from data.db import Session
from data.deliveries import Stop
from data.models import Window


def past_deadline(deps: Deps, window: Window) -> bool:
    """The claim board has closed: what is not held now must be placed at once."""
    return window.dispatched_at is not None or deps.clock.now() >= window.claim_until


async def see_carried(tx: Session, deps: Deps, seen: Window) -> list[int]:
    """Place every uncarried live delivery order of a window whose board has closed, or
    tell the staff who has no carrier; the order ids that are still without one."""
    window = await windows.get(tx, seen.id)  # as it is inside this transaction
    assert window is not None
    if not past_deadline(deps, window):
        for order_id in await store.uncarried(tx, window.id):
            await store.ensure(tx, order_id, window.id)  # the board and the planner see it
        return []
    now = deps.clock.now()
    nobody: list[Stop] = []
    for order_id in await store.uncarried(tx, window.id):
        stop = await store.stop(tx, await store.ensure(tx, order_id, window.id))
        assert stop is not None
        if not await _place(tx, deps, window, stop):
            nobody.append(stop)
    newly = [
        stop
        for stop in nobody
        if await alerts.open_alert(tx, window.canteen_id, "no_carrier", stop.order_id, now)
    ]
    if newly:
        await _tell_nobody(tx, deps, window, newly)
        told = await staff_of(tx, window.canteen_id)
        raised = [
            (
                raising.about_meal(
                    window.canteen_id, stop.resident_id, window.id, stop.order_id, "no_carrier"
                ),
                told,
            )
            for stop in newly
        ]
        await raising.raise_many(tx, deps, raised, "no_carrier")
        deps.jobs_changed()
    return [stop.order_id for stop in nobody]


async def _rooms(tx: Session, window: Window) -> list[tuple[int, int]]:
    """(volunteer, meals their bag still takes): those already on this round first (they
    are going anyway), then those who said they can help at this meal."""
    on_round = await store.room_left(tx, window)
    going = {volunteer_id for volunteer_id, _ in on_round}
    free = [
        (v.account_id, v.capacity)
        for v in await volunteers.available_for(tx, window)
        if v.account_id not in going
    ]
    return [*on_round, *free]


async def _place(tx: Session, deps: Deps, window: Window, stop: Stop) -> bool:
    """Give the stop to the volunteer on this round with the most room, if one has room."""
    for volunteer_id, room in await _rooms(tx, window):
        if volunteer_id in stop.handed_back or room < stop.meals:
            continue
        seq = await store.last_seq(tx, volunteer_id, window.id) + 1
        if not await store.place(tx, stop.id, volunteer_id, seq):
            return False
        now = deps.clock.now()
        if window.ready_at is not None:
            await store.send_out(tx, window.id, now)
        await alerts.handle_for_order(tx, stop.order_id, ("no_carrier",), None, "placed", now)
        matter = raising.meal_matter(stop.resident_id, window.id)
        await raising.settle(tx, matter, ("no_carrier",), "placed", now)
        await audit.record(tx, now, None, "delivery.place_late", f"delivery:{stop.id}")
        placed = await store.stop(tx, stop.id)
        assert placed is not None
        await queue_card(tx, deps, placed, volunteer_id, f":late:{now.isoformat()}")
        return True
    return False


async def _tell_nobody(tx: Session, deps: Deps, window: Window, stops: list[Stop]) -> None:
    staff = await staff_of(tx, window.canteen_id)
    serve = f"{window.serve_at.astimezone(deps.clock.tz):%H:%M}"
    text = partial(messages.no_carrier, window, stops, serve)
    stamp = deps.clock.now().isoformat()
    key = f"nocarrier:window:{window.id}:{stops[0].order_id}:{stamp}"
    await tell(tx, deps, staff, key, text, urgent=True)
