"""Open incidents in the office, in Chromium: oldest first with their age and who holds
each, and taken, noted and closed through the chat's own incident services, so the chat's
/incidents and the family hear of it as if it were done in the chat."""

from __future__ import annotations

from playwright.async_api import Browser, Locator

from bot.core import callbacks
from bot.core.i18n import t
from bot.services.incidents import raising
from data import accounts, invariants
from tests.harness import ADMIN_ID, Env
from tests.test_door_outcomes_e2e import card_of, routed
from tests.test_volunteer_e2e import texts
from tests.test_web_office_e2e import roster
from tests.web_kit import (
    DARK,
    open_screen,
    screenshot,
    serious_violations,
    signed,
)

WAIT_MS = 10_000


async def two_incidents(env: Env) -> tuple[object, object, object, int, int]:
    """Wang's door not answered (her daughter told) and, ten minutes later, Li quiet for
    days: Mei the staff, Ann the volunteer, the daughter; the two incidents' ids."""
    mei, ann, daughter, _, _ = await routed(env)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.advance(minutes=10)
    [(li,)] = await env.rows("SELECT id FROM residents WHERE name = 'Li'")
    today = env.clock.now().astimezone(env.deps.clock.tz).date()
    async with env.deps.db.transaction() as tx:
        await raising.raise_alert(tx, env.deps, raising.about_day(1, li, today, "quiet"), [])
    env.deps.outbox_queued()
    await env.drained()
    [(wang_incident,), (li_incident,)] = await env.rows("SELECT id FROM incidents ORDER BY id")
    return mei, ann, daughter, wang_incident, li_incident


async def said(body: Locator, text: str) -> None:
    await body.get_by_text(text, exact=False).first.wait_for(timeout=WAIT_MS)


