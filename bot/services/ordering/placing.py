"""Placing an order: what an account may order for a senior, priced, checked and stored.

Families order for the seniors they are linked to; canteen staff and admins order for any
approved senior of their canteen (one without Telegram, say), and record walk-ins: a meal
handed over at the counter now, stored as collected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.incidents import handling
from bot.services.notices import notify
from bot.services.ordering import messages, order_views, pricing
from bot.services.ordering import ordering_rules as rules
from bot.services.ordering.order_views import Addressee, Buying
from bot.services.people import phones, staff
from data import audit, links, orders, residents, roster, windows
from data.db import Session
from data.models import Fulfilment, MenuItem, Order, Resident, Window

FOUND_AT_MOST = 8
PerLanguage = Callable[[str], dict[str, object]]


@dataclass(frozen=True)
class Draft:
    resident_id: int
    window_id: int
    item_id: int
    portions: int
    fulfilment: Fulfilment
    walk_in: bool = False


@dataclass(frozen=True)
class Choice:
    """A dish as offered to one resident: what they pay, and whether it suits their diet."""

    item: MenuItem
    unit_pay_fen: int
    reasons: tuple[str, ...]  # why it may not suit her diet or allergies; () when it does
    left: int | None

    @property
    def clashes(self) -> bool:
        return bool(self.reasons)

    @property
    def sold_out(self) -> bool:
        return self.left == 0


async def residents_of(deps: Deps, account_id: int) -> list[Resident]:
    """Every senior this account is linked to (pending ones included), in link order."""
    linked = await links.residents_of(deps.db.reader, account_id)
    found = await residents.many(deps.db.reader, [link.resident_id for link in linked])
    return [
        found[link.resident_id]
        for link in linked
        if link.resident_id in found and found[link.resident_id].status in ("pending", "approved")
    ]


async def find_for_staff(deps: Deps, account_id: int, query: str) -> list[Resident]:
    """Approved seniors of the canteens this staff member works at, by name, phone or number."""
    canteen_ids = await staff.canteens_of(deps, account_id)
    if not canteen_ids:
        raise NotAllowedError()
    wanted = query.strip()[:40]
    if not wanted:
        raise DomainError("staff.order.type_who")
    phone = await phones.search_form_at(deps, canteen_ids, wanted)
    return await roster.find_residents(
        deps.db.reader, canteen_ids, wanted, FOUND_AT_MOST, approved_only=True, phone=phone
    )


async def senior_name(deps: Deps, account_id: int, resident_id: int) -> str:
    """The senior's name, for an account that may order for them."""
    return (await rules.orderer_for(deps.db.reader, account_id, resident_id)).name


async def windows_for(deps: Deps, account_id: int, resident_id: int) -> list[Window]:
    """The windows this senior can still order for now."""
    resident = await rules.orderer_for(deps.db.reader, account_id, resident_id)
    return await windows.orderable(deps.db.reader, resident.canteen_id, deps.clock.now())


async def walk_in_window(deps: Deps, account_id: int, resident_id: int) -> Window:
    """The meal a senior at the counter gets now: today's first window still serving walk-ins."""
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, resident_id, walk_in=True)
    now = deps.clock.now()
    today = now.astimezone(deps.clock.tz).date()
    serving = [
        window
        for window in await windows.between(conn, [resident.canteen_id], today, today)
        if rules.serves_walk_ins(window, now)
    ]
    if not serving:
        raise DomainError("staff.order.no_walk_in")
    first = min(serving, key=lambda window: window.serve_at)
    await rules.not_ordered_yet(conn, resident, first.id)
    return first


async def ways(
    deps: Deps, account_id: int, resident_id: int, walk_in: bool = False
) -> list[Fulfilment]:
    """How the meal may reach this senior (delivery, pickup, dine-in)."""
    found = await rules.orderer_for(deps.db.reader, account_id, resident_id, walk_in=walk_in)
    return rules.ways(found, walk_in)


async def choose_window(deps: Deps, account_id: int, resident_id: int, window_id: int) -> Window:
    """Check the window takes orders and the senior has none there yet."""
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, resident_id)
    window = await rules.open_window(conn, resident, window_id, deps.clock.now())
    await rules.not_ordered_yet(conn, resident, window_id)
    return window


