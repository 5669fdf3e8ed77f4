"""Correcting an order: another dish, more or fewer portions, another way to reach her, or
cancelled, without cancelling and ordering again.

Who may do what, and when:
- before the kitchen sheet (the window's cutoff), the senior and her family change the
  portions or how the meal reaches her; canteen staff also change the dish, and cancel;
- after the sheet, staff may still cancel, or change how the meal reaches her, until the
  meal has left the kitchen with a volunteer; the kitchen chat is told (order number and
  dish) so the cooks cross it off or hand it over differently.

Every change is checked again inside the transaction that stores it, written to the audit
log with who and why, and told to the senior and her family. A delivery order that stops
being one releases its delivery (the volunteer holding it is told); one that becomes a
delivery after the claim deadline is carried at once, or the staff are told by name
(`carrying.see_carried`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.delivery import carrying
from bot.services.incidents import raising
from bot.services.notices import notify
from bot.services.ordering import messages, order_views, placing, pricing
from bot.services.ordering import ordering_rules as rules
from bot.services.ordering.order_views import Addressee, Buying
from bot.services.people import erased
from data import accounts, alerts, audit, canteens, orders, residents, windows
from data import deliveries as delivery_store
from data.db import Session
from data.models import Fulfilment, MenuItem, Order, OrderStatus, Resident, Window

# Why staff changed an order (kept in the audit log); a senior's own change is "chat".
WHY = ("phoned", "came_in", "family", "mistake")
BEFORE_SHEET: tuple[OrderStatus, ...] = ("placed", "confirmed")
AFTER_SHEET: tuple[OrderStatus, ...] = ("confirmed", "ready")  # not yet out with a volunteer
WHAT = ("dish", "portions", "how", "cancel")
RECENT = timedelta(days=2)  # windows are made at most a day or two ahead


@dataclass(frozen=True)
class Change:
    """What to change; None keeps it as it is."""

    item_id: int | None = None
    portions: int | None = None
    fulfilment: Fulfilment | None = None


@dataclass(frozen=True)
class Correctable:
    """An order as the account may correct it now."""

    order: Order
    window: Window
    resident: Resident
    item: MenuItem
    portions: int
    staff: bool  # corrects as the canteen: asked why, may change the dish and cancel
    sheet_sent: bool  # the kitchen has its sheet: only cancel or how, and it is told
    what: tuple[str, ...]  # the changes offered: dish, portions, how, cancel
    ways: tuple[Fulfilment, ...]  # how the meal may reach her
    max_portions: int
    who: Addressee


def may_show(window: Window, status: OrderStatus) -> bool:
    """Whether the staff board offers ✏️ for an order (the tap is checked in full)."""
    if window.state in ("scheduled", "open"):
        return status in BEFORE_SHEET
    return window.state in ("closed", "dispatched") and status in AFTER_SHEET


async def open_orders(
    deps: Deps, account_id: int, resident_ids: list[int]
) -> list[tuple[Order, Window]]:
    """The orders of these seniors that staff may still correct (for the /order search:
    the cook types the name of a senior who phoned and sees her orders)."""
    conn = deps.db.reader
    found = []
    since = deps.clock.now() - RECENT
    for order in await orders.recent(conn, resident_ids, since):
        window = await windows.get(conn, order.window_id)
        assert window is not None
        if may_show(window, order.status) and await rules.works_at(
            conn, account_id, window.canteen_id
        ):
            found.append((order, window))
    return sorted(found, key=lambda pair: (pair[1].serve_at, pair[0].id))


async def correctable(deps: Deps, account_id: int, order_id: int) -> Correctable:
    """The order and what this account may change about it now (or a kind refusal)."""
    return await _correctable(deps, deps.db.reader, account_id, order_id)


async def _correctable(deps: Deps, conn: Session, account_id: int, order_id: int) -> Correctable:
    order = await orders.get(conn, order_id)
    if order is not None:
        await erased.refuse_id(conn, order.resident_id)  # her details are gone
    if order is None or not await rules.may_order_for(conn, account_id, order.resident_id):
        raise NotAllowedError()
    resident = await residents.get(conn, order.resident_id)
    window = await windows.get(conn, order.window_id)
    lines = await orders.items(conn, order_id)
    assert resident is not None
    assert window is not None
    assert lines
    item = await windows.menu_item(conn, lines[0].menu_item_id)
    assert item is not None
    staff = await rules.works_at(conn, account_id, resident.canteen_id)
    now = deps.clock.now()
    phone = await rules.phone_of(conn, window.canteen_id)
    before = window.state in ("scheduled", "open") and now < window.cutoff_at
    after = window.state in ("closed", "dispatched")
    if not (before or (after and staff)):
        key = "staff.change.too_late" if staff else "resident.orders.too_late"
        raise DomainError(key, phone=phone, id=order_id)
    if order.status not in (BEFORE_SHEET if before else AFTER_SHEET):
        key = "staff.change.too_late" if staff else "resident.change.cannot"
        raise DomainError(key, id=order_id, phone=phone)
    spec = await rules.spec_of(deps, conn, resident.canteen_id)
    ways = tuple(rules.ways(resident, walk_in=False))
    offered = {
        "dish": before and staff,
        "portions": before and spec.max_portions > 1,
        "how": len(ways) > 1 or order.fulfilment not in ways,
        "cancel": staff,
    }
    own = await rules.speaks_for_self(conn, account_id, resident.id)
    return Correctable(
        order=order,
        window=window,
        resident=resident,
        item=item,
        portions=lines[0].portions,
        staff=staff,
        sheet_sent=after,
        what=tuple(name for name in WHAT if offered[name]),
        ways=ways,
        max_portions=spec.max_portions,
        who=Addressee(own, resident.name),
    )


async def dishes(
    deps: Deps, account_id: int, order_id: int
) -> list[tuple[MenuItem, int, tuple[str, ...]]]:
    """The window's dishes staff may switch to: (dish, what she pays a portion, why it may
    not suit her)."""
    found = await correctable(deps, account_id, order_id)
    if "dish" not in found.what:
        raise NotAllowedError()
    tier = pricing.tier_for(found.resident, deps.config.canteens.subsidy_tiers)
    conn = deps.db.reader
    return [
        (item, pricing.unit_pay(item.price_fen, tier), rules.clashes(found.resident, item))
        for item in await windows.menu(conn, found.window.id)
        if item.id == found.item.id or await rules.remaining(conn, item) != 0
    ]


@dataclass(frozen=True)
class Outcome:
    """A checked change: the order as it would be, and in words what changes."""

    found: Correctable
    buying: Buying
    item: MenuItem
    portions: int
    fulfilment: Fulfilment
    tier_code: str | None


async def preview(deps: Deps, account_id: int, order_id: int, change: Change, lang: str) -> Outcome:
    """The order as the change would leave it (nothing is stored)."""
    return await _outcome(deps, deps.db.reader, account_id, order_id, change, lang)


async def _outcome(
    deps: Deps,
    conn: Session,
    account_id: int,
    order_id: int,
    change: Change,
    lang: str,
) -> Outcome:
    found = await _correctable(deps, conn, account_id, order_id)
    _offered(found, change)
    item = found.item
    if change.item_id is not None and change.item_id != found.item.id:
        chosen = await windows.menu_item(conn, change.item_id)
        if chosen is None or chosen.window_id != found.window.id:
            raise NotAllowedError()
        item = chosen
    portions = change.portions if change.portions is not None else found.portions
    if not 1 <= portions <= found.max_portions:
        raise DomainError("resident.order.portions", limit=found.max_portions)
    fulfilment = change.fulfilment or found.order.fulfilment
    if fulfilment != found.order.fulfilment:
        rules.check_fulfilment(fulfilment, found.resident)
    await _enough(conn, found, item, portions, lang)
    tier = pricing.tier_for(found.resident, deps.config.canteens.subsidy_tiers)
    amounts = pricing.quote([(item.price_fen, portions)], tier)
    buying = Buying(
        found.who,
        found.window,
        item,
        portions,
        fulfilment,
        amounts.price_fen,
        amounts.subsidy_fen,
        amounts.pay_fen,
        rules.clashes(found.resident, item),
        await order_views.canteen_to_name(conn, found.resident.id, found.window.canteen_id),
    )
    return Outcome(found, buying, item, portions, fulfilment, amounts.tier_code)


def _offered(found: Correctable, change: Change) -> None:
    """A change this account may not make now (a stale or forged button) is refused."""
    asked = {
        "dish": change.item_id is not None and change.item_id != found.item.id,
        "portions": change.portions is not None and change.portions != found.portions,
        "how": change.fulfilment is not None and change.fulfilment != found.order.fulfilment,
    }
    if any(wanted and name not in found.what for name, wanted in asked.items()):
        raise NotAllowedError()
    if not any(asked.values()):
        raise DomainError("resident.change.nothing")


async def _enough(
    conn: Session, found: Correctable, item: MenuItem, portions: int, lang: str
) -> None:
    """The kitchen can still make what the change adds (what she gives back is always fine)."""
    left = await rules.remaining(conn, item)
    extra = portions - found.portions if item.id == found.item.id else portions
    if extra > 0 and left is not None and left < extra:
        raise rules.SoldOutError("resident.order.sold_out", dish=item.display_name(lang))


async def apply(
    deps: Deps, account_id: int, order_id: int, change: Change, why: str | None, lang: str
) -> Order:
    """Store the change, record who and why, tell the senior, her family and (after the
    sheet) the kitchen; a delivery that stops or starts is released or carried."""
    why = _why(why)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        outcome = await _outcome(deps, tx, account_id, order_id, change, lang)
        found, before = outcome.found, outcome.found.order
        if found.staff and why is None:
            raise DomainError("staff.change.why_first")
        buying = outcome.buying
        changed = await orders.change(
            tx,
            order_id,
            (before.status,),
            fulfilment=outcome.fulfilment,
            price_fen=buying.price_fen,
            subsidy_fen=buying.subsidy_fen,
            pay_fen=buying.pay_fen,
            tier_code=outcome.tier_code,
            now=now,
        )
        if not changed:
            raise DomainError("resident.change.moved_on", id=order_id)
        if outcome.item.id != found.item.id or outcome.portions != found.portions:
            await orders.set_item(
                tx, order_id, outcome.item.id, outcome.portions, outcome.item.price_fen
            )
        detail = _detail(found, outcome, why)
        await audit.record(tx, now, account_id, "order.change", f"order:{order_id}", detail)
        after = await orders.get(tx, order_id)
        assert after is not None
        if before.fulfilment != after.fulfilment:
            await _reroute(tx, deps, found, after)
        await _tell(tx, deps, account_id, found, after, "changed", _what(found, outcome))
    deps.outbox_queued()
    return after


async def cancel(deps: Deps, account_id: int, order_id: int, why: str | None) -> Order:
    """Cancel the order: before the sheet by the senior, her family or staff; after it by
    staff only, with the kitchen told. Its delivery, if any, is released."""
    why = _why(why)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        found = await _correctable(deps, tx, account_id, order_id)
        if found.sheet_sent and "cancel" not in found.what:
            raise NotAllowedError()
        if found.staff and why is None and found.sheet_sent:
            raise DomainError("staff.change.why_first")
        statuses = AFTER_SHEET if found.sheet_sent else BEFORE_SHEET
        if not await orders.cancel(tx, order_id, now, statuses):
            raise DomainError("resident.orders.cannot_cancel")
        detail = "; ".join(part for part in (why and f"why {why}", _sheet(found)) if part)
        await audit.record(tx, now, account_id, "order.cancel", f"order:{order_id}", detail)
        cancelled = await orders.get(tx, order_id)
        assert cancelled is not None
        if found.order.fulfilment == "delivery":
            await _release(tx, deps, found, "cancelled")
        await _tell(tx, deps, account_id, found, cancelled, "cancelled", [])
    deps.outbox_queued()
    return cancelled


def _why(why: str | None) -> str | None:
    if why is not None and why not in WHY:
        raise DomainError("core.error.stale_button")
    return why


def _sheet(found: Correctable) -> str:
    return "after the kitchen sheet" if found.sheet_sent else ""


def _detail(found: Correctable, outcome: Outcome, why: str | None) -> str:
    parts = []
    if outcome.item.id != found.item.id:
        parts.append(f"dish {found.item.code}->{outcome.item.code}")
    if outcome.portions != found.portions:
        parts.append(f"portions {found.portions}->{outcome.portions}")
    if outcome.fulfilment != found.order.fulfilment:
        parts.append(f"how {found.order.fulfilment}->{outcome.fulfilment}")
    parts += [part for part in (why and f"why {why}", _sheet(found)) if part]
    return "; ".join(parts)


Words = list[tuple[str, object, object]]  # (what, before, after)


def way(value: str) -> Fulfilment:
    """A way the meal reaches her, from a button (a forged one names none)."""
    for known in rules.FULFILMENTS:
        if value == known:
            return known
    raise DomainError("resident.flow.tap_button")


def changes(outcome: Outcome) -> Words:
    """What the change changes: (what, before, after) for the dish, portions and how."""
    return _what(outcome.found, outcome)


def _what(found: Correctable, outcome: Outcome) -> Words:
    words: Words = []
    if outcome.item.id != found.item.id:
        words.append(("dish", found.item, outcome.item))
    if outcome.portions != found.portions:
        words.append(("portions", found.portions, outcome.portions))
    if outcome.fulfilment != found.order.fulfilment:
        words.append(("how", found.order.fulfilment, outcome.fulfilment))
    return words


async def _tell(
    tx: Session,
    deps: Deps,
    account_id: int,
    found: Correctable,
    order: Order,
    event: str,
    words: Words,
) -> None:
    """The senior and family hear who changed what; after the sheet, the kitchen too."""
    now = deps.clock.now()
    account = await accounts.get(tx, account_id)
    name = account.first_name if account and account.first_name else ""
    by = None if found.staff or not name else name  # None: "the canteen"

    def extra(lang: str) -> dict[str, object]:
        return messages.change_values(lang, by, words)

    tag = f":{await audit.count(tx, f'order:{order.id}')}"
    await placing.notify_linked(tx, order, event, now, skip=account_id, extra=extra, tag=tag)
    if found.sheet_sent:
        await _tell_kitchen(tx, deps, found, order, event, tag)


async def _tell_kitchen(
    tx: Session,
    deps: Deps,
    found: Correctable,
    order: Order,
    event: str,
    tag: str,
) -> None:
    canteen = await canteens.get(tx, found.window.canteen_id)
    assert canteen is not None
    lang = deps.config.canteens.canteen(canteen.code).kitchen_language
    dishes = []
    for line in await orders.items(tx, order.id):
        item = await windows.menu_item(tx, line.menu_item_id)
        assert item is not None
        dishes.append((line, item))
    body = messages.after_sheet(lang, event, order, found, dishes)
    key = f"order:{order.id}:kitchen:{event}{tag}"
    await notify.text(tx, key, canteen.kitchen_chat_id, body, deps.clock.now())


async def _reroute(tx: Session, deps: Deps, found: Correctable, after: Order) -> None:
    """How the meal reaches her changed: release the delivery, or have one carried."""
    if found.order.fulfilment == "delivery":
        await _release(tx, deps, found, after.fulfilment)
    elif after.fulfilment == "delivery" and found.sheet_sent:
        await carrying.see_carried(tx, deps, found.window)


async def _release(tx: Session, deps: Deps, found: Correctable, why: str) -> None:
    """The delivery goes; the volunteer holding it is told not to carry it, and an alert
    that nobody carries it is closed (there is nothing left to carry)."""
    now = deps.clock.now()
    order_id = found.order.id
    holder = await delivery_store.drop(tx, order_id)
    outcome = "cancelled" if why == "cancelled" else "not_a_delivery"
    await alerts.handle_for_order(tx, order_id, ("no_carrier",), None, outcome, now)
    matter = raising.meal_matter(found.order.resident_id, found.order.window_id)
    await raising.settle(tx, matter, ("no_carrier",), outcome, now)
    if not holder:
        return
    lang = await notify.language_of(tx, holder)
    body = messages.dropped(lang, why, order_id, found.resident)
    stamp = await audit.count(tx, f"order:{order_id}")
    await notify.text(tx, f"order:{order_id}:dropped:{stamp}:account:{holder}", holder, body, now)
