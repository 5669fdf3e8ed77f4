"""The cost model: walking metres, plus surcharges that encode who should carry what.

Each courier with ties (stops they claimed, or served last time) gets a cost matrix of
their own; all other couriers share one. Entering a stop tied to someone else costs
`familiar` extra metres, or a prohibitive amount for a claimed stop, so the search
keeps a senior with a familiar volunteer exactly when that saves less than `familiar`
metres of walking and never hands a claimed delivery to anyone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scheduling.routing.engine import IntMatrix
from scheduling.routing.model import Courier, Stop


@dataclass(frozen=True)
class Costs:
    """Cost matrices (one per profile) and which profile each courier key uses."""

    matrices: list[IntMatrix]
    profile: dict[int, int]


def tie_costs(
    base: IntMatrix,
    num_depots: int,
    stops: Sequence[Stop],
    couriers: Sequence[Courier],
    familiar: int,
) -> Costs:
    """Base metres plus the surcharges for entering a stop tied to another courier."""
    keys = {c.key for c in couriers}
    surcharge = np.zeros(base.shape[0], dtype=np.int64)
    owned: dict[int, list[int]] = {}
    claimed = _prohibitive(base, stops, familiar)
    for index, stop in enumerate(stops, start=num_depots):
        tie = stop.fixed_courier if stop.fixed_courier is not None else stop.last_courier
        if tie in keys:
            surcharge[index] = claimed if stop.fixed_courier is not None else familiar
            owned.setdefault(tie, []).append(index)
    # Profile 0 is plain walking, used by no courier: PyVRP picks each stop's candidate
    # neighbours by the first profile, and surcharges there would hide claimed stops.
    matrices = [base, base + surcharge[None, :]]
    profile = dict.fromkeys(keys, 1)
    for key in sorted(owned):
        own = surcharge.copy()
        own[owned[key]] = 0
        profile[key] = len(matrices)
        matrices.append(base + own[None, :])
    return Costs(matrices, profile)


def optional_prizes(base: IntMatrix, stops: Sequence[Stop], familiar: int) -> list[int | None]:
    """What leaving a stop out costs when not all meals fit: more than any detour per
    meal, so the fewest meals are left; claimed stops (None) may not be left out."""
    value = _meal_value(base, familiar)
    return [None if s.fixed_courier is not None else value * max(s.demand, 1) for s in stops]


def _meal_value(base: IntMatrix, familiar: int) -> int:
    """More than the detour any one stop can add, surcharge included."""
    return 2 * int(base.max(initial=0)) + familiar + 1


def _prohibitive(base: IntMatrix, stops: Sequence[Stop], familiar: int) -> int:
    """Dearer than leaving every meal undelivered."""
    return _meal_value(base, familiar) * (sum(max(s.demand, 1) for s in stops) + 1)
