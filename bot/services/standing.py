"""Standing orders: a senior's regular meal, stored here and placed when a window opens."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.canteen_file import WEEKDAYS, Dish
from bot.deps import Deps
from bot.i18n import DEFAULT_LANGUAGE
from bot.services import ordering
from bot.services import ordering_rules as rules
from bot.services.errors import DomainError, NotAllowedError
from data import audit, residents, standing, windows
from data.models import Fulfilment, Meal, StandingOrder

log = logging.getLogger("doorstep.standing")
WEEKDAYS_ONLY = ["mon", "tue", "wed", "thu", "fri"]
EVERY_DAY: list[str] = list(WEEKDAYS)


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
    conn = deps.db.conn
    resident = await rules.resident_for(conn, account_id, resident_id)
    spec = await rules.spec_of(deps, conn, resident.canteen_id)
    return [dish for dish in spec.dishes if meal in dish.meals]


async def save(deps: Deps, account_id: int, plan: Plan) -> None:
    """Store (or replace) the senior's regular meal for this meal of the day."""
    conn = deps.db.conn
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
    linked = [r.id for r in await ordering.residents_of(deps, account_id)]
    return await standing.of_residents(deps.db.conn, linked)


async def change(deps: Deps, account_id: int, standing_id: int, action: str) -> None:
    """Pause, resume or stop a regular meal of a senior this account is linked to."""
    found = await standing.get(deps.db.conn, standing_id)
    if found is None or action not in ("pause", "resume", "stop"):
        raise NotAllowedError()
    await rules.resident_for(deps.db.conn, account_id, found.resident_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if action == "stop":
            await standing.delete(tx, standing_id)
        else:
            await standing.set_paused(tx, standing_id, action == "pause")
        await audit.record(tx, now, account_id, f"standing.{action}", f"standing:{standing_id}")


async def place_standing_orders(deps: Deps, window_id: int) -> list[int]:
    """Place every due regular meal for a window that just opened (safe to run twice)."""
    window = await windows.get(deps.db.conn, window_id)
    if window is None:
        return []
    weekday = WEEKDAYS[window.day.weekday()]
    menu = {item.code: item for item in await windows.menu(deps.db.conn, window_id)}
    placed: list[int] = []
    for plan in await standing.due_for(deps.db.conn, window.canteen_id, window.meal):
        item = menu.get(plan.dish_code)
        if weekday not in plan.weekdays.split(",") or item is None:
            continue
        draft = ordering.Draft(plan.resident_id, window_id, item.id, plan.portions, plan.fulfilment)
        try:
            async with deps.db.transaction() as tx:
                resident = await residents.get(tx, plan.resident_id)
                assert resident is not None
                key = f"standing:{plan.id}:{window_id}"
                order = await ordering.place_checked(
                    deps, tx, resident, draft, plan.created_by, "standing", key, DEFAULT_LANGUAGE
                )
            placed.append(order.id)
        except DomainError as error:
            log.info("standing order %s not placed for window %s: %s", plan.id, window_id, error)
    deps.outbox_queued()
    return placed
