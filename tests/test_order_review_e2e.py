"""The review screen shows what she is buying; "same as last time" names what it orders,
finds her dish by its identity and checks her diet; a dish that clashes with her diet or
her allergies is named with the reason."""

from __future__ import annotations

from typing import Any

from bot.services.ordering import menus
from bot.services.ordering.diet import allergies_named
from data import windows
from tests.harness import MONDAY_8AM, Env
from tests.residents_kit import seen, senior
from tests.test_ordering_e2e import LUNCH_TODAY, ORDER, SET_A, order_lunch
from tests.test_volunteer_e2e import staff_member

ZH_ORDER = "🍱 订餐"
ZH_LUNCH_TODAY = "今天午餐（09:30前订）"
ZH_SET_A = "套餐A：清蒸鲈鱼、青菜、米饭 · 9元"


async def ann(env: Env, diet: list[str] | None = None, allergies: str = "") -> tuple[Any, int]:
    user = env.user(3001, "Ann", language_code="en")
    resident_id = await senior(env, 3001, "Ann Lee", diet=diet)
    await _allergic(env, resident_id, allergies)
    await user.send("/start")
    return user, resident_id


async def wang(env: Env, diet: list[str] | None = None, allergies: str = "") -> tuple[Any, int]:
    user = env.user(3002, "王秀英")
    resident_id = await senior(env, 3002, "王秀英", diet=diet)
    await _allergic(env, resident_id, allergies)
    await user.send("/start")
    return user, resident_id


async def _allergic(env: Env, resident_id: int, allergies: str) -> None:
    async with env.deps.db.transaction() as tx:
        sql = "UPDATE residents SET allergies = ? WHERE id = ?"
        await tx.execute(sql, (allergies, resident_id))


async def test_the_review_names_day_meal_dish_portions_how_and_pay_in_english(env: Env) -> None:
    user, _ = await ann(env)
    for tap in (ORDER, LUNCH_TODAY, SET_A, "2", "🚪 Bring it to my door"):
        await user.click(tap)
    assert user.last.text == (
        "Please check the order:\n"
        "📅 Lunch today, Monday 2 March\n"
        "🍱 Set A: steamed sea bass, greens, rice × 2\n"
        "🚪 to your door\n"
        "💰 To pay: 18 yuan (price 30 yuan, subsidy 12 yuan)"
    )
    assert user.keyboard is not None
    assert ["✅ Place order"] in user.keyboard


async def test_the_review_names_day_meal_dish_portions_how_and_pay_in_chinese(env: Env) -> None:
    user, _ = await wang(env)
    for tap in (ZH_ORDER, ZH_LUNCH_TODAY, ZH_SET_A, "1", "🚪 送到家门口"):
        await user.click(tap)
    assert user.last.text == (
        "请核对订单：\n"
        "📅 3月2日 周一（今天）午餐\n"
        "🍱 套餐A：清蒸鲈鱼、青菜、米饭 × 1\n"
        "🚪 送到您家门口\n"
        "💰 应付：9元（原价15元，补贴6元）"
    )
    await user.click("✅ 确认下单")
    placed = await seen(env, user, "已下单")
    assert "应付：9元（补贴6元）" in placed


async def test_same_as_last_time_names_what_it_orders_in_both_languages(env: Env) -> None:
    user, _ = await ann(env)
    zh, _ = await wang(env)
    await order_lunch(user)
    for tap in (ZH_ORDER, ZH_LUNCH_TODAY, ZH_SET_A, "1", "🥡 自己来取", "✅ 确认下单"):
        await zh.click(tap)
    await env.advance(hours=8)  # Monday 16:00: Tuesday's lunch takes orders
    await user.click(ORDER)
    assert ["🔁 Same as last time: Set A, to your door, 9 yuan"] in (user.keyboard or [])
    assert "📅 Lunch tomorrow, Tuesday 3 March" in user.last.text
    await zh.click(ZH_ORDER)
    assert ["🔁 和上次一样：套餐A，您来食堂取，9元"] in (zh.keyboard or [])
    assert "📅 3月3日 周二（明天）午餐" in zh.last.text
    await zh.click("🔁 和上次一样：套餐A，您来食堂取，9元")
    await seen(env, zh, "已下单")
    rows = await env.rows(
        "SELECT w.day, m.code, o.fulfilment FROM orders o JOIN windows w ON w.id = o.window_id"
        " JOIN order_items i ON i.order_id = o.id JOIN menu_items m ON m.id = i.menu_item_id"
        " WHERE o.resident_id = 2 ORDER BY o.id"
    )
    assert rows == [("2026-03-02", "A", "pickup"), ("2026-03-03", "A", "pickup")]


