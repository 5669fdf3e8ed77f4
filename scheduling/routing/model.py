"""The routing domain: where meals go, who carries them, and the plan that comes out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A point on the map in decimal degrees (WGS 84)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Stop:
    """One delivery: a door to bring `demand` meals to.

    `building` groups residents of one building: a stop without a `place` is routed
    as if it stood at a located stop of the same building (else at the canteen).
    `last_courier` is who served this resident last time (kept where that costs
    little); `fixed_courier` is who has claimed this delivery (always kept).
    """

    key: int
    building: str
    place: Place | None = None
    demand: int = 1
    last_courier: int | None = None
    fixed_courier: int | None = None


@dataclass(frozen=True)
class Courier:
    """A volunteer who can carry up to `capacity` meals.

    Routes begin at `start`, which is the canteen when it is None: meals are
    collected there, so that is the usual case.
    """

    key: int
    capacity: int
    start: Place | None = None


@dataclass(frozen=True)
class Plan:
    """Who carries what, in which order.

    `routes` has every courier's key, with an empty list for a courier who is not
    needed; `walking_metres` is each route's length from its start to the last door.
    `unassigned` lists the stops no courier could take (not enough capacity), sorted.
    """

    routes: dict[int, list[int]]
    unassigned: list[int] = field(default_factory=list)
    walking_metres: dict[int, float] = field(default_factory=dict)
