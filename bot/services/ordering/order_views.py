"""What the ordering screens and notices show about an order, read from the store.

The values only; `bot.services.ordering.messages` puts them in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from data import canteens, links, orders, windows
from data.db import Session
from data.models import Canteen, Fulfilment, MenuItem, Order, OrderItem, Window


@dataclass(frozen=True)
class Addressee:
    """Whom the words are about: the reader herself ("you"), or a senior by name."""

    own: bool
    name: str


@dataclass(frozen=True)
class Buying:
    """What a draft (or a changed order) buys, for the review screen."""

    who: Addressee
    window: Window
    item: MenuItem
    portions: int
    fulfilment: Fulfilment
    price_fen: int
    subsidy_fen: int
    pay_fen: int
    reasons: tuple[str, ...]
    canteen: Canteen | None = None  # named when her family orders at more than one


@dataclass(frozen=True)
class OrderView:
    """One order with what its summary names: the window, the dishes, and the canteen
    when the people who order for the senior order at more than one."""

    order: Order
    window: Window
    lines: list[OrderItem]
    dishes: dict[int, MenuItem]  # menu item id -> the dish (of these lines at least)
    canteen: Canteen | None


async def canteen_to_name(conn: Session, resident_id: int, canteen_id: int) -> Canteen | None:
    """The canteen, when the people who order for this senior order at more than one."""
    if await links.family_canteens(conn, resident_id) <= 1:
        return None
    return await canteens.get(conn, canteen_id)


async def view(conn: Session, order: Order) -> OrderView:
    """What the summary of one order shows."""
    return (await views(conn, [order]))[0]


async def views(conn: Session, found: list[Order]) -> list[OrderView]:
    """What the summaries of many orders show, read with a few queries (a list of a thousand)."""
    seen: dict[int, Window] = {}
    for order in found:
        if order.window_id not in seen:
            window = await windows.get(conn, order.window_id)
            assert window is not None
            seen[order.window_id] = window
    lines: dict[int, list[OrderItem]] = {}
    for line in await orders.items_of(conn, [order.id for order in found]):
        lines.setdefault(line.order_id, []).append(line)
    item_ids = sorted({item.menu_item_id for items in lines.values() for item in items})
    dishes = await windows.menu_items(conn, item_ids)
    several = await links.family_canteens_of(conn, sorted({o.resident_id for o in found}))
    places = {w.canteen_id for w in seen.values()}
    canteen_of = (
        {c: await canteens.get(conn, c) for c in places}
        if any(n > 1 for n in several.values())
        else {}
    )
    return [
        OrderView(
            order,
            seen[order.window_id],
            lines.get(order.id, []),
            dishes,
            canteen_of.get(seen[order.window_id].canteen_id)
            if several.get(order.resident_id, 0) > 1
            else None,
        )
        for order in found
    ]
