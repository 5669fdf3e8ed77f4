"""Taking access back: an admin removes staff and volunteers from a canteen, and unlinks a
family member from a senior.

Nothing is cached: every check of a role or a link reads the store, so a removed person's
buttons, screens and commands are refused from the moment the change commits. A volunteer
removed while holding deliveries gives them back in the same transaction (and their stop
cards not sent yet are withdrawn), and they are placed with someone else or the staff
are told by name. Every removal is audited with who
did it, and the removed person is told kindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.delivery import carrying
from bot.services.notices import notify
from bot.services.people import messages, staff
from data import accounts, audit, canteens, links, outbox, residents, windows
from data import deliveries as store
from data.db import Session
from data.models import Canteen, Role

PAGE_SIZE = 10
REMOVABLE: tuple[Role, ...] = ("staff", "volunteer")
# Deliveries of a meal served longer ago than this stay as reported (or flagged unreported);
# only those that can still be carried go back.
STILL_CARRIED = timedelta(hours=2)
CARDS = ("card", "pin")  # what a volunteer is sent about a stop: its card and its map pin
T = TypeVar("T")


@dataclass(frozen=True)
class Member:
    account_id: int
    role: Role
    name: str


@dataclass(frozen=True)
class Page(Generic[T]):
    canteen: Canteen
    items: list[T]
    number: int
    pages: int


@dataclass(frozen=True)
class FamilyLink:
    resident_id: int
    resident_name: str
    account_id: int
    member_name: str


@dataclass(frozen=True)
class Removed:
    member: Member
    canteen: Canteen
    returned: int  # deliveries the volunteer held that went back


def removable(value: str) -> Role:
    """A role an admin may take back here; a forged button names something else."""
    for role in REMOVABLE:
        if value == role:
            return role
    raise DomainError("core.error.stale_button")


async def admin_canteens(deps: Deps, admin_id: int) -> list[Canteen]:
    """The canteens this account administers, in order; a kind refusal when none."""
    found = []
    for canteen_id in await staff.canteens_of(deps, admin_id, ("admin",)):
        canteen = await canteens.get(deps.db.reader, canteen_id)
        if canteen is not None:
            found.append(canteen)
    if not found:
        raise NotAllowedError("admin.access.only_admins")
    return found


async def _admin_of(deps: Deps, admin_id: int, canteen_id: int) -> Canteen:
    for canteen in await admin_canteens(deps, admin_id):
        if canteen.id == canteen_id:
            return canteen
    raise NotAllowedError("admin.access.only_admins")


def _paged(canteen: Canteen, items: list[T], total: int, number: int) -> Page[T]:
    return Page(canteen, items, number, max(1, -(-total // PAGE_SIZE)))


def _clamp(number: int, total: int) -> int:
    return min(max(number, 0), max(0, (total - 1) // PAGE_SIZE))


async def team_page(deps: Deps, admin_id: int, canteen_id: int, number: int) -> Page[Member]:
    """One page of the canteen's staff and volunteers, for an admin of it."""
    canteen = await _admin_of(deps, admin_id, canteen_id)
    everyone = [Member(*row) for row in await accounts.team(deps.db.reader, canteen_id)]
    number = _clamp(number, len(everyone))
    start = number * PAGE_SIZE
    return _paged(canteen, everyone[start : start + PAGE_SIZE], len(everyone), number)


async def member(
    deps: Deps, admin_id: int, canteen_id: int, account_id: int, role: str
) -> tuple[Member, Canteen]:
    """Someone of the canteen's team, as the "are you sure" screen names them."""
    canteen = await _admin_of(deps, admin_id, canteen_id)
    checked = removable(role)
    for found in await accounts.team(deps.db.reader, canteen_id):
        if found[0] == account_id and found[1] == checked:
            return Member(*found), canteen
    raise DomainError("admin.team.already_removed")