async def test_same_as_last_time_does_not_order_another_dish_that_took_her_dishs_code(
    env: Env,
) -> None:
    """Monday's special is D, braised fish; Tuesday's special is also D, but noodles."""
    user, _ = await ann(env)
    mei = await staff_member(env, 2001, "Mei")
    monday = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), "lunch")
    assert monday is not None
    fish = await menus.add_dish(env.deps, 2001, monday.id, "Braised fish", 1400, [], 20)
    assert fish.code == "D"
    for tap in (ORDER, LUNCH_TODAY, "Braised fish · 8 yuan", "1", "🚪 Bring it to my door"):
        await user.click(tap)
    await user.click("✅ Place order")
    await env.advance(hours=8)  # Monday 16:00: Tuesday's lunch takes orders
    tuesday = await windows.find(env.deps.db.conn, 1, monday.day.replace(day=3), "lunch")
    assert tuesday is not None
    noodles = await menus.add_dish(env.deps, mei.id, tuesday.id, "Noodle soup", 1400, [], 20)
    assert noodles.code == "D"
    await user.click(ORDER)
    labels = [label for row in user.keyboard or [] for label in row]
    assert not any("Same as last time" in label for label in labels)
    assert user.last.text.startswith(
        "Last time you had Braised fish. It is not on the menu now: please choose a meal,"
        " then a dish."
    )
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(1,)]


async def test_same_as_last_time_checks_her_diet_like_any_order(env: Env) -> None:
    """She had Set B last time; since then she eats no pork: the button warns, and a tap
    shows why before anything is ordered."""
    user, resident_id = await ann(env)
    for tap in (ORDER, LUNCH_TODAY, "Set B: braised pork, potato, rice · 10 yuan", "1"):
        await user.click(tap)
    await user.click("🚪 Bring it to my door")
    await user.click("✅ Place order")
    async with env.deps.db.transaction() as tx:
        await tx.execute("UPDATE residents SET diet = 'no_pork' WHERE id = ?", (resident_id,))
    await env.advance(hours=8)
    await user.click(ORDER)
    assert "⚠️ This dish may not suit you: contains pork." in user.last.text
    await user.click("⚠️ Same as last time: Set B, to your door, 10 yuan")
    assert user.last.text.startswith("Please check the order:")
    assert user.last.text.endswith("⚠️ This dish may not suit you: contains pork.")
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(1,)]
    await user.click("✅ Place order")
    await seen(env, user, "Order placed")
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(2,)]


async def test_a_dish_that_does_not_suit_her_is_named_with_the_reason_in_english(
    env: Env,
) -> None:
    user, _ = await ann(env, diet=["soft", "no_pork"], allergies="fish, peanuts")
    for tap in (ORDER, LUNCH_TODAY):
        await user.click(tap)
    menu = user.last.text
    assert "• ⚠️ Set A: steamed sea bass, greens, rice — 9 yuan (contains fish)" in menu
    assert "• ⚠️ Set B: braised pork, potato, rice — 10 yuan (not soft, contains pork)" in menu
    assert "• Set C: mixed vegetables, tofu soup, soft rice — 6 yuan" in menu
    await user.click("⚠️ Set A: steamed sea bass, greens, rice · 9 yuan")
    await user.click("1")
    await user.click("🚪 Bring it to my door")
    assert user.last.text.endswith("⚠️ This dish may not suit you: contains fish.")


async def test_a_dish_that_does_not_suit_her_is_named_with_the_reason_in_chinese(
    env: Env,
) -> None:
    user, _ = await wang(env, diet=["soft"], allergies="对鱼和大豆过敏")
    for tap in (ZH_ORDER, ZH_LUNCH_TODAY):
        await user.click(tap)
    menu = user.last.text
    assert "• ⚠️ 套餐A：清蒸鲈鱼、青菜、米饭 — 9元（含鱼）" in menu
    assert "• ⚠️ 套餐B：红烧肉、土豆丝、米饭 — 10元（不是软食，含大豆）" in menu
    assert "• ⚠️ 套餐C：素什锦、豆腐羹、软米饭 — 6元（含大豆）" in menu
    assert "• 肉末粥套餐（适合吞咽困难） — 4元" in menu


async def test_a_dish_without_allergen_tags_raises_no_allergy_warning(env: Env) -> None:
    """Staff added it with /menu and did not say what it contains: it cannot be checked."""
    user, _ = await ann(env, allergies="peanuts")
    await staff_member(env, 2001, "Mei")
    monday = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), "lunch")
    assert monday is not None
    await menus.add_dish(env.deps, 2001, monday.id, "Kung pao chicken", 1400, [], 20)
    for tap in (ORDER, LUNCH_TODAY):
        await user.click(tap)
    assert "• Kung pao chicken — 8 yuan" in user.last.text


def test_allergies_typed_in_either_language_name_the_allergen_tags() -> None:
    assert allergies_named("Peanuts, shrimp") == {"peanut", "shellfish"}
    assert allergies_named("walnuts and eggs") == {"tree_nut", "egg"}
    assert allergies_named("花生、虾") == {"peanut", "shellfish"}
    assert allergies_named("对海鲜过敏，不能喝牛奶") == {"fish", "shellfish", "milk"}
    assert allergies_named("none known") == set()
