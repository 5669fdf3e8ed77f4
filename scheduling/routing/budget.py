"""How `seconds` of search become a fixed number of iterations.

Stopping on the clock would make a plan depend on how busy the machine is; a fixed
iteration count makes it the same for a seed, everywhere, which matters for a job
that may run twice. So the allowance is converted, with a cost model measured on the
reference machine (2 cores, PyVRP 0.14, other work running), into iterations that
take at most about `seconds` there. The clock only guards against a much slower
machine: at `GUARD` times the allowance the search stops regardless (and that run
gives up reproducibility). A busy machine of the reference kind (load of five on two
cores, seen while backups, reports and other work run) is about five times slower, so
the guard sits well above that: a plan must not change because the machine was busy.

Measured per iteration of the iterated local search: 0.5 to 1.2 ms on Augerat's set
A (31 to 79 clients), 0.8 ms at 250 clients and 1.2 ms at 300 with one cost matrix,
2.4 ms at 300 with 32 matrices (30 couriers with claims or regulars). Before the
first iteration, building the problem and the first full local search take about
0.2 ms per client, plus 0.025 ms per client for each cost matrix.
"""

from __future__ import annotations

import math

from scheduling.routing.engine import Budget

GUARD = 10.0
BASE_MS, PER_CLIENT_MS, PER_CLIENT_MATRIX_MS = 0.8, 0.0025, 0.00015
SETUP_PER_CLIENT_MS, SETUP_PER_CLIENT_MATRIX_MS = 0.2, 0.025


def iteration_ms(clients: int, matrices: int = 1) -> float:
    """Estimated time of one iteration on the reference machine."""
    return BASE_MS + clients * (PER_CLIENT_MS + matrices * PER_CLIENT_MATRIX_MS)


def setup_ms(clients: int, matrices: int = 1) -> float:
    """Estimated time before the first iteration on the reference machine."""
    return clients * (SETUP_PER_CLIENT_MS + matrices * SETUP_PER_CLIENT_MATRIX_MS)


def budget_for(clients: int, seconds: float, matrices: int = 1) -> Budget:
    """The iterations that fit in `seconds` after set-up (at least one)."""
    search_ms = seconds * 1000 - setup_ms(clients, matrices)
    iterations = max(1, math.floor(search_ms / iteration_ms(clients, matrices)))
    return Budget(iterations=iterations, seconds=GUARD * seconds)
