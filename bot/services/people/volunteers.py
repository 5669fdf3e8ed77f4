"""Volunteers: when they can help, how many meals they carry, where they usually are."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.canteen_file import WEEKDAYS
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from data import accounts, audit
from data import volunteers as store
from data.db import Session
from data.models import Volunteer, Window

MEALS = ("lunch", "dinner")
CAPACITIES = (1, 2, 4, 6, 8)
AREA_LIMIT = 40


@dataclass
class Profile:
    """What a volunteer told us, one question at a time."""

    weekdays: list[str] = field(default_factory=list)
    meals: list[str] = field(default_factory=list)
    capacity: int = 4
    area: str = ""
    lat: float | None = None
    lon: float | None = None


async def canteen_of(deps: Deps, account_id: int) -> int:
    """The (first) canteen where this account volunteers; NotAllowedError when none."""
    grants = await accounts.roles_of(deps.db.reader, account_id)
    found = sorted(g.canteen_id for g in grants if g.role == "volunteer")
    if not found:
        raise NotAllowedError("volunteer.error.not_volunteer")
    return found[0]


def checked(profile: Profile) -> Profile:
    """The profile in canonical order; refused when it says they can never help."""
    days = [str(day) for day in WEEKDAYS if day in profile.weekdays]
    meals = [meal for meal in MEALS if meal in profile.meals]
    if not days or not meals:
        raise DomainError("volunteer.join.never")
    if profile.capacity not in CAPACITIES:
        raise DomainError("core.error.stale_button")
    area = " ".join(profile.area.split())[:AREA_LIMIT]
    return Profile(days, meals, profile.capacity, area, profile.lat, profile.lon)


async def save(deps: Deps, account_id: int, profile: Profile) -> Volunteer:
    """Store what the volunteer said (joining, or changing it later with /available)."""
    canteen_id = await canteen_of(deps, account_id)
    clean = checked(profile)
    account = await accounts.get(deps.db.reader, account_id)
    now = deps.clock.now()
    volunteer = Volunteer(
        account_id=account_id,
        canteen_id=canteen_id,
        name=(account.first_name if account else "") or str(account_id),
        phone="",
        capacity=clean.capacity,
        weekdays=",".join(clean.weekdays),
        meals=",".join(clean.meals),
        area=clean.area,
        lat=clean.lat,
        lon=clean.lon,
        active=True,
        created_at=now,
    )
    async with deps.db.transaction() as tx:
        await store.save(tx, volunteer, now)
        await audit.record(tx, now, account_id, "volunteer.save", f"account:{account_id}")
    return volunteer


def helps_at(volunteer: Volunteer, window: Window) -> bool:
    """Said they can help on this weekday at this meal."""
    weekday = WEEKDAYS[window.day.weekday()]
    return weekday in volunteer.weekdays.split(",") and window.meal in volunteer.meals.split(",")


async def available_for(conn: Session, window: Window) -> list[Volunteer]:
    """The canteen's volunteers who can help at this window."""
    return [v for v in await store.of_canteen(conn, window.canteen_id) if helps_at(v, window)]
