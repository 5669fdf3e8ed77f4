"""Standing orders: a senior's regular meal, stored here and placed when a window opens."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.canteen_file import WEEKDAYS, Dish
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.services.notices import notify
from bot.services.ordering import messages, placing
from bot.services.ordering import ordering_rules as rules
from data import accounts, audit, canteens, links, residents, standing, windows
from data.db import Session, savepoint
from data.models import Fulfilment, Meal, MenuItem, Resident, StandingOrder, Window

log = logging.getLogger("doorstep.standing")
WEEKDAYS_ONLY = ["mon", "tue", "wed", "thu", "fri"]
EVERY_DAY: list[str] = list(WEEKDAYS)

Reason = Literal["sold_out", "not_on_menu", "no_delivery", "portions", "other"]


@dataclass(frozen=True)
class Plan:
    resident_id: int
    meal: Meal
    weekdays: list[str]
    dish_code: str
    portions: int
    fulfilment: Fulfilment


async def dishes(deps: Deps, account_id: int, resident_id: int, meal: Meal) -> list[Dish]:
    """The dishes of the senior's canteen served at this meal."""
    conn = deps.db.reader
    resident = await rules.resident_for(conn, account_id, resident_id)
    spec = await rules.spec_of(deps, conn, resident.canteen_id)
    return [dish for dish in spec.dishes if meal in dish.meals]


async def save(deps: Deps, account_id: int, plan: Plan) -> None:
    """Store (or replace) the senior's regular meal for this meal of the day."""
    conn = deps.db.reader
    resident = await rules.resident_for(conn, account_id, plan.resident_id)
    spec = await rules.spec_of(deps, conn, resident.canteen_id)
    rules.check_portions(plan.portions, spec)
    rules.check_fulfilment(plan.fulfilment, resident)
    if plan.dish_code not in {d.code for d in spec.dishes if plan.meal in d.meals}:
        raise DomainError("core.error.stale_button")
    if not plan.weekdays or not set(plan.weekdays) <= set(WEEKDAYS):
        raise DomainError("core.error.stale_button")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await standing.save(
            tx,
            resident_id=resident.id,
            meal=plan.meal,
            weekdays=plan.weekdays,
            dish_code=plan.dish_code,
            portions=plan.portions,
            fulfilment=plan.fulfilment,
            created_by=account_id,
            now=now,
        )
        await audit.record(tx, now, account_id, "standing.save", f"resident:{resident.id}")


async def of_account(deps: Deps, account_id: int) -> list[StandingOrder]:
    linked = [r.id for r in await placing.residents_of(deps, account_id)]
    return await standing.of_residents(deps.db.reader, linked)


async def change(deps: Deps, account_id: int, standing_id: int, action: str) -> None:
    """Pause, resume or stop a regular meal of a senior this account is linked to."""
    found = await standing.get(deps.db.reader, standing_id)
    if found is None or action not in ("pause", "resume", "stop"):
        raise NotAllowedError()
    await rules.resident_for(deps.db.reader, account_id, found.resident_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if action == "stop":
            await standing.delete(tx, standing_id)
        else:
            await standing.set_paused(tx, standing_id, action == "pause")
        await audit.record(tx, now, account_id, f"standing.{action}", f"standing:{standing_id}")


@dataclass(frozen=True)
class Missed:
    """One regular meal not placed at one window, and why."""

    plan: StandingOrder
    resident: Resident
    window: Window
    reason: Reason
    dish: MenuItem | None  # None when the dish is not on this window's menu


@dataclass(frozen=True)
class Placing:
    """What opening a window did with its regular meals."""

    placed: list[int]  # order ids
    missed: list[int]  # standing order ids that could not be placed (and were told)


async def place_due(deps: Deps, tx: Session, window: Window) -> Placing:
    """Place every regular meal due at `window`, inside the transaction that opens it.

    Each meal is its own savepoint: one that a rule refuses (the dish sold out or off the
    menu, delivery no longer allowed) is undone alone, and the senior's family and the
    staff are told in this same transaction, so no regular meal goes missing unnoticed. A
    senior who already ordered this meal keeps that order. Safe to run twice: each meal
    has its request key, each notice its outbox key.
    """
    weekday = WEEKDAYS[window.day.weekday()]
    menu = {item.code: item for item in await windows.menu(tx, window.id)}
    placing = Placing([], [])
    for plan in await standing.due_for(tx, window.canteen_id, window.meal):
        if weekday not in plan.weekdays.split(","):
            continue
        resident = await residents.get(tx, plan.resident_id)
        assert resident is not None
        item = menu.get(plan.dish_code)
        outcome = await _place_one(deps, tx, resident, plan, item) if item else "not_on_menu"
        if isinstance(outcome, int):
            placing.placed.append(outcome)
        elif outcome is not None:
            log.info("regular meal %s not placed at window %s: %s", plan.id, window.id, outcome)
            missed = Missed(plan, resident, window, outcome, item)
            await tell(tx, missed, deps.clock.now())
            placing.missed.append(plan.id)
    return placing


async def _place_one(
    deps: Deps,
    tx: Session,
    resident: Resident,
    plan: StandingOrder,
    item: MenuItem,
) -> int | Reason | None:
    """Place one regular meal: its order id, why it could not be placed, or None when the
    senior already has this meal (ordered by chat, by family or by staff)."""
    draft = placing.Draft(resident.id, item.window_id, item.id, plan.portions, plan.fulfilment)
    key = f"standing:{plan.id}:{item.window_id}"
    try:
        async with savepoint(tx, "regular_meal"):
            order = await placing.place_checked(
                deps, tx, resident, draft, plan.created_by, "standing", key, DEFAULT_LANGUAGE
            )
    except DomainError as error:
        return _reason(error)
    return order.id


def _reason(error: DomainError) -> Reason | None:
    if error.key == "resident.order.twice":
        return None
    if isinstance(error, rules.SoldOutError):
        return "sold_out"
    if error.key == "resident.order.no_delivery":
        return "no_delivery"
    if error.key == "resident.order.portions":
        return "portions"
    return "other"


async def tell(tx: Session, missed: Missed, now: datetime) -> int:
    """Queue the notice to the senior's linked accounts and the canteen's staff (once each).

    A missed regular meal is the worst quiet failure of the service (the senior counts on
    the meal coming by itself), so both sides hear about it in the transaction that opens
    the window, under keys that make a second run queue nothing more.
    """
    canteen = await canteens.get(tx, missed.window.canteen_id)
    phone = canteen.phone if canteen else ""
    base = f"standing:{missed.plan.id}:{missed.window.id}:missed"
    queued = 0
    linked = await links.accounts_of(tx, missed.resident.id)
    family = [link.account_id for link in linked if link.notify]
    today = now.date()  # `now` is the clock's local time, as for the order notices
    for account_id in family:
        lang = await notify.language_of(tx, account_id)
        body = messages.missed_family(lang, missed, phone, today)
        queued += await notify.text(tx, f"{base}:acct:{account_id}", account_id, body, now)
    staff = await accounts.holders(tx, missed.window.canteen_id, "staff")
    for account_id in staff or await accounts.holders(tx, missed.window.canteen_id, "admin"):
        if account_id in family:
            continue  # one notice per person: family wording already tells them
        lang = await notify.language_of(tx, account_id)
        body = messages.missed_staff(lang, missed)
        queued += await notify.text(tx, f"{base}:acct:{account_id}", account_id, body, now)
    return queued
