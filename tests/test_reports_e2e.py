"""Reports for funders: the monthly workbook, CSV and chart match the orders in the store."""

from __future__ import annotations

import asyncio
import csv
import io
import struct

from openpyxl import load_workbook

from bot.sandbox import BotMessage, SandboxUser
from tests.harness import ADMIN_ID, Env
from tests.test_kitchen_e2e import add_resident, order


async def arrived(
    env: Env, user: SandboxUser, count: int, seconds: float = 15.0
) -> list[BotMessage]:
    """The user's last `count` messages, once that many files and texts came from the outbox."""
    for _ in range(int(seconds / 0.05)):
        files = [m for m in user.messages if m.kind in ("document", "photo")]
        if len(files) >= count:
            return files
        await asyncio.sleep(0.05)
        await env.settle()
    raise AssertionError(f"only {[str(m) for m in user.messages]}")


async def a_month_of_orders(env: Env) -> None:
    """Three seniors in three tiers have lunch served; one dinner is declined (never a meal),
    and nobody opens the door for another (not served: listed apart, claims nothing)."""
    wang = await add_resident(env, 3001, "Wang")
    li = await add_resident(env, 3002, "Li")
    zhao = await add_resident(env, 3003, "Zhao")
    async with env.deps.db.transaction() as tx:
        await tx.execute("UPDATE residents SET age_band = 80 WHERE id = ?", (wang,))
        await tx.execute("UPDATE residents SET tier_code = 'hardship' WHERE id = ?", (li,))
    fates = {
        await order(env, 3001, wang, "A", 2, "delivery"): "delivered",
        await order(env, 3002, li, "C", 1, "pickup"): "collected",
        await order(env, 3003, zhao, "P", 1, "dine_in"): "collected",
        await order(env, 3001, wang, "C", 1, "pickup", window=await dinner(env)): "declined",
        await order(env, 3002, li, "A", 1, "delivery", window=await dinner(env)): "no_answer",
    }
    async with env.deps.db.transaction() as tx:
        for order_id, status in fates.items():
            await tx.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))


async def dinner(env: Env):  # type: ignore[no-untyped-def]
    from data import windows

    found = await windows.find(env.deps.db.conn, 1, env.clock.now().date(), "dinner")
    assert found is not None
    return found


def summary_of(content: bytes) -> dict[str, object]:
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Summary", "Residents", "Subsidy tiers", "Days", "Not served"]
    return {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}


async def test_the_monthly_report_on_demand_matches_the_orders_in_the_store(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await a_month_of_orders(env)
    await admin.send("/report")
    await admin.click("📊 Sunrise Community Canteen · 2026-03")
    workbook, table, missed, chart, _care = await arrived(env, admin, 5)

    ((meals, price, subsidy, paid),) = await env.rows(
        "SELECT SUM((SELECT SUM(portions) FROM order_items WHERE order_id = o.id)),"
        " SUM(price_fen), SUM(subsidy_fen), SUM(pay_fen) FROM orders o"
        " WHERE status IN ('delivered', 'collected')"
    )
    assert (meals, price, subsidy, paid) == (4, 5200, 2400, 2800)
    assert workbook.document is not None
    assert workbook.document.filename == "doorstep-2026-03-canteen1.xlsx"
    summary = summary_of(workbook.document.content)
    assert summary["Meals served"] == meals
    assert summary["Meals not served"] == 1
    assert summary["Price (yuan)"] == price / 100
    assert summary["Subsidy (yuan)"] == subsidy / 100
    assert summary["Paid by residents (yuan)"] == paid / 100
    book = load_workbook(io.BytesIO(workbook.document.content))
    tiers = list(book["Subsidy tiers"].iter_rows(values_only=True))[1:]
    assert tiers == [
        (None, "No subsidy tier", 1, 0),
        ("age80", "Aged 80 and over", 2, 12),
        ("hardship", "Hardship (pays nothing)", 1, 12),
    ]
    days = {row[0]: row[1:] for row in book["Days"].iter_rows(values_only=True)}
    assert days["2026-03-02"] == (2, 1, 1, 1)
    assert list(book["Not served"].iter_rows(values_only=True))[1][4:] == (
        "Li",
        "Delivery",
        1,
        "nobody answered the door",
    )
    assert len(days) == 32  # a header and 31 days of March

    assert table.document is not None
    rows = list(csv.reader(io.StringIO(table.document.text)))
    assert rows[0] == [
        "Id",
        "Name",
        "Meals served",
        "Price (yuan)",
        "Subsidy (yuan)",
        "Paid by residents (yuan)",
    ]
    assert rows[-1][1:3] == ["Total", "4"]
    assert missed.document is not None
    assert missed.document.filename == "doorstep-2026-03-canteen1-not-served.csv"
    assert list(csv.reader(io.StringIO(missed.document.text)))[1][4] == "Li"
    assert chart.photo is not None
    assert chart.photo.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", chart.photo.content[16:24]) == (1000, 500)
    text = next(m for m in admin.messages if "Monthly report" in m.text)
    assert "Subsidy to claim: ¥24.00" in text.text
    assert "Paid by residents: ¥28.00" in text.text


async def test_the_daily_summary_comes_after_the_last_window_and_the_monthly_on_the_first(
    env: Env,
) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await a_month_of_orders(env)
    await env.advance(hours=12)  # 20:00
    daily = next(m for m in reversed(admin.messages) if "Today at" in m.text)
    assert "Today at Sunrise Community Canteen (2026-03-02)" in daily.text
    assert "Lunch: 4 meals served (2 delivered to the door, 1 pickup, 1 dine-in)" in daily.text
    assert "Dinner: 0 meals served" in daily.text
    assert "Subsidy to claim: ¥24.00 · paid by residents: ¥28.00" in daily.text
    assert "Meals not served: 1, no subsidy claimed:" in daily.text

    await env.advance(days=29, hours=10)  # 1 April, 06:00
    files = await arrived(env, admin, 5)
    assert [f.document.filename for f in files if f.document] == [
        "doorstep-2026-03-canteen1.xlsx",
        "doorstep-2026-03-canteen1.csv",
        "doorstep-2026-03-canteen1-not-served.csv",
        "doorstep-2026-03-canteen1-care.xlsx",
    ]
    assert files[0].document is not None
    assert summary_of(files[0].document.content)["Meals served"] == 4
