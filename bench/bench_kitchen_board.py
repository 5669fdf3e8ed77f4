"""The kitchen board with 500 orders, in Debian's Chromium: how long until the board is on
screen, and how long a change (an order confirmed by the chat's receipt service) takes
to show on the open board without a reload (the board asks the server every second).

One store is seeded through the data layer (bench/_common.py: 500 seniors with an order
each at today's lunch, varied dishes, diets and fulfilment); the bot's own web server
serves it on a free port, and the page is opened as Telegram opens it, with signed
initData in the address's fragment.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from playwright.async_api import async_playwright
from telegram import Bot

from bench._common import (
    STAFF_ACCOUNT,
    Target,
    header,
    lunch_today,
    seed_orders,
    seeded_store,
    table,
    verdicts,
)
from bot.app import WEB_ROUTES
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.services.kitchen import receipt
from data import accounts, kitchen
from handlers.web import initdata
from handlers.web.server import WebServer, build
from tests.harness import MONDAY_8AM
from tests.web_kit import CHROMIUM, CHROMIUM_ARGS

ORDERS = 500
CHANGES = 5
TOKEN = "123456:BENCH-TOKEN"
FIRST_PAINT_SECONDS = 3.0  # the board with 500 orders on screen after the page is opened
CHANGE_SECONDS = 2.0  # the figure: a change on the open board within 2 s


Measured = tuple[float, float, list[float], int]  # shown, first paint, changes, rows


async def measure() -> Measured:
    clock = ManualClock(MONDAY_8AM)
    with tempfile.TemporaryDirectory() as folder:
        async with seeded_store(Path(folder), clock) as deps:
            window = await lunch_today(deps)
            await seed_orders(deps, window, ORDERS)
            now = clock.now()
            async with deps.db.transaction() as tx:
                await accounts.grant_role(tx, STAFF_ACCOUNT, window.canteen_id, "staff", None, now)
                for order_id in range(1, CHANGES + 1):
                    await kitchen.move(tx, order_id, ("confirmed",), "placed", now)
            server = WebServer(build(deps, Bot(TOKEN), WEB_ROUTES), "127.0.0.1", 0)
            await server.start()
            try:
                return await in_browser(deps, server.url, clock)
            finally:
                await server.stop()


async def in_browser(deps: Deps, url: str, clock: ManualClock) -> Measured:
    signed = initdata.sign(TOKEN, {"id": STAFF_ACCOUNT, "first_name": "Cook"}, clock.now())
    address = f"{url}/kitchen#tgWebAppData={quote(signed, safe='')}&tgWebAppVersion=8.0"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        await page.goto(address)
        await page.wait_for_selector("body[data-state=shown]")
        shown = time.perf_counter() - start
        paint = await page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
        )
        rows = await page.locator("li.order").count()
        changes = []
        for order_id in range(1, CHANGES + 1):
            start = time.perf_counter()
            await receipt.confirm(deps, STAFF_ACCOUNT, order_id)
            await page.wait_for_selector(f"section.confirmed #order-{order_id}", timeout=10_000)
            changes.append(time.perf_counter() - start)
            await asyncio.sleep(0.3)  # confirms land at different points of the poll
        await browser.close()
    return shown, paint / 1000, changes, rows


def main() -> int:
    header(f"kitchen board: {ORDERS} orders at one lunch, in Chromium ({CHROMIUM})")
    shown, paint, changes, rows = asyncio.run(measure())
    table(
        ("what", "seconds"),
        [
            ("first contentful paint (the page's frame)", f"{paint:.3f}"),
            (f"board on screen ({rows} order rows), from navigation", f"{shown:.3f}"),
            ("change shown on the open board, median", f"{statistics.median(changes):.3f}"),
            ("change shown on the open board, worst", f"{max(changes):.3f}"),
        ],
    )
    return verdicts(
        [
            Target("board with 500 orders on screen", shown, FIRST_PAINT_SECONDS, "s"),
            Target("a change shown (worst of 5)", max(changes), CHANGE_SECONDS, "s"),
        ]
    )
