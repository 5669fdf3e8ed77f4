"""The claim deadline: what nobody claimed is assigned, every route ordered and sent.

`assign` runs from the `assign:window:N` job and is safe to run twice: the window's
`dispatched_at` is set once, in the same transaction that stores the routes and
queues them to the volunteers.
"""

from __future__ import annotations

import asyncio
import logging

import aiosqlite

from bot.deps import Deps
from bot.i18n import Html, t
from bot.services import claims, notify, volunteers
from bot.services.deliveries import local_time, queue_card, staff_of, tell
from bot.services.labels import window_label
from data import audit, canteens, windows
from data import deliveries as store
from data import volunteers as volunteer_store
from data.deliveries import Stop
from data.models import Volunteer, Window
from scheduling import routing
from scheduling.routing.model import Courier, Place, Plan
from scheduling.routing.model import Stop as RouteStop

log = logging.getLogger("doorstep.dispatch")
SOLVE_SECONDS = 0.5


async def assign(deps: Deps, window_id: int) -> bool:
    """At the claim deadline: plan, store and send every route; False when not due or done."""
    window = await windows.get(deps.db.conn, window_id)
    if window is None or window.dispatched_at or deps.clock.now() < window.claim_until:
        return False
    await claims.open_claims(deps, window_id)  # orders confirmed since the close
    stops = [
        s for s in await store.stops(deps.db.conn, window_id) if s.state in (*store.HELD, "open")
    ]
    couriers = await _couriers(deps.db.conn, window, stops)
    plan = await _plan(deps, window, stops, couriers)
    async with deps.db.transaction() as tx:
        if not await store.mark_dispatched(tx, window_id, deps.clock.now()):
            return False
        await _store_routes(tx, plan)
        if window.state == "dispatched":  # the meals are cooked already
            await store.send_out(tx, window_id, deps.clock.now())
        await _queue_routes(tx, deps, window, plan)
        await _alert_overflow(tx, deps, window, plan.unassigned)
        await audit.record(tx, deps.clock.now(), None, "window.routes", f"window:{window_id}")
    deps.outbox_queued()
    deps.jobs_changed()
    log.info("window %s routes sent; %s left over", window_id, len(plan.unassigned))
    return True


async def _couriers(
    conn: aiosqlite.Connection, window: Window, stops: list[Stop]
) -> list[Volunteer]:
    """Available volunteers, and anyone who claimed a delivery of this window."""
    found = {v.account_id: v for v in await volunteers.available_for(conn, window)}
    for stop in stops:
        if stop.volunteer_id is not None and stop.volunteer_id not in found:
            claimant = await volunteer_store.get(conn, stop.volunteer_id, window.canteen_id)
            if claimant is not None:
                found[claimant.account_id] = claimant
    return list(found.values())


async def _plan(deps: Deps, window: Window, stops: list[Stop], couriers: list[Volunteer]) -> Plan:
    canteen = await canteens.get(deps.db.conn, window.canteen_id)
    assert canteen is not None
    last = await store.last_volunteers(deps.db.conn, window)
    keys = {c.account_id for c in couriers}
    route_stops = [
        RouteStop(
            key=s.id,
            building=s.building,
            place=Place(s.lat, s.lon) if s.lat is not None and s.lon is not None else None,
            demand=s.meals,
            last_courier=last.get(s.resident_id) if last.get(s.resident_id) in keys else None,
            fixed_courier=s.volunteer_id if s.volunteer_id in keys else None,
        )
        for s in stops
    ]
    route_couriers = [Courier(key=c.account_id, capacity=c.capacity) for c in couriers]
    depot = Place(canteen.lat, canteen.lon)
    return await asyncio.to_thread(
        routing.plan_routes, depot, route_stops, route_couriers, seconds=SOLVE_SECONDS
    )


async def _store_routes(tx: aiosqlite.Connection, plan: Plan) -> None:
    for account_id, keys in plan.routes.items():
        for seq, delivery_id in enumerate(keys, start=1):
            await store.place(tx, delivery_id, account_id, seq)
    for delivery_id in plan.unassigned:  # a claim the bag could not hold goes back
        stop = await store.stop(tx, delivery_id)
        if stop is not None and stop.volunteer_id is not None:
            await store.release(tx, delivery_id, stop.volunteer_id)


async def _queue_routes(tx: aiosqlite.Connection, deps: Deps, window: Window, plan: Plan) -> None:
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    now = deps.clock.now()
    for account_id, keys in plan.routes.items():
        if not keys:
            continue
        stops = [s for s in await store.stops(tx, window.id) if s.id in keys]
        lang = await notify.language_of(tx, account_id)
        head = t(
            lang,
            "volunteer.route.title",
            window=window_label(window, lang),
            n=len(stops),
            meals=sum(s.meals for s in stops),
            canteen=canteen.display_name(lang),
            address=canteen.display_address(lang),
            serve=local_time(deps, window.serve_at),
        )
        await notify.text(
            tx, f"route:window:{window.id}:account:{account_id}", account_id, head, now
        )
        for stop in sorted(stops, key=lambda s: s.seq or 0):
            await queue_card(tx, deps, stop, account_id)


async def _alert_overflow(
    tx: aiosqlite.Connection, deps: Deps, window: Window, left: list[int]
) -> None:
    """Not enough bags: the staff hear which deliveries nobody carries."""
    if not left:
        return
    staff = await staff_of(tx, window.canteen_id)

    def text(lang: str) -> Html:
        ids = ", ".join(f"#{delivery_id}" for delivery_id in left)
        return t(
            lang,
            "volunteer.staff.overflow",
            window=window_label(window, lang),
            n=len(left),
            ids=ids,
        )

    await tell(tx, deps, staff, f"overflow:window:{window.id}", text)


async def window_ready(deps: Deps, window_id: int) -> None:
    """The canteen's hook when the meals are cooked: held meals are now on their way."""
    window = await windows.get(deps.db.conn, window_id)
    if window is None or window.dispatched_at is None:
        return
    async with deps.db.transaction() as tx:
        await store.send_out(tx, window_id, deps.clock.now())
