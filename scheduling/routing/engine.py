"""The search engine: PyVRP's iterated local search on integer cost matrices.

Everything routing-specific to Doorstep (metres, buildings, claims, familiar faces)
is turned into plain cost matrices before it gets here, so this module is the only
one that knows PyVRP and the CVRP command and the planner share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pyvrp import (
    Client,
    Depot,
    IteratedLocalSearch,
    Location,
    PenaltyManager,
    ProblemData,
    RandomNumberGenerator,
    Solution,
    SolveParams,
    VehicleType,
)
from pyvrp import Route as PyvrpRoute
from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Fleet:
    """`count` vehicles that carry up to `capacity`, set off from depot `start` and
    pay the costs of matrix `profile`."""

    capacity: int
    start: int = 0
    count: int = 1
    profile: int = 0


@dataclass(frozen=True)
class Problem:
    """A capacitated routing problem on integer costs.

    Locations are the depots first, then one per client in the order of `demands`;
    `costs` holds one square matrix over them per profile. With `prizes`, a client
    may be left out at the cost of its prize, unless its prize is None; without,
    every client must be visited.
    Open routes end at their last client: coming back costs nothing.
    """

    costs: Sequence[IntMatrix]
    num_depots: int
    demands: Sequence[int]
    fleets: Sequence[Fleet]
    prizes: Sequence[int | None] | None = None
    open_routes: bool = False


@dataclass(frozen=True)
class Budget:
    """How long to search: a number of iterations, which makes the answer the same
    for a seed, and a wall-clock cap that is only a safety net."""

    iterations: int
    seconds: float


@dataclass(frozen=True)
class Route:
    """The clients one vehicle of fleet `fleet` visits, in order (0-based indices)."""

    fleet: int
    clients: list[int]


def solve_problem(
    problem: Problem, budget: Budget, seed: int, start: Sequence[Route] = ()
) -> list[Route]:
    """The best routes found within the budget; clients not in any route were left out.

    `start` seeds the search with partial routes (say, each claim on its claimant's
    route); the search adds the other clients and may reorder and move everything.
    """
    if not problem.demands or not problem.fleets:
        return []
    data = _problem_data(problem)
    stop = MultipleCriteria([MaxIterations(budget.iterations), MaxRuntime(budget.seconds)])
    best = _search(data, stop, seed, start)
    return [
        Route(route.vehicle_type(), [a.idx for a in route if a.is_client()])
        for route in best.routes()
    ]


def _search(
    data: ProblemData, stop: StoppingCriterion, seed: int, start: Sequence[Route]
) -> Solution:
    """`pyvrp.solve`, except that the first solution grows from `start` (when given)
    rather than from a random one."""
    params = SolveParams()
    rng = RandomNumberGenerator(seed=seed)
    search = LocalSearch(
        data,
        rng,
        compute_neighbours(data, params.neighbourhood),
        PerturbationManager(params.perturbation),
    )
    for operator in params.operators:
        if operator.supports(data):
            search.add_operator(operator(data))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    if start:
        first = Solution(data, [PyvrpRoute(data, r.clients, r.fleet) for r in start])
    else:
        first = Solution.make_random(data, rng)
    initial = search(first, penalties.max_cost_evaluator(), exhaustive=True)
    ils = IteratedLocalSearch(data, penalties, search, initial, params.ils)
    return ils.run(stop, collect_stats=False).best


def _problem_data(problem: Problem) -> ProblemData:
    n_depots = problem.num_depots
    # PyVRP's stubs spell a matrix `ndarray[int]`, which no numpy array type matches.
    costs: list[Any] = [_prepared(m, n_depots, problem.open_routes) for m in problem.costs]
    prizes = problem.prizes or [None] * len(problem.demands)
    clients = [
        Client(location=n_depots + i, delivery=[demand], prize=prize or 0, required=prize is None)
        for i, (demand, prize) in enumerate(zip(problem.demands, prizes, strict=True))
    ]
    vehicle_types = [
        VehicleType(
            num_available=fleet.count,
            capacity=[fleet.capacity],
            start_depot=fleet.start,
            end_depot=fleet.start,
            profile=fleet.profile,
        )
        for fleet in problem.fleets
    ]
    return ProblemData(
        locations=[Location(0.0, 0.0) for _ in range(n_depots + len(clients))],
        clients=clients,
        depots=[Depot(location=d) for d in range(n_depots)],
        vehicle_types=vehicle_types,
        distance_matrices=costs,
        duration_matrices=[np.zeros_like(matrix) for matrix in costs],
    )


def _prepared(matrix: IntMatrix, num_depots: int, open_routes: bool) -> IntMatrix:
    prepared = np.array(matrix, dtype=np.int64)
    if open_routes:
        prepared[:, :num_depots] = 0
    np.fill_diagonal(prepared, 0)  # staying put is free, whatever surcharges say
    return prepared
