"""Walking distances between places, and where to put a door we have no pin for."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from scheduling.routing.model import Place, Stop

EARTH_RADIUS_METRES = 6_371_008.8
FloatMatrix = npt.NDArray[np.float64]


def walking_metres(places: Sequence[Place], walking_factor: float) -> FloatMatrix:
    """Great-circle distance between every pair of places, times the walking factor
    (streets are not straight lines)."""
    lat = np.radians([p.lat for p in places])
    lon = np.radians([p.lon for p in places])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    arc = 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    metres: FloatMatrix = EARTH_RADIUS_METRES * walking_factor * arc
    return metres


def located(depot: Place, stops: Sequence[Stop]) -> list[Place]:
    """Each stop's place; a stop without one takes the place of the first located stop
    of its building (in the given order), else the depot's."""
    by_building: dict[str, Place] = {}
    for stop in stops:
        if stop.place is not None:
            by_building.setdefault(stop.building, stop.place)
    return [stop.place or by_building.get(stop.building, depot) for stop in stops]
