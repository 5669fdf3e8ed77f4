"""Orders people can correct: the senior or her family change portions or how before the
cutoff, the cook changes the dish, portions or how, or cancels (asked once more), before
the kitchen sheet and after it, with who and why in the audit and everyone told."""

from __future__ import annotations

from typing import Any

from bot.services.kitchen import receipt
from bot.services.ordering import placing
from bot.services.people import invites
from data import invariants, windows
from data.models import Fulfilment
from tests.harness import KITCHEN_CHAT, MONDAY_8AM, Env
from tests.residents_kit import seen, senior
from tests.test_ordering_e2e import order_lunch
from tests.test_volunteer_e2e import family_of, staff_member, texts, volunteer
from tests.test_volunteer_e2e import senior as senior_alone

BOARD = "Mon 2 Mar lunch · taking orders"
CLOSED_BOARD = "Mon 2 Mar lunch · closed"
AUDIT_SQL = "SELECT account_id, action, detail FROM audit_log WHERE subject = ? ORDER BY id"


async def ann(env: Env) -> tuple[Any, int]:
    user = env.user(3001, "Ann", language_code="en")
    resident_id = await senior(env, 3001, "Ann Lee")
    await user.send("/start")
    return user, resident_id


async def lunch_for(
    env: Env, account_id: int, resident_id: int, how: Fulfilment, code: str = "A"
) -> int:
    """A lunch order placed through the ordering service (as the chat would place it)."""
    window = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), "lunch")
    assert window is not None
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    draft = placing.Draft(resident_id, window.id, menu[code].id, 1, how)
    placed = await placing.place(env.deps, account_id, draft, "en")
    await env.settle()
    return placed.id


async def line_of(env: Env, order_id: int) -> tuple[Any, ...]:
    rows = await env.rows(
        "SELECT o.status, o.fulfilment, o.price_fen, o.pay_fen, m.code, i.portions"
        " FROM orders o JOIN order_items i ON i.order_id = o.id"
        " JOIN menu_items m ON m.id = i.menu_item_id WHERE o.id = ?",
        (order_id,),
    )
    return rows[0]


async def test_a_senior_changes_portions_before_the_cutoff_and_her_family_hears_it(
    env: Env,
) -> None:
    """📋 My orders → ✏️ Change → 🔢 Portions → 2 → ✅ Save: five taps, no cancel and
    order again; the daughter hears who changed what."""
    user, resident_id = await ann(env)
    daughter = await family_of(env, resident_id, 4001)
    await order_lunch(user)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    before = len(user.messages)
    taps = ["📋 My orders", f"✏️ Change order No. {order_id}", "🔢 Portions", "2"]
    for tap in taps:
        await user.click(tap)
    review = user.last.text
    assert review.startswith("Please check the change: portions 1 → 2.")
    assert "📅 Lunch today, Monday 2 March" in review
    assert "🍱 Set A: steamed sea bass, greens, rice × 2" in review
    assert "🚪 to your door" in review
    assert "💰 To pay: 18 yuan (price 30 yuan, subsidy 12 yuan)" in review
    await user.click("✅ Save the change")
    assert user.last.text.startswith(f"✅ Order No. {order_id} is changed.")
    assert len(taps) + 1 == 5
    assert len(user.messages) - before == 5  # the list, three questions, the answer

    assert await env.rows("SELECT COUNT(*) FROM orders") == [(1,)]
    assert await line_of(env, order_id) == ("placed", "delivery", 3000, 1800, "A", 2)
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (3001, "order.change", "portions 1->2")
    told = await seen(env, daughter, "changed the order for Ann Lee")
    assert told.startswith("✏️ Ann changed the order for Ann Lee: portions 1 → 2.")
    assert "To pay: 18 yuan" in told
    assert await invariants.check(env.deps.db.conn) == []


async def test_a_son_changes_how_the_meal_reaches_his_mother_in_chinese(env: Env) -> None:
    """The son reads her name on the buttons; she hears "您的订单" in her own chat."""
    mother = env.user(3001, "王秀英")
    resident_id = await senior(env, 3001, "王秀英")
    await mother.send("/start")
    son = env.user(4001, "王小明")
    await son.send("/start")
    invite = await invites.create(env.deps, "family", 1, 9000, resident_id)
    await invites.redeem(env.deps, 4001, invite.code)
    await son.send("/start")  # the keyboard of someone who orders for a senior
    order_id = await lunch_for(env, 4001, resident_id, "delivery")
    await son.click("📋 我的订单")
    await son.click(f"✏️ 修改订单 {order_id}")
    assert son.keyboard is not None
    assert ["🚪 王秀英怎么拿到饭"] in son.keyboard
    assert ["🍱 换一个菜"] not in son.keyboard  # a dish change is the canteen's
    await son.click("🚪 王秀英怎么拿到饭")
    assert son.last.text == "王秀英怎么拿到饭？"
    assert ["🚪 送到王秀英家门口"] in son.keyboard
    await son.click("🥡 到食堂来取")
    assert son.last.text.startswith("请核对修改：🚪 送到家门口 → 🥡 到食堂取餐。")
    assert "👵 给王秀英订" in son.last.text
    assert "🥡 到食堂取餐" in son.last.text
    await son.click("✅ 保存修改")
    assert son.last.text.startswith(f"✅ 订单 {order_id} 已修改。")
    assert (await line_of(env, order_id))[1] == "pickup"
    told = await seen(env, mother, "修改了您的订单")
    assert told.startswith("✏️ 王小明修改了您的订单：🚪 送到家门口 → 🥡 到食堂取餐。")


