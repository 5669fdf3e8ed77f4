"""Crash safety: the process dies at any statement of the close, the dispatch, the
meals-ready hand-over or the opening of tomorrow's lunch with its regular meals; started
again, the day ends as if each had run once.

How the death is made: the store's real SQLite connection counts the statements it
starts (a trace callback) and, from statement k on, interrupts every one (a progress
handler), so statement k and everything after it never reach the file, like a process
killed just before it. The dying run is then dropped without any shutdown: its
connection is closed with whatever transaction it had open, which SQLite rolls back
exactly as after a kill. A real bot then starts on the same file (start-up recovery,
jobs rebuilt from the store) and the rest of the day is played. For every k from 1 to
one past the last statement, the store must end exactly as in a run without a crash,
with one kitchen sheet and one CSV in the kitchen chat, one route per volunteer, and
every regular meal of tomorrow placed (or, its dish sold out, told about) exactly once.

A death rolls back the transaction it interrupts, so what it leaves depends only on the
transactions committed before it and on the step it came in. By default the test dies
once for each such state (at the first statement of each step, at each commit and just
after it) and at every STRIDE-th statement besides; DOORSTEP_TEST_DEPTH=full dies at
every statement.

Why not SIGKILL a subprocess: a kill lands wherever the scheduler happens to be, so N
random kills cover an unknown subset of the statements, and a bot process per run costs
seconds; counting statements reaches every one of them deterministically.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.canteen_file import CanteenFile, load_canteen_file
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.sandbox import Sandbox
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import standing
from bot.settings import Config
from data import accounts, invariants, windows
from data.db import Database
from scheduling import dispatch
from tests.harness import FULL_DEPTH, KITCHEN_CHAT, MONDAY_8AM, Env, bot_running, make_config
from tests.test_kitchen_e2e import add_resident, lunch, order
from tests.test_replay import add_volunteer

STAFF = 2001
VOLUNTEERS = (4001, 4002)
CLOSE_AT = MONDAY_8AM.replace(hour=9, minute=30)
CLAIM_UNTIL = MONDAY_8AM.replace(hour=10, minute=45)
READY_AT = MONDAY_8AM.replace(hour=11, minute=0)
OPEN_AT = MONDAY_8AM.replace(hour=12, minute=0)  # tomorrow's lunch (see crash_canteens)
TUESDAY = date(2026, 3, 3)
Step = tuple[str, datetime, Callable[[Deps, int], Awaitable[object]]]
STRIDE = 10  # deaths besides one per state left behind, by default


async def meals_ready(deps: Deps, window_id: int) -> object:
    return await window_service.meals_ready(deps, STAFF, window_id)


async def open_tomorrow(deps: Deps, _today_id: int) -> object:
    found = await windows.find(deps.db.conn, 1, TUESDAY, "lunch")
    assert found is not None
    return await window_service.open_window(deps, found.id)


STEPS: list[Step] = [
    ("close", CLOSE_AT, window_service.close),
    ("dispatch", CLAIM_UNTIL, dispatch.assign),
    ("meals ready", READY_AT, meals_ready),
    ("open tomorrow", OPEN_AT, open_tomorrow),
]


def crash_canteens() -> CanteenFile:
    """The example canteen, whose lunch opens at noon the day before: tomorrow's lunch then
    opens after today's is dispatched and before today's dinner closes at 15:00 (whose
    kitchen sheet would be one more in the kitchen chat)."""
    example = load_canteen_file(None)
    sunrise = example.canteens[0]
    rules = [
        rule.model_copy(update={"opens": time(12, 0)}) if rule.meal == "lunch" else rule
        for rule in sunrise.windows
    ]
    noon = sunrise.model_copy(update={"windows": rules})
    return example.model_copy(update={"canteens": [noon, *example.canteens[1:]]})


@dataclass
class Death:
    """Interrupts every statement from the k-th on (None: never)."""

    k: int | None
    started: int = 0
    step: int = 0  # the index in STEPS running now
    died_in: int = len(STEPS)  # len(STEPS): after the last step, or never
    statements: list[str] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)  # the step of each statement

    @property
    def dead(self) -> bool:
        return self.died_in < len(STEPS)

    def trace(self, sql: str) -> None:
        self.started += 1
        self.statements.append(sql)
        self.steps.append(self.step)
        if self.k is not None and self.started == self.k:
            self.died_in = self.step

    def progress(self) -> int:
        return int(self.dead)


@pytest.fixture(autouse=True)
def quick_routing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The route search effort is beside the point here (plans stay reproducible)."""
    monkeypatch.setattr(dispatch, "SOLVE_SECONDS", 0.02)


