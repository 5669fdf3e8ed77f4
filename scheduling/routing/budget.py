"""How `seconds` of search become a fixed number of iterations.

Stopping on the clock would make the answer depend on how busy the machine is; a
fixed iteration count makes it the same for a seed, everywhere. So the allowance is
converted, with a cost model measured on the reference machine (2 cores, PyVRP 0.14),
into iterations that take about `seconds` there, and the clock only guards against a
much slower machine: at `GUARD` times the allowance the search stops regardless
(and gives up reproducibility for that run).

Measured per ILS iteration: ~0.4 ms at 30 clients, ~1 ms at 250 and ~1.5 ms at 300
with one cost matrix; each extra matrix (a courier with claims or regulars) adds
~0.15 us per client. The first full local search costs ~0.2 ms per client.
"""

from __future__ import annotations

import math

from scheduling.routing.engine import Budget

DEFAULT_SECONDS = 0.5
GUARD = 1.5
BASE_MS, PER_CLIENT_MS, PER_CLIENT_PROFILE_MS = 0.3, 0.004, 0.00015
SETUP_MS_PER_CLIENT = 0.2


def iteration_ms(clients: int, profiles: int = 1) -> float:
    """Estimated time of one iteration on the reference machine."""
    return BASE_MS + clients * (PER_CLIENT_MS + profiles * PER_CLIENT_PROFILE_MS)


def budget_for(clients: int, seconds: float | None = None, profiles: int = 1) -> Budget:
    """The iterations that fit in `seconds` (default `DEFAULT_SECONDS`) after set-up."""
    allowance = DEFAULT_SECONDS if seconds is None else seconds
    search_ms = allowance * 1000 - SETUP_MS_PER_CLIENT * clients
    iterations = max(1, math.floor(search_ms / iteration_ms(clients, profiles)))
    return Budget(iterations=iterations, seconds=GUARD * allowance)