async def test_the_office_lists_open_incidents_and_takes_notes_and_closes_them(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    mei, _, daughter, wang_incident, li_incident = await two_incidents(env)

    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    await body.get_by_role("link", name=t("en", "web.office.incidents", n=2)).click()
    listed = body.locator("ul.incidents li")
    await listed.first.wait_for(timeout=WAIT_MS)
    rows = await listed.all_inner_texts()
    assert len(rows) == 2
    assert f"#{wang_incident}" in rows[0]  # oldest first
    assert "10 min" in rows[0]
    assert "nobody answered the door" in rows[0]
    assert "Wang" in rows[0]
    assert t("en", "incident.list.untaken") in rows[0]
    assert f"#{li_incident}" in rows[1]
    assert "0 min" in rows[1]
    assert "quiet for days" in rows[1]
    assert await serious_violations(page) == []
    await screenshot(page, "office-incidents-en")

    open_wang = t("en", "web.office.incident_open", id=wang_incident, name="Wang")
    await body.get_by_role("link", name=open_wang).click()
    take = body.get_by_role("button", name=t("en", "incident.button.take"))
    await take.wait_for(timeout=WAIT_MS)
    card = await body.locator("section.card").inner_text()
    assert f"Incident #{wang_incident}: nobody answered the door" in card
    assert "Daughter" in card  # who was told
    assert await serious_violations(page) == []
    await screenshot(page, "office-incident-en")

    await take.click()
    await said(body, t("en", "incident.taken_done", id=wang_incident))
    assert await env.rows("SELECT taken_by FROM incidents WHERE id = ?", (wang_incident,)) == [
        (ADMIN_ID,)
    ]
    assert await take.count() == 0
    await env.drained()
    assert any(f"Admin is handling #{wang_incident}" in text for text in texts(mei))
    await mei.send("/incidents")  # the chat's own list shows who has it
    chat_list = mei.last.text
    assert f"#{wang_incident} · 10 min · nobody answered the door · Wang · 🙋 Admin" in chat_list
    assert f"#{li_incident}" in chat_list
    assert t("en", "incident.list.untaken") in chat_list

    note_field = body.get_by_label(t("en", "web.office.incident_note", id=wang_incident))
    await note_field.fill("Called her <b>neighbour</b>, she was at the clinic")
    await body.get_by_role("button", name=t("en", "incident.button.note")).click()
    await said(body, t("en", "incident.note.saved", id=wang_incident))
    assert (
        "Called her <b>neighbour</b>, she was at the clinic"
        in await body.locator("section.card").inner_text()
    )  # shown as text, never as markup
    notes = await env.rows("SELECT account_id, detail FROM incident_events WHERE what = 'note'")
    assert notes == [(ADMIN_ID, "Called her <b>neighbour</b>, she was at the clinic")]

    await body.get_by_label(t("en", "incident.outcome.reached")).check()
    await body.get_by_role("button", name=t("en", "incident.button.close")).click()
    closed = t("en", "web.office.incident_closed", id=wang_incident, outcome="📞 Reached her")
    await said(body, closed)
    assert await env.rows(
        "SELECT closed_by, outcome FROM incidents WHERE id = ?", (wang_incident,)
    ) == [(ADMIN_ID, "reached")]
    assert await listed.count() == 1  # only Li's is still open
    assert f"#{li_incident}" in await listed.first.inner_text()
    await env.drained()
    told = [text for text in texts(daughter) if "The canteen saw to it" in text]
    assert len(told) == 1
    assert "Reached her" in told[0]
    assert "Admin" in told[0]
    assert await invariants.check(env.deps.db.conn) == []


async def test_an_incident_taken_in_the_chat_meanwhile_is_refused_kindly_on_the_web(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    mei, _, _, _, li_incident = await two_incidents(env)
    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    await body.get_by_role("link", name=t("en", "web.office.incidents", n=2)).click()
    open_li = t("en", "web.office.incident_open", id=li_incident, name="Li")
    await body.get_by_role("link", name=open_li).click()
    take = body.get_by_role("button", name=t("en", "incident.button.take"))
    await take.wait_for(timeout=WAIT_MS)

    await mei.press(callbacks.INCIDENT_TAKE.pack(li_incident))  # Mei, in the chat, first
    await take.click()
    await said(body, t("en", "incident.taken_already", name="Mei"))
    assert await env.rows("SELECT taken_by FROM incidents WHERE id = ?", (li_incident,)) == [
        (2001,)
    ]
    # A closing outcome that is not one of the chat's buttons is refused, nothing changed.
    await page.evaluate("document.querySelector('input[name=outcome]').value = 'forged'")
    await body.locator("input[name=outcome]").first.check()
    await body.get_by_role("button", name=t("en", "incident.button.close")).click()
    await said(body, t("en", "core.error.stale_button"))
    assert await env.rows("SELECT closed_at FROM incidents WHERE id = ?", (li_incident,)) == [
        (None,)
    ]


async def test_the_office_incidents_in_chinese_on_the_dark_theme(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    await two_incidents(env)
    async with env.deps.db.transaction() as tx:  # the admin reads Chinese
        await accounts.set_language(tx, ADMIN_ID, "zh")
    init = signed(env, ADMIN_ID, "管理员", "zh")
    page = await open_screen(browser, env, "office", init, DARK)
    body = page.locator("#body")
    await body.get_by_role("link", name=t("zh", "web.office.incidents", n=2)).click()
    await body.locator("ul.incidents li").first.wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await screenshot(page, "office-incidents-zh-dark")


async def test_many_open_incidents_come_a_page_at_a_time(web_env: Env, browser: Browser) -> None:
    env = web_env
    await roster(env, 30)
    today = env.clock.now().astimezone(env.deps.clock.tz).date()
    seniors = await env.rows("SELECT id FROM residents ORDER BY id")
    async with env.deps.db.transaction() as tx:
        nobody: list[int] = []
        raised = [(raising.about_day(1, rid, today, "quiet"), nobody) for (rid,) in seniors]
        await raising.raise_many(tx, env.deps, raised, "quiet")
    page = await open_screen(browser, env, "office", signed(env, ADMIN_ID, "Admin"))
    body = page.locator("#body")
    await body.get_by_role("link", name=t("en", "web.office.incidents", n=30)).click()
    first = t("en", "web.office.incidents_found", count=30, page=1, pages=2)
    await said(body, first)
    assert await body.locator("ul.incidents li").count() == 25
    await body.get_by_role("link", name=t("en", "web.office.next")).click()
    await said(body, t("en", "web.office.incidents_found", count=30, page=2, pages=2))
    rows = await body.locator("ul.incidents li").all_inner_texts()
    assert len(rows) == 5
    assert "Senior 29" in rows[-1]  # the newest last
