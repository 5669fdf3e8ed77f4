"""The canteen's morning end to end: menu, orders, receipt, the close, the kitchen sheet."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.sandbox import BotMessage, SandboxUser
from bot.services.ordering import placing
from data import accounts, links, windows
from data.db import insert
from data.models import Fulfilment, Window
from tests.harness import ADMIN_ID, KITCHEN_CHAT, MONDAY_8AM, Env

CUTOFF = MONDAY_8AM.replace(hour=9, minute=30)


async def until(check: Callable[[], Any], env: Env, seconds: float = 5.0) -> None:
    """Wait (briefly, in real time) for the bot's background work to show."""
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
        await env.settle()
    assert check()


async def add_resident(
    env: Env,
    account_id: int,
    name: str,
    *,
    building: str = "3",
    diet: str = "",
    allergies: str = "",
    language: str = "en",
) -> int:
    """An approved resident who uses the bot themselves (the ordering issue registers them)."""
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        await accounts.set_language(tx, account_id, language)
        resident_id = await insert(
            tx,
            "INSERT INTO residents (canteen_id, name, phone, building, unit, room, lives_alone,"
            " diet, allergies, status, created_at) VALUES (1, ?, '13800000000', ?, '1', '101',"
            " 1, ?, ?, 'approved', ?)",
            (name, building, diet, allergies, now.isoformat()),
        )
        await links.create(tx, account_id, resident_id, "self", now)
    await env.user(account_id, name, language).send("/start")  # Telegram knows the chat now
    return resident_id


async def lunch(env: Env, day_offset: int = 0) -> Window:
    day = MONDAY_8AM.date() + timedelta(days=day_offset)
    window = await windows.find(env.deps.db.conn, 1, day, "lunch")
    assert window is not None
    return window


async def order(
    env: Env,
    account_id: int,
    resident_id: int,
    code: str,
    portions: int,
    how: Fulfilment,
    window: Window | None = None,
) -> int:
    window = window or await lunch(env)
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    draft = placing.Draft(resident_id, window.id, menu[code].id, portions, how)
    placed = await placing.place(env.deps, account_id, draft, "en")
    await env.settle()
    return placed.id


async def make_staff(env: Env, user_id: int, name: str) -> SandboxUser:
    """An admin invites a staff member with /invite; they join through the deep link."""
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/invite")
    await admin.click("Staff")
    code = re.search(r"start=join_([A-Z0-9]+)", admin.last.text)
    assert code is not None, admin.last.text
    person = env.user(user_id, name, "en")
    await person.send(f"/start join_{code.group(1)}")
    return person


async def click_starting(user: SandboxUser, prefix: str) -> None:
    for row in user.last.buttons:
        for button in row:
            if button.text.startswith(prefix):
                await user.click(button.text, message=user.last)
                return
    raise AssertionError(f"no button starting {prefix!r}: {user.last.inline_texts}")


def kitchen_messages(env: Env) -> list[BotMessage]:
    return env.sandbox.chat(KITCHEN_CHAT).messages