async def test_the_cook_changes_portions_for_a_senior_who_phoned(env: Env) -> None:
    """/orders → lunch → ✏️ #12 → 🔢 Portions → 2 → 📞 The senior phoned: the reason
    saves it; the audit says who and why; the senior and her daughter hear of it."""
    user, resident_id = await ann(env)
    daughter = await family_of(env, resident_id, 4001)
    mei = await staff_member(env, 2001, "Mei")
    order_id = await lunch_for(env, 3001, resident_id, "pickup")
    before = len(mei.messages)
    await mei.send("/orders")
    taps = [BOARD, f"✏️ #{order_id}", "🔢 Portions", "2", "📞 The senior phoned"]
    for tap in taps:
        await mei.click(tap)
    assert mei.last.text.startswith(f"✅ Order No. {order_id} is changed.")
    assert 1 + len(taps) == 6  # the /orders command and five taps
    # the meals to pick from (it becomes the board), three questions and the answer
    assert len(mei.messages) - before == 5
    assert await line_of(env, order_id) == ("placed", "pickup", 3000, 1800, "A", 2)
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (2001, "order.change", "portions 1->2; why phoned")
    told = await seen(env, daughter, "changed the order for Ann Lee")
    assert told.startswith("✏️ The canteen changed the order for Ann Lee: portions 1 → 2.")
    own = await seen(env, user, "changed your order")
    assert own.startswith("✏️ The canteen changed your order: portions 1 → 2.")


async def test_the_cook_finds_the_senior_at_the_counter_by_name_and_changes_how(
    env: Env,
) -> None:
    """/order → her name → ✏️ her order: no need to know which meal or order number."""
    user, resident_id = await ann(env)
    mei = await staff_member(env, 2001, "Mei")
    order_id = await lunch_for(env, 3001, resident_id, "delivery")
    await mei.send("/order")
    await mei.send("Ann")
    assert mei.last.text.startswith("Tap the person to order for, or ✏️ an order to change it")
    await mei.click(f"✏️ #{order_id} Ann Lee · Mon 2 Mar lunch")
    await mei.click("🚪 How the meal reaches Ann Lee")
    await mei.click("🍽️ Ann Lee eats at the canteen")
    await mei.click("🚶 Said at the counter")
    assert (await line_of(env, order_id))[1] == "dine_in"
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (2001, "order.change", "how delivery->dine_in; why came_in")
    own = await seen(env, user, "changed your order")
    assert "🚪 to the door → 🍽️ eaten at the canteen" in own


async def test_the_cook_changes_the_dish_and_sees_why_one_does_not_suit_her(env: Env) -> None:
    user = env.user(3001, "Ann", language_code="en")
    resident_id = await senior(env, 3001, "Ann Lee", diet=["soft", "no_pork"])
    await user.send("/start")
    mei = await staff_member(env, 2001, "Mei")
    order_id = await lunch_for(env, 3001, resident_id, "delivery")
    await mei.send("/orders")
    for tap in (BOARD, f"✏️ #{order_id}", "🍱 Another dish"):
        await mei.click(tap)
    assert "• ⚠️ Set B: braised pork, potato, rice — 10 yuan (not soft, contains pork)" in (
        mei.last.text
    )
    await mei.click("Set C: mixed vegetables, tofu soup, soft rice · 6 yuan")
    assert "Set A → Set C" in mei.last.text
    await mei.click("👪 The family asked")
    assert await line_of(env, order_id) == ("placed", "delivery", 1200, 600, "C", 1)
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (2001, "order.change", "dish A->C; why family")
    own = await seen(env, user, "changed your order")
    assert own.startswith("✏️ The canteen changed your order: Set A → Set C.")