# Tomorrow's regular lunches: (resident number, dish, how); set B is sold out tomorrow.
REGULAR = ((0, "A", "delivery"), (3, "B", "pickup"))


async def morning(sandbox: Sandbox, config: Config, clock: ManualClock) -> int:
    """Four seniors order lunch (three to the door), staff confirm, two volunteers help;
    two of them have a regular lunch, and tomorrow's set B is sold out already."""
    async with bot_running(sandbox, config, clock) as env:
        async with env.deps.db.transaction() as tx:
            await accounts.ensure(tx, STAFF, clock.now())
            await accounts.grant_role(tx, STAFF, 1, "staff", None, clock.now())
        await env.user(STAFF, "Cook", "en").send("/start")
        for account_id in VOLUNTEERS:
            await add_volunteer(env, account_id, f"V{account_id}", capacity=2)
        for n, how in enumerate(("delivery", "delivery", "delivery", "pickup")):
            resident = await add_resident(env, 3001 + n, f"R{n}", building=f"{n + 1}")
            async with env.deps.db.transaction() as tx:
                await tx.execute(
                    "UPDATE residents SET lat = ?, lon = ?, delivery_eligible = 1 WHERE id = ?",
                    (31.23 + n / 500, 121.47 + n / 700, resident),
                )
            await order(env, 3001 + n, resident, "A", 1, how)  # type: ignore[arg-type]
        for n, dish, how in REGULAR:
            plan = standing.Plan(n + 1, "lunch", standing.WEEKDAYS_ONLY, dish, 1, how)  # type: ignore[arg-type]
            await standing.save(env.deps, 3001 + n, plan)
        tomorrow = {
            item.code: item
            for item in await windows.menu(env.deps.db.conn, (await lunch(env, 1)).id)
        }
        async with env.deps.db.transaction() as tx:
            await windows.set_sold_out(tx, tomorrow["B"].id, True)
        window_id = (await lunch(env)).id
        await receipt.confirm_all(env.deps, STAFF, window_id)
        return window_id


async def run_until_death(config: Config, path: Path, window_id: int, k: int | None) -> Death:
    """Play the close, the dispatch and meals ready on the file; die at statement k."""
    db = await Database.open(path)
    clock = ManualClock(CLOSE_AT)
    deps = Deps(config=config, db=db, clock=clock)
    death = Death(k)
    await db.conn.raw.set_trace_callback(death.trace)
    await db.conn.raw.set_progress_handler(death.progress, 1)
    try:
        for index, (_name, at, step) in enumerate(STEPS):
            death.step = index
            clock.set(at)
            await step(deps, window_id)
    except sqlite3.OperationalError:
        assert death.dead, "a statement failed before the process died"
    finally:
        await db.close()  # no COMMIT, no ROLLBACK: SQLite drops the open work, as if killed
    return death


async def rest_of_the_day(env: Env, window_id: int, resume: int) -> None:
    """What happens after the restart: the jobs that are due, and staff tapping again."""
    for name, at, _step in STEPS[resume:]:
        if env.clock.now() < at:
            env.clock.set(at)
            await env.settle()
        if name == "meals ready" and (await lunch(env)).state == "closed":
            # staff see the meals were not marked ready, and tap again
            await window_service.meals_ready(env.deps, STAFF, window_id)
            await env.settle()
    await env.settle()


async def outcome(env: Env) -> dict[str, Any]:
    return {
        "window": await env.rows(
            "SELECT day, state, dispatched_at IS NOT NULL FROM windows WHERE"
            " day IN ('2026-03-02', '2026-03-03') AND meal = 'lunch' ORDER BY day"
        ),
        "orders": await env.rows("SELECT id, status FROM orders ORDER BY id"),
        "regular": await env.rows(
            "SELECT resident_id, fulfilment FROM orders WHERE source = 'standing' ORDER BY id"
        ),
        "deliveries": await env.rows(
            "SELECT order_id, volunteer_id, seq, state FROM deliveries ORDER BY id"
        ),
        "outbox": await env.rows("SELECT key, chat_id FROM outbox ORDER BY key"),
        "audit": await env.rows(
            "SELECT action, COUNT(*) FROM audit_log WHERE action LIKE 'window.%' GROUP BY action"
        ),
    }


