"""The admin sends the roster as a file: a dry run naming the bad rows, then the import."""

from __future__ import annotations

from pathlib import Path

from tests.harness import ADMIN_ID, Env
from tests.test_roster_e2e import PROBLEMS, csv_file

STORED = "SELECT name, phone, status FROM residents ORDER BY id"
IMPORTED = [
    ("Wang Fang", "+8613900000001", "approved"),
    ("Wu Min", "+8613900000007", "approved"),
]


async def test_a_roster_file_sent_by_the_admin_is_checked_then_imported_on_confirmation(
    env: Env, tmp_path: Path
) -> None:
    roster = csv_file(tmp_path).read_bytes()
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")

    await admin.send_document("roster.csv", roster)
    dry_run = admin.last
    assert "Roster file roster.csv: rows 7." in dry_run.text
    assert "• new residents to add: 2" in dry_run.text
    for problem in PROBLEMS:
        assert problem in dry_run.text
    assert dry_run.inline_texts == ["✅ Import the new residents (2)", "✖️ Cancel"]
    assert await env.rows(STORED) == []

    await admin.click("✅ Import the new residents (2)")
    assert "Residents imported: 2" in admin.last.text
    assert await env.rows(STORED) == IMPORTED


async def test_the_same_file_sent_again_imports_nobody(env: Env, tmp_path: Path) -> None:
    roster = csv_file(tmp_path).read_bytes()
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await admin.send_document("roster.csv", roster)
    first = admin.last
    confirm = first.buttons[0][0].data
    assert confirm is not None
    await admin.click("✅ Import the new residents (2)")

    await admin.send_document("roster.csv", roster)
    again = admin.last
    assert "• already on the roster (same phone), left as they are: 2" in again.text
    assert again.inline_texts == ["✖️ Cancel"]  # nothing new, so nothing to confirm
    await admin.press(confirm, first.message_id)  # a second tap on the first file's button
    assert admin.callback_answers[-1].text == "This file has already been imported."
    cancel = again.buttons[0][0].data
    assert cancel is not None
    await admin.press(cancel.replace(":imx:", ":imp:"), again.message_id)  # a forged confirm
    assert "Residents imported: 0" in admin.last.text
    assert await env.rows(STORED) == IMPORTED


async def test_a_file_from_someone_who_is_not_an_admin_is_refused_kindly(
    env: Env, tmp_path: Path
) -> None:
    stranger = env.user(1001, "Alice", language_code="en")
    await stranger.send("/start")
    await stranger.send_document("roster.csv", csv_file(tmp_path).read_bytes())
    assert stranger.last.text == (
        "Sorry, only the community admin can do that. If you need help, please call the canteen."
    )
    assert stranger.last.buttons == []
    assert await env.rows(STORED) == []
    assert await env.rows("SELECT COUNT(*) FROM roster_imports") == [(0,)]
