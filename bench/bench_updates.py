"""Updates in: many residents ordering at once through the sandbox over HTTP.

Two bots poll the same in-process sandbox in turn, over the same HTTP:
- the floor: a bare PTB bot that answers each message with one aiosqlite insert and one
  reply, so its rate is what PTB, HTTP and the sandbox allow at best;
- Doorstep, built by `build_application` on a fresh SQLite file, with approved
  residents who order lunch with the six taps of the order flow (Order a meal, Lunch
  today, Set A, 1 portion, Bring it to my door, Place order).

Every resident is a task that taps, waits for the bot's reply in its chat (the moment
the sandbox has the bot's sendMessage), and taps again at once: a closed loop with no
pause, so the bot always has work. "A tap" is one update answered; "an order" is the
whole six-tap flow, and, in the last run, the final "Place order" tap alone for
residents who were one tap away.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench._common import (
    Target,
    bench_canteens,
    header,
    percentile,
    ptb_limits,
    table,
    verdicts,
)
from bot.app import build_application
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import BotEvent, Event, Sandbox, SandboxUser
from data import accounts, canteens, links, residents
from tests.harness import KITCHEN_CHAT, MONDAY_8AM, TOKEN, make_config

RESIDENTS = int(os.environ.get("DOORSTEP_BENCH_RESIDENTS", "100"))
ORDER = "🍱 Order a meal"
FLOW = (ORDER, "Lunch today (order by 09:30)", "Set A: steamed sea bass, greens, rice · 9 yuan")
FLOW += ("1", "🚪 Bring it to my door", "✅ Place order")
REPLY_TIMEOUT = 30.0
TARGET_SHARE = 0.5
TARGET_P95_MS = 50.0


class ReplyWatch(list[Event]):
    """Stands in for the sandbox transcript: resolves a resident's wait on the bot's reply.

    The sandbox appends a BotEvent once the bot's message is stored in the chat, so a
    resident who is told the time can tap the next button at once. Events are not kept.
    """

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[str, asyncio.Future[float]] = {}
        self.needs_keyboard = False

    def expect(self, chat: str) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        self._waiting[chat] = future
        return future

    def append(self, event: Event) -> None:
        if not isinstance(event, BotEvent) or event.action != "sent":
            return
        # Doorstep's answers to a tap carry a reply keyboard; outbox notices do not.
        if self.needs_keyboard and event.keyboard is None:
            return
        future = self._waiting.pop(event.chat, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())


@dataclass(frozen=True)
class Run:
    """One load: every tap's time to reply, and the wall time from first tap to last reply."""

    name: str
    latencies: list[list[float]]  # per tap of the flow, seconds
    wall: float
    orders: float

    @property
    def taps_per_second(self) -> float:
        return self.taps / self.wall

    @property
    def taps(self) -> int:
        return sum(len(per_tap) for per_tap in self.latencies)

    @property
    def all_ms(self) -> list[float]:
        return sorted(1000 * s for per_tap in self.latencies for s in per_tap)

    def row(self) -> list[object]:
        ms = self.all_ms
        last = sorted(1000 * s for s in self.latencies[-1])
        return [
            self.name,
            self.taps,
            self.taps / self.wall,
            self.orders / self.wall,
            percentile(ms, 50),
            percentile(ms, 95),
            percentile(last, 50),
            percentile(last, 95),
        ]


Press = Callable[[SandboxUser, str], Awaitable[object]]
Pause = Callable[[], float]


async def tap_through(
    user: SandboxUser, taps: Sequence[str], watch: ReplyWatch, press: Press, pause: Pause
) -> list[float]:
    """Pause, tap a button, wait for the bot's reply, and again; the time each reply took."""
    took = []
    for text in taps:
        await asyncio.sleep(pause())  # paced residents do not all start in the same instant
        reply = watch.expect(user.name)
        start = time.perf_counter()
        await press(user, text)
        took.append(await asyncio.wait_for(reply, REPLY_TIMEOUT) - start)
    return took


@dataclass(frozen=True)
class Load:
    """How residents tap: how many at once, and how long each pauses after a reply."""

    residents: int
    pause: tuple[float, float] = (0.0, 0.0)  # uniform, seconds

    def pauses(self, seed: int) -> Pause:
        low, high = self.pause
        rng = random.Random(seed)
        return lambda: rng.uniform(low, high)


