"""The dispatch jobs: the claim deadline's routes, no-answer escalation, unreported
deliveries, and the admins' approval digests.

At the claim deadline the routing engine (scheduling/routing/, pure) plans the window's
routes here, and the plan is handed to the delivery service to store and send: no
service imports scheduling. The store lists what is due (`assign:window:42`,
`escalate:delivery:7`, `unreported:window:42`, `digest:admin:9000`, due when the admin
may get the next one) until it is done, and services say when something became due
(`deps.jobs_changed`), so the runner (scheduling/runner.py) plans these again then.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.deps import Deps
from bot.services.delivery import claims, dispatch, outcomes
from bot.services.delivery.deliveries import rules
from bot.services.people import approval_digest
from data import deliveries, windows
from scheduling import routing
from scheduling.routing.model import Courier, Place
from scheduling.routing.model import Stop as RouteStop
from scheduling.runner import Due, Kind

SOLVE_SECONDS = 0.5


async def plan(request: dispatch.RouteRequest) -> dispatch.Plan:
    """The routing engine's plan for one window's deliveries (solved off the event loop)."""
    keys = {c.account_id for c in request.couriers}
    stops = [
        RouteStop(
            key=s.id,
            building=s.building,
            place=Place(s.lat, s.lon) if s.lat is not None and s.lon is not None else None,
            demand=s.meals,
            last_courier=request.last.get(s.resident_id),
            fixed_courier=s.volunteer_id if s.volunteer_id in keys else None,
        )
        for s in request.stops
    ]
    couriers = [Courier(key=c.account_id, capacity=c.capacity) for c in request.couriers]
    found = await asyncio.to_thread(
        routing.plan_routes, Place(*request.depot), stops, couriers, seconds=SOLVE_SECONDS
    )
    return dispatch.Plan(dict(found.routes), list(found.unassigned))


async def assign(deps: Deps, window_id: int) -> bool:
    """The claim deadline of one window: its routes planned by the engine, stored and sent."""
    return await dispatch.assign(deps, window_id, plan)


async def routes_due(deps: Deps) -> list[Due]:
    """Windows whose claim board is open: their routes at the claim deadline."""
    return [(w.id, w.claim_until) for w in await deliveries.awaiting_routes(deps.db.reader)]


async def reports_due(deps: Deps) -> list[Due]:
    """Windows with a delivery held and not reported: looked at a while after serving."""
    found: list[Due] = []
    for window in await deliveries.awaiting_reports(deps.db.reader):
        after = (await rules(deps, window.canteen_id)).unreported_after_minutes
        found.append((window.id, window.serve_at + timedelta(minutes=after)))
    return found


async def escalations_due(deps: Deps) -> list[Due]:
    """Doors nobody answered whose alert is still open: raised to the admins after a wait."""
    found: list[Due] = []
    for stop in await deliveries.unanswered(deps.db.reader):
        wait = (await rules(deps, stop.canteen_id)).no_answer_escalate_minutes
        assert stop.reported_at is not None
        found.append((stop.id, stop.reported_at + timedelta(minutes=wait)))
    return found


KINDS = (
    Kind("assign:window:{}", assign, routes_due, "assign", "window"),
    Kind("unreported:window:{}", outcomes.unreported, reports_due, "unreported", "window"),
    Kind("escalate:delivery:{}", outcomes.escalate, escalations_due, "escalate", "delivery"),
    Kind("digest:admin:{}", approval_digest.send, approval_digest.due, "digest"),
)


async def reopen_boards(deps: Deps) -> None:
    """At start-up: windows closed while the bot was down (or before a crash) get their
    claim board."""
    now = deps.clock.now()
    for window in await windows.in_states(deps.db.reader, ("closed", "dispatched")):
        if window.dispatched_at is None and window.serve_at > now:
            await claims.open_claims(deps, window.id)
