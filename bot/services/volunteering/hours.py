"""Volunteers' hours: each round's meals, stops, times and planned walk, and their month.

A round is one volunteer at one meal: the stops they went to (whatever they found at
the door), the meals they carried, when they set off (the meals were handed out ready,
else their first claim) and finished (their last report), and the walk planned for it:
from the canteen through the doors in route order and back, door to door in a straight
line (doors without a map pin are left out, so it is never more than they walked).
A volunteer sees their month; the admins get a table per volunteer (for volunteer-hour
certificates); and on the 1st each volunteer is thanked for what they did last month.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.deps import Deps
from bot.services.notices import notify
from bot.services.volunteering import messages
from data import accounts, canteens, rounds
from data.models import Canteen
from data.rounds import RoundStop

EARTH_METRES = 6_371_000


@dataclass(frozen=True)
class Round:
    volunteer_id: int
    window_id: int
    day: date
    meal: str
    stops: int
    meals: int
    set_off: datetime | None
    finished: datetime | None
    metres: int

    @property
    def minutes(self) -> int:
        if self.set_off is None or self.finished is None or self.finished < self.set_off:
            return 0
        return int((self.finished - self.set_off).total_seconds() // 60)


@dataclass(frozen=True)
class Month:
    """One volunteer's month."""

    volunteer_id: int
    name: str
    rounds: int
    meals: int
    stops: int
    minutes: int
    metres: int

    @property
    def km(self) -> float:
        return round(self.metres / 1000, 1)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_METRES * math.asin(math.sqrt(h))


def walk(depot: tuple[float, float], stops: list[RoundStop]) -> int:
    """Canteen, the doors with a map pin in route order, canteen: metres."""
    doors = [(s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None]
    if not doors:
        return 0
    points = [depot, *doors, depot]
    return round(sum(metres_between(a, b) for a, b in itertools.pairwise(points)))


def rounds_of(stops: list[RoundStop], depot: tuple[float, float]) -> list[Round]:
    """The rounds these stops make, one per volunteer and meal."""
    grouped: dict[tuple[int, int], list[RoundStop]] = {}
    for stop in stops:
        grouped.setdefault((stop.volunteer_id, stop.window_id), []).append(stop)
    found = []
    for (volunteer_id, window_id), own in grouped.items():
        claimed = [s.claimed_at for s in own if s.claimed_at is not None]
        reported = [s.reported_at for s in own if s.reported_at is not None]
        set_off = own[0].ready_at or (min(claimed) if claimed else None)
        found.append(
            Round(
                volunteer_id=volunteer_id,
                window_id=window_id,
                day=own[0].day,
                meal=own[0].meal,
                stops=len(own),
                meals=sum(s.meals for s in own),
                set_off=set_off,
                finished=max(reported) if reported else None,
                metres=walk(depot, own),
            )
        )
    return found


async def _depot(deps: Deps, canteen_id: int) -> tuple[float, float]:
    canteen = await canteens.get(deps.db.reader, canteen_id)
    assert canteen is not None
    place = deps.config.canteens.canteen(canteen.code).location
    return (place.lat, place.lon)


def month_days(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


async def month(
    deps: Deps, canteen_id: int, year: int, month_no: int, volunteer_id: int | None = None
) -> list[Month]:
    """Each volunteer's month at the canteen (or one volunteer's), by name."""
    first, last = month_days(year, month_no)
    stops = await rounds.stops_between(deps.db.reader, canteen_id, first, last, volunteer_id)
    found: dict[int, list[Round]] = {}
    for one in rounds_of(stops, await _depot(deps, canteen_id)):
        found.setdefault(one.volunteer_id, []).append(one)
    months = []
    for person, own in found.items():
        account = await accounts.get(deps.db.reader, person)
        months.append(
            Month(
                volunteer_id=person,
                name=(account.first_name if account else "") or str(person),
                rounds=len(own),
                meals=sum(r.meals for r in own),
                stops=sum(r.stops for r in own),
                minutes=sum(r.minutes for r in own),
                metres=sum(r.metres for r in own),
            )
        )
    return sorted(months, key=lambda m: (-m.meals, m.name))


async def mine(deps: Deps, account_id: int) -> list[tuple[Canteen, Month | None]]:
    """This month so far at each canteen the account volunteers for: (canteen, month)."""
    today = deps.clock.now().astimezone(deps.clock.tz).date()
    grants = await accounts.roles_of(deps.db.reader, account_id)
    found: list[tuple[Canteen, Month | None]] = []
    for canteen_id in sorted({g.canteen_id for g in grants if g.role == "volunteer"}):
        canteen = await canteens.get(deps.db.reader, canteen_id)
        assert canteen is not None
        own = await month(deps, canteen_id, today.year, today.month, account_id)
        found.append((canteen, own[0] if own else None))
    return found


def previous(day: date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


async def thank(deps: Deps, canteen_id: int) -> int:
    """On the 1st: each volunteer who carried meals last month is thanked, by what they did."""
    year, month_no = previous(deps.clock.now().astimezone(deps.clock.tz).date())
    now = deps.clock.now()
    done = await month(deps, canteen_id, year, month_no)
    async with deps.db.transaction() as tx:
        for person in done:
            lang = await notify.language_of(tx, person.volunteer_id)
            body = messages.thanks(lang, person, f"{year}-{month_no:02d}")
            key = f"thanks:{canteen_id}:{year}{month_no:02d}:account:{person.volunteer_id}"
            await notify.text(tx, key, person.volunteer_id, body, now)
    deps.outbox_queued()
    return len(done)
