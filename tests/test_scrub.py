"""Removing an erased senior from text and files: her lines go, her neighbours' stay."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import UTC, date, datetime

from openpyxl import Workbook, load_workbook

from bot.services.kitchen import kitchen_sheet
from bot.services.people import roster_file, roster_reader
from bot.services.people.erasure import about_her, without_her
from bot.services.people.scrub import Person, Scrubber, rewrite_table
from bot.services.reports import messages
from bot.services.reports.figures import Report, ResidentRow, TierRow
from data.erasure import Message, Traces
from data.kitchen import LineItem, OrderLine
from data.models import Resident, Window

NAME, PHONE = "王秀英", "13912345678"
LABEL = "Erased resident #7"
HER = Resident(
    id=7,
    canteen_id=1,
    name=NAME,
    phone=PHONE,
    building="Building 5",
    unit="",
    room="301",
    lat=31.2314,
    lon=121.4747,
    lives_alone=True,
    delivery_eligible=False,
    diet="low_salt",
    allergies="peanuts",
    age_band=80,
    tier_code=None,
    status="approved",
    created_by=None,
    created_at=datetime(2026, 3, 1, tzinfo=UTC),
)


def scrubber() -> Scrubber:
    return Scrubber(Person.of(HER), LABEL)


def line(order_id: int, resident_id: int, name: str, allergies: str) -> OrderLine:
    """A kitchen line at her door: the other one is her husband, same address and allergy."""
    item = LineItem(menu_item_id=1, code="A", name="套餐A", name_en=None, portions=1)
    return OrderLine(
        id=order_id,
        window_id=1,
        status="confirmed",
        fulfilment="delivery",
        resident_id=resident_id,
        resident=name,
        building="Building 5",
        unit="",
        room="301",
        diet="low_salt",
        allergies=allergies,
        items=(item,),
    )


def sheet_window() -> Window:
    at = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    return Window(
        id=1,
        canteen_id=1,
        day=date(2026, 3, 2),
        meal="lunch",
        opens_at=at,
        cutoff_at=at,
        serve_at=at,
        claim_until=at,
        state="closed",
        opened_at=None,
        closed_at=None,
        ready_at=None,
        dispatched_at=None,
    )


def message(kind: str, payload: dict[str, object], status: str = "pending") -> Message:
    return Message(1, "sheet:window:1", -100, kind, status, payload)


def test_a_waiting_list_loses_her_line_and_keeps_her_husbands() -> None:
    text = "\n".join(
        [
            "<b>Kitchen sheet</b>",
            f"#1 {NAME} · Building 5 301 · 1×A · allergy: peanuts · 📞 {PHONE}",
            "#2 Zhang Wei · Building 5 301 · 1×A · allergy: peanuts · 📞 13800000002",
        ]
    )
    assert scrubber().text(text).split("\n") == [
        "<b>Kitchen sheet</b>",
        f"#1 {LABEL} · — · 1×A · allergy: — · 📞 —",
        "#2 Zhang Wei · Building 5 301 · 1×A · allergy: peanuts · 📞 13800000002",
    ]


def test_a_sent_message_loses_her_phone_and_address_on_every_line() -> None:
    card = f"<b>1. {NAME}</b> (#3)\n🏠 Building 5 301\n📞 {PHONE}\n🍱 1 meal(s)"
    assert scrubber().text(card, whole=True) == f"<b>1. {LABEL}</b> (#3)\n🏠 —\n📞 —\n🍱 1 meal(s)"


def test_she_is_found_however_the_text_was_stored_and_not_inside_other_numbers() -> None:
    found = scrubber()
    assert found.names_her(json.dumps({"note": NAME}))  # \u escapes
    assert found.names_her(f"call +86{PHONE}")
    assert found.names_her("call 139 1234 5678") is False  # written differently: not hers
    assert not found.names_her(f"order 9{PHONE}0")
    assert not found.names_her("王秀 and 秀英")


def test_a_waiting_kitchen_csv_is_rewritten_without_her_row_details() -> None:
    sheet = kitchen_sheet.build(
        sheet_window(), [line(1, 7, NAME, "peanuts"), line(2, 8, "张伟", "peanuts")], "zh"
    )
    content = kitchen_sheet.to_csv(sheet)
    payload = {
        "filename": "kitchen.csv",
        "content_b64": base64.b64encode(content).decode(),
        "caption": "",
    }
    fixed = without_her(message("document", payload), scrubber())
    assert fixed is not None
    rewritten = base64.b64decode(str(fixed["content_b64"]))
    assert rewritten.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(rewritten.decode("utf-8-sig"))))
    assert rows[0] == list(kitchen_sheet.CSV_COLUMNS)
    assert rows[1][:5] == ["1", LABEL, "", "", ""]
    assert rows[1][5:8] == ["A", "套餐A", "1"]  # what to cook stays
    assert rows[1][10] == ""  # her allergy
    assert rows[2][:5] == ["2", "张伟", "Building 5", "", "301"]
    assert rows[2][10] == "peanuts"


def test_a_sent_file_that_names_her_loses_its_bytes_and_one_that_does_not_keeps_them() -> None:
    sheet = kitchen_sheet.build(sheet_window(), [line(1, 7, NAME, "")], "zh")
    hers = base64.b64encode(kitchen_sheet.to_csv(sheet)).decode()
    other = base64.b64encode(b"order,resident\n2,Zhang Wei\n").decode()
    for content, kept in ((hers, ""), (other, other)):
        payload = {"filename": "k.csv", "content_b64": content, "caption": NAME}
        fixed = without_her(message("document", payload, "sent"), scrubber())
        assert fixed == {"filename": "k.csv", "content_b64": kept, "caption": LABEL}


def test_a_waiting_report_workbook_keeps_its_sheets_and_totals_without_her() -> None:
    report = Report(
        canteen="Sunrise",
        first=date(2026, 3, 1),
        last=date(2026, 3, 31),
        residents=[
            ResidentRow(7, NAME, 2, 3000, 1200, 1800),
            ResidentRow(8, "张伟", 1, 1500, 600, 900),
        ],
        tiers=[TierRow("age80", "Aged 80 and over", 3, 1800)],
    )
    book_bytes = messages.workbook("en", report)
    assert scrubber().in_file(book_bytes)
    fixed = rewrite_table("report.xlsx", book_bytes, scrubber().row)
    assert not scrubber().in_file(fixed)
    before, after = load_workbook(io.BytesIO(book_bytes)), load_workbook(io.BytesIO(fixed))
    assert after.sheetnames == before.sheetnames
    sheet = after[after.sheetnames[1]]
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert LABEL in names
    assert "张伟" in names
    assert sheet.cell(1, 1).font.bold == before[before.sheetnames[1]].cell(1, 1).font.bold


def test_a_roster_waiting_for_confirmation_loses_her_rows_and_still_imports_the_rest() -> None:
    text = f"姓名,电话,楼栋\n{NAME},{PHONE},Building 5\n李四,13900000004,7\n"
    fixed_csv = rewrite_table("r.csv", text.encode("gb18030"), scrubber().leave_out)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["姓名", "电话", "楼栋"], ["赵六", 13900000006, 9], [NAME, int(PHONE), "5"]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    fixed_xlsx = rewrite_table("r.xlsx", out.getvalue(), scrubber().leave_out)
    for filename, content, kept in (("r.csv", fixed_csv, "李四"), ("r.xlsx", fixed_xlsx, "赵六")):
        assert not scrubber().in_file(content)
        checked = roster_file.check(roster_reader.rows(filename, content), [])
        assert [entry.name for _, entry in checked.entries] == [kept]
        assert checked.problems == []


def test_outbox_keys_about_her_are_told_apart_from_keys_about_others() -> None:
    keyed = about_her(7, Traces(order_ids=(12,), delivery_ids=(4,), standing_ids=(2,)))
    about = [
        "order:12:placed:acct:3001",
        "card:delivery:4:account:5001",
        "pin:delivery:4:account:5001:late:2026",
        "resident:7:approval:acct:9000",
        "export:resident:7:acct:9000:2026-03-02T10:00:00+08:00",
        "checkin:7:2026-03-02:acct:3001",
        "wellness:quiet:7:20260302",
        "standing:2:41",
    ]
    others = [
        "order:120:placed:acct:3001",
        "resident:70:approval:acct:9000",
        "nocarrier:window:3:12:2026",
        "card:delivery:44:account:5001",
        "sheet-csv:window:7",
    ]
    assert [key for key in about + others if keyed.search(key)] == about
