"""Home screens: which role's main keyboard an account sees, and the canteen's day at a glance.

One account may hold several roles (a cook who orders for her mother, a volunteer whose
father eats at the canteen). Each role has a home screen; the account sees the one it
picked with the switch button, else the one it uses most, else the first of `HOMES`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.kitchen import receipt
from bot.services.people import accounts, approvals, staff
from data import home as screens
from data.models import Window

HOMES = ("staff", "admin", "volunteer", "resident")
CANTEEN_HOMES = ("staff", "admin")  # they see the canteen's day at a glance


@dataclass(frozen=True)
class Meal:
    """One of today's windows as the canteen's home screen shows it."""

    window: Window
    waiting: int  # placed, not yet confirmed
    confirmed: int

    @property
    def to_cook(self) -> int:
        return self.waiting + self.confirmed


@dataclass(frozen=True)
class Home:
    """The home screen an account sees now, and the others it may switch to."""

    current: str
    homes: tuple[str, ...]
    registered: bool  # cares for at least one senior (else the resident home offers Register)
    today: tuple[Meal, ...] = ()
    waiting: int = 0  # orders waiting for a confirm, today's and tomorrow's
    approvals: int = 0  # people waiting for an admin's decision

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(home for home in self.homes if home != self.current)


def homes_of(who: accounts.Who) -> tuple[str, ...]:
    """The homes of an account's roles; everyone without a role has the resident home."""
    held = [home for home in HOMES if home != "resident" and who.has_role(home)]
    if who.residents or not held:
        held.append("resident")
    return tuple(held)


def choose(homes: tuple[str, ...], used: list[tuple[str, int, str | None]]) -> str:
    """The newest picked home, else the most used, else the first."""
    mine = [entry for entry in used if entry[0] in homes]
    picks = [(when, home) for home, _, when in mine if when]
    if picks:
        return max(picks)[1]
    counts = [(uses, -homes.index(home), home) for home, uses, _ in mine if uses > 0]
    return max(counts)[2] if counts else homes[0]


async def current(deps: Deps, account_id: int) -> Home:
    """The account's home screen now and the others it holds (no counts)."""
    who = await accounts.who(deps, account_id)
    homes = homes_of(who)
    return Home(
        choose(homes, await screens.screens(deps.db.reader, account_id)), homes, bool(who.residents)
    )


async def of(deps: Deps, account_id: int) -> Home:
    """The account's home screen now, with today's counts when it is the canteen's."""
    home = await current(deps, account_id)
    current_home = home.current
    if current_home in CANTEEN_HOMES:
        home = await _glance(deps, account_id, home)
    if current_home == "admin":
        queue = await approvals.queue(deps, account_id)
        home = replace(home, approvals=len(queue.residents) + len(queue.roles))
    return home


async def _glance(deps: Deps, account_id: int, home: Home) -> Home:
    found = await staff.recent_windows(deps, account_id)
    counts = await screens.order_counts(deps.db.reader, [window.id for window in found])
    today = deps.clock.now().date()
    meals = tuple(
        Meal(window, counts[window.id].get("placed", 0), counts[window.id].get("confirmed", 0))
        for window in found
        if window.day == today
    )
    waiting = sum(
        counts[window.id].get("placed", 0) for window in found if window.state in receipt.RECEIVING
    )
    return replace(home, today=meals, waiting=waiting)


async def used(deps: Deps, account_id: int, candidates: tuple[str, ...]) -> None:
    """Count a use of the first of `candidates` the account holds (a button or command
    several roles share, such as /order, counts for the first); others count nothing, and
    nothing is counted for an account with one home (there is nothing to choose)."""
    held = homes_of(await accounts.who(deps, account_id))
    home = next((home for home in candidates if home in held), None)
    if home is None or len(held) == 1:
        return
    async with deps.db.transaction() as tx:
        await screens.used(tx, account_id, home)


async def switch(deps: Deps, account_id: int, home: str) -> Home:
    """The account picked another of its home screens with the switch button."""
    if home not in homes_of(await accounts.who(deps, account_id)):
        raise DomainError("core.error.stale_button")
    async with deps.db.transaction() as tx:
        await screens.picked(tx, account_id, home, deps.clock.now())
    return await of(deps, account_id)
