"""The office in Chromium: the seniors table (search, sort, edit), approvals, the team,
open alerts and this month's figures, each through the chat's own services."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page

from bot.core.i18n import t
from data import alerts
from data.db import insert
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import register_by_chat, senior
from tests.web_kit import (
    DARK,
    make_staff,
    open_screen,
    order_by_chat,
    screenshot,
    serious_violations,
    signed,
)

COOK, ANN, NEWCOMER = 8001, 8101, 8201
WAIT_MS = 10_000


async def roster(env: Env, count: int) -> None:
    """`count` approved seniors without Telegram, as a roster import leaves them."""
    now = env.clock.now().isoformat()
    async with env.deps.db.transaction() as tx:
        for n in range(count):
            await insert(
                tx,
                "INSERT INTO residents (canteen_id, name, phone, building, unit, room,"
                " lives_alone, diet, allergies, status, created_at) VALUES (1, ?, ?, ?, '1',"
                " ?, 0, '', '', 'approved', ?)",
                (f"Senior {n:02d}", f"+861380000{n:04d}", str(30 - n), f"{100 + n}", now),
            )


async def shown(page: Page) -> str:
    await page.wait_for_selector("body[data-state]", state="attached")
    return await page.locator("#body").inner_text()


async def test_the_seniors_table_searches_sorts_and_edits(web_env: Env, browser: Browser) -> None:
    env = web_env
    await roster(env, 30)
    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    found = t("en", "web.office.found", total=30, page=1, pages=2)
    await body.get_by_text(found).wait_for(timeout=WAIT_MS)
    assert await body.locator("table.seniors tbody tr").count() == 25
    assert await serious_violations(page) == []
    await screenshot(page, "office-en")

    await body.get_by_role("link", name=t("en", "web.office.next")).click()
    found = t("en", "web.office.found", total=30, page=2, pages=2)
    await body.get_by_text(found).wait_for(timeout=WAIT_MS)
    assert await body.locator("table.seniors tbody tr").count() == 5

    sort = t("en", "web.office.sort_by", column=t("en", "web.office.address"))
    await body.get_by_role("link", name=sort).click()
    await page.wait_for_url("**sort=building**")
    await body.locator("table.seniors").wait_for(timeout=WAIT_MS)
    first = await body.locator("table.seniors tbody tr").first.inner_text()
    assert "Senior 29" in first  # building "1" sorts first

    await body.get_by_label(t("en", "web.office.search")).fill("Senior 07")
    await body.get_by_role("button", name=t("en", "web.office.search_button")).click()
    found = t("en", "web.office.found", total=1, page=1, pages=1)
    await body.get_by_text(found).wait_for(timeout=WAIT_MS)

    await body.get_by_role("link", name=t("en", "web.office.edit", name="Senior 07")).click()
    await body.get_by_label(t("en", "web.office.room")).wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await body.get_by_label(t("en", "web.office.room")).fill("808")
    await body.locator("input[name=diet][value=soft]").check()
    await body.get_by_label(t("en", "web.office.may_deliver")).check()
    await body.get_by_role("button", name=t("en", "web.office.save", name="Senior 07")).click()
    await body.get_by_text(t("en", "web.office.saved", name="Senior 07")).wait_for(timeout=WAIT_MS)
    stored = await env.rows(
        "SELECT room, diet, delivery_eligible FROM residents WHERE name = 'Senior 07'"
    )
    assert stored == [("808", "soft", 1)]
    audited = await env.rows("SELECT action FROM audit_log WHERE action LIKE 'resident.edit.%'")
    assert sorted(a for (a,) in audited) == [
        "resident.edit.delivery",
        "resident.edit.diet",
        "resident.edit.room",
    ]

    too_long = "x" * 300
    await body.get_by_label(t("en", "web.office.door_notes")).fill(too_long)
    await body.get_by_role("button", name=t("en", "web.office.save", name="Senior 07")).click()
    refusal = t("en", "core.error.too_long", limit=200)
    await body.get_by_text(refusal.split("{")[0][:20]).first.wait_for(timeout=WAIT_MS)
    # Refused, said above the form, which keeps what was typed; nothing was stored.
    assert await body.get_by_label(t("en", "web.office.door_notes")).input_value() == too_long
    assert await env.rows("SELECT door_notes FROM residents WHERE name = 'Senior 07'") == [("",)]


async def test_approvals_team_alerts_and_the_month(web_env: Env, browser: Browser) -> None:
    env = web_env
    newcomer = env.user(NEWCOMER, "Nina", "en")
    await register_by_chat(env, newcomer, "Nina Li")
    await make_staff(env, COOK)
    cook = env.user(COOK, "Cook", "en")
    await cook.send("/start")
    await senior(env, ANN, "Ann")
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    await order_by_chat(ann)
    [(order_id,)] = await env.rows("SELECT id FROM orders")
    async with env.deps.db.transaction() as tx:
        await alerts.open_alert(tx, 1, "no_answer", order_id, env.clock.now())

    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    await body.get_by_role("link", name=t("en", "web.office.approvals", n=1)).click()
    approve = t("en", "web.office.approve", name="Nina Li")
    await body.get_by_role("button", name=approve).click()
    await body.get_by_text(t("en", "web.office.approved", name="Nina Li")).wait_for(timeout=WAIT_MS)
    assert await env.rows("SELECT status FROM residents WHERE name = 'Nina Li'") == [("approved",)]
    await env.settle()
    assert any("approved" in m.text for m in newcomer.messages)

    await body.get_by_role("link", name=t("en", "web.office.team")).click()
    staff_role = t("en", "staff.role.staff")
    remove = t("en", "web.office.remove", name="Cook", role=staff_role)
    await body.get_by_role("button", name=remove).wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await screenshot(page, "office-team-en")
    await body.get_by_role("button", name=remove).click()
    await body.get_by_text(t("en", "web.office.removed", name="Cook", role=staff_role)).wait_for(
        timeout=WAIT_MS
    )
    assert await env.rows("SELECT status FROM roles WHERE account_id = ?", (COOK,)) == [
        ("revoked",)
    ]
    volunteer = t("en", "staff.role.volunteer")
    await body.get_by_role("button", name=t("en", "web.office.invite", role=volunteer)).click()
    await body.get_by_text("start=join_").wait_for(timeout=WAIT_MS)

    await body.get_by_role("link", name=t("en", "web.office.alerts", n=1)).click()
    handled = t("en", "web.office.handled", order=order_id)
    await body.get_by_role("button", name=handled).click()
    await body.get_by_text(t("en", "web.office.alert_handled", order=order_id)).wait_for(
        timeout=WAIT_MS
    )
    assert await env.rows("SELECT handled_by FROM alerts") == [(ADMIN_ID,)]

    await body.get_by_role("link", name=t("en", "web.office.month")).click()
    await body.locator("img.chart").wait_for(timeout=WAIT_MS)
    assert await page.evaluate("document.querySelector('img.chart').naturalWidth") > 100
    assert await serious_violations(page) == []
    await screenshot(page, "office-month-en")


async def test_the_office_in_chinese_and_closed_to_staff(web_env: Env, browser: Browser) -> None:
    env = web_env
    await roster(env, 3)
    await make_staff(env, COOK)
    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "管理员", "zh"), DARK)
    await page.locator("table.seniors").wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await screenshot(page, "office-zh-dark")
    page = await open_screen(browser, env, "office", signed(env, COOK, "Cook"))
    assert t("en", "admin.access.only_admins") in await shown(page)


async def test_a_roster_uploaded_in_the_office_gets_the_chats_dry_run_then_imports(
    web_env: Env, browser: Browser, tmp_path: Path
) -> None:
    env = web_env
    upload = tmp_path / "roster.csv"
    upload.write_bytes(
        b"name,phone,building\nWang Fang,13900000001,5\nLi Ming,13900000002,7\nNo Phone,,9\n"
    )
    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    await body.get_by_text(t("en", "web.office.roster")).click()
    await body.get_by_label(t("en", "web.office.roster_file")).set_input_files(str(upload))
    await body.get_by_role("button", name=t("en", "web.office.roster_check")).click()
    button = t("en", "admin.roster.import_button", count=2)
    await body.get_by_role("button", name=button).wait_for(timeout=WAIT_MS)
    text = await body.inner_text()
    assert "roster.csv" in text
    assert await env.rows("SELECT name FROM residents") == []  # a dry run: nothing yet
    assert await serious_violations(page) == []
    await body.get_by_role("button", name=button).click()
    imported = t("en", "admin.roster.imported", count=2)
    await body.get_by_text(imported[:20]).wait_for(timeout=WAIT_MS)
    assert await env.rows("SELECT name FROM residents ORDER BY id") == [
        ("Wang Fang",),
        ("Li Ming",),
    ]