async def test_the_cook_cancels_before_the_sheet_after_asking_once_more(env: Env) -> None:
    user, resident_id = await ann(env)
    mei = await staff_member(env, 2001, "Mei")
    order_id = await lunch_for(env, 3001, resident_id, "pickup")
    await mei.send("/orders")
    for tap in (BOARD, f"✏️ #{order_id}", "✖️ Cancel this order"):
        await mei.click(tap)
    assert mei.last.text == "Why is it cancelled?"
    await mei.click("📞 The senior phoned")
    assert mei.last.text == "Cancel Ann Lee's lunch on Monday 2 March, Set A?"
    await mei.click("↩️ No, keep it")
    assert mei.last.text == f"All right, order No. {order_id} stays as it is."
    assert (await line_of(env, order_id))[0] == "placed"

    await mei.send("/orders")
    for tap in (BOARD, f"✏️ #{order_id}", "✖️ Cancel this order", "📞 The senior phoned"):
        await mei.click(tap)
    await mei.click("✅ Yes, cancel it")
    assert mei.last.text.startswith(f"Order #{order_id} is cancelled.")
    assert (await line_of(env, order_id))[0] == "cancelled"
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (2001, "order.cancel", "why phoned")
    await seen(env, user, "The canteen cancelled your order.")
    await env.drained()
    assert env.sandbox.chat(KITCHEN_CHAT).messages == []  # no sheet yet: nothing to tell


