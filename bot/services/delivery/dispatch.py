"""The claim deadline: what nobody claimed is assigned, every route ordered and sent.

`assign` runs from the `assign:window:N` job and is safe to run twice: the window's
`dispatched_at` is set once, in the same transaction that stores the routes and
queues them to the volunteers. One run at a time per window, and from one consistent
picture: the plan is made outside the store's lock (it takes a while), so the
transaction that stores it first checks that no claim, hand-back or reassignment
changed the deliveries meanwhile, and plans again when one did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.deps import Deps
from bot.services.delivery import carrying, claims, messages
from bot.services.delivery.deliveries import local_time, queue_card
from bot.services.notices import notify
from bot.services.people import volunteers
from data import audit, canteens, windows
from data import deliveries as store
from data import volunteers as volunteer_store
from data.db import Session
from data.deliveries import Stop
from data.models import Volunteer, Window

log = logging.getLogger("doorstep.dispatch")
TRIES = 5  # plans made again when the deliveries kept changing during planning


@dataclass(frozen=True)
class RouteRequest:
    """What a planner needs: where the meals leave from, the stops, who can carry them."""

    depot: tuple[float, float]
    stops: list[Stop]
    couriers: list[Volunteer]
    # The volunteer who last carried to each senior (resident id -> account id), if still here.
    last: dict[int, int]


@dataclass(frozen=True)
class Plan:
    """Each volunteer's deliveries in walking order, and the deliveries nobody could take."""

    routes: dict[int, list[int]]
    unassigned: list[int]


Planner = Callable[[RouteRequest], Awaitable[Plan]]


async def assign(deps: Deps, window_id: int, planner: Planner) -> bool:
    """At the claim deadline: plan, store and send every route; False when not due or done.

    One run at a time per window in this process; the store's own checks keep a second
    process from storing a second plan."""
    async with deps.dispatching.setdefault(window_id, asyncio.Lock()):
        return await _assign(deps, window_id, planner)


async def _assign(deps: Deps, window_id: int, planner: Planner) -> bool:
    window = await windows.get(deps.db.reader, window_id)
    if window is None or window.dispatched_at or deps.clock.now() < window.claim_until:
        return False
    await claims.open_claims(deps, window_id)  # orders confirmed since the close
    for _ in range(TRIES):
        seen = await _routable(deps.db.reader, window_id)
        couriers = await _couriers(deps.db.reader, window, seen)
        plan = _respect_hand_backs(
            await planner(await _request(deps, window, seen, couriers)), seen
        )
        async with deps.db.transaction() as tx:
            if await _routable(tx, window_id) != seen:
                continue  # a claim or hand-back came in while planning: plan again
            if not await store.mark_dispatched(tx, window_id, deps.clock.now()):
                return False
            await _store_routes(tx, plan)
            if window.state == "dispatched":  # the meals are cooked already
                await store.send_out(tx, window_id, deps.clock.now())
            await _queue_routes(tx, deps, window, plan)
            routed = await windows.get(tx, window_id)
            assert routed is not None
            left = await carrying.see_carried(tx, deps, routed)
            await audit.record(tx, deps.clock.now(), None, "window.routes", f"window:{window_id}")
        deps.outbox_queued()
        deps.jobs_changed()
        log.info("window %s routes sent; %s without a volunteer", window_id, len(left))
        return True
    log.warning("window %s: deliveries kept changing while planning; trying later", window_id)
    raise RuntimeError(f"window {window_id}: no consistent picture to plan from")


async def _routable(conn: Session, window_id: int) -> list[Stop]:
    """The deliveries still to route, as they are now (compared before storing a plan)."""
    return [s for s in await store.stops(conn, window_id) if s.state in (*store.HELD, "open")]


def _respect_hand_backs(plan: Plan, stops: list[Stop]) -> Plan:
    """Never route a delivery back to the volunteer who handed it back."""
    gave_back = {s.id: s.handed_back for s in stops}
    routes = {
        courier: [key for key in keys if courier not in gave_back.get(key, ())]
        for courier, keys in plan.routes.items()
    }
    dropped = [
        key
        for courier, keys in plan.routes.items()
        for key in keys
        if courier in gave_back.get(key, ())
    ]
    return Plan(routes, sorted([*plan.unassigned, *dropped]))


async def _couriers(conn: Session, window: Window, stops: list[Stop]) -> list[Volunteer]:
    """Available volunteers, and anyone who claimed a delivery of this window."""
    found = {v.account_id: v for v in await volunteers.available_for(conn, window)}
    for stop in stops:
        if stop.volunteer_id is not None and stop.volunteer_id not in found:
            claimant = await volunteer_store.get(conn, stop.volunteer_id, window.canteen_id)
            if claimant is not None:
                found[claimant.account_id] = claimant
    return list(found.values())


async def _request(
    deps: Deps, window: Window, stops: list[Stop], couriers: list[Volunteer]
) -> RouteRequest:
    canteen = await canteens.get(deps.db.reader, window.canteen_id)
    assert canteen is not None
    keys = {c.account_id for c in couriers}
    last = await store.last_volunteers(deps.db.reader, window)
    return RouteRequest(
        depot=(canteen.lat, canteen.lon),
        stops=stops,
        couriers=couriers,
        last={resident: account for resident, account in last.items() if account in keys},
    )


async def _store_routes(tx: Session, plan: Plan) -> None:
    for account_id, keys in plan.routes.items():
        for seq, delivery_id in enumerate(keys, start=1):
            await store.place(tx, delivery_id, account_id, seq)
    for delivery_id in plan.unassigned:  # a claim the bag could not hold goes back
        stop = await store.stop(tx, delivery_id)
        if stop is not None and stop.volunteer_id is not None:
            await store.release(tx, delivery_id, stop.volunteer_id)


async def _queue_routes(tx: Session, deps: Deps, window: Window, plan: Plan) -> None:
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    now = deps.clock.now()
    for account_id, keys in plan.routes.items():
        if not keys:
            continue
        stops = [s for s in await store.stops(tx, window.id) if s.id in keys]
        lang = await notify.language_of(tx, account_id)
        head = messages.route_title(window, stops, canteen, local_time(deps, window.serve_at), lang)
        await notify.text(
            tx, f"route:window:{window.id}:account:{account_id}", account_id, head, now
        )
        for stop in sorted(stops, key=lambda s: s.seq or 0):
            await queue_card(tx, deps, stop, account_id)


async def window_ready(deps: Deps, window_id: int) -> None:
    """The canteen's hook when the meals are cooked: held meals are now on their way."""
    window = await windows.get(deps.db.reader, window_id)
    if window is None or window.dispatched_at is None:
        return
    async with deps.db.transaction() as tx:
        await store.send_out(tx, window_id, deps.clock.now())
