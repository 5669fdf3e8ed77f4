"""No senior misses a meal without a person knowing: the cutoff, late orders, dispatch.

Lunch on the test Monday: staff are reminded at 08:30, ordering closes at 09:30, the
claim board runs until 10:45, and lunch is served at 11:30.
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from bot.services.delivery import claims
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import placing
from data import deliveries, invariants, windows
from scheduling import dispatch
from tests.harness import MONDAY_8AM, Env, bot_running, make_config
from tests.test_volunteer_e2e import family_of, senior, staff_member, texts, volunteer


async def lunch_id(env: Env) -> int:
    window = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), "lunch")
    assert window is not None
    return window.id


async def place(env: Env, account_id: int, resident_id: int, how: str = "delivery") -> int:
    """A lunch order placed by the senior, not confirmed by anyone yet."""
    window_id = await lunch_id(env)
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window_id)}
    draft = placing.Draft(resident_id, window_id, menu["A"].id, 1, how)  # type: ignore[arg-type]
    return (await placing.place(env.deps, account_id, draft, "en")).id


async def status(env: Env, order_id: int) -> str:
    return str((await env.rows("SELECT status FROM orders WHERE id = ?", (order_id,)))[0][0])


async def holder(env: Env, order_id: int) -> int | None:
    rows = await env.rows("SELECT volunteer_id FROM deliveries WHERE order_id = ?", (order_id,))
    return rows[0][0] if rows else None


async def test_unconfirmed_orders_are_confirmed_at_the_cutoff_and_carried(env: Env) -> None:
    """Staff hear once how many orders wait; at the cutoff they are confirmed and, for
    delivery, carried by a volunteer, so the cooked meal reaches the senior."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    li = await senior(env, 3002, "Li", "Building 7", None)
    wang_order = await place(env, 3001, wang)
    li_order = await place(env, 3002, li, "pickup")

    await env.advance(minutes=30)  # 08:30: the reminder, one message for both orders
    reminders = [text for text in texts(mei) if "still to confirm" in text]
    assert reminders == [
        "⏰ Mon 2 Mar lunch: 2 orders still to confirm, cutoff 09:30. Please confirm them in"
        " /orders. At the cutoff they will be confirmed automatically."
    ]

    await env.advance(minutes=60)  # 09:30: nobody confirmed; the cutoff confirms
    assert await status(env, wang_order) == "confirmed"
    assert await status(env, li_order) == "confirmed"
    await env.drained()
    wang_user = env.sandbox.user(3001, "Wang")
    assert any("confirmed" in text.lower() for text in texts(wang_user))

    await env.advance(minutes=75)  # 10:45: the claim deadline assigns Wang's delivery
    assert await holder(env, wang_order) == ann.id
    assert await invariants.check(env.deps.db.conn) == []


