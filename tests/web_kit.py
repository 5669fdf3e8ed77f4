"""The Mini App in a real browser: Debian's Chromium steered by Playwright, pages opened as
Telegram opens them (signed initData and theme in the address's fragment), axe-core run
in the same page. `make test` installs Chromium (scripts/install_chromium.sh); a missing
browser fails these tests, it never skips them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright

from bot.canteen_file import CanteenFile, load_canteen_file
from bot.core.clock import ManualClock
from bot.core.i18n import t
from bot.demo.stage import label
from bot.sandbox import Sandbox
from data import accounts
from handlers.web import initdata
from handlers.web.server import WebServer
from tests.harness import TOKEN, Env, bot_running, make_config

CHROMIUM = Path("/usr/bin/chromium")
PUBLIC_URL = "https://doorstep.example.org/app"  # the operator's proxy, as the buttons name it
CHROMIUM_FOUND = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screens"
LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#3a3a3a",
    "secondary_bg_color": "#f0f0f0",
}
DARK = {  # Telegram's own dark theme (Android), hint colour and all
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "secondary_bg_color": "#232e3c",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
}


@asynccontextmanager
async def web_bot(
    sandbox: Sandbox,
    clock: ManualClock,
    store: str,
    canteens: CanteenFile | None = None,
) -> AsyncIterator[Env]:
    """The bot with its web server on a free port, on a new store (the `store` fixture)."""
    config = make_config(
        sandbox, store, canteens, DOORSTEP_WEB_PORT="0", DOORSTEP_WEB_URL=PUBLIC_URL
    )
    async with bot_running(sandbox, config, clock) as env:
        yield env


def web_url(env: Env) -> str:
    server = env.app.bot_data["web"]
    assert isinstance(server, WebServer)
    return server.url


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    assert CHROMIUM_FOUND, "Chromium is missing: run scripts/install_chromium.sh (make test does)"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


def signed(env: Env, account_id: int, name: str, lang: str = "en", **when: Any) -> str:
    user = {"id": account_id, "first_name": name, "language_code": lang}
    return initdata.sign(TOKEN, user, when.get("at", env.clock.now()))


def address(env: Env, screen: str, init_data: str, theme: dict[str, str] = LIGHT) -> str:
    """The page as Telegram opens it: initData and the theme in the fragment."""
    fragment = (
        f"tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=web"
        f"&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}"
    )
    return f"{web_url(env)}/{screen}#{fragment}"


async def open_screen(
    browser: Browser, env: Env, screen: str, init_data: str, theme: dict[str, str] = LIGHT
) -> Page:
    page = await browser.new_page(viewport={"width": 900, "height": 1000})
    await page.goto(address(env, screen, init_data, theme))
    await page.wait_for_selector("body[data-state]", state="attached")
    return page


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×: {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def make_staff(env: Env, account_id: int, canteen_id: int = 1, lang: str = "en") -> None:
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        await accounts.set_language(tx, account_id, lang)
        await accounts.grant_role(tx, account_id, canteen_id, "staff", None, now)


def asked(text: str, key: str, lang: str = "en") -> bool:
    return text.startswith(label(lang, key))


async def order_by_chat(user: Any, lang: str = "en", how: str = "delivery") -> None:
    """The senior orders the first meal offered, its first dish, one portion, to her door,
    answering by the buttons each question offers."""
    await user.click(t(lang, "core.button.order"))
    skip = (
        label(lang, "resident.again.button"),
        t(lang, "core.button.back"),
        t(lang, "core.button.cancel"),
    )
    place, door = t(lang, "resident.order.place_button"), t(lang, f"resident.fulfilment.{how}")
    for _ in range(10):
        if asked(user.last.text, "resident.order.placed", lang):
            return
        offered = [b for row in user.keyboard or [] for b in row if not b.startswith(skip)]
        assert offered, f"no button to answer {user.last.text!r}"
        for wanted in (place, door, "1"):
            if wanted in offered:
                await user.click(wanted)
                break
        else:
            await user.click(offered[0])
    raise AssertionError(f"no order placed: {user.last.text!r}")


def week_ahead() -> CanteenFile:
    """The example canteen with lunch open for orders three days ahead (the planner's week)."""
    example = load_canteen_file(None)
    sunrise = example.canteens[0]
    rules = [
        rule.model_copy(update={"opens_days_before": 3}) if rule.meal == "lunch" else rule
        for rule in sunrise.windows
    ]
    ahead = sunrise.model_copy(update={"windows": rules, "days_ahead": 3})
    return example.model_copy(update={"canteens": [ahead, *example.canteens[1:]]})


# The fixtures every screen's tests share (registered for the suite in tests/conftest.py).
@pytest.fixture
async def web_env(sandbox: Sandbox, clock: ManualClock, store: str) -> AsyncIterator[Env]:
    """The bot with its web server, on a new store."""
    async with web_bot(sandbox, clock, store) as env:
        yield env


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, one per test."""
    async with chromium() as launched:
        yield launched
