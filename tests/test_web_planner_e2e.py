"""The family planner in Chromium: a daughter plans her father's week, the chat shows it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser

from bot.core.clock import ManualClock
from bot.core.i18n import t
from bot.sandbox import Sandbox
from data import accounts, links
from tests.harness import Env
from tests.residents_kit import senior
from tests.web_kit import (
    DARK,
    open_screen,
    screenshot,
    serious_violations,
    signed,
    web_bot,
    week_ahead,
)

DAD, DAUGHTER = 5101, 5201
WAIT_MS = 10_000


@pytest.fixture
async def web_env(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path, store: str
) -> AsyncIterator[Env]:
    async with web_bot(sandbox, clock, store, week_ahead()) as env:
        yield env


async def family(env: Env, name: str, lang: str) -> int:
    """Dad, approved, and his daughter linked as family (she uses the chat in `lang`)."""
    dad = await senior(env, DAD, name)
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, DAUGHTER, env.clock.now())
        await accounts.set_language(tx, DAUGHTER, lang)
        await links.create(tx, DAUGHTER, dad, "family", env.clock.now())
    return dad


async def test_a_daughter_plans_a_week_of_lunches_that_the_chat_then_shows(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    await family(env, "Dad", "en")
    daughter = env.user(DAUGHTER, "May", "en")
    await daughter.send("/start")
    page = await open_screen(browser, env, "planner", signed(env, DAUGHTER, "May"))
    body = page.locator("#body")
    await body.get_by_text(t("en", "web.planner.week", name="Dad")).wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    cutoff = t("en", "web.planner.meal", meal=t("en", "staff.meal.lunch"), cutoff="09:30")
    assert await body.get_by_text(cutoff).count() >= 1  # the canteen's time, not UTC
    await screenshot(page, "planner-en")

    dishes = body.locator("select[name$='-dish']")
    assert await dishes.count() >= 4  # today's lunch and dinner, and lunch three days on
    chosen = 3
    for n in range(chosen):
        select = dishes.nth(n)
        first_dish = await select.locator("option").nth(1).get_attribute("value")
        assert first_dish
        await select.select_option(first_dish)
    await body.get_by_role("button", name=t("en", "web.planner.save")).click()
    await body.locator(".notice li.ok").first.wait_for(timeout=WAIT_MS)
    assert await body.locator(".notice li.ok").count() == chosen
    assert await body.locator(".notice li.refused").count() == 0
    assert await serious_violations(page) == []
    await screenshot(page, "planner-en-saved")

    placed = await env.rows("SELECT placed_by, status FROM orders ORDER BY id")
    assert placed == [(DAUGHTER, "placed")] * chosen
    await env.settle()
    await daughter.click(t("en", "core.button.my_orders"))
    listed = daughter.last.text
    order_ids = [row[0] for row in await env.rows("SELECT id FROM orders ORDER BY id")]
    for order_id in order_ids:
        assert f"#{order_id}" in listed, listed

    # One meal cancelled, another made two portions, in one Save.
    await body.locator("input[type=checkbox][name$='-cancel']").first.check()
    portions = body.locator("select[name^='order-'][name$='-portions']").nth(1)
    await portions.select_option("2")
    await body.get_by_role("button", name=t("en", "web.planner.save")).click()
    await body.get_by_text(t("en", "web.planner.cancelled"), exact=False).first.wait_for(
        timeout=WAIT_MS
    )
    assert await env.rows("SELECT status FROM orders ORDER BY id") == [
        ("cancelled",),
        ("placed",),
        ("placed",),
    ]
    second = await env.rows("SELECT portions FROM order_items WHERE order_id = ?", (order_ids[1],))
    assert second == [(2,)]


async def test_the_planner_in_chinese_and_dark_theme_and_a_stranger_refused(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    await family(env, "王大爷", "zh")
    page = await open_screen(browser, env, "planner", signed(env, DAUGHTER, "小梅", "zh"), DARK)
    await page.locator("#body").get_by_text("王大爷").first.wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await screenshot(page, "planner-zh-dark")

    stranger = await open_screen(browser, env, "planner", signed(env, 5999, "Nosy"))
    text = await stranger.locator("#body").inner_text()
    assert t("en", "web.planner.nobody") in text
    assert "王大爷" not in text
