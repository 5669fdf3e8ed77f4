"""The family planner: a week of one senior's meals at a glance, and several orders placed,
changed or cancelled at once, each through the same services as the chat (placing,
order_change), so every rule, cutoff, price and notice is the chat's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from typing import Any

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.ordering import order_change, order_views, placing
from bot.services.ordering import ordering_rules as rules
from bot.services.ordering.order_views import OrderView
from data import orders, windows
from data.models import DEAD_STATUSES, Fulfilment, Resident, Window

DAYS = 7
CHANGEABLE = order_change.BEFORE_SHEET


@dataclass(frozen=True)
class Slot:
    """One meal of the week for the senior: her order there, and what may be done now."""

    window: Window
    order: OrderView | None
    choices: list[placing.Choice] = field(default_factory=list)  # when she may order or change

    @property
    def orderable(self) -> bool:
        return self.order is None and bool(self.choices)

    @property
    def changeable(self) -> bool:
        return self.order is not None and bool(self.choices)


@dataclass(frozen=True)
class Week:
    seniors: list[Resident]
    senior: Resident
    slots: list[Slot]
    ways: list[Fulfilment]
    max_portions: int
    tz: tzinfo  # the canteen's, for the cutoffs


@dataclass(frozen=True)
class Wanted:
    """What the planner asks for one meal: a new order, new portions, or a cancel."""

    window_id: int
    order_id: int | None = None
    item_id: int | None = None
    portions: int = 0
    fulfilment: Fulfilment = "delivery"
    cancel: bool = False


@dataclass(frozen=True)
class Done:
    """What became of one wanted meal: `key` is the sentence that says so."""

    window: Window | None
    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)


async def seniors(deps: Deps, account_id: int) -> list[Resident]:
    """The approved seniors this account orders for (herself, or as family)."""
    found = [r for r in await placing.residents_of(deps, account_id) if r.status == "approved"]
    if not found:
        raise NotAllowedError("web.planner.nobody")
    return found


async def week(deps: Deps, account_id: int, resident_id: int | None) -> Week:
    everyone = await seniors(deps, account_id)
    chosen = next((r for r in everyone if r.id == resident_id), None)
    if resident_id is not None and chosen is None:
        raise NotAllowedError()
    senior = chosen or everyone[0]
    conn, now = deps.db.reader, deps.clock.now()
    today = now.astimezone(deps.clock.tz).date()
    meals = await windows.between(conn, [senior.canteen_id], today, today + timedelta(DAYS - 1))
    live = {
        order.window_id: order
        for order in await orders.recent(conn, [senior.id], now - timedelta(days=DAYS + 7))
        if order.status not in DEAD_STATUSES
    }
    views = {v.order.window_id: v for v in await order_views.views(conn, list(live.values()))}
    slots = []
    for window in meals:
        view = views.get(window.id)
        open_now = window.opens_at <= now < window.cutoff_at and window.state in (
            "scheduled",
            "open",
        )
        may = open_now and (view is None or view.order.status in CHANGEABLE)
        offered = await placing.choices(deps, account_id, senior.id, window.id) if may else []
        slots.append(Slot(window, view, offered))
    spec = await rules.spec_of(deps, conn, senior.canteen_id)
    ways = await placing.ways(deps, account_id, senior.id)
    return Week(everyone, senior, slots, ways, spec.max_portions, deps.clock.tz)


async def _one(deps: Deps, account_id: int, resident_id: int, wanted: Wanted, lang: str) -> str:
    if wanted.order_id is not None:
        if wanted.cancel:
            await order_change.cancel(deps, account_id, wanted.order_id, None)
            return "web.planner.cancelled"
        change = order_change.Change(portions=wanted.portions)
        await order_change.apply(deps, account_id, wanted.order_id, change, None, lang)
        return "web.planner.changed"
    if wanted.item_id is None:
        raise DomainError("core.error.stale_button")
    draft = placing.Draft(
        resident_id, wanted.window_id, wanted.item_id, wanted.portions, wanted.fulfilment
    )
    await placing.place(deps, account_id, draft, lang)
    return "web.planner.placed"


async def save(
    deps: Deps, account_id: int, resident_id: int, wanted: list[Wanted], lang: str
) -> list[Done]:
    """Each wanted meal through the chat's own services, one transaction each: a meal past
    its cutoff is refused with the chat's words while the others are placed."""
    await week(deps, account_id, resident_id)  # hers to plan, or NotAllowedError
    done = []
    for one in wanted:
        window = await windows.get(deps.db.reader, one.window_id)
        try:
            key = await _one(deps, account_id, resident_id, one, lang)
        except DomainError as error:
            done.append(Done(window, False, error.key, error.values))
        else:
            done.append(Done(window, True, key))
    return done
