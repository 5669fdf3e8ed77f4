"""The scheduler: windows close at their cutoff, once, across restarts and clock jumps."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.errors import DomainError
from bot.sandbox import Sandbox
from bot.services.kitchen import windows as window_service
from data import windows
from scheduling.windows import CLOSE, OPEN, REMIND, closing, next_ensure, opening, reminding
from tests.harness import KITCHEN_CHAT, MONDAY_8AM, Env, bot_running, make_config
from tests.test_kitchen_e2e import CUTOFF, add_resident, lunch, order, until


def sheets(sandbox: Sandbox) -> list[str]:
    return [m.text for m in sandbox.chat(KITCHEN_CHAT).messages if m.kind == "text"]


async def sheet_rows(env: Env) -> list[tuple[object, ...]]:
    return await env.rows("SELECT key FROM outbox WHERE key LIKE 'sheet%' ORDER BY key")


async def test_restart_after_the_cutoff_closes_once_and_sends_one_sheet(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> None:
    """The bot was down at 09:30; at start-up lunch closes once, and never again."""
    config = make_config(sandbox, tmp_path / "doorstep.sqlite3")
    async with bot_running(sandbox, config, clock) as env:
        wang = await add_resident(env, 3001, "Wang", diet="low_salt")
        await order(env, 3001, wang, "A", 1, "delivery")
        lunch_id = (await lunch(env)).id
    clock.set(CUTOFF + timedelta(minutes=20))  # nobody is listening now
    assert sheets(sandbox) == []
    async with bot_running(sandbox, config, clock) as env:
        await until(lambda: len(sheets(sandbox)) == 1, env)
        assert (await lunch(env)).state == "closed"
        assert "套餐A" in sheets(sandbox)[0]
        assert not await window_service.close(env.deps, lunch_id)
        await env.advance(minutes=1)
    async with bot_running(sandbox, config, clock) as env:
        await env.advance(hours=1)
        assert len(sheets(sandbox)) == 1
        assert await sheet_rows(env) == [
            (f"sheet-csv:window:{lunch_id}",),
            (f"sheet:window:{lunch_id}",),
        ]
        closed = await env.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'window.close'")
        assert closed == [(1,)]


async def test_an_order_in_the_last_second_is_cooked_and_one_after_is_refused(env: Env) -> None:
    """09:29:59 is before the cutoff; at 09:30:00 the window closes; 09:30:01 is too late."""
    wang = await add_resident(env, 3001, "Wang")
    li = await add_resident(env, 3002, "Li")
    env.clock.set(CUTOFF - timedelta(seconds=1))
    await env.settle()
    last = await order(env, 3001, wang, "C", 1, "pickup")
    await env.advance(seconds=1)
    await until(lambda: len(sheets(env.sandbox)) == 1, env)
    assert f"#{last} Wang" in sheets(env.sandbox)[0]
    env.clock.set(CUTOFF + timedelta(seconds=1))
    with pytest.raises(DomainError) as refused:
        await order(env, 3002, li, "C", 1, "pickup")
    assert refused.value.key == "resident.order.closed"
    assert await env.rows("SELECT resident_id FROM orders") == [(wang,)]


async def test_jobs_have_one_name_each_and_are_replaced_on_jumps(env: Env) -> None:
    """Planning again after a jump replaces jobs by name instead of adding more."""
    queue = env.app.job_queue
    assert queue is not None
    before = sorted(job.name or "" for job in queue.jobs())
    assert "ensure-windows" in before
    assert len(before) == len(set(before))
    await env.advance(minutes=5)
    await env.advance(minutes=5)
    after = sorted(job.name or "" for job in queue.jobs())
    assert after == before
    monday_lunch = (await lunch(env)).id
    assert f"close:window:{monday_lunch}" in after
    assert f"open:window:{monday_lunch}" not in after  # it opened at start-up


async def test_windows_open_at_their_time_and_the_daily_job_makes_the_next_day(env: Env) -> None:
    """Tuesday lunch opens Monday 16:00; Wednesday's windows appear after midnight."""
    tuesday = await lunch(env, day_offset=1)
    assert tuesday.state == "scheduled"
    env.clock.set(MONDAY_8AM.replace(hour=16, minute=0))
    await until_state(env, tuesday.id, "open")
    env.clock.set(MONDAY_8AM.replace(hour=23, minute=59) + timedelta(minutes=3))
    await env.settle()
    wednesday = MONDAY_8AM.date() + timedelta(days=2)
    for _ in range(100):
        if await windows.find(env.deps.db.conn, 1, wednesday, "lunch"):
            break
        await env.settle()
    assert await windows.find(env.deps.db.conn, 1, wednesday, "lunch") is not None
    assert (await lunch(env)).state == "closed"


async def until_state(env: Env, window_id: int, state: str) -> None:
    for _ in range(100):
        found = await windows.get(env.deps.db.conn, window_id)
        if found is not None and found.state == state:
            return
        await env.settle()
    raise AssertionError(f"window {window_id} never became {state}")


async def test_a_reminder_goes_to_residents_who_usually_order_and_have_not(env: Env) -> None:
    """Ordered lunch on two of the last 14 days and not today: asked an hour before."""
    wang = await add_resident(env, 3001, "Wang")
    li = await add_resident(env, 3002, "Li")
    for days_ago in (1, 2):
        await past_order(env, wang, days_ago)
    await past_order(env, li, 1)
    env.clock.set(CUTOFF - timedelta(hours=1))
    wang_user = env.user(3001, "Wang", "en")
    await until(lambda: "You usually order lunch" in wang_user.last.text, env)
    assert "closes at 09:30" in wang_user.last.text
    assert "usually" not in env.user(3002, "Li", "en").last.text


async def past_order(env: Env, resident_id: int, days_ago: int) -> None:
    """An order at an older lunch window (made here: windows are only made ahead)."""
    day = MONDAY_8AM.date() - timedelta(days=days_ago)
    moment = MONDAY_8AM - timedelta(days=days_ago)
    async with env.deps.db.transaction() as tx:
        window_id = await windows.create(tx, 1, day, "lunch", moment, moment, moment, moment)
        if window_id is None:
            found = await windows.find(tx, 1, day, "lunch")
            assert found is not None
            window_id = found.id
        await tx.execute("UPDATE windows SET state = 'done' WHERE id = ?", (window_id,))
        await tx.execute(
            "INSERT INTO orders (window_id, resident_id, fulfilment, status, price_fen,"
            " subsidy_fen, pay_fen, created_at, updated_at)"
            " VALUES (?, ?, 'pickup', 'collected', 1500, 0, 1500, ?, ?)",
            (window_id, resident_id, moment.isoformat(), moment.isoformat()),
        )


async def test_plan_skips_open_and_reminder_once_the_cutoff_passed(env: Env) -> None:
    """A window past its cutoff only needs closing; the daily job runs just after midnight."""
    window = (await lunch(env)).model_copy(update={"state": "scheduled"})
    moments = {OPEN: opening, REMIND: reminding, CLOSE: closing}

    def due(now: datetime) -> list[str]:
        return [kind.name.format(window.id) for kind, at in moments.items() if at(window, now)]

    assert due(window.opens_at) == [
        f"open:window:{window.id}",
        f"remind:window:{window.id}",
        f"close:window:{window.id}",
    ]
    assert due(window.cutoff_at) == [f"close:window:{window.id}"]
    assert await next_ensure(env.deps) == [
        (None, MONDAY_8AM.replace(hour=0, minute=1) + timedelta(days=1))
    ]
