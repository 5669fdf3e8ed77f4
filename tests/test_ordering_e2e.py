"""Ordering by chat: the fewest taps, same as last time, cancelling, and every refusal."""

from __future__ import annotations

from typing import Any

from tests.harness import Env
from tests.residents_kit import seen, senior

SET_A = "Set A: steamed sea bass, greens, rice · 9 yuan"
ORDER = "🍱 Order a meal"
LUNCH_TODAY = "Lunch today (order by 09:30)"
ORDERS_SQL = "SELECT resident_id, window_id, fulfilment, status, pay_fen FROM orders ORDER BY id"


async def order_lunch(user: Any, door: str = "🚪 Bring it to my door") -> int:
    """The usual order from the main keyboard; returns the number of taps. The door button
    names the senior when someone else orders for her."""
    taps = [ORDER, LUNCH_TODAY, SET_A, "1", door, "✅ Place order"]
    for tap in taps:
        await user.click(tap)
    return len(taps)


async def ann(env: Env) -> tuple[Any, int]:
    user = env.user(3001, "Ann", language_code="en")
    resident_id = await senior(env, 3001, "Ann Lee")
    await user.send("/start")
    return user, resident_id


async def test_an_approved_senior_orders_lunch_for_delivery_in_six_taps(env: Env) -> None:
    user, _resident_id = await ann(env)
    before = len(user.messages)
    assert await order_lunch(user) == 6
    assert len(user.messages) - before == 6  # one question a tap, then the order
    text = await seen(env, user, "Order placed")
    assert "Set A: steamed sea bass, greens, rice × 1" in text
    assert "To pay: 9 yuan (subsidy 6 yuan)" in text
    assert (await env.rows(ORDERS_SQL))[0][2:] == ("delivery", "placed", 900)
    assert await env.rows("SELECT portions, unit_price_fen FROM order_items") == [(1, 1500)]


async def test_same_as_last_time_places_an_identical_order_in_two_taps(env: Env) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    await env.advance(hours=8)  # Monday 16:00: Tuesday's lunch takes orders
    before = len(user.messages)
    await user.click(ORDER)
    await user.click("🔁 Same as last time: Set A, to your door, 9 yuan")
    await seen(env, user, "Order placed")
    assert len(user.messages) - before == 2
    first, second = await env.rows(ORDERS_SQL)
    assert first[0] == second[0]
    assert (first[2], first[4]) == (second[2], second[4])
    assert (first[3], second[3]) == ("confirmed", "placed")  # the first by its cutoff
    assert first[1] != second[1]
    items = await env.rows(
        "SELECT m.code, i.portions FROM order_items i JOIN menu_items m ON m.id = i.menu_item_id"
    )
    assert items == [("A", 1), ("A", 1)]


async def test_cancel_before_the_cutoff_works(env: Env) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    await user.click("📋 My orders")
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await user.click(f"✖️ Cancel order #{order_id}")
    await user.click("✅ Yes, cancel it")
    assert user.callback_answers[-1].text == f"Order #{order_id} is cancelled."
    assert await env.rows("SELECT status FROM orders") == [("cancelled",)]


async def test_cancel_after_the_cutoff_is_refused_with_the_canteen_phone(env: Env) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    await user.click("📋 My orders")
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    listing = user.last
    await env.advance(hours=2)  # 10:00, after the 09:30 cutoff
    await user.click(f"✖️ Cancel order #{order_id}", message=listing)
    answer = user.callback_answers[-1].text or ""
    assert "too late" in answer
    assert "021-5555-0100" in answer
    assert await env.rows("SELECT status FROM orders") == [
        ("confirmed",)
    ]  # confirmed by the cutoff, not cancelled
    await user.click("📋 My orders")
    assert any("call 021-5555-0100" in label for label in user.last.inline_texts)


async def test_ordering_the_same_meal_twice_is_refused(env: Env) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    before = await env.rows(ORDERS_SQL)
    await user.click(ORDER)
    await user.click(LUNCH_TODAY)
    assert "already has an order for this meal" in user.last.text
    assert await env.rows(ORDERS_SQL) == before


async def test_text_where_a_number_of_portions_is_expected_asks_again(env: Env) -> None:
    user, _ = await ann(env)
    for tap in (ORDER, LUNCH_TODAY, SET_A):
        await user.click(tap)
    await user.send("lots")
    assert user.last.text == "Please tap a number from 1 to 3."
    await user.send("7")
    assert user.last.text == "Please tap a number from 1 to 3."
    await user.click("2")
    assert user.last.text == "How will you get the meal?"
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_dish_sold_out_meanwhile_is_refused_and_the_others_offered(env: Env) -> None:
    user, _ = await ann(env)
    for tap in (ORDER, LUNCH_TODAY, SET_A, "1", "🚪 Bring it to my door"):
        await user.click(tap)
    async with env.deps.db.transaction() as tx:
        await tx.execute("UPDATE menu_items SET sold_out = 1 WHERE code = 'A'")
    await user.click("✅ Place order")
    assert "is sold out" in user.messages[-2].text
    assert "sold out" in user.last.text
    assert all(SET_A not in row for row in user.keyboard or [])
    assert any("Set C" in label for row in user.keyboard or [] for label in row)
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_forged_button_cannot_order_for_a_senior_one_is_not_linked_to(env: Env) -> None:
    user, _ = await ann(env)
    other = await senior(env, 3002, "Bo Chen")
    await user.press(f"ord1:for:{other}")
    assert user.callback_answers[-1].text == "Sorry, you cannot do that."
    await user.click(ORDER)
    assert "Bo Chen" not in user.last.text
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_forged_cancel_of_someone_elses_order_is_refused(env: Env) -> None:
    user, _ = await ann(env)
    bo = env.user(3002, "Bo", language_code="en")
    await senior(env, 3002, "Bo Chen")
    await bo.send("/start")
    await order_lunch(bo)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await user.press(f"myo1:cancel:{order_id}")
    assert user.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT status FROM orders") == [("placed",)]