async def remove(deps: Deps, admin_id: int, canteen_id: int, account_id: int, role: str) -> Removed:
    """An admin of the canteen takes a staff or volunteer role back; the person is told,
    and a volunteer's deliveries go back to be carried by someone else."""
    person, canteen = await member(deps, admin_id, canteen_id, account_id, role)
    if account_id == admin_id:
        raise DomainError("staff.roles.not_yourself")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await accounts.revoke_role(tx, account_id, canteen_id, person.role):
            raise DomainError("admin.team.already_removed")
        subject, detail = f"account:{account_id}", f"canteen:{canteen_id}"
        await audit.record(tx, now, admin_id, f"role.remove.{person.role}", subject, detail)
        returned = 0
        if person.role == "volunteer":
            returned = await _give_back(tx, deps, admin_id, account_id, canteen_id)
        lang = await notify.language_of(tx, account_id)
        body = messages.told_removed(lang, person.role, canteen)
        key = f"role:{canteen_id}:{person.role}:account:{account_id}:removed:{now.isoformat()}"
        await notify.text(tx, key, account_id, body, now)
    deps.outbox_queued()
    if returned:
        deps.jobs_changed()
    return Removed(person, canteen, returned)


async def _give_back(
    tx: Session, deps: Deps, admin_id: int, account_id: int, canteen_id: int
) -> int:
    """Open again what the volunteer held of meals still to carry; then each such window
    is seen to (placed with someone with room, or the staff told by name)."""
    now = deps.clock.now()
    seen: list[int] = []
    returned = 0
    for delivery_id, window_id in await store.held_by(tx, account_id, canteen_id):
        window = await windows.get(tx, window_id)
        if window is None or now > window.serve_at + STILL_CARRIED:
            continue
        if await store.release(tx, delivery_id, account_id):
            detail = f"account:{account_id}"
            await audit.record(
                tx, now, admin_id, "delivery.release", f"delivery:{delivery_id}", detail
            )
            cards = [f"{kind}:delivery:{delivery_id}:account:{account_id}" for kind in CARDS]
            await outbox.withdraw(tx, account_id, cards)  # a stop card not yet sent stays unsent
            returned += 1
            seen += [window_id] if window_id not in seen else []
    for window_id in seen:
        window = await windows.get(tx, window_id)
        assert window is not None
        sheets = [f"{kind}:window:{window_id}:account:{account_id}" for kind in ("route", "board")]
        await outbox.withdraw(tx, account_id, sheets)
        await carrying.see_carried(tx, deps, window)
    return returned


async def family_page(deps: Deps, admin_id: int, canteen_id: int, number: int) -> Page[FamilyLink]:
    """One page of the family links of the canteen's seniors, for an admin of it."""
    canteen = await _admin_of(deps, admin_id, canteen_id)
    total = await links.family_count(deps.db.reader, canteen_id)
    number = _clamp(number, total)
    rows = await links.family_of_canteen(deps.db.reader, canteen_id, PAGE_SIZE, number * PAGE_SIZE)
    return _paged(canteen, [FamilyLink(*row) for row in rows], total, number)


async def family_link(
    deps: Deps, admin_id: int, resident_id: int, account_id: int
) -> tuple[FamilyLink, Canteen]:
    """A family link of a senior of a canteen this admin runs."""
    resident = await residents.get(deps.db.reader, resident_id)
    if resident is None:
        raise NotAllowedError("admin.access.only_admins")
    canteen = await _admin_of(deps, admin_id, resident.canteen_id)
    link = await links.get(deps.db.reader, account_id, resident_id)
    if link is None or link.relation != "family":
        raise DomainError("admin.team.already_unlinked")
    account = await accounts.get(deps.db.reader, account_id)
    name = (account.first_name if account else "") or str(account_id)
    return FamilyLink(resident_id, resident.name, account_id, name), canteen


async def unlink(deps: Deps, admin_id: int, resident_id: int, account_id: int) -> FamilyLink:
    """An admin of the senior's canteen unlinks a family member, who is told; from then on
    they cannot order for the senior nor hear about their meals."""
    found, canteen = await family_link(deps, admin_id, resident_id, account_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await links.remove_family(tx, account_id, resident_id):
            raise DomainError("admin.team.already_unlinked")
        subject, detail = f"resident:{resident_id}", f"account:{account_id}"
        await audit.record(tx, now, admin_id, "link.remove.family", subject, detail)
        lang = await notify.language_of(tx, account_id)
        body = messages.told_unlinked(lang, found.resident_name, canteen)
        key = f"link:{resident_id}:account:{account_id}:removed:{now.isoformat()}"
        await notify.text(tx, key, account_id, body, now)
    deps.outbox_queued()
    return found
