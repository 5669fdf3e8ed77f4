"""Placing an order: what an account may order for a senior, priced, checked and stored."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.deps import Deps
from bot.services import order_text, pricing
from bot.services import ordering_rules as rules
from data import audit, links, orders, residents, windows
from data.models import Fulfilment, MenuItem, Order, Resident, Window


@dataclass(frozen=True)
class Draft:
    resident_id: int
    window_id: int
    item_id: int
    portions: int
    fulfilment: Fulfilment


@dataclass(frozen=True)
class Choice:
    """A dish as offered to one resident: what they pay, and whether it suits their diet."""

    item: MenuItem
    unit_pay_fen: int
    clashes: bool
    left: int | None

    @property
    def sold_out(self) -> bool:
        return self.left == 0


async def residents_of(deps: Deps, account_id: int) -> list[Resident]:
    """Every senior this account is linked to (pending ones included), in link order."""
    found = []
    for link in await links.residents_of(deps.db.conn, account_id):
        resident = await residents.get(deps.db.conn, link.resident_id)
        if resident is not None and resident.status in ("pending", "approved"):
            found.append(resident)
    return found


async def windows_for(deps: Deps, account_id: int, resident_id: int) -> list[Window]:
    """The windows this senior can still order for now."""
    resident = await rules.resident_for(deps.db.conn, account_id, resident_id)
    return await windows.orderable(deps.db.conn, resident.canteen_id, deps.clock.now())


async def choose_window(deps: Deps, account_id: int, resident_id: int, window_id: int) -> Window:
    """Check the window takes orders and the senior has none there yet."""
    conn = deps.db.conn
    resident = await rules.resident_for(conn, account_id, resident_id)
    window = await rules.open_window(conn, resident, window_id, deps.clock.now())
    await rules.not_ordered_yet(conn, resident, window_id)
    return window


async def choices(deps: Deps, account_id: int, resident_id: int, window_id: int) -> list[Choice]:
    """The window's menu for this senior: price after subsidy, diet clashes, what is left."""
    conn = deps.db.conn
    resident = await rules.resident_for(conn, account_id, resident_id)
    window = await rules.open_window(conn, resident, window_id, deps.clock.now())
    tier = pricing.tier_for(resident, deps.config.canteens.subsidy_tiers)
    return [
        Choice(
            item,
            pricing.unit_pay(item.price_fen, tier),
            rules.clashes(resident, item),
            await rules.remaining(conn, item),
        )
        for item in await windows.menu(conn, window.id)
    ]


async def quote(deps: Deps, account_id: int, draft: Draft, lang: str) -> pricing.Quote:
    """The amounts of a draft that passes every rule (nothing is stored)."""
    conn = deps.db.conn
    resident = await rules.resident_for(conn, account_id, draft.resident_id)
    item = await _checked(deps, conn, resident, draft, lang)
    tier = pricing.tier_for(resident, deps.config.canteens.subsidy_tiers)
    return pricing.quote([(item.price_fen, draft.portions)], tier)


async def place(deps: Deps, account_id: int, draft: Draft, lang: str) -> Order:
    """Place the order the account confirmed, for a senior it is linked to."""
    async with deps.db.transaction() as tx:
        resident = await rules.resident_for(tx, account_id, draft.resident_id)
        order = await place_checked(deps, tx, resident, draft, account_id, "chat", None, lang)
    deps.outbox_queued()
    return order


async def place_checked(
    deps: Deps,
    tx: aiosqlite.Connection,
    resident: Resident,
    draft: Draft,
    placed_by: int | None,
    source: str,
    request_key: str | None,
    lang: str,
) -> Order:
    """Check every rule, store the order and queue the notices (inside `tx`)."""
    if request_key is not None and (found := await orders.by_request_key(tx, request_key)):
        return found
    item = await _checked(deps, tx, resident, draft, lang)
    spec = await rules.spec_of(deps, tx, resident.canteen_id)
    tier = pricing.tier_for(resident, deps.config.canteens.subsidy_tiers)
    amounts = pricing.quote([(item.price_fen, draft.portions)], tier)
    now = deps.clock.now()
    order_id = await orders.create(
        tx,
        window_id=draft.window_id,
        resident_id=resident.id,
        placed_by=placed_by,
        source=source,
        fulfilment=draft.fulfilment,
        status="confirmed" if spec.auto_confirm else "placed",
        price_fen=amounts.price_fen,
        subsidy_fen=amounts.subsidy_fen,
        pay_fen=amounts.pay_fen,
        tier_code=amounts.tier_code,
        request_key=request_key,
        now=now,
    )
    assert order_id is not None
    await orders.add_item(tx, order_id, item.id, draft.portions, item.price_fen)
    await audit.record(tx, now, placed_by, f"order.place.{source}", f"order:{order_id}")
    order = await orders.get(tx, order_id)
    assert order is not None
    skip = placed_by if source == "chat" else None
    await order_text.notify_linked(tx, order, "placed", now, skip=skip)
    return order


async def _checked(
    deps: Deps, conn: aiosqlite.Connection, resident: Resident, draft: Draft, lang: str
) -> MenuItem:
    window = await rules.open_window(conn, resident, draft.window_id, deps.clock.now())
    rules.check_portions(draft.portions, await rules.spec_of(deps, conn, resident.canteen_id))
    rules.check_fulfilment(draft.fulfilment, resident)
    await rules.not_ordered_yet(conn, resident, window.id)
    return await rules.dish_available(conn, window, draft.item_id, draft.portions, lang)
