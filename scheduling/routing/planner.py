"""Automatic assignment at a claim deadline: who carries which meals, in which order.

Routes are open: a volunteer's walk ends at the last door (nobody needs to bring the
bag back), so the cost we minimise, the walk from the start to the last door, is also
how long the last senior on the route waits. Claimed deliveries stay with their
volunteer; a senior stays with last time's volunteer when that adds less than
`familiar_metres` of walking. When the meals do not fit in the volunteers' bags, the
fewest meals are left over, in `unassigned`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from scheduling.routing.budget import budget_for
from scheduling.routing.costs import optional_prizes, tie_costs
from scheduling.routing.engine import Fleet, Problem, Route, solve_problem
from scheduling.routing.geo import FloatMatrix, located, walking_metres
from scheduling.routing.model import Courier, Place, Plan, Stop

FAMILIAR_METRES = 200.0


def plan_routes(
    depot: Place,
    stops: Sequence[Stop],
    couriers: Sequence[Courier],
    *,
    walking_factor: float = 1.3,
    seconds: float = 1.0,
    seed: int = 1,
    familiar_metres: float = FAMILIAR_METRES,
) -> Plan:
    """Assigns and orders the stops among the couriers; the same inputs and seed give
    the same plan (`budget.py` tells how `seconds` becomes a fixed search effort)."""
    _validate(stops, couriers)
    routable, left_over = _servable(stops, couriers)
    if not routable:
        return _plan([], [], couriers, [], left_over, np.zeros((0, 0)))
    starts = list(dict.fromkeys([depot, *(c.start or depot for c in couriers)]))
    metres = walking_metres([*starts, *located(depot, routable)], walking_factor)
    base = np.rint(metres).astype(np.int64)
    familiar = round(familiar_metres)
    costs = tie_costs(base, len(starts), routable, couriers, familiar)
    fleets = [
        Fleet(c.capacity, start=starts.index(c.start or depot), profile=costs.profile[c.key])
        for c in couriers
    ]
    prizes = optional_prizes(base, routable, familiar)
    fits = sum(s.demand for s in routable) <= sum(c.capacity for c in couriers)
    problem = Problem(
        costs.matrices,
        len(starts),
        [s.demand for s in routable],
        fleets,
        prizes=None if fits else prizes,
        open_routes=True,
    )
    budget = budget_for(len(routable), seconds, len(costs.matrices))
    claims = _claims(routable, couriers)
    routes = solve_problem(problem, budget, seed, claims)
    if fits and not _kept_promises(routes, routable, couriers):
        # Every meal fits in total but not bag by bag: let the search leave some out.
        routes = solve_problem(replace(problem, prizes=prizes), budget, seed, claims)
    return _plan(routes, routable, couriers, fleets, left_over, metres)


def _validate(stops: Sequence[Stop], couriers: Sequence[Courier]) -> None:
    if len({s.key for s in stops}) != len(stops):
        raise ValueError("stop keys must be unique")
    courier_keys = {c.key for c in couriers}
    if len(courier_keys) != len(couriers):
        raise ValueError("courier keys must be unique")
    if any(c.capacity < 0 for c in couriers):
        raise ValueError("capacities must not be negative")
    for stop in stops:
        if stop.demand < 0:
            raise ValueError(f"stop {stop.key} has a negative demand")
        if stop.fixed_courier is not None and stop.fixed_courier not in courier_keys:
            raise ValueError(f"stop {stop.key} is claimed by unknown courier {stop.fixed_courier}")


def _servable(stops: Sequence[Stop], couriers: Sequence[Courier]) -> tuple[list[Stop], list[int]]:
    """Sets aside what no courier can carry: a stop bigger than any bag, and claims
    beyond the claimant's capacity (the later keys)."""
    room = {c.key: c.capacity for c in couriers}
    largest = max(room.values(), default=0)
    routable: list[Stop] = []
    left_over: list[int] = []
    for stop in sorted(stops, key=lambda s: s.key):
        if stop.fixed_courier is not None and stop.demand <= room[stop.fixed_courier]:
            room[stop.fixed_courier] -= stop.demand
            routable.append(stop)
        elif stop.fixed_courier is None and stop.demand <= largest:
            routable.append(stop)
        else:
            left_over.append(stop.key)
    return routable, left_over


def _claims(stops: Sequence[Stop], couriers: Sequence[Courier]) -> list[Route]:
    """Each claimant's claimed stops, as routes to start the search from."""
    fleet = {c.key: index for index, c in enumerate(couriers)}
    claimed: dict[int, list[int]] = {}
    for client, stop in enumerate(stops):
        if stop.fixed_courier is not None:
            claimed.setdefault(fleet[stop.fixed_courier], []).append(client)
    return [Route(index, clients) for index, clients in sorted(claimed.items())]


def _kept_promises(
    routes: Sequence[Route], stops: Sequence[Stop], couriers: Sequence[Courier]
) -> bool:
    """Every stop carried, no bag over capacity, no claim carried by someone else."""
    carried = [c for route in routes for c in route.clients]
    if len(carried) != len(stops):
        return False
    return all(_fits(route, stops, couriers[route.fleet]) for route in routes)


def _fits(route: Route, stops: Sequence[Stop], courier: Courier) -> bool:
    if sum(stops[c].demand for c in route.clients) > courier.capacity:
        return False
    return all(stops[c].fixed_courier in (None, courier.key) for c in route.clients)


def _plan(
    routes: Sequence[Route],
    stops: Sequence[Stop],
    couriers: Sequence[Courier],
    fleets: Sequence[Fleet],
    left_over: list[int],
    metres: FloatMatrix,
) -> Plan:
    """Turns engine routes into a plan, dropping (never keeping) anything that would
    break a promise: a bag over capacity or a claim carried by someone else."""
    assigned: dict[int, list[int]] = {c.key: [] for c in couriers}
    walked = dict.fromkeys(assigned, 0.0)
    first_stop = len(metres) - len(stops)
    for route in routes:
        courier = couriers[route.fleet]
        kept: list[int] = []
        load = 0
        for client in route.clients:
            stop = stops[client]
            if stop.fixed_courier in (None, courier.key) and load + stop.demand <= courier.capacity:
                kept.append(client)
                load += stop.demand
        assigned[courier.key] = [stops[c].key for c in kept]
        path = [fleets[route.fleet].start, *(c + first_stop for c in kept)]
        walked[courier.key] = float(sum(metres[a, b] for a, b in itertools.pairwise(path)))
    carried = {key for keys in assigned.values() for key in keys}
    unassigned = sorted({*left_over, *(s.key for s in stops)} - carried)
    return Plan(routes=assigned, unassigned=unassigned, walking_metres=walked)