SATURATED = Load(RESIDENTS)
HUMAN = Load(RESIDENTS // 2, (1.0, 3.0))


async def load(
    name: str,
    users: list[SandboxUser],
    taps: Sequence[str],
    watch: ReplyWatch,
    press: Press,
    *,
    pause: Load = SATURATED,
    orders_each: float = 1.0,  # the floor's six taps count as one order's worth
) -> Run:
    """Every user taps through `taps` at the same time; per-tap latencies and wall time."""
    start = time.perf_counter()
    each = await asyncio.gather(
        *(tap_through(u, taps, watch, press, pause.pauses(u.id)) for u in users)
    )
    wall = time.perf_counter() - start
    per_tap = [list(column) for column in zip(*each, strict=True)]
    return Run(name, per_tap, wall, orders_each * len(users))


async def say(user: SandboxUser, text: str) -> object:
    return await user.send(text, wait=False)


async def click(user: SandboxUser, text: str) -> object:
    return await user.click(text, wait=False)


# --- the floor: a bare PTB bot, one insert and one reply per update -----------------------


def floor_app(sandbox: Sandbox, db_path: Path) -> Application:  # type: ignore[type-arg]
    """Default PTB settings, like Doorstep's: updates one at a time, no rate limiter."""

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        conn = await aiosqlite.connect(db_path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL"):
            await conn.execute(f"PRAGMA {pragma}")
        await conn.execute("CREATE TABLE taps (update_id INTEGER PRIMARY KEY, text TEXT)")
        app.bot_data["conn"] = conn

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await app.bot_data["conn"].close()

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(sandbox.base_url)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, floor_answer))
    return app


async def floor_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One insert, one reply."""
    assert update.message is not None
    conn: aiosqlite.Connection = context.bot_data["conn"]
    await conn.execute(
        "INSERT INTO taps (update_id, text) VALUES (?, ?)",
        (update.update_id, update.message.text),
    )
    await update.message.reply_text("ok")


async def run_floor(sandbox: Sandbox, watch: ReplyWatch, folder: Path) -> list[Run]:
    """The floor under both loads: saturated, then at a person's pace."""
    people = iter(range(100_000, 200_000))
    taps = [f"tap {n}" for n in range(len(FLOW))]
    watch.needs_keyboard = False
    runs = []
    app = floor_app(sandbox, folder / "floor.sqlite3")
    async with running(app):
        await sandbox.idle()
        for how in (SATURATED, HUMAN):
            users = [
                sandbox.user(next(people), f"F{n}", language_code="en")
                for n in range(how.residents)
            ]
            name = f"floor, {how.residents} {'paced' if how.pause[1] else 'at once'}"
            runs.append(await load(name, users, taps, watch, say, pause=how))
    return runs


# --- Doorstep -------------------------------------------------------------------------------


async def seed_residents(deps: Deps, account_ids: Sequence[int]) -> None:
    """Approved seniors aged 80+, living alone, each registered by their own account."""
    canteen = await canteens.by_code(deps.db.conn, "sunrise")
    assert canteen is not None
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for account_id in account_ids:
            await accounts.ensure(tx, account_id, now)
            resident_id = await residents.create(
                tx,
                canteen_id=canteen.id,
                name=f"Senior {account_id}",
                phone="13800138000",
                building=f"Building {account_id % 12 + 1}",
                unit="",
                room=str(101 + account_id % 600),
                lat=None,
                lon=None,
                lives_alone=True,
                diet=[],
                allergies="",
                age_band=80,
                created_by=account_id,
                now=now,
            )
            await residents.decide(tx, resident_id, "approved")
            await links.create(tx, account_id, resident_id, "self", now)


@asynccontextmanager
async def doorstep(
    sandbox: Sandbox, db_path: Path, *, lift_cap: bool = False
) -> AsyncIterator[Deps]:
    """Doorstep as `doorstep run` builds it, on a fresh file; `lift_cap` drops PTB's overall
    30 messages a second (AIORateLimiter) so the stack's own capacity shows, as the floor's."""
    config = make_config(sandbox, db_path, bench_canteens())
    with ptb_limits(None) if lift_cap else contextlib.nullcontext():
        app = build_application(config, ManualClock(MONDAY_8AM), TrackedApplication)
    assert isinstance(app, TrackedApplication)
    sandbox.busy_probe = app.busy
    try:
        async with running(app):
            await sandbox.idle()
            yield app.bot_data["deps"]
            await sandbox.idle(timeout=60)
    finally:
        sandbox.busy_probe = None


