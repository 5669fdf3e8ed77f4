"""A senior's orders: listing them, cancelling before the cutoff, and the usual meal again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.ordering import order_change, placing
from bot.services.ordering import ordering_rules as rules
from bot.services.ordering.order_change import Correctable
from bot.services.ordering.order_views import Buying
from bot.services.ordering.placing import Draft, residents_of
from data import orders, windows
from data.models import MenuItem, Order, Window

RECENT = timedelta(days=7)


@dataclass(frozen=True)
class Listed:
    order: Order
    resident_name: str
    cancellable: bool
    phone: str


async def list_orders(deps: Deps, account_id: int) -> list[Listed]:
    """Recent and upcoming orders of every senior this account is linked to."""
    conn = deps.db.reader
    now = deps.clock.now()
    names = {r.id: r.name for r in await residents_of(deps, account_id)}
    listed = []
    seen: dict[int, tuple[Window, str]] = {}  # window id -> the window, its canteen's phone
    for order in await orders.recent(conn, list(names), now - RECENT):
        if order.window_id not in seen:
            window = await windows.get(conn, order.window_id)
            assert window is not None
            seen[order.window_id] = (window, await rules.phone_of(conn, window.canteen_id))
        window, phone = seen[order.window_id]
        cancellable = order.status in orders.CANCELLABLE and now < window.cutoff_at
        listed.append(Listed(order, names[order.resident_id], cancellable, phone))
    return listed


async def cancel(deps: Deps, account_id: int, order_id: int) -> Order:
    """Cancel an order before the window's cutoff (same rule as ordering: linked, or staff)."""
    return await order_change.cancel(deps, account_id, order_id, None)


async def cancellable(deps: Deps, account_id: int, order_id: int) -> Correctable:
    """The order, when this account may still cancel it (asked once more before cancelling)."""
    found = await order_change.correctable(deps, account_id, order_id)
    if found.order.status not in orders.CANCELLABLE:
        raise DomainError("resident.orders.cannot_cancel")
    return found


async def phone_for(deps: Deps, account_id: int, order_id: int) -> str:
    """The canteen phone for an order this account may change (to call after the cutoff)."""
    conn = deps.db.reader
    order = await orders.get(conn, order_id)
    if order is None or not await rules.may_order_for(conn, account_id, order.resident_id):
        raise NotAllowedError()
    window = await windows.get(deps.db.reader, order.window_id)
    assert window is not None
    return await rules.phone_of(deps.db.reader, window.canteen_id)


@dataclass(frozen=True)
class Again:
    """'Same as last time': what it would order now, or that her dish is not to be had."""

    last: MenuItem  # the dish of her last order
    buying: Buying | None  # None: not on a menu she can order from now
    draft: Draft | None
    sold_out: bool = False  # on a menu, but not enough of it is left


async def same_as_last(deps: Deps, account_id: int, resident_id: int, lang: str) -> Again | None:
    """The senior's last order again, for the next open window that has none yet.

    A dish is the same when a later menu has it under the same code AND the same name: a
    code alone is not an identity (staff adding a dish with /menu get the next free code,
    so tomorrow's "D" may be another dish than today's). None when she has no order to
    repeat or no meal is open to her.
    """
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, resident_id)
    last = await orders.latest(conn, resident.id)
    if last is None:
        return None
    lines = await orders.items(conn, last.id)
    before = await windows.get(conn, last.window_id)
    first = await windows.menu_item(conn, lines[0].menu_item_id) if lines else None
    if first is None or before is None:
        return None
    open_now = await windows.orderable(conn, resident.canteen_id, deps.clock.now())
    free = [w for w in open_now if not await orders.live_at_window(conn, resident.id, w.id)]
    if not free:
        return None
    portions, sold_out = lines[0].portions, False
    for window in _same_meal_first(free, before):
        for item in await windows.menu(conn, window.id):
            if (item.code, item.name) != (first.code, first.name):
                continue
            left = await rules.remaining(conn, item)
            if left is not None and left < portions:
                sold_out = True
                continue
            draft = Draft(resident.id, window.id, item.id, portions, last.fulfilment)
            try:
                buying = await placing.review(deps, account_id, draft, lang)
            except DomainError:
                continue  # delivery she may no longer have, say: she orders step by step
            return Again(first, buying, draft)
    return Again(first, None, None, sold_out)


def _same_meal_first(candidates: list[Window], before: Window) -> list[Window]:
    return sorted(candidates, key=lambda window: (window.meal != before.meal, window.cutoff_at))
