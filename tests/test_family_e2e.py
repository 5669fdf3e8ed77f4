"""Family members link by invite and order for the senior; codes work once and expire."""

from __future__ import annotations

import re
from typing import Any

from tests.harness import Env
from tests.residents_kit import seen, senior
from tests.test_ordering_e2e import order_lunch


async def invite_code(env: Env, user: Any) -> str:
    """The senior taps Family, then Invite; the code from the link the bot sends."""
    await user.click("👪 Family")
    card = next(m for m in reversed(user.messages) if "People who can order" in m.text)
    await user.click("🔗 Invite a family member", message=card)
    match = re.search(r"start=join_([A-Z0-9]+)", user.last.text)
    assert match is not None, user.last.text
    return match.group(1)


async def setup(env: Env) -> tuple[Any, int]:
    ann = env.user(4001, "Ann", language_code="en")
    resident_id = await senior(env, 4001, "Ann Lee")
    await ann.send("/start")
    return ann, resident_id


async def test_a_family_member_links_by_invite_and_orders_for_the_senior(env: Env) -> None:
    ann, resident_id = await setup(env)
    code = await invite_code(env, ann)
    ben = env.user(4002, "Ben", language_code="en")
    await ben.send(f"/start join_{code}")
    assert any("You can order meals for Ann Lee" in m.text for m in ben.messages)
    await order_lunch(ben, "🚪 Bring it to Ann Lee's door")
    await seen(env, ben, "Order placed")
    assert await env.rows("SELECT resident_id, placed_by FROM orders") == [(resident_id, 4002)]
    queued = await env.rows("SELECT chat_id FROM outbox WHERE key LIKE 'order:%:placed:%'")
    assert queued == [(4001,)]  # the senior hears of it; Ben, who ordered, was answered


async def test_a_second_family_member_sees_the_same_orders(env: Env) -> None:
    ann, _ = await setup(env)
    ben, cat = env.user(4002, "Ben", language_code="en"), env.user(4003, "Cat", language_code="en")
    await ben.send(f"/start join_{await invite_code(env, ann)}")
    await cat.send(f"/start join_{await invite_code(env, ann)}")
    await order_lunch(ben, "🚪 Bring it to Ann Lee's door")
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await cat.click("📋 My orders")
    assert f"Order #{order_id}" in cat.last.text
    assert "Ann Lee" in cat.last.text
    await cat.click("👪 Family")
    assert "Ann, Ben, Cat" in next(m.text for m in cat.messages if "People who can" in m.text)


async def test_a_reused_invite_code_is_refused(env: Env) -> None:
    ann, _ = await setup(env)
    code = await invite_code(env, ann)
    await env.user(4002, "Ben", language_code="en").send(f"/start join_{code}")
    dan = env.user(4004, "Dan", language_code="en")
    await dan.send(f"/start join_{code}")
    assert "not valid, has already been used, or has expired" in dan.last.text
    assert await env.rows("SELECT account_id FROM links WHERE account_id = 4004") == []


async def test_an_expired_invite_code_is_refused(env: Env) -> None:
    ann, _ = await setup(env)
    code = await invite_code(env, ann)
    await env.advance(days=4)
    dan = env.user(4004, "Dan", language_code="en")
    await dan.send(f"/start join_{code}")
    assert "has expired" in dan.last.text
    assert await env.rows("SELECT account_id FROM links WHERE account_id = 4004") == []


async def test_an_invite_for_a_senior_one_is_not_linked_to_is_refused(env: Env) -> None:
    ann, _ = await setup(env)
    other = await senior(env, 4005, "Bo Chen")
    await ann.press(f"fam1:inv:{other}")
    assert ann.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT COUNT(*) FROM invites") == [(0,)]
