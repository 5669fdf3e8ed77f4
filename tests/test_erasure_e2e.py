"""Erase means erased: a senior's data planted through every path the bot offers is gone
from the database file and its write-ahead log after the admin erases her, her meals
still to come are cancelled (the kitchen and her volunteer are told, without her name),
and every old button about her is refused kindly."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bot.sandbox import Fault
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from data import invariants, windows
from tests.harness import ADMIN_ID, KITCHEN_CHAT, MONDAY_8AM, ON_POSTGRES, Env
from tests.residents_kit import approve_by_chat, seen
from tests.test_family_e2e import invite_code
from tests.test_kitchen_e2e import make_staff
from tests.test_volunteer_e2e import volunteer

NAME = "王秀英"
PHONE = "13912345678"
HOME = (31.2314, 121.4747)
NOTE = f"{NAME} was coughing, please call {PHONE}"
REFUSED = "This senior's details have been erased, so this can no longer be done."
SET_A = "Set A: steamed sea bass, greens, rice"
PINS = (
    "SELECT COUNT(*) FROM outbox WHERE kind = 'location'"
    " AND json_extract(payload, '$.lat') = ? AND json_extract(payload, '$.lon') = ?"
)


def needles() -> dict[str, bytes]:
    """Her name and phone as any part of the store could hold them."""
    return {
        "name (UTF-8)": NAME.encode(),
        "name (JSON \\u escapes)": json.dumps(NAME).strip('"').encode(),
        "name (GB18030)": NAME.encode("gb18030"),
        "phone": PHONE.encode(),
    }


def unpacked(content: bytes) -> list[bytes]:
    """A file's bytes, and each member's when it is a zip (a workbook)."""
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [archive.read(info) for info in archive.infolist()]
    return [content]


async def haystacks(env: Env) -> dict[str, bytes]:
    """Everything on disk: the database file and its log, byte for byte; and the files
    stored inside it (base64 in outbox payloads, roster uploads), decoded and unzipped. On
    PostgreSQL, whose files are the server's, every row of every table as text."""
    if ON_POSTGRES:
        tables = await env.rows(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name"
        )
        rows = [repr(await env.rows(f"SELECT * FROM {table}")) for (table,) in tables]
        found = {"database rows": "\n".join(rows).encode()}
    else:
        db = Path(env.config.settings.db_path)
        wal = db.with_name(db.name + "-wal")
        found = {"database file": await asyncio.to_thread(db.read_bytes)}
        found["write-ahead log"] = await asyncio.to_thread(wal.read_bytes) if wal.exists() else b""
    for row_id, payload in await env.rows("SELECT id, payload FROM outbox"):
        encoded = json.loads(payload).get("content_b64") or ""
        for n, part in enumerate(unpacked(base64.b64decode(encoded))):
            found[f"outbox {row_id} file part {n}"] = part
    for row_id, content in await env.rows("SELECT id, content FROM roster_imports"):
        for n, part in enumerate(unpacked(bytes(content))):
            found[f"roster file {row_id} part {n}"] = part
    return found


async def until(env: Env, sql: str, also: Callable[[], bool] = lambda: True) -> None:
    """Wait (in real time, without waiting for the bot to be idle) until the query finds
    a row and `also` holds."""
    for _ in range(600):
        if also() and await env.rows(sql):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {sql}")


async def traces(env: Env) -> list[str]:
    return [
        f"{what} in {where}"
        for where, data in (await haystacks(env)).items()
        for what, needle in needles().items()
        if needle in data
    ]


class HoldAdminFiles:
    """Telegram answers 'retry later' to every file sent to the admin."""

    def decide(self, method: str, params: dict[str, Any]) -> Fault | None:
        files = method in ("sendDocument", "sendPhoto")
        if files and str(params.get("chat_id")) == str(ADMIN_ID):
            return Fault("retry_after", retry_after=1)
        return None


async def registers_herself(env: Env) -> Any:
    """She registers by chat (her Telegram name is her name), sharing phone and home."""
    wang = env.sandbox.user(3001, NAME, language_code="en", phone=PHONE)
    await wang.send("/start")
    await wang.click("📝 Register")
    await wang.click("🙋 Myself")
    await wang.send(NAME)
    await wang.click("📱 Share my phone number")
    await wang.click("80 or older")
    await wang.send("Building 5")
    await wang.click("No unit")
    await wang.send("301")
    await wang.share_location(*HOME)
    await wang.click("Yes")
    await wang.click("Low salt")
    await wang.click("✅ Done")
    await wang.click("✅ Send for approval")
    await env.drained()
    await approve_by_chat(env, NAME)
    return wang


async def regular_lunch(env: Env, wang: Any) -> None:
    await wang.click("🔁 Regular meals")
    for tap in ("➕ Set up a regular meal", "Lunch", "every weekday", SET_A, "1"):
        await wang.click(tap)
    await wang.click("🚪 Bring it to my door")
    await wang.click("✅ Save")
    await seen(env, wang, "Saved")


