"""The one job runner: one name per job, planning again never doubles or drops a run, and
every kind of job can be named to people when it keeps failing."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta

import pytest

from bot.core.deps import Signal
from bot.core.i18n import catalogue
from scheduling import jobs
from scheduling.runner import next_at
from tests.harness import ADMIN_ID, MONDAY_8AM, TZ, Env
from tests.test_kitchen_e2e import CUTOFF, lunch


def job_names(env: Env) -> list[str]:
    assert env.app.job_queue is not None
    return sorted(job.name or "" for job in env.app.job_queue.jobs())


def test_every_kind_of_job_has_its_own_name_and_words_for_its_failure() -> None:
    """A step that keeps failing is named to staff and admins in their language."""
    names = [kind.name for kind in jobs.KINDS]
    assert len(names) == len(set(names))
    for lang in ("zh", "en"):
        words = catalogue(lang)
        assert [
            k.step for k in jobs.KINDS if f"staff.step_failing.step.{k.step}" not in words
        ] == []


def test_a_calendar_job_comes_back_on_the_next_day_or_first_of_the_month() -> None:
    december = datetime(2026, 12, 1, 6, 0, tzinfo=TZ)
    assert next_at(december, "month", december, TZ) == datetime(2027, 1, 1, 6, 0, tzinfo=TZ)
    assert next_at(december, "day", december - timedelta(minutes=1), TZ) == december
    assert next_at(december, "day", december, TZ) == december + timedelta(days=1)


def test_deps_is_built_whole_and_cannot_be_patched_afterwards(env: Env) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        env.deps.jobs_changed = Signal()  # type: ignore[misc]


async def test_planning_again_keeps_one_job_per_name_and_the_next_daily_run(env: Env) -> None:
    """Services saying jobs changed plan every job again from the store: nothing doubles,
    and the daily jobs keep their next run (the store does not know them)."""
    before = job_names(env)
    assert "admin:summary:canteen:1" in before
    for _ in range(3):
        env.deps.jobs_changed()
    await env.settle()
    assert job_names(env) == before


async def test_the_summary_due_in_a_jump_is_sent_once_while_jobs_are_planned_again(
    env: Env,
) -> None:
    """The clock jumps past 20:00: the summary due on the way runs once, though the jump
    plans every job again from the store (where the next summary is tomorrow's)."""
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    env.clock.set(MONDAY_8AM.replace(hour=19, minute=59))
    await env.settle()
    env.clock.set(MONDAY_8AM.replace(hour=20, minute=30))
    env.deps.jobs_changed()
    await env.settle()
    await env.drained()
    assert len([m for m in admin.messages if "Today at" in m.text]) == 1
    assert env.app.job_queue is not None
    (summary,) = env.app.job_queue.get_jobs_by_name("admin:summary:canteen:1")
    assert summary.data.at == MONDAY_8AM.replace(hour=20, minute=0) + timedelta(days=1)


async def test_a_reminder_runs_once_however_often_jobs_are_planned_again(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """The store lists a reminder until the cutoff, though it has run: planning again after
    its time must not run it again."""
    name = f"remind:window:{(await lunch(env)).id}"
    caplog.set_level(logging.DEBUG, logger="doorstep.jobs")
    env.clock.set(CUTOFF - timedelta(minutes=59))
    await env.settle()
    for _ in range(3):
        env.deps.jobs_changed()
        await env.advance(minutes=1)
    assert [r.getMessage() for r in caplog.records].count(f"running {name}") == 1
