"""A message Telegram refuses because its receiver never started the bot is kept, and
sent when they do: an admin who opens the bot late still gets the approval cards."""

from __future__ import annotations

from bot.services.people.accounts import HELD_FOR
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import register_by_chat


async def test_an_approval_card_waits_for_an_admin_who_had_not_started_the_bot(
    env: Env,
) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")  # exists, never pressed Start
    await register_by_chat(env, env.user(1001, "Wang", language_code="en"), "Wang Fang")
    await env.advance(minutes=30)  # the approval digest is due
    await env.drained()
    held = await env.rows("SELECT status, held FROM outbox WHERE chat_id = ?", (ADMIN_ID,))
    assert held
    assert set(held) == {("blocked", 1)}
    assert admin.messages == []
    assert await env.rows("SELECT blocked_at FROM accounts WHERE id = ?", (ADMIN_ID,)) == [
        (None,)
    ]  # not taken for someone who blocked the bot

    await admin.send("/start")
    await env.drained()
    assert any("Wang Fang" in m.text for m in admin.messages)
    assert await env.rows("SELECT 1 FROM outbox WHERE held = 1") == []


async def test_held_messages_older_than_a_week_stay_unsent(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await register_by_chat(env, env.user(1001, "Wang", language_code="en"), "Wang Fang")
    await env.advance(minutes=30)
    await env.drained()
    await env.advance(seconds=HELD_FOR.total_seconds() + 3600)
    await env.drained()
    before = {m.text for m in admin.messages}
    await admin.send("/start")
    await env.drained()
    assert not any("Wang Fang" in t for t in {m.text for m in admin.messages} - before)