async def orders(user: Any, meal: str) -> None:
    """Order a meal for delivery from the main keyboard (the senior, or her family)."""
    await user.click("🍱 Order a meal")
    await user.click(meal)
    labels = [label for row in user.keyboard or [] for label in row]
    await user.click(next(label for label in labels if label.startswith(SET_A)))
    await user.click("1")
    labels = [label for row in user.keyboard or [] for label in row]
    await user.click(next(label for label in labels if label.startswith("🚪 Bring it to")))
    await user.click("✅ Place order")


def roster_csv() -> bytes:
    """The community's roster naming her, saved by a Chinese spreadsheet app (GB18030)."""
    rows = [
        "姓名,电话,楼栋,房间,独居",
        f"{NAME},{PHONE},Building 5,301,是",
        "李四,13900000004,7,202,否",
    ]
    return ("\n".join(rows) + "\n").encode("gb18030")


def roster_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "电话", "楼栋", "独居"])
    sheet.append([NAME, int(PHONE), "Building 5", "是"])
    sheet.append(["赵六", 13900000006, 9, "否"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def order_id(env: Env, day_offset: int, meal: str, resident_id: int) -> int:
    day = MONDAY_8AM.date() + timedelta(days=day_offset)
    window = await windows.find(env.deps.db.conn, 1, day, meal)
    assert window is not None
    rows = await env.rows(
        "SELECT id FROM orders WHERE window_id = ? AND resident_id = ?", (window.id, resident_id)
    )
    return int(rows[0][0])


@pytest.mark.sqlite_only
async def test_an_erased_senior_is_gone_from_the_database_file_and_its_log(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    mei = await make_staff(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")

    # Registration by chat, a family link, a regular lunch.
    wang = await registers_herself(env)
    (rid,) = (await env.rows("SELECT id FROM residents WHERE name = ?", (NAME,)))[0]
    daughter = env.user(4001, "Daughter", "en")
    await daughter.send(f"/start join_{await invite_code(env, wang)}")
    await regular_lunch(env, wang)

    # Two rosters that name her: one imported, one still waiting for a confirmation.
    await admin.send_document("roster.csv", roster_csv())
    await admin.click("✅ Import the new residents (1)")
    await admin.send_document(f"{NAME}.xlsx", roster_xlsx())  # named after her, even
    waiting_roster = admin.last
    assert "new residents to add: 1" in waiting_roster.text

    # Lunch: ordered by her daughter, carried by Ann, delivered with a concern note.
    await orders(daughter, "Lunch today (order by 09:30)")
    lunch = await order_id(env, 0, "lunch", rid)
    await receipt.confirm(env.deps, 2001, lunch)
    await env.advance(minutes=165)  # 10:45: the kitchen sheet went at 09:30, routes now
    lunch_window = (await env.rows("SELECT window_id FROM orders WHERE id = ?", (lunch,)))[0][0]
    await window_service.meals_ready(env.deps, 2001, lunch_window)
    await env.drained()
    card = next(m for m in ann.messages if NAME in m.text and f"#{lunch}" in m.text)
    await ann.click("⚠️ Delivered, with a concern", message=card)
    await ann.send(NOTE)
    await env.drained()

    # Dinner: ordered by herself; Ann holds it once the routes go out at 16:45. Tuesday's
    # lunch opens at 16:00 and her regular lunch is placed there.
    await orders(wang, "Dinner today (order by 15:00)")
    dinner = await order_id(env, 0, "dinner", rid)
    await receipt.confirm(env.deps, 2001, dinner)
    await env.advance(hours=6)  # 16:45
    await env.drained()
    tuesday = await order_id(env, 1, "lunch", rid)
    assert (await env.rows("SELECT volunteer_id FROM deliveries WHERE order_id = ?", (dinner,)))[0][
        0
    ] == 5001

    # Screens left open with buttons about her.
    await daughter.click("👪 Family")
    family_card = next(m for m in reversed(daughter.messages) if NAME in m.text)
    tuesday_window = (await env.rows("SELECT window_id FROM orders WHERE id = ?", (tuesday,)))[0]
    await mei.press(f"rcp1:w:{tuesday_window[0]}")
    board = mei.last
    assert f"#{tuesday}" in board.text
    dinner_card = next(
        m for m in reversed(ann.messages) if f"#{dinner}" in m.text and NAME in m.text
    )

    # Mei is ordering for her, half-way.
    await mei.send("/order")
    await mei.send(NAME)
    await mei.click(f"{NAME} · +86{PHONE} · #{rid}")
    assert "Which meal" in mei.last.text

    # The month's report reaches the admin; then an export Telegram keeps back.
    await admin.send("/report")
    await admin.click("📊 Sunrise Community Canteen · 2026-03")
    await env.drained()
    await admin.send(f"/audit {NAME}")
    admin_card = admin.last
    assert await traces(env)  # she is everywhere before the erase
    assert await env.rows(PINS, HOME) == [(2,)]  # the map pins of her lunch and her dinner
    env.sandbox.faults = HoldAdminFiles()
    await admin.click("📤 Export data", message=admin_card, wait=False)
    await until(env, "SELECT 1 FROM outbox WHERE key LIKE 'export:%' AND attempts > 0")

    # The erase, while the export still waits (the sender keeps trying, so the taps do
    # not wait for the bot to be idle).
    await admin.click("🗑 Erase", message=admin_card, wait=False)
    await until(env, "SELECT 1", lambda: "Yes, erase" in " ".join(admin_card.inline_texts))
    await admin.click("🗑 Yes, erase", message=admin_card, wait=False)
    await until(env, "SELECT 1", lambda: "has been erased" in admin_card.text)

    # Gone from the file and its log, and from every file kept inside it.
    assert await traces(env) == []
    assert await env.rows(PINS, HOME) == [(0,)]
    assert "Meals still to come that were cancelled: 2." in admin_card.text
    await env.drained()  # Telegram still refuses files to the admin: nothing is retried

    # Her meals still to come are cancelled; the kitchen and Ann hear by number.
    assert await env.rows(
        "SELECT id, status FROM orders WHERE id IN (?, ?, ?) ORDER BY id", (lunch, dinner, tuesday)
    ) == [(lunch, "delivered"), (dinner, "cancelled"), (tuesday, "cancelled")]
    kitchen = env.sandbox.chat(KITCHEN_CHAT).messages[-1].text
    assert f"#{dinner}" in kitchen
    assert f"#{tuesday}" in kitchen
    assert "Building 5" in kitchen
    told = next(m.text for m in reversed(ann.messages) if "is cancelled" in m.text)
    assert f"Meal #{dinner} (Building 5" in told
    assert any("questions you were answering" in m.text for m in mei.messages)

    # The export never went, and is not retried.
    assert not any(m.document and m.document.filename.endswith(".json") for m in admin.messages)
    assert await env.rows("SELECT status FROM outbox WHERE key LIKE 'export:%'") == [("failed",)]

    # Every old button about her is refused kindly.
    await daughter.click(f"🍱 Order for {NAME}", message=family_card)
    assert daughter.callback_answers[-1].text == REFUSED
    await mei.click(f"✅ #{tuesday}", message=board)
    assert mei.callback_answers[-1].text == REFUSED
    await ann.click("✅ Delivered", message=dinner_card)
    assert ann.callback_answers[-1].text == REFUSED
    await mei.press(f"ord1:for:{rid}")
    assert mei.callback_answers[-1].text == REFUSED
    await admin.press(f"adm1:exp:{rid}", admin_card.message_id)  # from an older card
    assert admin.callback_answers[-1].text == REFUSED
    assert await env.rows("SELECT COUNT(*) FROM outbox WHERE key LIKE 'export:%'") == [(1,)]

    # The roster file still waiting imports the others, never her again.
    await admin.click("✅ Import the new residents (1)", message=waiting_roster)
    assert "Residents imported: 1." in waiting_roster.text
    assert await env.rows("SELECT COUNT(*) FROM residents WHERE phone = ?", (PHONE,)) == [(0,)]
    assert await env.rows("SELECT name FROM residents ORDER BY id") == [("",), ("李四",), ("赵六",)]
    assert await traces(env) == []
    assert await invariants.check(env.deps.db.conn) == []


async def test_an_approval_card_about_an_erased_applicant_is_refused_kindly(env: Env) -> None:
    """She asked to be forgotten before anyone approved her: the card's buttons say why."""
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    wang = env.sandbox.user(3001, NAME, language_code="en", phone=PHONE)
    await wang.send("/start")
    await wang.click("📝 Register")
    await wang.click("🙋 Myself")
    await wang.send(NAME)
    await wang.click("📱 Share my phone number")
    await wang.click("80 or older")
    await wang.send("Building 5")
    await wang.click("No unit")
    await wang.send("301")
    await wang.click("Skip")
    await wang.click("Yes")
    await wang.click("✅ Done")
    await wang.click("✅ Send for approval")
    await env.drained()
    approval = next(m for m in reversed(admin.messages) if NAME in m.text)
    (rid,) = (await env.rows("SELECT id FROM residents"))[0]
    await admin.send(f"/audit {PHONE}")
    await admin.click("🗑 Erase")
    await admin.click("🗑 Yes, erase")
    await admin.click(f"✅ Approve {NAME}", message=approval)
    assert admin.callback_answers[-1].text == REFUSED
    assert await env.rows("SELECT status, name FROM residents") == [("erased", "")]
    assert await env.rows("SELECT first_name FROM accounts WHERE id = 3001") == [("",)]
    await wang.click("👪 Family")  # her own account: nobody is linked any more
    assert NAME not in wang.last.text
    assert rid not in [row[0] for row in await env.rows("SELECT resident_id FROM links")]
    assert await traces(env) == []
