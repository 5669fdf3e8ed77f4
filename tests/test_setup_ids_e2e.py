"""Finding ids without reading code: /whoami, and the group's id when the bot is added."""

from __future__ import annotations

from bot.sandbox import Sandbox
from tests.harness import KITCHEN_CHAT, Env

NEW_GROUP = -1002000000002


async def test_whoami_tells_a_person_their_own_id(env: Env) -> None:
    li = env.user(1001, "李主任")
    await li.send("/whoami")
    assert li.last.text.startswith("您的 Telegram 用户编号是 1001。")
    en = env.user(1002, "Pat", language_code="en")
    await en.send("/whoami")
    assert en.last.text.startswith("Your Telegram user id is 1002.")


async def test_whoami_in_a_group_tells_the_groups_id(env: Env) -> None:
    pat = env.user(1002, "Pat", language_code="en")
    kitchen = env.sandbox.chat(KITCHEN_CHAT)
    await pat.send("/whoami", chat=kitchen)
    assert kitchen.last.text == f"This group's chat id is {KITCHEN_CHAT}; your user id is 1002."


async def test_the_bot_says_a_groups_id_when_added_to_it(env: Env, sandbox: Sandbox) -> None:
    group = sandbox.group(NEW_GROUP, "新厨房", bot_status="left")
    li = env.user(1001, "李主任")
    await li.add_bot_to(group)
    assert f"本群的聊天编号是 {NEW_GROUP}。" in group.last.text
    assert "kitchen_chat_id" in group.last.text
    await li.add_bot_to(group)  # already in it: nothing new to say
    assert len(group.messages) == 1
