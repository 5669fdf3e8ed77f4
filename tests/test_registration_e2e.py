"""Registering a senior by chat: one question per message, pending until an admin approves."""

from __future__ import annotations

from tests.harness import ADMIN_ID, Env
from tests.residents_kit import approve_by_chat, register_by_chat, seen


async def test_a_newcomer_sees_register_and_not_the_order_buttons(env: Env) -> None:
    ann = env.user(2001, "Ann", language_code="en")
    await ann.send("/start")
    assert ann.keyboard is not None
    assert ["📝 Register"] in ann.keyboard
    assert all("🍱 Order a meal" not in row for row in ann.keyboard)


async def test_a_senior_registers_and_is_pending_until_an_admin_approves(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    ann = env.user(2001, "Ann", language_code="en")
    await register_by_chat(env, ann, "Ann Lee")
    await seen(env, ann, "You are registered")
    rows = await env.rows("SELECT name, status, age_band, lives_alone, diet FROM residents")
    assert rows == [("Ann Lee", "pending", 80, 1, "low_salt")]
    await seen(env, admin, "waiting for your approval")
    await approve_by_chat(env, "Ann Lee")
    assert await env.rows("SELECT status FROM residents") == [("approved",)]
    await seen(env, admin, "✅ Ann Lee is approved.")
    await seen(env, ann, "You can now order meals")


async def test_someone_who_is_not_an_admin_cannot_approve_with_a_forged_button(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    ann = env.user(2001, "Ann", language_code="en")
    await register_by_chat(env, ann, "Ann Lee")
    await seen(env, ann, "You are registered")
    (resident_id,) = (await env.rows("SELECT id FROM residents"))[0]
    await ann.press(f"reg1:ok:{resident_id}")
    assert ann.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT status FROM residents") == [("pending",)]


async def test_a_5000_character_address_is_refused_kindly_and_nothing_is_stored(env: Env) -> None:
    ann = env.user(2001, "Ann", language_code="en")
    await ann.send("/start")
    await ann.click("📝 Register")
    await ann.click("🙋 Myself")
    await ann.send("Ann Lee")
    await ann.send("13800138000")
    await ann.click("80 or older")
    await ann.send("x" * 5000)
    assert ann.last.text == "That is too long. Please keep it under 40 characters."
    await ann.send("Building 5")
    assert ann.last.text.startswith("Which unit")
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(0,)]


async def test_text_instead_of_an_age_button_asks_again(env: Env) -> None:
    ann = env.user(2001, "Ann", language_code="en")
    await ann.send("/start")
    await ann.click("📝 Register")
    await ann.click("🙋 Myself")
    await ann.send("Ann Lee")
    await ann.send("13800138000")
    await ann.send("eighty")
    assert ann.last.text == "Please tap one of the buttons below."
    await ann.click("80 or older")
    assert ann.last.text.startswith("Which building")


async def test_cancel_and_start_leave_registration_without_storing_anything(env: Env) -> None:
    ann = env.user(2001, "Ann", language_code="en")
    await ann.send("/start")
    await ann.click("📝 Register")
    await ann.click("🙋 Myself")
    await ann.click("✖️ Cancel")
    assert ann.last.text == "All right, nothing was changed."
    assert ["📝 Register"] in (ann.keyboard or [])
    await ann.click("📝 Register")
    await ann.click("🙋 Myself")
    await ann.send("/start")
    await ann.send("Ann Lee")
    assert "Tap “📝 Register” below to begin." in ann.last.text
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(0,)]
