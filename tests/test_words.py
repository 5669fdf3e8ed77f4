"""Typed words: one form however a word was typed, numbers in words, choices by their words."""

from __future__ import annotations

import pytest

from bot.core.words import choose, normalise, number, said


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("🍱 Order a meal", "order a meal"),
        ("  My   Orders!! ", "my orders"),
        ("ｍｙ　ｏｒｄｅｒｓ", "my orders"),
        ("🧑‍🍳 代老人订餐", "代老人订餐"),
        ("今天午餐（09:30前订）", "今天午餐09 30前订"),
        ("我 要 午 饭", "我要午饭"),
        ("❓", ""),
    ],
)
def test_typed_text_has_one_form(typed: str, form: str) -> None:
    assert normalise(typed) == form


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("订餐", "order"),
        ("我要午饭", "order"),
        ("请帮我订餐吧", "order"),
        ("order lunch", "order"),
        ("I want lunch please", "order"),
        ("帮助", "help"),
        ("Help!", "help"),
        ("取消", "cancel"),
        ("my orders", "my_orders"),
    ],
)
def test_simple_phrases_in_both_languages_are_understood(typed: str, key: str) -> None:
    assert said(typed, key)


@pytest.mark.parametrize("typed", ["hello", "the weather is nice", "please", "我要", "orderly"])
def test_other_words_are_not_an_order(typed: str) -> None:
    assert not said(typed, "order")


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2", 2), ("２", 2), ("两", 2), ("两份", 2), ("一份", 1), ("three", 3), ("2 portions", 2)],
)
def test_small_numbers_in_digits_or_words(typed: str, value: int) -> None:
    assert number(typed) == value


@pytest.mark.parametrize("typed", ["", "份", "a", "many", "2.5"])
def test_what_is_not_a_number(typed: str) -> None:
    assert number(typed) is None


DISHES = {"Set A: steamed sea bass · ¥9.00": "11", "Set B: braised pork · ¥7.50": "12"}
WINDOWS = {"Lunch today (order by 09:30)": "5", "Dinner today (order by 15:00)": "6"}


def test_a_choice_is_found_by_its_label_alias_number_or_start() -> None:
    assert choose("Set A: steamed sea bass · ¥9.00", DISHES) == "11"
    assert choose("set b braised pork 7.50", DISHES) == "12"
    assert choose("Ａ", DISHES, {"A": "11"}) == "11"
    assert choose("lunch today", WINDOWS) == "5"
    assert choose("两份", {"1": "1", "2": "2", "3": "3"}) == "2"


def test_an_answer_that_fits_no_choice_or_several_is_no_choice() -> None:
    assert choose("set", DISHES) is None  # both start with it
    assert choose("2", DISHES) is None
    assert choose("C", DISHES, {"A": "11", "B": "12"}) is None
    assert choose("", WINDOWS) is None
    assert choose("🙂", WINDOWS) is None
    assert choose("lu", WINDOWS) is None  # not a whole word
    assert choose("Wa", {"🚶 Walk-in at the counter": "walk"}) is None  # Wang, being searched
