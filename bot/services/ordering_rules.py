"""The rules an order must pass, checked again inside the transaction that places it."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.canteen_file import Canteen as CanteenSpec
from bot.deps import Deps
from bot.services.errors import DomainError, NotAllowedError
from data import canteens, links, orders, residents, windows
from data.models import Fulfilment, MenuItem, Resident, Window

FULFILMENTS: tuple[Fulfilment, ...] = ("delivery", "pickup", "dine_in")


class SoldOutError(DomainError):
    """The dish ran out; the handler offers the dishes still available."""


async def resident_for(conn: aiosqlite.Connection, account_id: int, resident_id: int) -> Resident:
    """The resident this account is linked to and may order for now."""
    link = await links.get(conn, account_id, resident_id)
    resident = await residents.get(conn, resident_id)
    if link is None or resident is None or resident.status in ("declined", "erased"):
        raise NotAllowedError()
    if resident.status == "pending":
        raise DomainError("resident.order.pending", name=resident.name)
    return resident


async def spec_of(deps: Deps, conn: aiosqlite.Connection, canteen_id: int) -> CanteenSpec:
    canteen = await canteens.get(conn, canteen_id)
    assert canteen is not None
    return deps.config.canteens.canteen(canteen.code)


async def phone_of(conn: aiosqlite.Connection, canteen_id: int) -> str:
    canteen = await canteens.get(conn, canteen_id)
    return canteen.phone if canteen else ""


async def open_window(
    conn: aiosqlite.Connection, resident: Resident, window_id: int, now: datetime
) -> Window:
    """A window of the resident's canteen that takes orders now."""
    window = await windows.get(conn, window_id)
    if window is None or window.canteen_id != resident.canteen_id:
        raise NotAllowedError()
    if now < window.opens_at:
        raise DomainError("resident.order.not_open")
    if now >= window.cutoff_at or window.state not in ("scheduled", "open"):
        raise DomainError("resident.order.closed", phone=await phone_of(conn, window.canteen_id))
    return window


async def not_ordered_yet(conn: aiosqlite.Connection, resident: Resident, window_id: int) -> None:
    if await orders.live_at_window(conn, resident.id, window_id):
        raise DomainError("resident.order.twice", name=resident.name)


async def remaining(conn: aiosqlite.Connection, item: MenuItem) -> int | None:
    """Portions still free, or None when the dish has no limit."""
    if item.sold_out:
        return 0
    if item.capacity is None:
        return None
    return max(0, item.capacity - await windows.portions_taken(conn, item.id))


async def dish_available(
    conn: aiosqlite.Connection, window: Window, item_id: int, portions: int, lang: str
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


def check_fulfilment(fulfilment: str, resident: Resident) -> Fulfilment:
    if fulfilment not in FULFILMENTS:
        raise NotAllowedError()
    if fulfilment == "delivery" and not resident.can_have_delivery:
        raise DomainError("resident.order.no_delivery")
    return fulfilment


def clashes(resident: Resident, item: MenuItem) -> bool:
    """The dish lacks one of the resident's diet needs (say low-salt, or no pork)."""
    return any(tag not in item.tag_list for tag in resident.diet_tags)
