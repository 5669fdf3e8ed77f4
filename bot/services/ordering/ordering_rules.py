"""The rules an order must pass, checked again inside the transaction that places it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.canteen_file import Canteen as CanteenSpec
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.ordering import diet
from bot.services.people import erased
from bot.services.people.staff import STAFF_ROLES
from data import accounts, canteens, links, orders, residents, windows
from data.db import Session
from data.models import Fulfilment, MenuItem, Resident, Window

FULFILMENTS: tuple[Fulfilment, ...] = ("delivery", "pickup", "dine_in")
# A walk-in eats at the counter or takes the meal away; nobody carries it to a door.
WALK_IN_WAYS: tuple[Fulfilment, ...] = ("pickup", "dine_in")
# Staff-only exception to the cutoff: someone at the counter may still get a meal until
# two hours after serving (dishes sold out or at capacity are still refused).
WALK_IN_GRACE = timedelta(hours=2)


class SoldOutError(DomainError):
    """The dish ran out; the handler offers the dishes still available."""


async def resident_for(conn: Session, account_id: int, resident_id: int) -> Resident:
    """The resident this account is linked to and may act for now (family, regular meals)."""
    linked = await links.get(conn, account_id, resident_id) is not None
    return _usable(await residents.get(conn, resident_id), linked)


async def works_at(conn: Session, account_id: int, canteen_id: int) -> bool:
    """The account holds an active staff or admin role at this canteen."""
    grants = await accounts.roles_of(conn, account_id)
    return any(g.canteen_id == canteen_id and g.role in STAFF_ROLES for g in grants)


async def may_order_for(conn: Session, account_id: int, resident_id: int) -> bool:
    """Who may order (and cancel) for a senior: an account linked to them, or staff or an
    admin of the senior's canteen (a senior need not have Telegram at all)."""
    if await links.get(conn, account_id, resident_id) is not None:
        return True
    resident = await residents.get(conn, resident_id)
    return resident is not None and await works_at(conn, account_id, resident.canteen_id)


async def orderer_for(
    conn: Session, account_id: int, resident_id: int, *, walk_in: bool = False
) -> Resident:
    """The resident this account may order for now; a walk-in is recorded by staff only."""
    resident = await residents.get(conn, resident_id)
    if walk_in:
        allowed = resident is not None and await works_at(conn, account_id, resident.canteen_id)
    else:
        allowed = await may_order_for(conn, account_id, resident_id)
    return _usable(resident, allowed)


async def source_of(
    conn: Session, account_id: int, resident_id: int, *, walk_in: bool = False
) -> str:
    """'walk_in', 'chat' when the account is linked to the senior, else 'staff'."""
    if walk_in:
        return "walk_in"
    return "chat" if await links.get(conn, account_id, resident_id) is not None else "staff"


def _usable(resident: Resident | None, allowed: bool) -> Resident:
    erased.refuse(resident)
    if not allowed or resident is None or resident.status in ("declined", "erased"):
        raise NotAllowedError()
    if resident.status == "pending":
        raise DomainError("resident.order.pending", name=resident.name)
    return resident


async def spec_of(deps: Deps, conn: Session, canteen_id: int) -> CanteenSpec:
    canteen = await canteens.get(conn, canteen_id)
    assert canteen is not None
    return deps.config.canteens.canteen(canteen.code)


async def phone_of(conn: Session, canteen_id: int) -> str:
    canteen = await canteens.get(conn, canteen_id)
    return canteen.phone if canteen else ""


async def open_window(conn: Session, resident: Resident, window_id: int, now: datetime) -> Window:
    """A window of the resident's canteen that takes orders now."""
    window = await windows.get(conn, window_id)
    if window is None or window.canteen_id != resident.canteen_id:
        raise NotAllowedError()
    if now < window.opens_at:
        raise DomainError("resident.order.not_open")
    if now >= window.cutoff_at or window.state not in ("scheduled", "open"):
        raise DomainError("resident.order.closed", phone=await phone_of(conn, window.canteen_id))
    return window


async def serving_window(
    conn: Session, resident: Resident, window_id: int, now: datetime
) -> Window:
    """A window of the resident's canteen that still serves walk-ins now: from its opening
    until WALK_IN_GRACE after serving, past the cutoff too (the staff-only exception)."""
    window = await windows.get(conn, window_id)
    if window is None or window.canteen_id != resident.canteen_id:
        raise NotAllowedError()
    if not serves_walk_ins(window, now):
        raise DomainError("staff.order.walk_in_closed")
    return window


def serves_walk_ins(window: Window, now: datetime) -> bool:
    return window.state != "done" and window.opens_at <= now < window.serve_at + WALK_IN_GRACE


async def order_window(
    conn: Session, resident: Resident, window_id: int, now: datetime, walk_in: bool
) -> Window:
    if walk_in:
        return await serving_window(conn, resident, window_id, now)
    return await open_window(conn, resident, window_id, now)


async def not_ordered_yet(conn: Session, resident: Resident, window_id: int) -> None:
    if await orders.live_at_window(conn, resident.id, window_id):
        raise DomainError("resident.order.twice", name=resident.name)


async def remaining(conn: Session, item: MenuItem) -> int | None:
    """Portions still free, or None when the dish has no limit."""
    if item.sold_out:
        return 0
    if item.capacity is None:
        return None
    return max(0, item.capacity - await windows.portions_taken(conn, item.id))


async def dish_available(
    conn: Session, window: Window, item_id: int, portions: int, lang: str
) -> MenuItem:
    item = await windows.menu_item(conn, item_id)
    if item is None or item.window_id != window.id:
        raise NotAllowedError()
    left = await remaining(conn, item)
    if left is not None and left < portions:
        raise SoldOutError("resident.order.sold_out", dish=item.display_name(lang))
    return item


def check_portions(portions: int, spec: CanteenSpec) -> None:
    if not 1 <= portions <= spec.max_portions:
        raise DomainError("resident.order.portions", limit=spec.max_portions)


def check_fulfilment(fulfilment: str, resident: Resident, walk_in: bool = False) -> Fulfilment:
    if fulfilment not in FULFILMENTS:
        raise NotAllowedError()
    if walk_in and fulfilment not in WALK_IN_WAYS:
        raise DomainError("staff.order.walk_in_how")
    if fulfilment == "delivery" and not resident.can_have_delivery:
        raise DomainError("resident.order.no_delivery")
    return fulfilment


def ways(resident: Resident, walk_in: bool) -> list[Fulfilment]:
    """How the meal may reach this senior: delivery only to those who qualify, never a walk-in."""
    offered = WALK_IN_WAYS if walk_in else FULFILMENTS
    return [way for way in offered if way != "delivery" or resident.can_have_delivery]


def clashes(resident: Resident, item: MenuItem) -> tuple[str, ...]:
    """Why the dish may not suit the resident (not low-salt, contains pork, contains peanut),
    as reasons the catalogue names; () when it suits her."""
    return diet.reasons(resident, item)


async def speaks_for_self(conn: Session, account_id: int, resident_id: int) -> bool:
    """The account is the senior herself (so the bot says "you", not her name)."""
    link = await links.get(conn, account_id, resident_id)
    return link is not None and link.relation == "self"
