"""`doorstep route FILE.vrp`: solve a CVRPLIB instance and print it in `.sol` format."""

from __future__ import annotations

import sys

from scheduling.routing.cvrp import (
    InstanceError,
    format_solution,
    read_instance,
    route_cost,
    solve_instance,
)

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def run(path: str, seconds: float | None = None) -> int:
    """Prints the routes and cost found for the instance at `path`; returns the exit code."""
    try:
        instance = read_instance(path)
        routes = solve_instance(instance, seconds)
    except FileNotFoundError:
        return _fail(f"{path}: no such file")
    except OSError as error:
        return _fail(f"{path}: cannot read it ({error.strerror or error})")
    except InstanceError as error:
        return _fail(f"{path}: {error}")
    print(format_solution(routes, route_cost(instance, routes)))
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"doorstep route: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
