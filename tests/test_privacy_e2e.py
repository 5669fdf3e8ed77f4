"""Privacy: everything held about a resident exported as a document, and erasure on request."""

from __future__ import annotations

import json

from bot.sandbox import SandboxUser
from bot.services.ordering import placing
from bot.services.reports import figures
from data import windows
from tests.harness import ADMIN_ID, Env
from tests.test_kitchen_e2e import add_resident, lunch, order
from tests.test_reports_e2e import arrived


async def admin_on_card(env: Env, query: str) -> SandboxUser:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await admin.send(f"/audit {query}")
    return admin


async def test_the_admin_exports_everything_held_about_a_resident(env: Env) -> None:
    wang = await add_resident(env, 3001, "Wang")
    placed = await order(env, 3001, wang, "A", 1, "pickup")
    admin = await admin_on_card(env, "Wang")
    assert "Wang (resident #1, approved)" in admin.last.text
    await admin.click("📤 Export data")
    assert admin.callback_answers[-1].text == "The export is on its way as a document."
    (export,) = await arrived(env, admin, 1)
    assert export.document is not None
    assert export.document.filename == f"resident-{wang}.json"
    held = json.loads(export.document.content)
    assert held["resident"][0]["name"] == "Wang"
    assert [o["id"] for o in held["orders"]] == [placed]
    assert held["links"][0]["account_id"] == 3001
    assert any(entry["action"] == "order.place.chat" for entry in held["history"])


async def test_an_erased_resident_keeps_only_anonymous_orders_and_report_totals(env: Env) -> None:
    wang = await add_resident(env, 3001, "Wang")
    window = await lunch(env)
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    served = placing.Draft(wang, window.id, menu["A"].id, 2, "pickup", walk_in=True)
    await placing.place(env.deps, ADMIN_ID, served, "en")  # handed over at the counter
    before = await figures.monthly(env.deps, 1, 2026, 3, "en")
    assert before.meals == 2
    admin = await admin_on_card(env, "Wang")
    await admin.click("🗑 Erase")
    assert "Erase Wang?" in admin.last.text
    await admin.click("🗑 Yes, erase")
    assert admin.last.text == "Wang has been erased. Past orders are kept without a name."

    stored = await env.rows("SELECT name, phone, building, room, diet, status FROM residents")
    assert stored == [("", "", "", "", "", "erased")]
    assert await env.rows("SELECT COUNT(*) FROM links") == [(0,)]
    assert await env.rows("SELECT COUNT(*) FROM orders WHERE resident_id = ?", (wang,)) == [(1,)]
    after = await figures.monthly(env.deps, 1, 2026, 3, "en")
    assert (after.meals, after.subsidy_fen, after.pay_fen) == (
        before.meals,
        before.subsidy_fen,
        before.pay_fen,
    )
    assert after.residents[0].name == f"Erased resident #{wang}"
    await admin.send(f"/audit {wang}")
    assert admin.last.text == f"No resident matches “{wang}”."


async def test_the_admin_pages_through_a_residents_history(env: Env) -> None:
    wang = await add_resident(env, 3001, "Wang")
    async with env.deps.db.transaction() as tx:
        for n in range(12):
            await tx.execute(
                "INSERT INTO audit_log (at, account_id, action, subject) VALUES (?, ?, ?, ?)",
                (f"2026-03-02T00:{n:02d}:00+00:00", ADMIN_ID, f"test.step{n}", f"resident:{wang}"),
            )
    admin = await admin_on_card(env, "Wang")
    await admin.click("📜 History")
    assert "History of Wang\nPage 1 of 2" in admin.last.text
    assert "test.step11" in admin.last.text
    assert "test.step1 " not in admin.last.text
    assert "by Admin" in admin.last.text
    await admin.click("2 ▶")
    assert "Page 2 of 2" in admin.last.text
    assert "test.step0" in admin.last.text
    await admin.click("◀ 1")
    assert "Page 1 of 2" in admin.last.text


async def test_a_resident_cannot_erase_or_export_with_forged_buttons(env: Env) -> None:
    wang = await add_resident(env, 3001, "Wang")
    user = env.user(3001, "Wang", "en")
    for data in (f"adm1:erc:{wang}", f"adm1:exp:{wang}", f"adm1:aud:{wang}:0", f"adm1:fam:{wang}"):
        await user.press(data)
        assert user.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT status FROM residents") == [("approved",)]
    assert await env.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'document'") == [(0,)]
