"""Screens that don't lie: yesterday's questions expire, a waiting senior is told kindly,
an abandoned dish ends, and a second tap after a confirm lands where the first did."""

from __future__ import annotations

import pytest

from tests.harness import Env
from tests.homes_kit import labels, linked_senior, pending_senior, person, place
from tests.test_kitchen_e2e import click_starting

EXPIRED = {
    "en": "That question was from an earlier day, so I have put it away."
    " Please start again with the buttons below.",
    "zh": "这个问题是前一天的，已经收起来了。请用下面的按钮重新开始。",
}
ORDER = {"en": "🍱 Order a meal", "zh": "🍱 订餐"}


async def test_tomorrows_lunch_pressed_the_next_day_does_not_order_todays(env: Env) -> None:
    """'Lunch tomorrow' shown on Monday means Tuesday; pressed on Tuesday it would mean
    Wednesday, so the question has expired and nothing is ordered."""
    ann = await person(env, 3001, "Ann", "en")
    await linked_senior(env, 3001, "Ann Lee")
    await env.advance(hours=8, minutes=30)  # Monday 16:30: Tuesday's lunch takes orders
    await ann.send("/start")
    await ann.click(ORDER["en"])
    await env.advance(hours=15)  # Tuesday 07:30
    await ann.click("Lunch tomorrow (order by 09:30)")
    assert ann.last.text == EXPIRED["en"]
    assert ORDER["en"] in labels(ann.keyboard)
    await ann.send("A")
    assert "Choose a dish" not in ann.last.text
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]
    await ann.click(ORDER["en"])
    assert "Lunch today (order by 09:30)" in labels(ann.keyboard)


async def test_todays_lunch_pressed_the_next_day_expires_kindly_in_chinese(env: Env) -> None:
    ann = await person(env, 3001, "安", "zh")
    await linked_senior(env, 3001, "李安")
    await ann.send("/start")
    await ann.click(ORDER["zh"])
    assert "今天午餐（09:30前订）" in labels(ann.keyboard)
    await env.advance(hours=23, minutes=30)  # Tuesday 07:30
    await ann.click("今天午餐（09:30前订）")
    assert ann.last.text == EXPIRED["zh"]
    assert ORDER["zh"] in labels(ann.keyboard)
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


@pytest.mark.parametrize(
    ("lang", "told"),
    [
        (
            "en",
            "The canteen will approve Ann Lee soon. We will tell you here as soon as it is done,"
            " and then you can order.",
        ),
        ("zh", "食堂很快就会审核好Ann Lee的登记。审核好了会在这里告诉您，然后就可以订餐了。"),
    ],
)
async def test_a_senior_waiting_for_approval_who_taps_order_is_told_kindly(
    env: Env, lang: str, told: str
) -> None:
    ann = await person(env, 3001, "Ann", lang)
    await pending_senior(env, 3001, "Ann Lee")
    await ann.send("/start")
    await ann.click(ORDER[lang])
    assert ann.last.text == told
    assert ORDER[lang] in labels(ann.keyboard)
    await ann.send("1")
    assert ann.last.text != told  # no half-open question took the "1"
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


@pytest.mark.parametrize("leave_by", ["command", "keyboard button", "inline button"])
async def test_an_abandoned_add_dish_ends_on_any_command_or_button(env: Env, leave_by: str) -> None:
    mei = await person(env, 2001, "Mei", "en", ("staff",))
    await mei.send("/start")
    await mei.send("/menu")
    await click_starting(mei, "Mon 2 Mar lunch")
    menu = mei.last
    await mei.click("➕ Add dish")
    assert mei.last.text == "Send the name of the dish."
    if leave_by == "command":
        await mei.send("/orders")
    elif leave_by == "keyboard button":
        await mei.click("❓ Help")
    else:
        await mei.click("🚫 B sold out", message=menu)
    await mei.send("Tofu stew")
    assert "price" not in mei.last.text
    assert "I show today's orders" in mei.last.text
    assert await env.rows("SELECT COUNT(*) FROM menu_items WHERE name = 'Tofu stew'") == [(0,)]


async def test_after_a_confirm_a_second_tap_lands_on_the_same_order_and_is_harmless(
    env: Env,
) -> None:
    mei = await person(env, 2001, "Mei", "en", ("staff",))
    first = await place(env, 3001, await linked_senior(env, 3001, "Wang"))
    second = await place(env, 3002, await linked_senior(env, 3002, "Li"))
    await mei.send("/orders")
    await click_starting(mei, "Mon 2 Mar lunch")
    board = mei.last
    assert board.buttons[0][0].text == f"✅ #{first}"
    await mei.click(f"✅ #{first}", message=board)
    assert mei.callback_answers[-1].text == f"Order #{first} confirmed."
    row = board.buttons[0]
    assert [button.text for button in row] == [
        f"#{first} ✅ confirmed",
        f"❌ #{first}",
        f"✏️ #{first}",
    ]
    assert board.buttons[1][0].text == f"✅ #{second}"
    await mei.press(row[0].data or "", board.message_id)  # the second tap
    assert mei.callback_answers[-1].text == f"Order #{first} confirmed."
    assert not mei.callback_answers[-1].show_alert
    await mei.press(f"rcp1:ok:{first}", board.message_id)  # both taps sent on the old board
    assert not mei.callback_answers[-1].show_alert
    statuses = await env.rows("SELECT id, status FROM orders ORDER BY id")
    assert statuses == [(first, "confirmed"), (second, "placed")]
