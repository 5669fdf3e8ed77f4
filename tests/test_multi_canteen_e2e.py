"""An admin of several canteens says which one a roster, an invite or a role is for."""

from __future__ import annotations

import re
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from bot.services.people import invites
from tests.harness import ADMIN_ID, Env, bot_running, make_config

HARBOUR = "Harbour Community Canteen"
SUNRISE = "Sunrise Community Canteen"
ROSTER = b"name,phone,building\nWang Fang,13900000001,5\nLi Ming,13900000002,7\n"


def two_canteens() -> CanteenFile:
    """The example file with a second canteen, Harbour, beside Sunrise."""
    data = tomllib.loads(example_text())
    harbour = {
        **data["canteens"][0],
        "code": "harbour",
        "name": "海港社区长者食堂",
        "name_en": HARBOUR,
        "phone": "021-5555-0200",
        "kitchen_chat_id": -1001000000002,
    }
    data["canteens"].append(harbour)
    return CanteenFile.model_validate(data)


@pytest.fixture
async def env(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    config = make_config(sandbox, tmp_path / "doorstep.sqlite3", two_canteens())
    async with bot_running(sandbox, config, clock) as running:
        yield running


async def harbour_only_admin(env: Env) -> Any:
    """An admin of Harbour alone, by invite."""
    invite = await invites.create(env.deps, "admin", 2, ADMIN_ID)
    person = env.user(9100, "Hana", "en")
    await person.send(f"/start join_{invite.code}")
    return person


def forward_update(admin: Any, person: Any) -> dict[str, Any]:
    origin = {"type": "user", "date": 0, "sender_user": person.user.to_api()}
    return {
        "message": {
            "message_id": 900,
            "date": 0,
            "chat": {"id": admin.id, "type": "private", "first_name": admin.name},
            "from": admin.user.to_api(),
            "forward_origin": origin,
            "text": "hello",
        }
    }


async def test_a_roster_goes_to_the_canteen_the_admin_picks(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    await admin.send_document("roster.csv", ROSTER)
    assert "Which canteen" in admin.last.text
    assert admin.last.inline_texts == [SUNRISE, HARBOUR]
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(0,)]
    await admin.click(HARBOUR)
    assert "• new residents to add: 2" in admin.last.text
    await admin.click("✅ Import the new residents (2)")
    assert "Residents imported: 2." in admin.last.text
    assert await env.rows("SELECT DISTINCT canteen_id FROM residents") == [(2,)]


async def test_an_invite_is_for_the_canteen_the_admin_picks(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/invite")
    await admin.click("Staff")
    assert "Which canteen" in admin.last.text
    await admin.click(HARBOUR)
    code = re.search(r"start=join_([A-Z0-9]+)", admin.last.text)
    assert code is not None, admin.last.text
    cook = env.user(2001, "Cook", "en")
    await cook.send(f"/start join_{code.group(1)}")
    assert await env.rows("SELECT canteen_id, role FROM roles WHERE account_id = 2001") == [
        (2, "staff")
    ]


async def test_a_role_by_forwarded_message_is_for_the_canteen_the_admin_picks(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    dora = env.user(1004, "Dora", "en")
    await dora.send("/start")
    await admin.send("/start")
    await admin.send_update(forward_update(admin, dora))
    await admin.click("Volunteer")
    assert "Which canteen" in admin.last.text
    await admin.click(HARBOUR)
    assert admin.last.text == "Done: Dora is now Volunteer."
    assert await env.rows("SELECT canteen_id, role FROM roles WHERE account_id = 1004") == [
        (2, "volunteer")
    ]


async def test_an_admin_of_one_canteen_is_not_asked_and_cannot_forge_another(env: Env) -> None:
    hana = await harbour_only_admin(env)
    await hana.send("/invite")
    await hana.click("Staff")
    assert "start=join_" in hana.last.text  # one canteen: no question
    assert await env.rows("SELECT canteen_id FROM invites WHERE created_by = 9100") == [(2,)]

    dora = env.user(1004, "Dora", "en")
    await dora.send("/start")
    for forged in (f"stf1:gr:{dora.id}:staff:1", "stf1:inv:staff:1", "tem1:c:1:0"):
        await hana.press(forged)
        assert hana.callback_answers[-1].text.startswith("Sorry"), forged
    await hana.send_document("roster.csv", ROSTER)
    assert "• new residents to add: 2" in hana.last.text  # straight to the dry run
    (import_id,) = (await env.rows("SELECT id FROM roster_imports"))[0]
    await hana.press(f"adm1:imc:{import_id}:1")
    assert hana.callback_answers[-1].text.startswith("Sorry"), hana.callback_answers[-1].text
    assert await env.rows("SELECT canteen_id FROM roster_imports") == [(2,)]
    assert await env.rows("SELECT canteen_id FROM roles WHERE account_id = 1004") == []
    assert await env.rows("SELECT canteen_id FROM invites WHERE created_by = 9100") == [(2,)]


async def test_the_team_screen_asks_which_canteen(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/team")
    assert admin.last.inline_texts == [SUNRISE, HARBOUR]
    await admin.click(HARBOUR)
    assert HARBOUR in admin.last.text
