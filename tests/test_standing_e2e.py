"""Regular meals: set up by chat, placed once when the window opens, paused on request."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.services.kitchen.windows import open_window
from data import windows
from tests.harness import Env
from tests.residents_kit import seen, senior

SET_A = "Set A: steamed sea bass, greens, rice"


async def set_up_regular_lunch(env: Env) -> Any:
    ann = env.user(5001, "Ann", language_code="en")
    await senior(env, 5001, "Ann Lee")
    await ann.send("/start")
    await ann.click("🔁 Regular meals")
    for tap in ("➕ Set up a regular meal", "Lunch", "every weekday", SET_A, "1"):
        await ann.click(tap)
    await ann.click("🚪 Bring it to my door")
    await ann.click("✅ Save")
    await seen(env, ann, "Saved")
    return ann


async def tuesday_lunch(env: Env) -> int:
    found = await windows.find(env.deps.db.conn, 1, date(2026, 3, 3), "lunch")
    assert found is not None
    return found.id


async def test_a_standing_order_is_placed_once_when_its_window_opens(env: Env) -> None:
    await set_up_regular_lunch(env)
    await env.advance(hours=8)  # Monday 16:00: Tuesday's lunch opens
    window_id = await tuesday_lunch(env)
    assert await open_window(env.deps, window_id) is False  # the job opened it already
    rows = await env.rows("SELECT window_id, source, fulfilment, pay_fen FROM orders")
    assert rows == [(window_id, "standing", "delivery", 900)]
    queued = await env.rows("SELECT chat_id FROM outbox WHERE key LIKE 'order:%:placed:%'")
    assert queued == [(5001,)]


async def test_a_paused_standing_order_is_not_placed(env: Env) -> None:
    ann = await set_up_regular_lunch(env)
    await ann.click("🔁 Regular meals")
    listing = next(m for m in reversed(ann.messages) if "Regular meals" in m.text)
    await ann.click("⏸️ Pause", message=listing)
    assert await env.rows("SELECT paused FROM standing_orders") == [(1,)]
    await env.advance(hours=8)
    assert await env.rows(
        "SELECT state FROM windows WHERE id = ?", (await tuesday_lunch(env),)
    ) == [("open",)]
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_forged_pause_of_someone_elses_standing_order_is_refused(env: Env) -> None:
    await set_up_regular_lunch(env)
    (standing_id,) = (await env.rows("SELECT id FROM standing_orders"))[0]
    bo = env.user(5002, "Bo", language_code="en")
    await senior(env, 5002, "Bo Chen")
    await bo.send("/start")
    await bo.press(f"std1:stop:{standing_id}")
    assert bo.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT paused FROM standing_orders") == [(0,)]


async def test_a_senior_not_eligible_for_delivery_is_not_offered_it_for_regular_meals(
    env: Env,
) -> None:
    bo = env.user(5003, "Bo", language_code="en")
    await senior(env, 5003, "Bo Chen", alone=False)
    await bo.send("/start")
    await bo.click("🔁 Regular meals")
    for tap in ("➕ Set up a regular meal", "Lunch", "every weekday", SET_A, "1"):
        await bo.click(tap)
    offered = [label for row in bo.keyboard or [] for label in row]
    assert "🥡 I will pick it up" in offered
    assert "🚪 Bring it to my door" not in offered
