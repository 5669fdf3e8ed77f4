"""A scheduled step that fails is tried again until it is done, and people are told.

The failure is real: a second connection holds the SQLite file's write lock (`BEGIN
EXCLUSIVE`), so the bot's close at the cutoff gets "database is locked", as when a
backup or another process holds the file (on PostgreSQL, it locks the tables the steps
write, and the bot's `lock_timeout` runs out). The bot's own wait for the lock (busy_timeout,
5 s in data/db.py) is shortened on its connection so that each try fails in 50 ms.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import psycopg

from data import accounts, invariants
from scheduling.retry import pause
from tests.harness import ADMIN_ID, KITCHEN_CHAT, ON_POSTGRES, Env
from tests.test_kitchen_e2e import CUTOFF, add_resident, lunch, order

COOK = 2001
FAILING_EN = "Not done yet: closing orders and the kitchen sheet"
FAILING_ZH = "还没完成：截止订餐和厨房单"
# What the store says, in the first line of its error, when the lock does not come.
LOCKED = "canceling statement due to lock timeout" if ON_POSTGRES else "database is locked"


@contextmanager
def write_lock(env: Env) -> Iterator[None]:
    """Another connection holds the database's write lock until the block ends (on
    PostgreSQL, a lock on the tables the steps write: reads go on)."""
    if ON_POSTGRES:
        with psycopg.connect(env.config.settings.db, autocommit=True) as holder:
            holder.execute("BEGIN")
            holder.execute("LOCK TABLE windows, outbox IN EXCLUSIVE MODE")
            yield
            holder.execute("ROLLBACK")
        return
    other = sqlite3.connect(env.config.settings.db_path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


async def staff_and_admin(env: Env) -> tuple[Any, Any]:
    cook = env.user(COOK, "Cook", language_code="zh-hans")
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, COOK, env.clock.now())
        await accounts.grant_role(tx, COOK, 1, "staff", None, env.clock.now())
    await cook.send("/start")
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    return cook, admin


async def wait_briefly_for_locks(env: Env) -> None:
    """The bot's own wait for a lock, cut to 50 ms."""
    if ON_POSTGRES:
        await env.deps.db.conn.execute("SET lock_timeout = '50ms'")
    else:
        await env.deps.db.conn.execute("PRAGMA busy_timeout=50")


def said(user: Any, needle: str) -> list[str]:
    return [m.text for m in user.messages if needle in m.text]


async def minutes_pass(env: Env, minutes: float) -> None:
    """The clock moves ten seconds at a time, so every retry due on the way runs."""
    for _ in range(round(minutes * 6)):
        await env.advance(seconds=10)


def test_the_pause_doubles_from_five_seconds_to_a_minute() -> None:
    assert [pause(n).total_seconds() for n in range(1, 9)] == [5, 10, 20, 40, 60, 60, 60, 60]
    assert pause(10**6) == timedelta(seconds=60)


async def test_a_close_on_a_locked_database_is_retried_told_and_done_once(env: Env) -> None:
    cook, admin = await staff_and_admin(env)
    for n in range(2):
        resident = await add_resident(env, 3001 + n, f"R{n}")
        await order(env, 3001 + n, resident, "A", 1, "pickup")
    await env.drained()
    await wait_briefly_for_locks(env)

    with write_lock(env):
        env.clock.set(CUTOFF)
        await env.settle()
        assert (await lunch(env)).state == "open"  # the close failed: nothing half done
        await minutes_pass(env, 2.9)
        assert said(cook, FAILING_ZH) == said(admin, FAILING_EN) == []  # not yet
        await minutes_pass(env, 0.2)  # three minutes of failing
        assert said(admin, FAILING_EN) == [
            f"⚠️ {FAILING_EN} (Mon 2 Mar lunch)\nIt has failed since 09:30: {LOCKED}"
            "\nDoorstep keeps trying by itself and will tell you when it is done."
            " If this goes on, please check the server."
        ]
        assert said(cook, FAILING_ZH) == [
            f"⚠️ {FAILING_ZH}（3月2日 周一午餐）\n从 09:30 起一直失败：{LOCKED}\n"
            "系统会自己一直重试，完成后会告诉您。如果一直这样，请检查服务器。"
        ]
        await minutes_pass(env, 3)
        assert len(said(admin, FAILING_EN)) == len(said(cook, FAILING_ZH)) == 1  # once
        assert (await lunch(env)).state == "open"
        assert env.sandbox.chat(KITCHEN_CHAT).messages == []

    await minutes_pass(env, 1)  # the store answers again: the next try closes
    await env.drained()
    assert (await lunch(env)).state == "closed"
    assert sorted(m.kind for m in env.sandbox.chat(KITCHEN_CHAT).messages) == ["document", "text"]
    assert await env.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'window.close'") == [(1,)]
    assert said(admin, "Done now") == [
        "✅ Done now: closing orders and the kitchen sheet (Mon 2 Mar lunch), 7 min late."
    ]
    assert said(cook, "已经完成") == [
        "✅ 已经完成：截止订餐和厨房单（3月2日 周一午餐），晚了 7 分钟。"
    ]
    await minutes_pass(env, 2)
    assert len(said(admin, "Done now")) == len(said(admin, FAILING_EN)) == 1
    assert await invariants.check(env.deps.db.conn) == []


async def test_the_daily_summary_on_a_locked_database_comes_once_the_lock_is_gone(
    env: Env,
) -> None:
    _cook, admin = await staff_and_admin(env)
    env.clock.set(CUTOFF.replace(hour=19, minute=59))  # the day's meals close as usual
    await env.settle()
    await env.drained()
    await wait_briefly_for_locks(env)
    with write_lock(env):
        await env.advance(minutes=1)  # 20:00, the daily summary
        await minutes_pass(env, 0.5)
        assert said(admin, "Today at") == []
    await env.advance(seconds=40)  # the next try
    await env.drained()
    assert len(said(admin, "Today at Sunrise Community Canteen")) == 1
    await minutes_pass(env, 2)
    assert len(said(admin, "Today at")) == 1
    assert said(admin, "Not done yet") == said(admin, "Done now") == []  # under 3 minutes