@pytest.fixture
async def declining(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    text = example_text().replace(
        'unconfirmed_at_cutoff = "confirm"', 'unconfirmed_at_cutoff = "decline"', 1
    )
    assert 'unconfirmed_at_cutoff = "decline"' in text
    canteens = CanteenFile.model_validate(tomllib.loads(text))
    config = make_config(sandbox, tmp_path / "db.sqlite3", canteens)
    async with bot_running(sandbox, config, clock) as running:
        yield running


async def test_a_canteen_may_decline_unconfirmed_orders_and_say_why(declining: Env) -> None:
    env = declining
    await staff_member(env, 2001, "Mei")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    daughter = await family_of(env, wang, 4001)
    order = await place(env, 3001, wang)

    await env.advance(minutes=90)  # 09:30
    assert await status(env, order) == "declined"
    await env.drained()
    told = [t for t in texts(daughter) if "could not take order" in t]
    assert told
    assert "could not confirm it before ordering closed" in told[0]
    wang_user = env.sandbox.user(3001, "Wang")
    assert any("could not confirm it before ordering closed" in t for t in texts(wang_user))
    sheet = await env.rows("SELECT COUNT(*) FROM deliveries")
    assert sheet == [(0,)]


async def test_confirmed_after_the_claim_deadline_goes_on_a_route_at_once(env: Env) -> None:
    """A delivery order confirmed after the deadline goes to a volunteer with room; when
    nobody has room, staff are told the senior's name and an alert stays open."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "2")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    li = await senior(env, 3002, "Li", "Building 7", None)
    zhao = await senior(env, 3003, "Zhao", "Building 9", None)
    wang_order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, wang_order)
    # Two orders still waiting after the deadline (as a close before this rule left them):
    # set aside while the window closes, then put back.
    late_orders = [await place(env, 3002, li), await place(env, 3003, zhao)]
    marks = ",".join(map(str, late_orders))
    await env.deps.db.conn.execute(f"UPDATE orders SET status = 'cancelled' WHERE id IN ({marks})")
    await env.advance(minutes=165)  # 10:45: routes are out; Ann carries Wang's lunch
    assert await holder(env, wang_order) == ann.id
    await env.deps.db.conn.execute(f"UPDATE orders SET status = 'placed' WHERE id IN ({marks})")
    window_id = await lunch_id(env)

    await receipt.confirm(env.deps, 2001, late_orders[0])
    await env.settle()
    assert await holder(env, late_orders[0]) == ann.id  # one more fits in Ann's bag
    await env.drained()
    assert any("Li" in m.text and "🏠" in m.text for m in ann.messages)

    await receipt.confirm(env.deps, 2001, late_orders[1])  # Ann's bag is full now
    await env.drained()
    assert await holder(env, late_orders[1]) is None
    alert = [t for t in texts(mei) if "no volunteer carries" in t]
    assert len(alert) == 1
    assert "Zhao" in alert[0]
    assert f"#{late_orders[1]}" in alert[0]
    assert await invariants.check(env.deps.db.conn) == []

    # The invariant catches a live delivery order that nobody carries and nobody knows of.
    await env.deps.db.conn.execute("DELETE FROM alerts")
    problems = await invariants.check(env.deps.db.conn)
    assert problems == [
        f"order {late_orders[1]}: a delivery at window {window_id} with no volunteer"
        " and no open alert"
    ]


async def claimed_by_ann(env: Env, bag: str) -> tuple[Any, Any, Any, int, int]:
    """Mei (staff), Ann and Bob (volunteers); Wang's confirmed delivery order, which Ann
    claims when the board opens at 09:30. The order and delivery ids."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", bag)
    bob = await volunteer(env, mei, 5002, "Bob", bag)
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, order)
    await env.advance(minutes=90)
    delivery = (await env.rows("SELECT id FROM deliveries WHERE order_id = ?", (order,)))[0][0]
    await ann.press(f"vol1:c:{delivery}")
    return mei, ann, bob, order, delivery


async def test_a_delivery_handed_back_after_the_routes_goes_to_someone_else(env: Env) -> None:
    """A delivery whose volunteer handed it back after the routes went out is placed with
    another volunteer who has room; the one who gave it up never gets it back."""
    mei, ann, bob, order, delivery = await claimed_by_ann(env, "2")
    await env.advance(minutes=75)  # routes out: Ann holds Wang, Bob holds nothing
    assert await holder(env, order) == ann.id
    await ann.press(f"vol1:bk:{delivery}")  # 10:45, before serving
    assert await holder(env, order) == bob.id
    await env.drained()
    assert any("Wang" in m.text and "🏠" in m.text for m in bob.messages)
    assert not any("no volunteer carries" in t for t in texts(mei))
    assert await invariants.check(env.deps.db.conn) == []

    await bob.press(f"vol1:bk:{delivery}")  # Bob cannot go either: nobody else is left
    assert await holder(env, order) is None
    await env.drained()
    assert any("no volunteer carries" in t and "Wang" in t for t in texts(mei))
    assert await invariants.check(env.deps.db.conn) == []


async def test_a_hand_back_during_planning_is_not_routed_back(env: Env) -> None:
    """Dispatch plans from one consistent picture: a delivery handed back while the plan
    is being made does not go back to the volunteer who gave it up."""
    _, ann, bob, order, delivery = await claimed_by_ann(env, "4")
    window_id = await lunch_id(env)

    env.clock.set(env.clock.now().replace(hour=10, minute=45))  # the job starts too
    planning = asyncio.create_task(dispatch.assign(env.deps, window_id))
    await asyncio.sleep(0.05)  # the plan is being made (it takes about half a second)
    await claims.hand_back(env.deps, ann.id, delivery)
    again = asyncio.create_task(dispatch.assign(env.deps, window_id))
    assert sum(await asyncio.gather(planning, again)) <= 1  # one run stores routes
    await env.settle()
    assert await holder(env, order) == bob.id
    assert await invariants.check(env.deps.db.conn) == []
    routes = await env.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'window.routes'")
    assert routes == [(1,)]


async def test_a_window_closed_with_no_volunteers_tells_staff_by_name(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, order)
    await env.advance(minutes=165)  # 10:45: nobody to carry it
    await env.drained()
    assert any("no volunteer carries" in t and "Wang" in t for t in texts(mei))
    ready = await window_service.meals_ready(env.deps, 2001, await lunch_id(env))
    assert ready.uncarried == ["Wang"]
    assert await deliveries.uncarried(env.deps.db.conn, await lunch_id(env)) == [order]
    assert await invariants.check(env.deps.db.conn) == []
