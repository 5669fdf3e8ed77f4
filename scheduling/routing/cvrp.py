"""CVRPLIB instances and solutions: read with `vrplib`, solve, write the `.sol` text."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import vrplib

from scheduling.routing.budget import budget_for
from scheduling.routing.engine import Fleet, IntMatrix, Problem, solve_problem

# Leaves room for start-up and imports (~0.35 s) within a second for the whole command.
DEFAULT_SECONDS = 0.3


class InstanceError(ValueError):
    """The file is not a single-depot CVRP instance we can solve."""


@dataclass(frozen=True)
class Instance:
    """A CVRP instance with the depot at index 0 and customers 1..n in file order."""

    name: str
    capacity: int
    demands: list[int]
    distances: IntMatrix

    @property
    def customers(self) -> int:
        return len(self.demands) - 1


def read_instance(path: str) -> Instance:
    """Reads a VRPLIB file; raises OSError if unreadable and InstanceError if unusable."""
    try:
        raw = vrplib.read_instance(path)
    except OSError:
        raise
    except Exception as error:  # vrplib reports malformed text with many exception types
        raise InstanceError(f"not a VRPLIB instance ({error})") from error
    for key in ("capacity", "demand", "edge_weight"):
        if key not in raw:
            raise InstanceError(f"no {key.upper()} in the file")
    depots = [int(d) for d in np.atleast_1d(raw.get("depot", [0]))]
    if len(depots) != 1:
        raise InstanceError("only single-depot instances are supported")
    order = [depots[0], *(i for i in range(len(raw["demand"])) if i != depots[0])]
    distances = np.floor(np.asarray(raw["edge_weight"], dtype=float) + 0.5).astype(np.int64)
    return Instance(
        name=str(raw.get("name", path)),
        capacity=int(raw["capacity"]),
        demands=[int(raw["demand"][i]) for i in order],
        distances=distances[np.ix_(order, order)],
    )


def solve_instance(
    instance: Instance, seconds: float | None = None, seed: int = 1
) -> list[list[int]]:
    """Routes as lists of customer numbers (1..n), closed at the depot as CVRPLIB counts them."""
    demands = instance.demands
    too_big = [c for c in range(1, len(demands)) if demands[c] > instance.capacity]
    if too_big:
        raise InstanceError(f"customer {too_big[0]} needs more than a vehicle's capacity")
    problem = Problem(
        costs=[instance.distances],
        num_depots=1,
        demands=instance.demands[1:],
        fleets=[Fleet(capacity=instance.capacity, count=max(1, instance.customers))],
    )
    routes = solve_problem(
        problem,
        budget_for(instance.customers, DEFAULT_SECONDS if seconds is None else seconds),
        seed,
    )
    return [[client + 1 for client in route.clients] for route in routes if route.clients]


def route_cost(instance: Instance, routes: Sequence[Sequence[int]]) -> int:
    """Total length of closed routes from and back to the depot."""
    total = 0
    for route in routes:
        path = [0, *route, 0]
        total += sum(int(instance.distances[a, b]) for a, b in itertools.pairwise(path))
    return total


def format_solution(routes: Sequence[Sequence[int]], cost: int) -> str:
    """The CVRPLIB `.sol` text: `Route #k: ...` lines, then `Cost N`."""
    lines = [
        f"Route #{number}: {' '.join(map(str, route))}"
        for number, route in enumerate(routes, start=1)
    ]
    return "\n".join([*lines, f"Cost {cost}"])
