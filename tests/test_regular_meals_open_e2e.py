"""Opening a window places its regular meals; one that cannot be placed is never silent."""

from __future__ import annotations

from typing import Any

from data import accounts, invariants, windows
from tests.harness import Env
from tests.residents_kit import seen, senior
from tests.test_standing_e2e import SET_A, set_up_regular_lunch, tuesday_lunch

COOK = 2001


async def regular_lunch_of_bo(env: Env) -> None:
    """A second senior, Bo, with a regular weekday lunch of set C to pick up."""
    bo = env.user(5002, "Bo", language_code="en")
    await senior(env, 5002, "Bo Chen")
    await bo.send("/start")
    await bo.click("🔁 Regular meals")
    for tap in ("➕ Set up a regular meal", "Lunch", "every weekday"):
        await bo.click(tap)
    await bo.click("Set C: mixed vegetables, tofu soup, soft rice")
    await bo.click("1")
    await bo.click("🥡 I will pick it up")
    await bo.click("✅ Save")
    await seen(env, bo, "Saved")


async def a_cook(env: Env) -> Any:
    cook = env.user(COOK, "Cook", language_code="zh-hans")
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, COOK, env.clock.now())
        await accounts.grant_role(tx, COOK, 1, "staff", None, env.clock.now())
    await cook.send("/start")
    return cook


async def test_a_sold_out_regular_meal_is_told_to_the_senior_and_staff_and_the_rest_placed(
    env: Env,
) -> None:
    ann = await set_up_regular_lunch(env)  # set A, to the door
    await regular_lunch_of_bo(env)
    cook = await a_cook(env)
    window_id = await tuesday_lunch(env)
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window_id)}
    async with env.deps.db.transaction() as tx:  # the cook marked tomorrow's set A sold out
        await windows.set_sold_out(tx, menu["A"].id, True)

    await env.advance(hours=8)  # Monday 16:00: Tuesday's lunch opens
    await env.drained()

    assert await env.rows("SELECT state FROM windows WHERE id = ?", (window_id,)) == [("open",)]
    placed = await env.rows("SELECT resident_id, source, fulfilment FROM orders")
    assert [(source, how) for _, source, how in placed] == [("standing", "pickup")]
    told = [m.text for m in ann.messages if "could not be ordered" in m.text]
    assert told == [
        "⚠️ The regular meal for Ann Lee could not be ordered for Lunch tomorrow:"
        f" “{SET_A}” is sold out.\nPlease tap 🍱 Order a meal to choose another meal,"
        " or call the canteen: 021-5555-0100."
    ]
    to_cook = [m.text for m in cook.messages if "固定订餐没能下单" in m.text]
    assert to_cook == [
        "⚠️ 固定订餐没能下单\nAnn Lee（1号），3月3日 周二午餐：套餐A：清蒸鲈鱼、青菜、米饭 × 1\n"
        "原因：“套餐A：清蒸鲈鱼、青菜、米饭”已经卖完了。\n请联系老人，或用 /order 为他们订餐。"
    ]
    assert await invariants.check(env.deps.db.conn) == []