async def choices(
    deps: Deps, account_id: int, resident_id: int, window_id: int, walk_in: bool = False
) -> list[Choice]:
    """The window's menu for this senior: price after subsidy, diet clashes, what is left."""
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, resident_id, walk_in=walk_in)
    window = await rules.order_window(conn, resident, window_id, deps.clock.now(), walk_in)
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


async def addressee(deps: Deps, account_id: int, resident_id: int) -> Addressee:
    """Whom the questions speak to: the senior herself ("you"), or her by name."""
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, resident_id)
    return Addressee(await rules.speaks_for_self(conn, account_id, resident_id), resident.name)


async def review(deps: Deps, account_id: int, draft: Draft, lang: str) -> Buying:
    """What a draft that passes every rule buys: day, meal, dish, portions, how, what she
    pays, and why the dish may not suit her (nothing is stored)."""
    conn = deps.db.reader
    resident = await rules.orderer_for(conn, account_id, draft.resident_id, walk_in=draft.walk_in)
    item = await _checked(deps, conn, resident, draft, lang)
    window = await windows.get(conn, draft.window_id)
    assert window is not None
    tier = pricing.tier_for(resident, deps.config.canteens.subsidy_tiers)
    amounts = pricing.quote([(item.price_fen, draft.portions)], tier)
    own = await rules.speaks_for_self(conn, account_id, resident.id)
    return Buying(
        Addressee(own, resident.name),
        window,
        item,
        draft.portions,
        draft.fulfilment,
        amounts.price_fen,
        amounts.subsidy_fen,
        amounts.pay_fen,
        rules.clashes(resident, item),
        await order_views.canteen_to_name(conn, resident.id, window.canteen_id),
    )


async def place(deps: Deps, account_id: int, draft: Draft, lang: str) -> Order:
    """Place the order the account confirmed (source chat, staff or walk_in, by who placed it)."""
    walk_in = draft.walk_in
    async with deps.db.transaction() as tx:
        resident = await rules.orderer_for(tx, account_id, draft.resident_id, walk_in=walk_in)
        source = await rules.source_of(tx, account_id, resident.id, walk_in=walk_in)
        order = await place_checked(deps, tx, resident, draft, account_id, source, None, lang)
        if source == "staff":  # she asked (a voice, a note) and staff ordered for her
            await handling.ordered(tx, deps, resident.id, account_id)
    deps.outbox_queued()
    return order


async def place_checked(
    deps: Deps,
    tx: Session,
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
        status="collected" if draft.walk_in else "confirmed" if spec.auto_confirm else "placed",
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
    await notify_linked(tx, order, "placed", now, skip=skip)
    return order


async def _checked(
    deps: Deps, conn: Session, resident: Resident, draft: Draft, lang: str
) -> MenuItem:
    now = deps.clock.now()
    window = await rules.order_window(conn, resident, draft.window_id, now, draft.walk_in)
    rules.check_portions(draft.portions, await rules.spec_of(deps, conn, resident.canteen_id))
    rules.check_fulfilment(draft.fulfilment, resident, draft.walk_in)
    await rules.not_ordered_yet(conn, resident, window.id)
    return await rules.dish_available(conn, window, draft.item_id, draft.portions, lang)


async def notify_linked(
    tx: Session,
    order: Order,
    event: str,
    now: datetime,
    skip: int | None = None,
    *,
    extra: PerLanguage | None = None,
    tag: str = "",
) -> None:
    """Queue `resident.notify.<event>` to every account linked to the senior (but `skip`),
    in the reader's voice ("you" to the senior herself); `extra` adds values per
    language, `tag` makes the outbox key of a repeated event (a second change) new."""
    resident = await residents.get(tx, order.resident_id)
    assert resident is not None
    seen = await order_views.view(tx, order)
    for link in await links.accounts_of(tx, order.resident_id):
        if link.account_id == skip or not link.notify:
            continue
        lang = await notify.language_of(tx, link.account_id)
        summary = messages.summary(lang, seen, now.date())
        values = extra(lang) if extra else {}
        own = link.relation == "self"
        body = messages.order_notice(lang, event, own, resident.name, summary, values)
        key = f"order:{order.id}:{event}{tag}:acct:{link.account_id}"
        await notify.text(tx, key, link.account_id, body, now)