def commits(statements: list[str]) -> list[int]:
    """The statements (numbered from 1) that commit: a COMMIT, the RELEASE of an outermost
    savepoint, or a statement other than a SELECT outside any transaction."""
    found, depth = [], 0
    for k, sql in enumerate(statements, start=1):
        words = sql.upper().split()[:2]
        if words[0] == "BEGIN":
            depth = 1
        elif words[0] == "SAVEPOINT":
            depth += 1
        elif words[0] == "ROLLBACK" and words[1:] != ["TO"]:
            depth = 0
        elif words[0] in ("COMMIT", "END") or (words[0] == "RELEASE" and depth == 1):
            depth = 0
            found.append(k)
        elif words[0] == "RELEASE":
            depth -= 1
        elif depth == 0 and words[0] != "SELECT":
            found.append(k)
    return found


def death_points(clean: Death) -> list[int]:
    """Every statement, one past the last included, at full depth; else one death for each
    state a death can leave (the first statement of each step, each commit and the one
    after it) and every STRIDE-th statement."""
    last = len(clean.statements) + 1
    if FULL_DEPTH:
        return list(range(1, last + 1))
    firsts = [k for k in range(1, last) if k == 1 or clean.steps[k - 1] != clean.steps[k - 2]]
    done = commits(clean.statements)
    points = {*firsts, *done, *(k + 1 for k in done), *range(1, last + 1, STRIDE), last}
    return sorted(points)


def kitchen_kinds(sandbox: Sandbox) -> list[str]:
    return [m.kind for m in sandbox.chat(KITCHEN_CHAT).messages]


async def restart(sandbox: Sandbox, config: Config, window_id: int, death: Death) -> dict[str, Any]:
    resume = death.died_in
    at = STEPS[resume][1] if resume < len(STEPS) else STEPS[-1][1]
    clock = ManualClock(at + timedelta(minutes=1))
    seen = len(kitchen_kinds(sandbox))
    routes_seen = routes_shown(sandbox)
    async with bot_running(sandbox, config, clock) as env:
        await rest_of_the_day(env, window_id, resume)
        result = await outcome(env)
        assert await invariants.check(env.deps.db.conn) == [], f"k={death.k}"
        async with asyncio.timeout(30):
            while await env.rows("SELECT 1 FROM outbox WHERE status IN ('pending', 'sending')"):
                await env.settle()
    assert sorted(kitchen_kinds(sandbox)[seen:]) == ["document", "text"], f"k={death.k}"
    assert [b - a for a, b in zip(routes_seen, routes_shown(sandbox), strict=True)] == [1, 1]
    return result


def routes_shown(sandbox: Sandbox) -> list[int]:
    """How many route headings each volunteer has been sent so far."""
    return [sum("Your route for" in m.text for m in sandbox.chat(v).messages) for v in VOLUNTEERS]


@pytest.mark.sqlite_only  # dies by SQLite's statement trace (the kill test covers PostgreSQL)
async def test_a_death_at_any_statement_of_close_dispatch_ready_or_opening_leaves_one_of_each(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> None:
    pristine = tmp_path / "pristine.sqlite3"
    window_id = await morning(sandbox, make_config(sandbox, pristine, crash_canteens()), clock)

    async def attempt(k: int | None) -> tuple[Death, dict[str, Any]]:
        path = tmp_path / f"k{k}.sqlite3"
        shutil.copy(pristine, path)
        config = make_config(sandbox, path, crash_canteens())
        death = await run_until_death(config, path, window_id, k)
        return death, await restart(sandbox, config, window_id, death)

    clean, expected = await attempt(None)
    routes = [key for key, _ in expected["outbox"] if key.startswith("route:")]
    assert routes == [f"route:window:{window_id}:account:{v}" for v in VOLUNTEERS]
    assert [key for key, _ in expected["outbox"] if key.startswith("sheet")] == [
        f"sheet-csv:window:{window_id}",
        f"sheet:window:{window_id}",
    ]
    assert [row for row in expected["audit"] if row[0] != "window.open"] == [
        ("window.close", 1),
        ("window.ready", 1),
        ("window.routes", 1),
    ]
    assert expected["window"][1][:2] == ("2026-03-03", "open")
    assert expected["regular"] == [(1, "delivery")]  # the other one's set B is sold out
    missed = [key for key, _ in expected["outbox"] if ":missed:" in key]
    assert [chat for key, chat in expected["outbox"] if ":missed:" in key] == [STAFF, 3004]
    assert all(key.startswith("standing:") for key in missed)

    total = len(clean.statements)
    for k in death_points(clean):
        death, result = await attempt(k)
        assert result == expected, f"died at statement {k}: {death.statements[-1]}"
    assert total > 50  # the four steps were played statement by statement
    assert len(commits(clean.statements)) >= 7  # each step commits, the close twice
    assert clean.steps.count(len(STEPS) - 1) > 30  # the opening, meal by meal
