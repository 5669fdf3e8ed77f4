"""The outbox: every queued message arrives exactly once, within Telegram's limits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.sandbox import RandomFaults
from bot.sandbox.faults import RateLimiter, RateLimits
from bot.services.notices import notify
from data import accounts, canteens, outbox
from data.db import Database
from tests.harness import KITCHEN_CHAT, Env


async def queue(env: Env, messages: list[tuple[str, int, str]]) -> None:
    async with env.deps.db.transaction() as tx:
        for key, chat_id, body in messages:
            await notify.text(tx, key, chat_id, body, env.clock.now())
    env.deps.outbox_queued()


@pytest.mark.paced
async def test_every_notification_arrives_once_under_ten_percent_faults(env: Env) -> None:
    people = [env.user(3000 + n, f"P{n}", language_code="en") for n in range(12)]
    for person in people:
        await person.send("/start")
    before = {person.chat_id: len(person.messages) for person in people}
    # From here on the sandbox refuses what Telegram would, and fails one request in ten.
    env.sandbox.server.rate_limiter = RateLimiter(RateLimits())
    env.sandbox.faults = RandomFaults(share=0.10, seed=11, hang=5.5)
    expected = [
        (f"test:{person.chat_id}:{n}", person.chat_id, f"Notice {n} for {person.name}")
        for person in people
        for n in range(4)
    ] + [(f"test:kitchen:{n}", KITCHEN_CHAT, f"Kitchen notice {n}") for n in range(6)]
    await queue(env, expected)
    await env.drained()

    injected = Counter(item.kind for item in env.sandbox.server.injected)
    assert injected["rate_limit"] == 0, "the sender went over Telegram's limits"
    assert sum(injected.values()) >= 3, "the faults were not exercised"
    for person in people:
        got = [m.text for m in person.messages[before[person.chat_id] :]]
        assert got == [f"Notice {n} for {person.name}" for n in range(4)]  # once, in order
    kitchen = [m.text for m in env.sandbox.chat(KITCHEN_CHAT).messages]
    assert kitchen == [f"Kitchen notice {n}" for n in range(6)]
    assert await env.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status") == [("sent", 54)]


async def test_the_same_key_queues_a_message_once(env: Env) -> None:
    ann = env.user(3100, "Ann", language_code="en")
    await ann.send("/start")
    await queue(env, [("once:1", 3100, "Only once")] * 3)
    await queue(env, [("once:1", 3100, "Only once")])
    await env.drained()
    assert [m.text for m in ann.messages].count("Only once") == 1


async def test_a_chat_that_blocked_the_bot_is_marked_and_staff_are_told(env: Env) -> None:
    deps = env.deps
    vic = env.user(3200, "Vic", language_code="en")
    sam = env.user(3201, "Sam", language_code="en")
    await vic.send("/start")
    await sam.send("/start")
    canteen = await canteens.by_code(deps.db.conn, "sunrise")
    assert canteen is not None
    async with deps.db.transaction() as tx:
        await accounts.grant_role(tx, 3200, canteen.id, "volunteer", None, env.clock.now())
        await accounts.grant_role(tx, 3201, canteen.id, "staff", None, env.clock.now())
    vic.block()
    await queue(env, [("route:3200", 3200, "Your route")])
    await env.drained()
    assert await env.rows("SELECT status FROM outbox WHERE key = 'route:3200'") == [("blocked",)]
    assert (await accounts.get(deps.db.conn, 3200)).blocked_at is not None  # type: ignore[union-attr]
    assert "Vic (id 3200) has blocked the bot" in sam.last.text


async def test_a_text_longer_than_a_message_arrives_in_parts_in_order_buttons_on_the_last(
    env: Env,
) -> None:
    ann = env.user(3400, "Ann", language_code="en")
    await ann.send("/start")
    before = len(ann.messages)
    lines = [f"#{n} Building {n % 40} · not reported" for n in range(1, 600)]
    body = "\n".join(["⏰ <b>Lunch</b>: not reported 60 minutes after serving:", *lines])
    for _ in range(2):  # the same key twice queues every part once
        async with env.deps.db.transaction() as tx:
            await notify.text(tx, "late:1", 3400, body, env.clock.now(), [[("Open", "x1:o")]])
        env.deps.outbox_queued()
        await env.drained()
    got = ann.messages[before:]
    assert len(got) > 1
    assert "\n".join(m.text for m in got) == body.replace("<b>", "").replace("</b>", "")
    assert [m.buttons for m in got] == [[]] * (len(got) - 1) + [[[("Open", "x1:o")]]]
    keys = await env.rows("SELECT key FROM outbox WHERE chat_id = 3400 ORDER BY id")
    assert keys == [("late:1",)] + [(f"late:1:part:{n}",) for n in range(2, len(got) + 1)]


async def test_a_message_refused_for_its_length_is_not_dropped_silently(env: Env) -> None:
    """Queued past the splitting (as a caption or a count Telegram makes differently
    could be), the refusal is recorded and the canteen's staff are told who missed what."""
    deps = env.deps
    vic = env.user(3500, "Vic", language_code="en")
    sam = env.user(3501, "Sam", language_code="en")
    await vic.send("/start")
    await sam.send("/start")
    canteen = await canteens.by_code(deps.db.conn, "sunrise")
    assert canteen is not None
    async with deps.db.transaction() as tx:
        await accounts.grant_role(tx, 3500, canteen.id, "volunteer", None, env.clock.now())
        await accounts.grant_role(tx, 3501, canteen.id, "staff", None, env.clock.now())
        body = "Your route: " + "stop " * 1000
        await outbox.enqueue(tx, "route:3500", 3500, "text", {"text": body}, env.clock.now())
    deps.outbox_queued()
    await env.drained()
    status = await env.rows("SELECT status, last_error FROM outbox WHERE key = 'route:3500'")
    assert status == [("failed", "Message is too long")]
    assert "A message to Vic (id 3500) was not sent" in sam.last.text
    assert "It began: “Your route: stop stop" in sam.last.text
    assert env.sandbox.violations == [
        "sendMessage: text: too long: 5011 characters, must be 1-4096 characters"
    ]
    env.sandbox.violations.clear()  # the refusal was the point of this test


@pytest.mark.sqlite_only
async def test_an_online_backup_holds_everything_written_so_far(env: Env, tmp_path: Path) -> None:
    for n in range(5):
        await env.user(3300 + n, f"U{n}", language_code="en").send("/start")
    target = tmp_path / "backup.sqlite3"
    await env.deps.db.backup(target)
    copy = await Database.open(target)
    try:
        assert (
            len(await copy.fetchall("SELECT id FROM accounts WHERE id BETWEEN 3300 AND 3304")) == 5
        )
        assert await outbox.by_status(copy.conn, "failed") == []
    finally:
        await copy.close()
