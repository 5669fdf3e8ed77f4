"""Files that cannot attack: what people typed is never run as a formula by a spreadsheet.

A senior registers under the name `=HYPERLINK("http://x","y")` with a typed allergy
`-1+1`, the cook adds a dish called `@SUM(1)`, and the senior orders it for lunch
(collected) and dinner (never collected). Every CSV and workbook the bot writes is read
back: each typed cell starts with an apostrophe, no workbook cell is a formula, and
numbers are still numbers.
"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bot.sandbox import BotMessage
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import menus, placing
from data import windows
from data.models import Meal, Window
from tests.harness import ADMIN_ID, KITCHEN_CHAT, MONDAY_8AM, Env
from tests.test_reports_e2e import arrived
from tests.test_volunteer_e2e import senior, staff_member

NAME = '=HYPERLINK("http://x","y")'
DISH = "@SUM(1)"
ALLERGY = "-1+1"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def window(env: Env, meal: Meal) -> Window:
    found = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), meal)
    assert found is not None
    return found


async def order_the_dish(env: Env, staff: int, resident: int, meal: Meal) -> int:
    """The cook adds the dish to this meal's menu, the senior orders it for pickup."""
    served = await window(env, meal)
    dish = await menus.add_dish(env.deps, staff, served.id, DISH, 1200, [], 10)
    draft = placing.Draft(resident, served.id, dish.id, 1, "pickup")
    placed = await placing.place(env.deps, 3001, draft, "en")
    await receipt.confirm(env.deps, staff, placed.id)
    return placed.id


def csv_rows(message: BotMessage) -> list[list[str]]:
    assert message.document is not None
    return list(csv.reader(io.StringIO(message.document.content.decode("utf-8-sig"))))


def assert_inert(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (cell, row)


async def test_typed_names_and_dishes_are_inert_in_every_csv_and_workbook(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    mei = await staff_member(env, 2001, "Mei")
    resident = await senior(env, 3001, NAME, "Building 5", None)
    async with env.deps.db.transaction() as tx:  # typed on the allergy question
        await tx.execute("UPDATE residents SET allergies = ? WHERE id = ?", (ALLERGY, resident))
    lunch = await order_the_dish(env, mei.id, resident, "lunch")
    await order_the_dish(env, mei.id, resident, "dinner")

    await env.advance(minutes=90)  # 09:30: lunch closes, the kitchen gets its CSV
    await window_service.meals_ready(env.deps, mei.id, (await window(env, "lunch")).id)
    await receipt.collected(env.deps, mei.id, lunch)
    await env.advance(hours=10)  # 19:30: dinner closed at 15:00, nobody came for it
    await env.drained()

    sheets = [m for m in env.sandbox.chat(KITCHEN_CHAT).messages if m.document is not None]
    assert len(sheets) == 2
    for sheet in sheets:
        rows = csv_rows(sheet)
        assert_inert(rows)
        line = dict(zip(rows[0], rows[1], strict=True))
        assert (line["resident"], line["dish_name"], line["allergies"]) == (
            f"'{NAME}",
            f"'{DISH}",
            f"'{ALLERGY}",
        )
        assert line["portions"] == "1"

    await admin.send("/report")
    await admin.click("📊 Sunrise Community Canteen · 2026-03")
    workbook, table, missed, _chart, care = await arrived(env, admin, 5)
    for document in (table, missed):
        assert_inert(csv_rows(document))
    assert csv_rows(table)[1][1] == f"'{NAME}"
    assert csv_rows(missed)[1][4] == f"'{NAME}"

    assert workbook.document is not None
    assert care.document is not None
    for kept in (care, workbook):  # the care figures' workbook too
        assert kept.document is not None
        book = load_workbook(io.BytesIO(kept.document.content))
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    residents = book["Residents"]
    assert (residents["B2"].value, residents["B2"].data_type) == (f"'{NAME}", "s")
    assert (residents["C2"].value, residents["D2"].value) == (1, 12)  # numbers stay numbers
    assert book["Not served"]["E2"].value == f"'{NAME}"