class Residents:
    """Fresh approved seniors who have said /start (each can order one lunch today)."""

    def __init__(self, sandbox: Sandbox, watch: ReplyWatch, first_id: int) -> None:
        self.sandbox = sandbox
        self.watch = watch
        self.ids = iter(range(first_id, first_id + 100_000))

    async def new(self, deps: Deps, count: int) -> list[SandboxUser]:
        users = [self.sandbox.user(i, f"D{i}", language_code="en") for i in self._take(count)]
        await seed_residents(deps, [u.id for u in users])
        self.watch.needs_keyboard = True
        await load("/start", users, ["/start"], self.watch, say)
        return users

    def _take(self, count: int) -> list[int]:
        return [next(self.ids) for _ in range(count)]


async def run_doorstep(sandbox: Sandbox, watch: ReplyWatch, folder: Path) -> list[Run]:
    """As shipped: the full flow at once, the final tap alone, the flow at a person's pace;
    then the full flow at once with PTB's overall cap lifted."""
    people = Residents(sandbox, watch, 200_000)
    runs = []
    async with doorstep(sandbox, folder / "doorstep.sqlite3") as deps:
        users = await people.new(deps, SATURATED.residents)
        runs.append(await load(f"Doorstep, {len(users)} at once", users, FLOW, watch, click))
        users = await people.new(deps, SATURATED.residents)
        await load("5 taps", users, FLOW[:-1], watch, click)
        runs.append(await load("Doorstep, last tap only", users, FLOW[-1:], watch, click))
        users = await people.new(deps, HUMAN.residents)
        name = f"Doorstep, {len(users)} paced"
        runs.append(await load(name, users, FLOW, watch, click, pause=HUMAN))
        await _check_orders(deps, 2 * SATURATED.residents + HUMAN.residents)
    async with doorstep(sandbox, folder / "uncapped.sqlite3", lift_cap=True) as deps:
        users = await people.new(deps, SATURATED.residents)
        name = f"Doorstep, {len(users)} at once, no 30/s cap"
        runs.append(await load(name, users, FLOW, watch, click))
        await _check_orders(deps, SATURATED.residents)
    return runs


async def _check_orders(deps: Deps, expected: int) -> None:
    await asyncio.sleep(0)
    (placed,) = (await deps.db.fetchall("SELECT COUNT(*) FROM orders"))[0]
    if placed != expected:
        raise AssertionError(f"{placed} orders stored, {expected} expected")


async def measure() -> tuple[list[Run], list[Run]]:
    sandbox = Sandbox(token=TOKEN, bot_username="doorstep_bot")
    watch = ReplyWatch()
    sandbox.state.transcript = watch
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox:
            sandbox.group(KITCHEN_CHAT, "Kitchen")
            floor = await run_floor(sandbox, watch, Path(folder))
            doorstep = await run_doorstep(sandbox, watch, Path(folder))
    sandbox.assert_no_violations()
    return floor, doorstep


def main() -> int:
    """Runs the floor and Doorstep under the same loads; prints the table and verdicts."""
    low, high = HUMAN.pause
    header(
        "Updates in: residents ordering through the sandbox over HTTP (bot, sandbox and "
        "residents in one process, 127.0.0.1). 'at once': every resident taps again as soon "
        f"as the reply is in; 'paced': {low:g}-{high:g} s between a reply and the next tap"
    )
    (floor_at_once, floor_paced), (at_once, last, paced, uncapped) = asyncio.run(measure())
    table(
        ["run", "taps", "taps/s", "orders/s", "p50 ms", "p95 ms", "last p50", "last p95"],
        [r.row() for r in (floor_at_once, at_once, uncapped, last, floor_paced, paced)],
    )
    print(
        "taps/s: updates answered a second; orders/s: six-tap orders completed a second "
        "(floor: taps/6); p50/p95: tap to the bot's reply stored by the sandbox, over all "
        "taps; last: the final 'Place order' tap only. Doorstep sends through PTB's "
        "AIORateLimiter (Telegram's 30 messages a second overall); the floor has none."
    )

    def share(run: Run) -> float:
        return run.taps_per_second / floor_at_once.taps_per_second

    return verdicts(
        [
            Target(
                "order flow taps/s / floor's, as shipped", share(at_once), TARGET_SHARE, "", True
            ),
            Target(
                "order flow taps/s / floor's, 30/s cap lifted",
                share(uncapped),
                TARGET_SHARE,
                "",
                True,
            ),
            Target(
                "order flow p95 tap to reply, paced",
                percentile(paced.all_ms, 95),
                TARGET_P95_MS,
                "ms",
            ),
            Target(
                "order flow p95 tap to reply, at once",
                percentile(at_once.all_ms, 95),
                TARGET_P95_MS,
                "ms",
            ),
        ]
    )
