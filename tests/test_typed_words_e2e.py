"""Typed words are understood: a button's words, simple phrases, and answers inside a question."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Env
from tests.homes_kit import labels, linked_senior, person

ASK_WINDOW = {"en": "Which meal?", "zh": "订哪一餐？"}
NO_ORDERS = {"en": "There are no orders this week.", "zh": "这一周没有订单。"}
HELP_TITLE = {"en": "How to use Doorstep", "zh": "怎么使用"}
CAN_DO = {
    "en": "I can order lunch or dinner, show or cancel orders, and set up regular meals."
    " Tap a button below, or type “order lunch”.",
    "zh": "我可以帮您订午餐、晚餐，查看或取消订单，设置固定订餐。请点下面的按钮，或输入“订餐”。",
}
TYPED = {
    "en": [
        ("Order a meal", ASK_WINDOW),
        ("order lunch", ASK_WINDOW),
        ("I want lunch please", ASK_WINDOW),
        ("My Orders!", NO_ORDERS),
        ("help", HELP_TITLE),
    ],
    "zh": [
        ("订餐", ASK_WINDOW),
        ("我要午饭", ASK_WINDOW),
        ("我的订单", NO_ORDERS),
        ("取消", NO_ORDERS),
        ("帮助", HELP_TITLE),
        ("ｍｙ　ｏｒｄｅｒｓ", NO_ORDERS),
    ],
}


async def senior_who_types(env: Env, lang: str) -> Any:
    user = await person(env, 3001, "Ann", lang)
    await linked_senior(env, 3001, "Ann Lee")
    await user.send("/start")
    return user


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_typed_button_words_and_simple_phrases_lead_where_the_button_would(
    env: Env, lang: str
) -> None:
    user = await senior_who_types(env, lang)
    for typed, expected in TYPED[lang]:
        await user.send(typed)
        text = user.last.text
        assert text.startswith(expected[lang]), (typed, text)
        await user.send("/start")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_anything_else_gets_the_keyboard_and_one_line_on_what_the_bot_can_do(
    env: Env, lang: str
) -> None:
    user = await senior_who_types(env, lang)
    await user.send("the weather is nice")
    assert user.last.text == CAN_DO[lang]
    order = {"en": "🍱 Order a meal", "zh": "🍱 订餐"}[lang]
    assert order in labels(user.keyboard)


async def test_staff_hear_what_the_staff_screen_does_and_typed_words_reach_it(env: Env) -> None:
    mei = await person(env, 2001, "Mei", "zh", ("staff",))
    await mei.send("/start")
    await mei.send("随便说说")
    assert mei.last.text == "我可以显示今天的订单、菜单和备餐单，也可以代老人订餐。请点下面的按钮。"
    assert "🍽 菜单" in labels(mei.keyboard)
    await mei.send("备餐单")
    assert mei.last.text == "查看哪一餐的厨房单？"
    await mei.send("Orders")
    assert mei.last.text == "查看哪一餐的订单？"


async def test_typed_answers_inside_the_questions_are_taken_in_english(env: Env) -> None:
    user = await senior_who_types(env, "en")
    await user.click("🍱 Order a meal")
    await user.send("lunch today")
    assert user.last.text.startswith("Choose a dish")
    await user.send("A")
    assert user.last.text == "How many portions?"
    await user.send("two")
    assert user.last.text == "How will you get the meal?"
    await user.send("bring it to my door")
    await user.send("Place order")
    assert "Order placed" in user.last.text
    rows = await env.rows(
        "SELECT m.code, i.portions, o.fulfilment FROM order_items i"
        " JOIN menu_items m ON m.id = i.menu_item_id JOIN orders o ON o.id = i.order_id"
    )
    assert rows == [("A", 2, "delivery")]


async def test_typed_answers_inside_the_questions_are_taken_in_chinese(env: Env) -> None:
    user = await senior_who_types(env, "zh")
    await user.send("订餐")
    await user.send("今天午餐")
    await user.send("Ａ")  # a full-width letter
    assert user.last.text == "要几份？"
    await user.send("一份")
    assert user.last.text == "您怎么拿到饭？"
    await user.send("自己来取")
    await user.send("确认下单")
    rows = await env.rows(
        "SELECT m.code, i.portions, o.fulfilment FROM order_items i"
        " JOIN menu_items m ON m.id = i.menu_item_id JOIN orders o ON o.id = i.order_id"
    )
    assert rows == [("A", 1, "pickup")]


async def test_typed_cancel_inside_a_question_leaves_it_and_nothing_is_stored(env: Env) -> None:
    user = await senior_who_types(env, "zh")
    await user.send("订餐")
    await user.send("今天午餐")
    await user.send("2")  # not a dish: asked again
    assert user.last.text == "请点下面的一个按钮。"
    await user.send("取消")
    assert user.last.text == "好的，什么都没有改。"
    assert "🍱 订餐" in labels(user.keyboard)
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]
