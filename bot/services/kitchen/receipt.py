"""Canteen receipt: staff confirm or decline orders, and mark pickups collected.

Every change is checked again here (the account is staff at THIS order's canteen, the
order and its window are in a state that allows it), and the resident's accounts are
told through the outbox in the same transaction, each in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.delivery import carrying
from bot.services.feedback import rating
from bot.services.kitchen import messages
from bot.services.notices import notify
from bot.services.people import erased, staff
from data import audit, canteens, kitchen, links
from data.db import Session
from data.kitchen import OrderLine
from data.models import OrderStatus, Window

REASONS = ("sold_out", "area", "other")
RECEIVING = ("scheduled", "open", "closed")  # window states where staff confirm/decline
OPEN_ORDER: tuple[OrderStatus, ...] = ("placed", "confirmed")
SHOWN: tuple[OrderStatus, ...] = ("placed", "confirmed", "declined", "ready", "out", "collected")


@dataclass(frozen=True)
class Board:
    """A window's orders as staff see them."""

    window: Window
    lines: list[OrderLine]


async def board(deps: Deps, account_id: int, window_id: int) -> Board:
    window = await staff.require_window(deps, account_id, window_id)
    return Board(window, await kitchen.lines(deps.db.reader, window_id, SHOWN))


async def _checked(deps: Deps, account_id: int, order_id: int) -> tuple[OrderLine, Window]:
    order = await kitchen.line(deps.db.reader, order_id)
    if order is None:
        raise NotAllowedError()
    window = await staff.require_window(deps, account_id, order.window_id)
    await erased.refuse_id(deps.db.reader, order.resident_id)
    return order, window


async def _now_in(tx: Session, order_id: int, status: OrderStatus) -> bool:
    found = await kitchen.line(tx, order_id)
    return found is not None and found.status == status


async def confirm(deps: Deps, account_id: int, order_id: int) -> OrderLine:
    order, window = await _checked(deps, account_id, order_id)
    if window.state not in RECEIVING:
        raise DomainError("staff.receipt.window_done")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await kitchen.move(tx, order_id, ("placed",), "confirmed", now):
            if await _now_in(tx, order_id, "confirmed"):
                return order  # a second tap on Confirm: done already, nobody told twice
            raise DomainError("staff.receipt.not_waiting", id=order_id)
        await audit.record(tx, now, account_id, "order.confirm", f"order:{order_id}")
        await tell_resident(tx, deps, order, window, "confirmed")
        if order.fulfilment == "delivery" and window.state == "closed":
            await carrying.see_carried(tx, deps, window)  # confirmed after the cutoff
    deps.outbox_queued()
    return order


async def confirm_all(deps: Deps, account_id: int, window_id: int) -> list[int]:
    window = await staff.require_window(deps, account_id, window_id)
    if window.state not in RECEIVING:
        raise DomainError("staff.receipt.window_done")
    async with deps.db.transaction() as tx:
        done = await confirm_placed(tx, deps, window, account_id)
        if window.state == "closed":
            await carrying.see_carried(tx, deps, window)  # confirmed after the cutoff
    deps.outbox_queued()
    return done


async def confirm_placed(
    tx: Session, deps: Deps, window: Window, account_id: int | None
) -> list[int]:
    """Confirm every placed order of a window and tell each resident (also auto-confirm)."""
    now = deps.clock.now()
    done = await kitchen.move_all(tx, window.id, ("placed",), "confirmed", now)
    for order_id in done:
        order = await kitchen.line(tx, order_id)
        assert order is not None
        await audit.record(tx, now, account_id, "order.confirm", f"order:{order_id}")
        await tell_resident(tx, deps, order, window, "confirmed")
    return done


async def decline(deps: Deps, account_id: int, order_id: int, reason: str) -> OrderLine:
    if reason not in REASONS:
        raise DomainError("core.error.stale_button")
    order, window = await _checked(deps, account_id, order_id)
    if window.state not in RECEIVING:
        raise DomainError("staff.receipt.window_done")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await kitchen.move(tx, order_id, OPEN_ORDER, "declined", now, reason):
            raise DomainError("staff.receipt.not_waiting", id=order_id)
        await audit.record(tx, now, account_id, "order.decline", f"order:{order_id}", reason)
        await tell_resident(tx, deps, order, window, "declined", reason)
    deps.outbox_queued()
    return order


async def collected(deps: Deps, account_id: int, order_id: int) -> OrderLine:
    """A pickup or dine-in order was handed over at the counter."""
    order, _ = await _checked(deps, account_id, order_id)
    if order.fulfilment == "delivery":
        raise DomainError("staff.receipt.not_pickup", id=order_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await kitchen.move(tx, order_id, ("confirmed", "ready"), "collected", now):
            if await _now_in(tx, order_id, "collected"):
                return order  # a second tap on Collected
            raise DomainError("staff.receipt.not_ready", id=order_id)
        await audit.record(tx, now, account_id, "order.collected", f"order:{order_id}")
        await rating.ask(tx, deps, order_id)
    deps.outbox_queued()
    return order


async def tell_resident(
    tx: Session,
    deps: Deps,
    order: OrderLine,
    window: Window,
    what: str,
    reason: str = "",
) -> None:
    """Queue the news about an order to every account that follows its resident."""
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    now = deps.clock.now()
    for link in await links.accounts_of(tx, order.resident_id):
        if not link.notify:
            continue
        lang = await notify.language_of(tx, link.account_id)
        own = link.relation == "self"
        body = messages.order_news(order, window, lang, what, own, canteen.phone, reason)
        key = f"order:{order.id}:{what}:account:{link.account_id}"
        await notify.text(tx, key, link.account_id, body, now)


async def can_decline(deps: Deps, account_id: int, order_id: int) -> OrderLine:
    """The order, when this account may decline it now (before asking for a reason)."""
    order, window = await _checked(deps, account_id, order_id)
    if window.state not in RECEIVING:
        raise DomainError("staff.receipt.window_done")
    if order.status not in OPEN_ORDER:
        raise DomainError("staff.receipt.not_waiting", id=order_id)
    return order
