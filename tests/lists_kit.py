"""A busy lunch for the list tests and benchmarks: a thousand orders, seeded through the store.

One transaction makes the seniors and their orders (varied dishes, diets, buildings and
fulfilment; about three deliveries to a building), so a test starts from a thousand
orders in a fraction of a second instead of a thousand chat flows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bot.canteen_file import WEEKDAYS
from bot.core.deps import Deps
from bot.services.people import volunteers
from data import accounts, audit, canteens, links, orders, residents, windows
from data.db import Session
from data.models import Fulfilment, OrderStatus, Window

ORDERS = 1000
DIETS = ((), (), ("low_salt",), ("low_sugar",), ("soft", "low_salt"), ("minced",), ("halal",))
WAYS: tuple[Fulfilment, ...] = ("delivery", "delivery", "delivery", "pickup", "dine_in")
TYPIST = 1  # the staff account that typed the seniors in


@dataclass(frozen=True)
class Lunch:
    window: Window
    order_ids: list[int]  # in the order they were placed
    resident_ids: list[int]
    delivery_orders: list[int]  # the orders carried to the door


async def monday_lunch(deps: Deps) -> Window:
    canteen = await canteens.by_code(deps.db.conn, "sunrise")
    assert canteen is not None
    window = await windows.find(deps.db.conn, canteen.id, deps.clock.now().date(), "lunch")
    assert window is not None
    return window


async def busy_lunch(
    deps: Deps,
    count: int = ORDERS,
    status: OrderStatus = "confirmed",
    follower: int | None = None,
    seed: int = 7,
) -> Lunch:
    """`count` approved seniors with one order each at today's lunch; `follower` is an
    account linked to all of them (a care worker who sees their orders)."""
    rng = random.Random(seed)
    window = await monday_lunch(deps)
    menu = await windows.menu(deps.db.conn, window.id)
    now = deps.clock.now()
    order_ids, resident_ids, delivery = [], [], []
    async with deps.db.transaction() as tx:
        await accounts.ensure(tx, TYPIST, now)
        for n in range(count):
            resident_id = await senior(tx, window.canteen_id, n, now, rng)
            await residents.decide(tx, resident_id, "approved")
            if follower is not None:
                await links.create(tx, follower, resident_id, "family", now)
            item = rng.choice(menu)
            way = rng.choice(WAYS)
            order_id = await orders.create(
                tx,
                window_id=window.id,
                resident_id=resident_id,
                placed_by=None,
                source="staff",
                fulfilment=way,
                status=status,
                price_fen=item.price_fen,
                subsidy_fen=600,
                pay_fen=item.price_fen - 600,
                tier_code="age80",
                request_key=None,
                now=now,
            )
            assert order_id is not None
            await orders.add_item(tx, order_id, item.id, 1, item.price_fen)
            await audit.record(tx, now, TYPIST, "order.place", f"order:{order_id}")
            order_ids.append(order_id)
            resident_ids.append(resident_id)
            if way == "delivery":
                delivery.append(order_id)
    return Lunch(window, order_ids, resident_ids, delivery)


async def senior(tx: Session, canteen_id: int, n: int, now: datetime, rng: random.Random) -> int:
    """One senior, pending approval, about three to a building."""
    return await residents.create(
        tx,
        canteen_id=canteen_id,
        name=f"Senior {n}",
        phone=f"138{n:08d}",
        building=f"Building {n % 330}",
        unit=str(rng.randrange(1, 5)),
        room=str(rng.randrange(101, 1800)),
        lat=None,
        lon=None,
        lives_alone=True,
        diet=list(rng.choice(DIETS)),
        allergies="peanuts" if rng.random() < 0.05 else "",
        age_band=80,
        created_by=TYPIST,
        now=now,
    )


async def waiting_seniors(deps: Deps, count: int = ORDERS, seed: int = 7) -> list[int]:
    """`count` seniors registered and waiting for an admin's approval."""
    rng = random.Random(seed)
    window = await monday_lunch(deps)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await accounts.ensure(tx, TYPIST, now)
        return [await senior(tx, window.canteen_id, n, now, rng) for n in range(count)]


async def long_history(deps: Deps, resident_id: int, count: int = ORDERS) -> None:
    """`count` entries in the resident's audit history (a year and more of meals)."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for n in range(count):
            await audit.record(tx, now, TYPIST, f"order.step{n}", f"resident:{resident_id}")


async def volunteer(deps: Deps, account_id: int, name: str, canteen_id: int) -> None:
    """A volunteer who helps every day at both meals and carries eight meals."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await accounts.upsert(tx, account_id, name, None, now, "en")
        await accounts.grant_role(tx, account_id, canteen_id, "volunteer", None, now)
    profile = volunteers.Profile(list(WEEKDAYS), ["lunch", "dinner"], 8)
    await volunteers.save(deps, account_id, profile)