async def test_after_the_sheet_a_cancel_tells_the_kitchen_and_frees_the_volunteer(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann_v = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior_alone(env, 3001, "Wang", "Building 5", None)
    order_id = await lunch_for(env, 3001, wang, "delivery")
    await receipt.confirm(env.deps, 2001, order_id)
    await env.advance(minutes=90)  # 09:30: the sheet goes to the kitchen, the board out
    board = next(m for m in ann_v.messages if "Deliveries for" in m.text)
    await ann_v.click("Take Building 5 (1)", message=board)
    held = await env.rows("SELECT volunteer_id FROM deliveries WHERE order_id = ?", (order_id,))
    assert held == [(5001,)]

    await mei.send("/orders")
    for tap in (CLOSED_BOARD, f"✏️ #{order_id}"):
        await mei.click(tap)
    assert ["🔢 Portions"] not in (mei.keyboard or [])  # the kitchen cooks from its sheet
    for tap in ("✖️ Cancel this order", "📞 The senior phoned", "✅ Yes, cancel it"):
        await mei.click(tap)
    assert (await line_of(env, order_id))[0] == "cancelled"
    await env.drained()
    kitchen = [m.text for m in env.sandbox.chat(KITCHEN_CHAT).messages]
    told = [text for text in kitchen if "出单后取消" in text]
    assert len(told) == 1
    assert f"#{order_id} Wang · 1× A. 套餐A：清蒸鲈鱼、青菜、米饭" in told[0]
    assert any(
        f"Please do not carry meal #{order_id} for Wang (Building 5 101)" in text
        for text in texts(ann_v)
    )
    assert await env.rows("SELECT * FROM deliveries WHERE order_id = ?", (order_id,)) == []
    audit = await env.rows(AUDIT_SQL, (f"order:{order_id}",))
    assert audit[-1] == (2001, "order.cancel", "why phoned; after the kitchen sheet")
    assert await invariants.check(env.deps.db.conn) == []


async def test_after_the_claim_deadline_a_change_of_how_is_carried_or_released(
    env: Env,
) -> None:
    """Li will not walk today: her pickup becomes a delivery and a volunteer gets it at
    once; Wang's delivery becomes a pickup and the volunteer holding it is told."""
    mei = await staff_member(env, 2001, "Mei")
    ann_v = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior_alone(env, 3001, "Wang", "Building 5", None)
    li = await senior_alone(env, 3002, "Li", "Building 7", None)
    wang_order = await lunch_for(env, 3001, wang, "delivery")
    li_order = await lunch_for(env, 3002, li, "pickup")
    await env.advance(minutes=90)  # 09:30: confirmed at the cutoff, sheet sent
    await env.advance(minutes=75)  # 10:45: the claim deadline, routes out
    assert await env.rows("SELECT volunteer_id FROM deliveries") == [(5001,)]

    await mei.send("/orders")
    for tap in (CLOSED_BOARD, f"✏️ #{li_order}", "🚪 How the meal reaches Li"):
        await mei.click(tap)
    await mei.click("🚪 Bring it to Li's door")
    assert "🥡 picked up at the canteen → 🚪 to the door" in mei.last.text
    await mei.click("📞 The senior phoned")
    held = await env.rows("SELECT volunteer_id FROM deliveries WHERE order_id = ?", (li_order,))
    assert held == [(5001,)]
    await env.drained()
    assert any("Li" in text and "🏠 Building 7 101" in text for text in texts(ann_v))
    kitchen = [m.text for m in env.sandbox.chat(KITCHEN_CHAT).messages]
    assert any(f"#{li_order} Li" in text and "现在：送餐（原来：自取）" in text for text in kitchen)

    await mei.send("/orders")
    for tap in (CLOSED_BOARD, f"✏️ #{wang_order}", "🚪 How the meal reaches Wang"):
        await mei.click(tap)
    await mei.click("🥡 Picked up at the canteen")
    await mei.click("👪 The family asked")
    assert await env.rows("SELECT * FROM deliveries WHERE order_id = ?", (wang_order,)) == []
    await env.drained()
    assert any(
        f"Please do not carry meal #{wang_order} for Wang" in text and "picked up" in text
        for text in texts(ann_v)
    )
    assert await invariants.check(env.deps.db.conn) == []


async def test_after_the_cutoff_a_senior_is_given_the_phone_and_cannot_change(
    env: Env,
) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await user.click("📋 My orders")
    listing = user.last
    await env.advance(hours=2)  # 10:00: lunch closed at 09:30
    await user.click(f"✏️ Change order No. {order_id}", message=listing)
    answer = user.callback_answers[-1].text or ""
    assert "too late" in answer
    assert "021-5555-0100" in answer
    await user.press(f"chg1:o:{order_id}")
    assert "021-5555-0100" in (user.callback_answers[-1].text or "")
    assert (await line_of(env, order_id))[5] == 1


async def test_forged_change_buttons_are_refused_and_change_nothing(env: Env) -> None:
    user, ann_id = await ann(env)
    bo = env.user(3002, "Bo", language_code="en")
    await senior(env, 3002, "Bo Chen")
    await bo.send("/start")
    await order_lunch(bo)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    for data in (f"chg1:o:{order_id}", f"myo1:yes:{order_id}", "chg1:o:x", "chg1:zz:1"):
        await user.press(data)
        assert user.callback_answers[-1].text in (
            "Sorry, you cannot do that.",
            "This button is out of date. Please use the newest message.",
        ), data
    assert (await line_of(env, order_id))[0] == "placed"
    await order_lunch(user)
    (mine,) = (await env.rows("SELECT id FROM orders WHERE resident_id = ?", (ann_id,)))[0]
    await user.click("📋 My orders")
    await user.click(f"✏️ Change order No. {mine}")
    assert ["🍱 Another dish"] not in (user.keyboard or [])
    assert ["✖️ Cancel this order"] not in (user.keyboard or [])
    await user.send("🍱 Another dish")  # typed, not offered
    assert user.last.text == "Please tap one of the buttons below."


async def test_cancel_in_my_orders_asks_once_more_in_english_and_chinese(env: Env) -> None:
    user, _ = await ann(env)
    await order_lunch(user)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await user.click("📋 My orders")
    await user.click(f"✖️ Cancel order #{order_id}")
    assert user.last.text == "Cancel lunch on Monday 2 March, Set A?"
    assert user.last.inline_texts == ["✅ Yes, cancel it", "↩️ No, keep it"]
    await user.click("↩️ No, keep it")
    assert user.callback_answers[-1].text == f"All right, order No. {order_id} stays as it is."
    assert f"Order #{order_id}" in user.last.text
    assert (await line_of(env, order_id))[0] == "placed"

    wang = env.user(3003, "王秀英")
    resident_id = await senior(env, 3003, "王秀英")
    await wang.send("/start")
    wang_order = await lunch_for(env, 3003, resident_id, "pickup")
    await wang.click("📋 我的订单")
    await wang.click(f"✖️ 取消订单 #{wang_order}")
    assert wang.last.text == "取消3月2日 周一的午餐（套餐A）吗？"
    await wang.click("✅ 是，取消")
    assert wang.callback_answers[-1].text == f"订单 #{wang_order} 已取消。"
    assert (await line_of(env, wang_order))[0] == "cancelled"
    assert (await line_of(env, order_id))[0] == "placed"  # Ann kept hers


async def test_a_full_board_with_its_edit_buttons_keeps_within_100_buttons(env: Env) -> None:
    """45 orders waiting: ✅ ❌ ✏️ each would be 135 buttons; Telegram takes 100."""
    mei = await staff_member(env, 2001, "Mei")
    now = env.clock.now().isoformat()
    async with env.deps.db.transaction() as tx:
        for n in range(45):
            await tx.execute(
                "INSERT INTO residents (canteen_id, name, phone, building, status, created_at)"
                " VALUES (1, ?, '13800000000', '5', 'approved', ?)",
                (f"Senior {n}", now),
            )
    for resident_id in range(1, 46):
        await lunch_for(env, 2001, resident_id, "pickup")
    await mei.send("/orders")
    await mei.click(BOARD)
    buttons = [label for row in mei.last.buttons for label in row]
    assert len(buttons) <= 100
    assert "✅ Confirm all waiting" in mei.last.inline_texts
    assert "✏️ #1" in mei.last.inline_texts
