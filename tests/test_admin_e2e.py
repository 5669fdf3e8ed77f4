"""The community admin's approval queue, and kind refusals for everyone who is not an admin."""

from __future__ import annotations

from data import accounts
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import register_by_chat, seen


async def pending_volunteer(env: Env, account_id: int, name: str) -> None:
    """Someone who asked to volunteer (the volunteer sign-up makes this row)."""
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.upsert(tx, account_id, name, "helper", now, "en")
        await accounts.grant_role(tx, account_id, 1, "volunteer", None, now, status="pending")


async def test_the_admin_approves_a_volunteer_and_a_resident_from_the_queue(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await admin.send("/approvals")
    assert admin.last.text == "Nobody is waiting for approval. 🎉"

    ann = env.user(2001, "Ann", language_code="en")
    await register_by_chat(env, ann, "Ann Lee")
    bo = env.user(2002, "Bo", language_code="en")
    await bo.send("/start")
    await pending_volunteer(env, 2002, "Bo")

    await admin.send("/approvals")
    queue = admin.last
    assert "residents 1, staff or volunteers 1" in queue.text
    assert "Ann Lee" in queue.text
    assert "Volunteer wants to join Sunrise Community Canteen" in queue.text
    assert "Username: @helper" in queue.text
    assert queue.inline_texts == ["✅ Ann Lee", "❌ Ann Lee", "✅ Bo", "❌ Bo"]

    await admin.click("✅ Bo", message=queue)
    assert admin.callback_answers[-1].text == "✅ Bo is approved as Volunteer."
    assert "Username: @helper" not in queue.text  # the list is shown again without Bo
    assert queue.inline_texts == ["✅ Ann Lee", "❌ Ann Lee"]
    roles = await env.rows("SELECT role, status FROM roles WHERE account_id = 2002")
    assert roles == [("volunteer", "active")]
    await seen(env, bo, "you are approved as Volunteer at Sunrise Community Canteen")

    await admin.click("✅ Ann Lee", message=queue)
    assert admin.callback_answers[-1].text == "✅ Ann Lee is approved."
    assert queue.text == "Nobody is waiting for approval. 🎉"
    assert await env.rows("SELECT status FROM residents") == [("approved",)]
    await seen(env, ann, "You can now order meals")
    actions = await env.rows(
        "SELECT action, subject FROM audit_log WHERE account_id = ?", (ADMIN_ID,)
    )
    assert ("role.approved.volunteer", "account:2002") in actions
    assert any(action == "resident.approved" for action, _ in actions)


async def test_a_declined_volunteer_is_told_and_a_second_press_changes_nothing(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    bo = env.user(2002, "Bo", language_code="en")
    await bo.send("/start")
    await pending_volunteer(env, 2002, "Bo")
    await admin.send("/approvals")
    card = admin.last
    await admin.click("❌ Bo", message=card)
    await seen(env, bo, "was not approved")
    await admin.press(card.versions[0].buttons[0][0].data or "", card.message_id)
    assert admin.callback_answers[-1].text == "Someone has already decided on this request."
    assert await env.rows("SELECT status FROM roles WHERE account_id = 2002") == [("revoked",)]


async def test_residents_and_strangers_are_refused_kindly_even_with_forged_buttons(
    env: Env,
) -> None:
    bo = env.user(2002, "Bo", language_code="en")
    await bo.send("/start")
    await pending_volunteer(env, 2002, "Bo")
    stranger = env.user(2003, "Cat", language_code="en")
    await stranger.send("/start")
    refusal = "Sorry, only the community admin can do that."
    for command in ("/approvals", "/report", "/audit Ann"):
        await stranger.send(command)
        assert stranger.last.text.startswith(refusal)
    for forged in ("adm1:ro:2002:1:volunteer", "adm1:ra:1", "adm1:ap:1"):
        await stranger.press(forged)
        assert (stranger.callback_answers[-1].text or "").startswith(refusal)
    await stranger.press("adm1:rep:1:202603")
    assert stranger.callback_answers[-1].text == "Sorry, you cannot do that."
    await stranger.press("adm1:zz:1")
    assert "out of date" in (stranger.callback_answers[-1].text or "")
    assert await env.rows("SELECT status FROM roles WHERE account_id = 2002") == [("pending",)]


async def test_a_roster_file_from_someone_who_is_not_an_admin_is_refused(env: Env) -> None:
    stranger = env.user(2003, "Cat", language_code="en")
    await stranger.send("/start")
    document = {"file_id": "f-1", "file_unique_id": "f-1", "file_name": "r.csv", "file_size": 9}
    await stranger.send_update(
        {
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": 2003, "type": "private", "first_name": "Cat"},
                "from": {"id": 2003, "is_bot": False, "first_name": "Cat"},
                "document": document,
            }
        }
    )
    assert stranger.last.text.startswith("Sorry, only the community admin can do that.")
