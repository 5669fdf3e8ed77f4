"""The outbox: every queued message arrives exactly once, within Telegram's limits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.sandbox import RandomFaults
from bot.sandbox.faults import RateLimiter, RateLimits
from bot.services import notify
from data import accounts, canteens, outbox
from data.db import Database
from tests.harness import KITCHEN_CHAT, Env


async def queue(env: Env, messages: list[tuple[str, int, str]]) -> None:
    async with env.deps.db.transaction() as tx:
        for key, chat_id, body in messages:
            await notify.text(tx, key, chat_id, body, env.clock.now())
    env.deps.outbox_queued()


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