async def test_a_morning_menu_orders_receipt_close_and_kitchen_sheet(env: Env) -> None:
    """Staff publish a dish, confirm two orders, decline one; the close sends the sheet."""
    mei = await make_staff(env, 2001, "Mei")
    assert any("Welcome to the canteen team" in m.text for m in mei.messages)

    await mei.send("/menu")
    await click_starting(mei, "Mon 2 Mar lunch")
    assert "Menu · Mon 2 Mar lunch" in mei.last.text
    await mei.click("➕ Add dish")
    await mei.send("Tofu stew")
    await mei.send("13.5")
    await mei.click("▫️ vegetarian")
    await mei.click("▫️ soft")
    await mei.click("Next ➡️")
    await mei.send("20")
    assert any(m.text == "Added D. Tofu stew." for m in mei.messages)
    assert "D. Tofu stew · ¥13.50 · soft vegetarian · ordered 0, left 20" in mei.last.text
    await mei.click("🚫 B sold out")
    assert "sold out (ordered 0" in mei.last.text
    dishes = await env.rows(
        "SELECT code, price_fen, tags, capacity, sold_out FROM menu_items m JOIN windows w"
        " ON w.id = m.window_id WHERE w.day = '2026-03-02' AND w.meal = 'lunch'"
        " AND code IN ('B', 'D') ORDER BY code"
    )
    assert dishes == [("B", 1600, "contains_pork", 40, 1), ("D", 1350, "soft,vegetarian", 20, 0)]

    wang = await add_resident(env, 3001, "Wang", building="5", diet="low_salt")
    li = await add_resident(env, 3002, "Li", building="7", language="zh")
    zhao = await add_resident(env, 3003, "Zhao", diet="soft", allergies="peanuts")
    first = await order(env, 3001, wang, "A", 2, "delivery")
    second = await order(env, 3002, li, "A", 1, "pickup")
    third = await order(env, 3003, zhao, "D", 1, "delivery")

    await mei.send("/orders")
    await click_starting(mei, "Mon 2 Mar lunch")
    assert "Orders: 3, waiting: 3." in mei.last.text
    await mei.click(f"✅ #{first}")
    await mei.click(f"✅ #{second}")
    await mei.click(f"❌ #{third}")
    assert mei.last.text == f"Why can order #{third} not be taken?"
    await mei.click("Sold out")
    assert "Orders: 3, waiting: 0." in mei.last.text
    statuses = await env.rows("SELECT id, status, decline_reason FROM orders ORDER BY id")
    assert statuses == [
        (first, "confirmed", None),
        (second, "confirmed", None),
        (third, "declined", "sold_out"),
    ]
    zhao_user = env.user(3003, "Zhao", "en")
    await until(lambda: "could not take your order" in zhao_user.last.text, env)
    assert "the dish is sold out" in zhao_user.last.text
    li_user = env.user(3002, "Li", "zh")
    await until(lambda: "食堂已确认" in li_user.last.text, env)

    await env.advance(minutes=90)  # 09:30: the scheduler closes lunch
    await until(lambda: len(kitchen_messages(env)) == 2, env)
    assert (await lunch(env)).state == "closed"
    sheet, document = kitchen_messages(env)
    assert "厨房单 · 3月2日 周一午餐" in sheet.text
    assert "共 2 单：送餐 1，自取 1，堂食 0" in sheet.text
    assert "套餐A：清蒸鲈鱼、青菜、米饭：3 份" in sheet.text
    assert "  • 低盐：2" in sheet.text
    assert "  • 普通：1" in sheet.text
    assert "Tofu stew" not in sheet.text  # its only order was declined
    assert f"#{first} Wang · 5 1 101 · 2×A · 低盐 · 送餐" in sheet.text
    assert f"#{second} Li · 7 1 101 · 1×A · 普通 · 自取" in sheet.text
    assert document.document is not None
    rows = list(csv.DictReader(io.StringIO(document.document.text)))
    assert [(r["order"], r["dish"], r["portions"], r["fulfilment"], r["diet"]) for r in rows] == [
        (str(first), "A", "2", "delivery", "low_salt"),
        (str(second), "A", "1", "pickup", ""),
    ]

    await mei.send("/orders")
    await click_starting(mei, "Mon 2 Mar lunch")
    await mei.click("🍽 Meals ready")
    assert (await lunch(env)).state == "dispatched"
    await mei.click(f"🤲 #{second} collected")
    statuses = await env.rows("SELECT id, status FROM orders ORDER BY id")
    assert statuses == [(first, "ready"), (second, "collected"), (third, "declined")]


async def test_staff_get_the_sheet_on_demand_with_the_csv(env: Env) -> None:
    """/sheet shows the sheet as it stands, before the close, in the staff's language."""
    mei = await make_staff(env, 2001, "Mei")
    zhao = await add_resident(env, 3003, "Zhao", diet="soft,minced", allergies="peanuts")
    await order(env, 3003, zhao, "P", 2, "delivery")
    await mei.send("/sheet")
    await click_starting(mei, "Mon 2 Mar lunch")
    text, document = mei.messages[-2:]
    assert "Kitchen sheet · Mon 2 Mar lunch" in text.text
    assert "  • minced + soft (allergy: peanuts): 2" in text.text
    assert document.document is not None
    assert document.document.filename == "kitchen-2026-03-02-lunch.csv"
    assert kitchen_messages(env) == []


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return MONDAY_8AM.replace(hour=hour, minute=minute, second=second)
