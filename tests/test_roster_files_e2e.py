"""Roster files that cannot hurt: a hostile or badly exported file is refused with the reason
(or, when only its claims are wrong, read for what it holds) while every other chat keeps
its answers; CSVs in the encodings Excel writes are read; an import happens all at once.

How long each refusal takes, and how long another chat waits meanwhile, is measured by
`bench/bench_roster_files.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.core.errors import DomainError
from bot.sandbox import BotEvent, SandboxUser
from bot.services.people import roster_reader
from tests import hostile_files
from tests.harness import ADMIN_ID, Env, allow_inserts, fail_inserts

OTHER = 2001
NOT_A_SPREADSHEET = "I could not read this file as a spreadsheet."
REFUSED = [
    ("bomb.xlsx", hostile_files.zip_bomb, "This spreadsheet unpacks to more than 32 MB"),
    ("lying-bomb.xlsx", hostile_files.lying_zip_bomb, NOT_A_SPREADSHEET),
    ("strings.xlsx", hostile_files.huge_shared_strings, "more than 200000 different texts"),
    ("laughs.xlsx", hostile_files.entity_bomb, NOT_A_SPREADSHEET),
    ("stray.csv", hostile_files.stray_bytes, "it is not in UTF-8, GBK or UTF-16"),
]
READ = [
    ("dimension.xlsx", hostile_files.huge_dimension),
    ("far-corner.xlsx", hostile_files.far_corner),
    ("unicode.txt", hostile_files.utf16_text),
    ("unicode.csv", hostile_files.utf16_text),
    ("gbk.csv", hostile_files.gbk_csv),
    ("utf8.csv", hostile_files.utf8_bom_csv),
]


async def people(env: Env) -> tuple[SandboxUser, SandboxUser]:
    admin, other = env.user(ADMIN_ID, "Admin", "en"), env.user(OTHER, "Ann", "en")
    await admin.send("/start")
    return admin, other


async def send_while_another_chats(
    env: Env, admin: SandboxUser, other: SandboxUser, name: str, content: bytes
) -> None:
    """The admin sends the file; while the bot reads it, someone else says /start."""
    await admin.send_document(name, content, wait=False)
    await other.send("/start", wait=False)
    await env.sandbox.idle(timeout=60)


@pytest.mark.parametrize(("name", "build", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_a_hostile_file_is_refused_with_the_reason_and_others_are_answered(
    env: Env, name: str, build: Callable[[], bytes], reason: str
) -> None:
    admin, other = await people(env)
    await send_while_another_chats(env, admin, other, name, build())
    assert reason in admin.last.text
    assert admin.last.buttons == []
    assert ["📝 Register"] in (other.keyboard or [])
    assert await env.rows("SELECT COUNT(*) FROM roster_imports") == [(0,)]


@pytest.mark.parametrize(("name", "build"), READ, ids=[r[0] for r in READ])
async def test_a_file_that_only_claims_too_much_or_is_in_an_excel_encoding_is_read(
    env: Env, name: str, build: Callable[[], bytes]
) -> None:
    admin, other = await people(env)
    await send_while_another_chats(env, admin, other, name, build())
    assert f"Roster file {name}: rows 2." in admin.last.text
    assert "• new residents to add: 2" in admin.last.text
    assert ["📝 Register"] in (other.keyboard or [])
    await admin.click("✅ Import the new residents (2)")
    stored = await env.rows("SELECT name, phone, building FROM residents ORDER BY id")
    assert [row[1:] for row in stored] == [("+8613900000001", "5"), ("+8613900000007", "3")]
    assert [row[0] for row in stored] in (["王芳", "吴敏"], ["Wang Fang", "Wu Min"])


async def test_reading_a_large_file_does_not_hold_up_another_chat(env: Env) -> None:
    """5,000 people take the reader a second or more; a chat that speaks meanwhile is
    answered before the dry run comes back, because the event loop is not the one reading."""
    admin, other = await people(env)
    await admin.send_document("big.xlsx", hostile_files.big_workbook(), wait=False)
    for _ in range(1000):  # until the bot asks where the file is (a condition, not a pause)
        if env.sandbox.sent("getFile"):
            break
        await asyncio.sleep(0.01)
    await other.send("/start", wait=False)
    await env.sandbox.idle(timeout=60)
    replies = [e for e in env.sandbox.transcript if isinstance(e, BotEvent)]
    dry_run = next(i for i, e in enumerate(replies) if "Roster file big.xlsx" in e.text)
    welcome = next(i for i, e in enumerate(replies) if e.chat == other.name)
    assert welcome < dry_run
    assert "Roster file big.xlsx: rows 5000." in admin.last.text


async def test_marking_an_import_done_and_adding_its_people_are_one_transaction(
    env: Env,
) -> None:
    """The store fails on the second person: nobody is added and the file is not marked
    imported, so the same button imports everyone once the store works again."""
    admin, _ = await people(env)
    await admin.send_document("roster.xlsx", hostile_files.workbook())
    async with env.deps.db.transaction() as tx:
        await fail_inserts(tx, "residents", "NEW.name = 'Wu Min'")
    await admin.click("✅ Import the new residents (2)")
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(0,)]
    assert await env.rows("SELECT applied_at FROM roster_imports") == [(None,)]

    async with env.deps.db.transaction() as tx:
        await allow_inserts(tx, "residents")
    await admin.click("✅ Import the new residents (2)")
    assert "Residents imported: 2." in admin.last.text
    assert await env.rows("SELECT name FROM residents ORDER BY id") == [
        ("Wang Fang",),
        ("Wu Min",),
    ]


def test_a_text_file_is_read_in_the_encodings_excel_writes_and_refused_in_any_other() -> None:
    expected = [(1, ["姓名", "电话", "楼栋"]), (2, ["王芳", "13900000001", "5"])]
    expected.append((3, ["吴敏", "13900000007", "3"]))
    for build in (hostile_files.utf16_text, hostile_files.gbk_csv, hostile_files.utf8_bom_csv):
        assert roster_reader.rows("r.csv", build()) == expected
    big_endian = "\ufeff姓名\t电话\t楼栋\r\n王芳\t13900000001\t5\r\n".encode("utf-16-be")
    assert roster_reader.rows("r.txt", big_endian)[:2] == expected[:2]
    unmarked = hostile_files.utf16_text()[2:]  # UTF-16 without its byte-order mark
    for content in (hostile_files.stray_bytes(), unmarked):
        with pytest.raises(DomainError) as error:
            roster_reader.rows("r.csv", content)
        assert error.value.key == "admin.roster_file.bad_encoding"


def test_blank_rows_are_skipped_but_problems_name_the_row_as_the_sheet_numbers_it() -> None:
    rows = [["name", "phone", "building"], [], ["Ann", "13900000001", "5"], [], ["Bo", "", "5"]]
    content = hostile_files.workbook(rows)  # type: ignore[arg-type]
    assert roster_reader.rows("r.xlsx", content) == [
        (1, ["name", "phone", "building"]),
        (3, ["Ann", "13900000001", "5"]),
        (5, ["Bo", "", "5"]),
    ]
