"""The foundation end to end: the real bot over HTTP against the sandbox, on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import BadRequest

from bot.services.people import invites
from data import canteens
from tests.harness import ADMIN_ID, Env


async def test_start_greets_in_the_users_language_with_the_main_keyboard(env: Env) -> None:
    alice = env.user(1001, "阿丽", language_code="zh-hans")
    await alice.send("/start")
    assert "阿丽，您好" in alice.last.text
    assert "阳光社区长者食堂" in alice.last.text
    assert ["❓ 帮助", "🌐 Language / 语言"] in alice.keyboard
    rows = await env.rows("SELECT id, first_name FROM accounts WHERE id = 1001")
    assert rows == [(1001, "阿丽")]


async def test_english_speakers_are_greeted_in_english(env: Env) -> None:
    bob = env.user(1002, "Bob", language_code="en")
    await bob.send("/start")
    assert bob.last.text.startswith("Hello, Bob!")
    assert "Sunrise Community Canteen" in bob.last.text


async def test_language_choice_is_stored_and_used_from_then_on(env: Env) -> None:
    alice = env.user(1001, "Alice", language_code="zh-hans")
    await alice.send("/start")
    await alice.click("🌐 Language / 语言")
    assert alice.last.text == "请选择语言。"
    await alice.click("English")
    assert any(m.text == "Language set to English." for m in alice.messages)
    assert await env.rows("SELECT language FROM accounts WHERE id = 1001") == [("en",)]
    await alice.send("/help")
    assert alice.last.text.startswith("How to use Doorstep")


async def test_help_lists_the_sections_of_the_users_roles(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/help")
    assert "Community admin" in admin.last.text
    resident = env.user(1003, "Carol", language_code="en")
    await resident.send("/help")
    assert "Community admin" not in resident.last.text
    assert "021-5555-0100" in resident.last.text


async def test_a_deep_link_invite_grants_the_role_once(env: Env) -> None:
    canteen = await canteens.by_code(env.deps.db.conn, "sunrise")
    assert canteen is not None
    invite = await invites.create(env.deps, "staff", canteen.id, ADMIN_ID)
    dora = env.user(1004, "Dora", language_code="en")
    await dora.send(f"/start join_{invite.code}")
    assert any("Welcome to the canteen team" in m.text for m in dora.messages)
    assert await env.rows(
        "SELECT role FROM roles WHERE account_id = 1004 AND canteen_id = ?", (canteen.id,)
    ) == [("staff",)]
    eve = env.user(1005, "Eve", language_code="en")
    await eve.send(f"/start join_{invite.code}")
    assert "not valid, has already been used, or has expired" in eve.last.text
    assert await env.rows("SELECT * FROM roles WHERE account_id = 1005") == []


async def test_an_expired_invite_is_refused(env: Env) -> None:
    canteen = await canteens.by_code(env.deps.db.conn, "sunrise")
    assert canteen is not None
    invite = await invites.create(env.deps, "volunteer", canteen.id, ADMIN_ID)
    env.clock.advance(invites.LIFETIME["volunteer"] + timedelta(seconds=1))
    frank = env.user(1006, "Frank", language_code="en")
    await frank.send(f"/start join_{invite.code}")
    assert "has expired" in frank.last.text
    assert await env.rows("SELECT used_by FROM invites") == [(None,)]


async def test_unknown_text_and_junk_deep_links_get_a_kind_answer(env: Env) -> None:
    gina = env.user(1007, "Gina", language_code="en")
    await gina.send("asdf " * 500)
    assert gina.last.text == (
        "I help older people get lunch and dinner from the canteen."
        " Tap “📝 Register” below to begin."
    )
    assert ["📝 Register"] in gina.keyboard
    await gina.send("/start join_")
    assert "not valid" in gina.last.text
    await gina.send("/start %%%garbage%%%")
    assert gina.last.text.startswith("Hello, Gina!")


async def test_a_stale_or_forged_button_is_answered_politely(env: Env) -> None:
    hank = env.user(1008, "Hank", language_code="en")
    await hank.send("/start")
    await hank.press("v0:old:button")
    assert (
        hank.callback_answers[-1].text
        == "This button is out of date. Please use the newest message."
    )
    await hank.press("lang1:set:xx")
    assert (
        hank.callback_answers[-1].text
        == "This button is out of date. Please use the newest message."
    )
    assert await env.rows("SELECT language FROM accounts WHERE id = 1008") == [(None,)]


async def test_command_menus_are_set_per_role(env: Env) -> None:
    """Residents get the default menu; an admin gets theirs once they start the bot."""
    await env.user(ADMIN_ID, "Admin", language_code="en").send("/start")
    commands = env.sandbox.commands
    default = commands["all_private_chats"]
    assert [c.command for c in default] == ["start", "order", "myorders", "language", "help"]
    admin_menu = [c.command for c in commands[f"chat:{ADMIN_ID}"]]
    assert "approvals" in admin_menu
    assert "report" in admin_menu


async def test_a_request_that_breaks_the_spec_is_caught(env: Env) -> None:
    alice = env.user(1001, "Alice", language_code="en")
    await alice.send("/start")
    with pytest.raises(BadRequest):
        await env.app.bot.send_message(1001, "x" * 4097)
    assert any("text" in v and "4096" in v for v in env.sandbox.violations)
    env.sandbox.violations.clear()
