"""Staff actions are for staff: roles by invite or forward, and forged buttons refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.errors import DomainError
from bot.sandbox import SandboxUser
from bot.services.people import invites
from data import windows
from tests.harness import ADMIN_ID, Env
from tests.test_kitchen_e2e import add_resident, click_starting, lunch, make_staff, order

NOT_ALLOWED = "Sorry, you cannot do that."


async def snapshot(env: Env) -> list[object]:
    return [
        await env.rows("SELECT id, status, decline_reason FROM orders ORDER BY id"),
        await env.rows("SELECT id, sold_out FROM menu_items ORDER BY id"),
        await env.rows("SELECT id, state FROM windows ORDER BY id"),
        await env.rows("SELECT account_id, canteen_id, role FROM roles ORDER BY 1, 3"),
        await env.rows("SELECT COUNT(*) FROM outbox"),
    ]


async def volunteer(env: Env) -> SandboxUser:
    invite = await invites.create(env.deps, "volunteer", 1, ADMIN_ID)
    person = env.user(4001, "Vic", "en")
    await person.send(f"/start join_{invite.code}")
    return person


@pytest.mark.parametrize("who", ["resident", "volunteer", "stranger"])
async def test_forged_staff_buttons_are_refused_and_change_nothing(env: Env, who: str) -> None:
    """Confirm, decline, ready, sold out, copy, sheet, grant: all refused to non-staff."""
    wang = await add_resident(env, 3001, "Wang")
    order_id = await order(env, 3001, wang, "A", 1, "pickup")
    window = await lunch(env)
    item_id = (await env.rows("SELECT id FROM menu_items WHERE window_id = ?", (window.id,)))[0][0]
    if who == "resident":
        user = env.user(3001, "Wang", "en")
    elif who == "volunteer":
        user = await volunteer(env)
    else:
        user = env.user(5001, "Stranger", "en")
        await user.send("/start")
    before = await snapshot(env)
    forged = [
        f"rcp1:ok:{order_id}",
        f"rcp1:all:{window.id}",
        f"rcp1:no:{order_id}",
        f"rcp1:why:{order_id}:sold_out",
        f"rcp1:got:{order_id}",
        f"rcp1:rdy:{window.id}",
        f"rcp1:w:{window.id}",
        f"mnu1:so:{item_id}",
        f"mnu1:cp:{window.id}",
        f"dsh1:add:{window.id}",
        f"ktn1:w:{window.id}",
        f"stf1:gr:{user.id}:admin",
        "stf1:inv:staff",
    ]
    for data in forged:
        await user.press(data)
        assert user.callback_answers[-1].text == NOT_ALLOWED, data
    for command in ("/orders", "/menu", "/sheet", "/invite"):
        await user.send(command)
        assert user.last.text == NOT_ALLOWED, command
    assert await snapshot(env) == before


async def test_a_forged_button_with_a_bad_id_is_answered_as_out_of_date(env: Env) -> None:
    mei = await make_staff(env, 2001, "Mei")
    for data in ("rcp1:ok:abc", "rcp1:why:1:poison", "dsh1:tg:1:99", "rcp1:zap:1"):
        await mei.press(data)
        assert "out of date" in (mei.callback_answers[-1].text or ""), data


async def test_a_button_with_an_id_in_other_digits_or_a_part_too_many_changes_nothing(
    env: Env,
) -> None:
    """Confirm #n with n written in Arabic-Indic digits, or with a part no button carries:
    out of date, and the order is still waiting."""
    mei = await make_staff(env, 2001, "Mei")
    wang = await add_resident(env, 3001, "Wang")
    order_id = await order(env, 3001, wang, "A", 1, "pickup")
    other_digits = str(order_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    before = await snapshot(env)
    for data in (f"rcp1:ok:{other_digits}", f"rcp1:ok:{order_id}:7"):
        await mei.press(data)
        assert "out of date" in (mei.callback_answers[-1].text or ""), data
    assert await snapshot(env) == before


async def test_an_admin_grants_a_role_by_forwarding_a_message(env: Env) -> None:
    """Forward Dora's message, tap Staff: she is staff and gets the staff commands."""
    admin = env.user(ADMIN_ID, "Admin", "en")
    dora = env.user(1004, "Dora", "en")
    await dora.send("/start")
    await admin.send("/start")
    origin = {"type": "user", "date": 0, "sender_user": dora.user.to_api()}
    message = {
        "message_id": 900,
        "date": 0,
        "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Admin"},
        "from": admin.user.to_api(),
        "forward_origin": origin,
        "text": "hello from Dora",
    }
    await admin.send_update({"message": message})
    assert admin.last.text == f"What should Dora (id {dora.id}) be at the canteen?"
    await admin.click("Staff")
    assert admin.last.text == "Done: Dora is now Staff."
    assert await env.rows("SELECT role FROM roles WHERE account_id = ?", (dora.id,)) == [("staff",)]
    await env.settle()
    assert any("Welcome to the canteen team" in m.text for m in dora.messages)
    commands = [c.command for c in env.sandbox.commands[f"chat:{dora.id}"]]
    assert "orders" in commands


async def test_staff_may_invite_volunteers_but_not_staff(env: Env) -> None:
    mei = await make_staff(env, 2001, "Mei")
    await mei.send("/invite")
    await mei.click("Staff")
    assert mei.callback_answers[-1].text == NOT_ALLOWED
    await mei.click("Volunteer")
    assert "start=join_" in mei.last.text


async def test_a_closed_windows_menu_cannot_change(env: Env) -> None:
    mei = await make_staff(env, 2001, "Mei")
    await env.advance(minutes=95)
    await mei.send("/menu")
    await click_starting(mei, "Mon 2 Mar lunch")
    assert mei.last.buttons == []
    window = await lunch(env)
    await mei.press(f"dsh1:add:{window.id}")
    assert "closed" in (mei.callback_answers[-1].text or "")


async def test_staff_copy_last_weeks_menu_and_residents_see_a_dish_sold_out(env: Env) -> None:
    """Copy adds last Monday's dishes this lunch lacks; a sold-out dish cannot be ordered."""
    mei = await make_staff(env, 2001, "Mei")
    last_monday = (await lunch(env)).day - timedelta(days=7)
    moment = env.clock.now() - timedelta(days=7)
    async with env.deps.db.transaction() as tx:
        old = await windows.create(tx, 1, last_monday, "lunch", moment, moment, moment, moment)
        assert old is not None
        await windows.add_menu_item(tx, old, "Z", "饺子", "Dumplings", 1200, ["soft"], 30)
    await mei.send("/menu")
    await click_starting(mei, "Mon 2 Mar lunch")
    await mei.click("📋 Copy last week")
    assert mei.callback_answers[-1].text == "Dishes copied: 1."
    assert "Z. Dumplings · ¥12.00 · soft · ordered 0, left 30" in mei.last.text
    await mei.click("🚫 Z sold out")
    wang = await add_resident(env, 3001, "Wang")
    with pytest.raises(DomainError):
        await order(env, 3001, wang, "Z", 1, "pickup")
    await mei.click("↩️ Z available again")
    assert await order(env, 3001, wang, "Z", 1, "pickup")
