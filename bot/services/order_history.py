"""A senior's orders: listing them, cancelling before the cutoff, and the usual meal again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.deps import Deps
from bot.services import erased, order_text
from bot.services import ordering_rules as rules
from bot.services.errors import DomainError, NotAllowedError
from bot.services.ordering import Draft, residents_of
from data import audit, orders, windows
from data.models import Order, Window

RECENT = timedelta(days=7)


@dataclass(frozen=True)
class Listed:
    order: Order
    resident_name: str
    cancellable: bool
    phone: str


async def list_orders(deps: Deps, account_id: int) -> list[Listed]:
    """Recent and upcoming orders of every senior this account is linked to."""
    conn = deps.db.conn
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
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        order = await orders.get(tx, order_id)
        if order is not None:
            await erased.refuse_id(tx, order.resident_id)
        if order is None or not await rules.may_order_for(tx, account_id, order.resident_id):
            raise NotAllowedError()
        window = await windows.get(tx, order.window_id)
        assert window is not None
        if now >= window.cutoff_at:
            raise DomainError(
                "resident.orders.too_late", phone=await rules.phone_of(tx, window.canteen_id)
            )
        if not await orders.cancel(tx, order_id, now):
            raise DomainError("resident.orders.cannot_cancel")
        await audit.record(tx, now, account_id, "order.cancel", f"order:{order_id}")
        cancelled = await orders.get(tx, order_id)
        assert cancelled is not None
        await order_text.notify_linked(tx, cancelled, "cancelled", now, skip=account_id)
    deps.outbox_queued()
    return cancelled


async def phone_for(deps: Deps, account_id: int, order_id: int) -> str:
    """The canteen phone for an order this account may change (to call after the cutoff)."""
    conn = deps.db.conn
    order = await orders.get(conn, order_id)
    if order is None or not await rules.may_order_for(conn, account_id, order.resident_id):
        raise NotAllowedError()
    window = await windows.get(deps.db.conn, order.window_id)
    assert window is not None
    return await rules.phone_of(deps.db.conn, window.canteen_id)


async def same_as_last(deps: Deps, account_id: int, resident_id: int) -> Draft | None:
    """The senior's last order, again, for the next open window that has none yet."""
    conn = deps.db.conn
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
    for window in _same_meal_first(open_now, before):
        if await orders.live_at_window(conn, resident.id, window.id):
            continue
        for item in await windows.menu(conn, window.id):
            left = await rules.remaining(conn, item)
            if item.code == first.code and (left is None or left >= lines[0].portions):
                return Draft(resident.id, window.id, item.id, lines[0].portions, last.fulfilment)
    return None


def _same_meal_first(candidates: list[Window], before: Window) -> list[Window]:
    return sorted(candidates, key=lambda window: (window.meal != before.meal, window.cutoff_at))
