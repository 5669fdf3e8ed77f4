"""The kitchen board in Chromium: signed in with initData, live after an order in the chat."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import aiohttp
from playwright.async_api import Browser

from bot.core.i18n import t
from handlers.web import initdata
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import seen, senior
from tests.web_kit import (
    DARK,
    make_staff,
    open_screen,
    order_by_chat,
    screenshot,
    serious_violations,
    signed,
    web_url,
)

COOK = 4001
ANN = 4101
WAIT_MS = 10_000  # generous: the board asks every second; bench/ measures how fast


async def test_the_board_shows_an_order_placed_in_the_chat_and_confirms_it(
    web_env: Env, browser: Browser
) -> None:
    """The cook's board, open in the browser, shows the senior's chat order without a
    reload; Confirm on the board tells the senior in the chat."""
    env = web_env
    await make_staff(env, COOK)
    await senior(env, ANN, "Ann")
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    page = await open_screen(browser, env, "kitchen", signed(env, COOK, "Cook"))
    body = page.locator("#body")
    await body.get_by_text(t("en", "web.kitchen.waiting", n=0)).first.wait_for(timeout=WAIT_MS)

    await order_by_chat(ann)
    await body.get_by_text("Ann").first.wait_for(timeout=WAIT_MS)
    assert await body.get_by_text(t("en", "web.kitchen.waiting", n=1)).count() == 1
    assert await serious_violations(page) == []
    await screenshot(page, "kitchen-en")

    await body.get_by_role("button", name="Confirm #").first.click()
    await body.get_by_text(t("en", "web.kitchen.confirmed", n=1), exact=True).wait_for(
        timeout=WAIT_MS
    )
    await env.settle()
    assert "confirmed" in (await seen(env, ann, "confirmed")).lower()
    statuses = await env.rows("SELECT status FROM orders")
    assert statuses == [("confirmed",)]


async def test_meals_ready_and_a_pickup_collected_from_the_board(
    web_env: Env, browser: Browser
) -> None:
    """After the cutoff the board offers Meals ready; a pickup meal then gets Collected."""
    env = web_env
    await make_staff(env, COOK)
    await senior(env, ANN, "Ann")
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    await order_by_chat(ann, how="pickup")
    page = await open_screen(browser, env, "kitchen", signed(env, COOK, "Cook"))
    body = page.locator("#body")
    await body.get_by_role("button", name="Confirm #").first.click()
    await body.get_by_text(t("en", "web.kitchen.confirmed", n=1), exact=True).wait_for(
        timeout=WAIT_MS
    )

    await env.advance(hours=1, minutes=31)  # past lunch's 09:30 cutoff: the window closes
    ready = t("en", "web.kitchen.ready_button", n=1)
    await body.get_by_role("button", name=ready).click()
    await body.get_by_text(t("en", "web.kitchen.ready", n=1), exact=True).wait_for(timeout=WAIT_MS)
    assert await env.rows("SELECT status FROM orders") == [("ready",)]
    collected = t("en", "web.kitchen.collected_button", id=1)
    await body.get_by_role("button", name=collected).click()
    await body.get_by_text(t("en", "web.kitchen.collected", n=1), exact=True).wait_for(
        timeout=WAIT_MS
    )
    assert await env.rows("SELECT status FROM orders") == [("collected",)]
    assert await serious_violations(page) == []


async def test_the_board_in_chinese_and_the_dark_theme(web_env: Env, browser: Browser) -> None:
    """A cook who reads Chinese gets the board in Chinese, readable in Telegram's dark theme."""
    env = web_env
    await make_staff(env, COOK, lang="zh")
    await senior(env, ANN, "王阿姨")
    ann = env.user(ANN, "王阿姨", "zh-hans")
    await ann.send("/start")
    await order_by_chat(ann, "zh")
    page = await open_screen(browser, env, "kitchen", signed(env, COOK, "厨师", "zh"), DARK)
    await page.locator("#body").get_by_text("王阿姨").first.wait_for(timeout=WAIT_MS)
    assert await page.evaluate("document.documentElement.lang") == "zh-CN"
    assert await page.title() == t("zh", "web.page.kitchen")
    assert await serious_violations(page) == []
    await screenshot(page, "kitchen-zh-dark")


