"""A home for every role: each role's keyboard and /help, switching, the kitchen group, menus."""

from __future__ import annotations

import pytest

from tests.harness import KITCHEN_CHAT, Env
from tests.homes_kit import labels, linked_senior, pending_senior, person, place
from tests.test_kitchen_e2e import click_starting

STAFF_KEYS = {
    "en": ["📋 Orders · 1 waiting", "🍽 Menu", "🧾 Kitchen sheet", "🧑‍🍳 Order for a senior"],
    "zh": ["📋 订单 · 1 单待确认", "🍽 菜单", "🧾 备餐单", "🧑‍🍳 代老人订餐"],
}
GLANCE = {
    "en": ["Lunch: 1 waiting, 0 confirmed · orders close at 09:30", "Dinner: 0 waiting"],
    "zh": ["午餐：1 单待确认，0 单已确认 · 09:30 截单", "晚餐：0 单待确认"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_staff_get_their_own_keyboard_and_help_with_today_at_a_glance(
    env: Env, lang: str
) -> None:
    mei = await person(env, 2001, "Mei", lang, ("staff",))
    wang = await linked_senior(env, 3001, "Wang")
    await place(env, 3001, wang)
    await mei.send("/start")
    keys = labels(mei.keyboard)
    assert keys[:4] == STAFF_KEYS[lang]
    assert "🍱 Order a meal" not in keys
    assert "🍱 订餐" not in keys
    assert not [key for key in keys if key.startswith("🔄")]  # one role: nothing to switch
    for line in GLANCE[lang]:
        assert line in mei.last.text
    await mei.send("/help")
    staff_title = {"en": "Canteen staff", "zh": "食堂工作人员"}[lang]
    resident_title = {"en": "How to use Doorstep", "zh": "怎么使用"}[lang]
    assert staff_title in mei.last.text
    assert resident_title not in mei.last.text
    assert GLANCE[lang][0] in mei.last.text
    await mei.click(STAFF_KEYS[lang][0])
    assert mei.last.text == {"en": "Which meal's orders?", "zh": "查看哪一餐的订单？"}[lang]


async def test_the_staff_glance_follows_the_orders_the_cutoff_and_meals_ready(env: Env) -> None:
    mei = await person(env, 2001, "Mei", "en", ("staff",))
    await mei.send("/start")
    assert "📋 Orders" in labels(mei.keyboard)
    assert "Lunch: 0 waiting, 0 confirmed · orders close at 09:30" in mei.last.text
    wang = await linked_senior(env, 3001, "Wang")
    await place(env, 3001, wang)
    await mei.send("/help")
    assert "📋 Orders · 1 waiting" in labels(mei.keyboard)
    await env.advance(hours=2)  # 10:00: lunch closed (the waiting order confirmed), not cooked
    await mei.send("/help")
    assert "Lunch: ordering closed · orders to cook: 1" in mei.last.text
    assert "📋 Orders" in labels(mei.keyboard)
    await mei.click("📋 Orders")
    await click_starting(mei, "Mon 2 Mar lunch")
    await mei.click("🍽 Meals ready")
    await mei.send("/help")
    assert "Lunch: meals ready ✓" in mei.last.text


async def test_volunteers_and_admins_get_their_own_keyboard_and_help(env: Env) -> None:
    vic = await person(env, 4001, "Vic", "en", ("volunteer",))
    await vic.send("/start")
    assert labels(vic.keyboard)[:3] == ["🚲 Deliveries to take", "🗺 My route", "🗓 When I can help"]
    await vic.send("/help")
    assert "Volunteers" in vic.last.text
    assert "How to use Doorstep" not in vic.last.text
    await vic.click("🗓 When I can help")
    assert "On which days can you help?" in vic.last.text

    await pending_senior(env, 3001, "Ann Lee")
    ada = await person(env, 5001, "Ada", "zh", ("admin",))
    await ada.send("/start")
    keys = labels(ada.keyboard)
    assert keys[:2] == ["✅ 审核 · 1 人待审", "📊 报表"]
    await ada.click("✅ 审核 · 1 人待审")
    assert any("Ann Lee" in message.text for message in ada.messages[-2:])
    await ada.send("/help")
    assert "社区管理员" in ada.last.text
    assert "怎么使用" not in ada.last.text


async def test_several_roles_get_the_most_used_home_and_a_switch_that_sticks(env: Env) -> None:
    """A volunteer who also orders for her father: home is what she uses; 🔄 changes it."""
    lin = await person(env, 4002, "Lin", "en", ("volunteer",))
    await linked_senior(env, 4002, "Lin's father")
    await lin.send("/start")
    keys = labels(lin.keyboard)
    assert "🚲 Deliveries to take" in keys
    assert "🔄 Switch: ordering" in keys
    assert "🍱 Order a meal" not in keys
    await lin.send("/myorders")
    await lin.send("/myorders")
    await lin.send("/start")
    keys = labels(lin.keyboard)
    assert "🍱 Order a meal" in keys
    assert "🔄 Switch: volunteer" in keys
    await lin.click("🔄 Switch: volunteer")
    assert "Volunteers" in lin.last.text
    assert "🚲 Deliveries to take" in labels(lin.keyboard)
    await lin.send("/start")
    assert "🚲 Deliveries to take" in labels(lin.keyboard)


async def test_orders_and_sheet_work_in_the_kitchen_group_for_its_staff(env: Env) -> None:
    kitchen = env.sandbox.chat(KITCHEN_CHAT)
    mei = await person(env, 2001, "Mei", "en", ("staff",))
    wang = await linked_senior(env, 3001, "Wang")
    order_id = await place(env, 3001, wang)
    await mei.send("/orders", chat=kitchen)
    assert kitchen.last.text == "Which meal's orders?"
    await mei.click(kitchen.last.inline_texts[0], chat=kitchen)
    assert f"#{order_id} Wang" in kitchen.last.text
    await mei.click(f"✅ #{order_id}", chat=kitchen)
    assert await env.rows("SELECT status FROM orders") == [("confirmed",)]
    await mei.send("/sheet@doorstep_bot", chat=kitchen)
    assert kitchen.last.text == "Which meal's kitchen sheet?"
    await mei.click(kitchen.last.inline_texts[0], chat=kitchen)
    assert any("Kitchen sheet" in m.text for m in kitchen.messages[-2:])


async def test_in_the_kitchen_group_others_are_refused_and_other_groups_are_left_alone(
    env: Env,
) -> None:
    kitchen = env.sandbox.chat(KITCHEN_CHAT)
    wang = env.user(3001, "Wang", language_code="en")
    await linked_senior(env, 3001, "Wang")
    await wang.send("/orders", chat=kitchen)
    assert kitchen.last.text == "Sorry, you cannot do that."
    mei = await person(env, 2001, "Mei", "en", ("staff",))
    elsewhere = env.sandbox.group(-1009999, "Chess club")
    await mei.send("/orders", chat=elsewhere)
    assert elsewhere.messages == []


async def test_the_command_menu_follows_the_language_the_person_chose(env: Env) -> None:
    bob = env.user(1002, "Bob", language_code="en")
    await bob.send("/start")
    await bob.click("🌐 Language / 语言")
    await bob.click("简体中文")
    menu = {c.command: c.description for c in env.sandbox.commands["chat:1002"]}
    assert menu["order"] == "订餐"
    mei = await person(env, 2001, "Mei", "zh", ("staff",))
    await mei.send("/start")
    await mei.click("🌐 Language / 语言")
    await mei.click("English")
    menu = {c.command: c.description for c in env.sandbox.commands["chat:2001"]}
    assert menu["orders"] == "Orders of a window"
    assert menu["help"] == "How to use Doorstep"


async def test_the_kitchen_group_has_its_own_command_menu(env: Env) -> None:
    menu = [c.command for c in env.sandbox.commands[f"chat:{KITCHEN_CHAT}"]]
    assert menu == ["orders", "sheet"]
