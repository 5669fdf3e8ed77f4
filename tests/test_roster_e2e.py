"""Importing a roster of seniors: every row checked, a dry run, and a re-import that adds nobody."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.core.errors import DomainError
from bot.roster_import import run as import_roster
from bot.services.people import roster_file, roster_reader
from tests.harness import ADMIN_ID, Env

HEADER = "name,phone,building,unit,room,lives_alone,delivery,diet,age,tier"
ROWS = [
    "Wang Fang,13900000001,5,1,101,yes,yes,low_salt,82,",
    "Li Ming,,7,2,202,no,no,,75,",
    "Zhao Lei,13900000003,,,,yes,,,90,",
    "Chen Hui,13900000004,9,1,303,maybe,,,70,",
    "Sun Yu,13900000005,9,1,304,no,no,spicy,66,hardship",
    "Zhou Jie,139 0000 0001,3,,,,,,,",
    "Wu Min,13900000007,3,1,105,no,no,,68,hardship",
]
PROBLEMS = [
    "row 3: phone is missing",
    "row 4: building is missing",
    "row 5: lives alone should be yes or no, not “maybe”",
    "row 6: diet spicy is unknown",
    "row 7: the same phone number is on row 2",
]


def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def xlsx_file(tmp_path: Path) -> Path:
    """The two good seniors again, as a workbook with Chinese headers and numeric phones."""
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "电话", "楼栋", "独居", "年龄"])
    sheet.append(["Wang Fang", 13900000001, 5, "是", 82])
    sheet.append(["Wu Min", 13900000007, 3, "否", 68])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


async def cli(env: Env, path: Path) -> int:
    """`doorstep import residents FILE --yes`, on its own connection to the bot's database."""
    return await asyncio.to_thread(import_roster, env.config, str(path), None, True)


async def test_an_import_adds_the_good_rows_names_the_bad_ones_and_a_reimport_adds_nobody(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await cli(env, csv_file(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "Roster file roster.csv: rows 7." in out
    assert "• new residents to add: 2" in out
    assert "• rows with problems, not imported: 5" in out
    for problem in PROBLEMS:
        assert problem in out
    assert "Residents imported: 2." in out
    stored = await env.rows(
        "SELECT name, phone, building, lives_alone, delivery_eligible, diet, age_band, tier_code,"
        " status FROM residents ORDER BY id"
    )
    assert stored == [
        ("Wang Fang", "+8613900000001", "5", 1, 1, "low_salt", 80, None, "approved"),
        ("Wu Min", "+8613900000007", "3", 0, 0, "", 60, "hardship", "approved"),
    ]

    assert await cli(env, csv_file(tmp_path)) == 0
    assert "• already on the roster (same phone), left as they are: 2" in capsys.readouterr().out
    assert await cli(env, xlsx_file(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "Roster file roster.xlsx: rows 2." in out
    assert "Nothing new to import." in out
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(2,)]
    imports = await env.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'resident.import'")
    assert imports == [(2,)]


async def test_an_imported_senior_is_linked_to_family_with_an_invite_from_the_admin(
    env: Env, tmp_path: Path
) -> None:
    await cli(env, csv_file(tmp_path))
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await admin.send("/audit Wang")
    assert "Wang Fang" in admin.last.text
    assert "approved" in admin.last.text
    await admin.click("👪 Family invite code")
    code = re.search(r"start=join_([A-Z0-9]+)", admin.last.text)
    assert code is not None, admin.last.text
    daughter = env.user(4001, "Mei", language_code="en")
    await daughter.send(f"/start join_{code.group(1)}")
    assert "You can order meals for Wang Fang" in daughter.messages[-2].text
    assert await env.rows("SELECT account_id, relation FROM links") == [(4001, "family")]


def test_a_file_that_is_not_a_roster_is_refused_with_the_reason() -> None:
    with pytest.raises(DomainError) as error:
        roster_reader.rows("photo.png", b"\x89PNG")
    assert error.value.key == "admin.roster.bad_file"
    with pytest.raises(DomainError) as error:
        roster_file.check(roster_reader.rows("r.csv", b"who,where\nAnn,5\n"), [])
    assert error.value.key == "admin.roster.no_columns"
    with pytest.raises(DomainError) as error:
        roster_reader.rows("r.xlsx", b"not a zip")
    assert error.value.key == "admin.roster_file.broken"