def tampered(init_data: str) -> str:
    """The same initData claiming to be someone else, its hash kept."""
    fields = dict(parse_qsl(init_data))
    user = json.loads(fields["user"])
    fields["user"] = json.dumps({**user, "id": 9000})
    return urlencode(fields)


async def test_missing_forged_or_stale_init_data_gets_401_and_nothing_else(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    await make_staff(env, COOK)
    good = signed(env, COOK, "Cook")
    stale = signed(env, COOK, "Cook", at=env.clock.now() - timedelta(hours=25))
    other_bot = initdata.sign(
        "654321:ANOTHER-BOT", {"id": COOK, "first_name": "Cook"}, env.clock.now()
    )
    refused = {
        "missing": None,
        "empty": "",
        "forged": tampered(good),
        "stale": stale,
        "another bot's": other_bot,
        "garbage": "%%%&&&==",
    }
    async with aiohttp.ClientSession() as http:
        for why, value in refused.items():
            headers = {} if value is None else {"X-Telegram-Init-Data": value}
            async with http.get(f"{web_url(env)}/api/kitchen", headers=headers) as reply:
                assert reply.status == 401, why
                assert await reply.text() == "401: Unauthorized", why
        async with http.get(
            f"{web_url(env)}/api/kitchen", headers={"X-Telegram-Init-Data": good}
        ) as reply:
            assert reply.status == 200
    page = await open_screen(browser, env, "kitchen", tampered(good))
    assert await page.get_attribute("body", "data-state") == "refused"
    assert t("en", "web.page.unauthorised") in await page.locator("#body").inner_text()
    assert await serious_violations(page) == []


async def test_a_senior_is_kindly_refused_the_kitchen_board(web_env: Env, browser: Browser) -> None:
    """Signed in, but not staff: the same rule as the chat's /orders, said in her language."""
    env = web_env
    await senior(env, ANN, "Ann")
    page = await open_screen(browser, env, "kitchen", signed(env, ANN, "Ann"))
    text = await page.locator("#body").inner_text()
    assert t("en", "web.page.not_allowed") in text
    assert "Ann" not in text


async def test_every_screen_and_action_refuses_a_request_without_valid_init_data(
    web_env: Env,
) -> None:
    """The check is in front of every `api/` route, not in each screen."""
    env = web_env
    forged = tampered(signed(env, ADMIN_ID, "Admin"))
    routes = [
        resource.canonical
        for resource in env.app.bot_data["web"].app.router.resources()
        if resource.canonical.startswith("/api/")
    ]
    assert len(routes) >= 15
    async with aiohttp.ClientSession() as http:
        for route in routes:
            for headers in ({}, {"X-Telegram-Init-Data": forged}):
                async with http.post(f"{web_url(env)}{route}", headers=headers) as reply:
                    assert reply.status in (401, 405), route
                async with http.get(f"{web_url(env)}{route}", headers=headers) as reply:
                    assert reply.status in (401, 405), route
                    if reply.status == 401:
                        assert await reply.text() == "401: Unauthorized"


async def test_a_name_that_looks_like_html_is_shown_as_text(web_env: Env, browser: Browser) -> None:
    env = web_env
    await make_staff(env, COOK)
    name = "<img src=x onerror=alert(1)>Ann"
    await senior(env, ANN, name)
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    await order_by_chat(ann)
    page = await open_screen(browser, env, "kitchen", signed(env, COOK, "Cook"))
    await page.locator("#body").get_by_text(name).first.wait_for(timeout=WAIT_MS)
    assert await page.locator("#body img").count() == 0
