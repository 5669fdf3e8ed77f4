"""What the benchmarks share: the machine line, percentiles, tables, verdicts, RSS."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import random
import statistics
import sys
import time
import tomllib
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import AIORateLimiter

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.sandbox import ApiRequest, Sandbox
from bot.services.kitchen import schedule
from bot.settings import Config, Settings
from data import accounts, canteens, orders, residents, windows
from data.db import Database
from data.models import Fulfilment, Window

REPO = Path(__file__).resolve().parents[1]
# Which store the benchmarks run on: SQLite files, or a throwaway PostgreSQL server started
# here (`DOORSTEP_BENCH_STORE=postgresql`, as `make bench` runs them the second time).
ON_POSTGRES = os.environ.get("DOORSTEP_BENCH_STORE", "sqlite") == "postgresql"


def store_in(folder: Path) -> str:
    """A new, empty store: a file in `folder`, or a new database on the throwaway server."""
    if not ON_POSTGRES:
        return str(folder / "doorstep.sqlite3")
    from tests import pgserver

    return pgserver.create(pgserver.start(), pgserver.fresh_name())


def store_name() -> str:
    return "PostgreSQL (throwaway server, Unix socket)" if ON_POSTGRES else "SQLite file"


MIB = 1024 * 1024


def machine() -> str:
    """CPU count, Python, platform and the load average now, in one line."""
    one, five, _ = os.getloadavg()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return (
        f"on {os.cpu_count()} CPUs, {python}, {platform.system()} {platform.release()}, "
        f"load average {one:.2f} (1 min) {five:.2f} (5 min)"
    )


def header(what: str, store: str | None = None) -> None:
    """Say what is measured and on what, before the figures."""
    print(what)
    print(machine())
    print(f"store: {store or store_name()}")


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0..100) by linear interpolation; nan when empty."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return values[0] if share <= 0 else cuts[min(int(share), 99) - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print rows under headers; the first column left-aligned, the others right."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        print("  ".join([first, *rest]).rstrip())


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


@dataclass(frozen=True)
class Target:
    """One target: what was measured against what was wanted."""

    name: str
    measured: float
    limit: float
    unit: str
    at_least: bool = False  # True: the figure must reach the limit; False: stay under it

    @property
    def met(self) -> bool:
        if self.at_least:
            return self.measured >= self.limit
        return self.measured < self.limit

    def line(self) -> str:
        sign = ">=" if self.at_least else "<"
        verdict = "PASS" if self.met else "MISS"
        return (
            f"{verdict}  {self.name}: {self.measured:.2f} {self.unit} "
            f"(target {sign} {self.limit:g} {self.unit})"
        )


def verdicts(targets: Sequence[Target]) -> int:
    """Print a PASS/MISS line per target; 0 when all were met."""
    for target in targets:
        print(target.line())
    sys.stdout.flush()
    return 0 if all(t.met for t in targets) else 1


def rss_mib(pid: int | str = "self") -> float:
    """Resident set size of a process in MiB, from /proc/PID/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MIB
    raise LookupError(f"no VmRSS for process {pid}")


def bench_env() -> dict[str, str]:
    """The environment for a child process: this repo importable, PTB durations as timedelta."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env["PTB_TIMEDELTA"] = "true"
    return env


@contextlib.contextmanager
def ptb_limits(scale: float | None) -> Iterator[None]:
    """While building the app: PTB's AIORateLimiter with its overall and group rates
    multiplied by `scale` (None: no overall or group limit), so a benchmark that scales
    Telegram's limits, or lifts them as the floor bot has none, scales PTB's the same."""
    from bot import app as bot_app

    shipped = bot_app.AIORateLimiter

    def scaled(max_retries: int) -> AIORateLimiter:
        if scale is None:
            return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=max_retries)
        return AIORateLimiter(
            overall_max_rate=30 * scale, group_max_rate=20 * scale, max_retries=max_retries
        )

    bot_app.AIORateLimiter = scaled  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        bot_app.AIORateLimiter = shipped  # type: ignore[misc]


# --- a store seeded through the data layer ---------------------------------------------------

DIETS = ((), (), ("low_salt",), ("low_sugar",), ("soft", "low_salt"), ("minced",), ("halal",))
WAYS: tuple[Fulfilment, ...] = ("delivery", "delivery", "delivery", "pickup", "dine_in")
CANTEEN = (31.2304, 121.4737)
STAFF_ACCOUNT = 1


def bench_canteens() -> CanteenFile:
    """The example canteen file with enough of every dish for everyone."""
    data = tomllib.loads(example_text())
    for canteen in data["canteens"]:
        for dish in canteen["dishes"]:
            dish["portions"] = 100_000
    return CanteenFile.model_validate(data)


@contextlib.asynccontextmanager
async def seeded_store(folder: Path, clock: ManualClock) -> AsyncIterator[Deps]:
    """A fresh store with the example canteens synced and today's windows made."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        TELEGRAM_BOT_TOKEN="123456:BENCH-TOKEN",
        DOORSTEP_DB=store_in(folder),
    )
    db = await Database.open(settings.db)
    deps = Deps(config=Config(settings=settings, canteens=bench_canteens()), db=db, clock=clock)
    try:
        async with db.transaction() as tx:
            await canteens.sync(tx, deps.config.canteens.canteens)
        await schedule.ensure_windows(deps)
        yield deps
    finally:
        await db.close()


async def lunch_today(deps: Deps) -> Window:
    canteen = await canteens.by_code(deps.db.conn, "sunrise")
    assert canteen is not None
    found = await windows.orderable(deps.db.conn, canteen.id, deps.clock.now())
    return next(w for w in found if w.meal == "lunch" and w.day == deps.clock.now().date())


async def seed_orders(
    deps: Deps, window: Window, count: int, *, ways: tuple[Fulfilment, ...] = WAYS, seed: int = 1
) -> None:
    """`count` approved seniors with one order each at `window`: varied dishes, diets,
    fulfilment, buildings, one in five without a map pin; all in one transaction."""
    rng = random.Random(seed)
    menu = await windows.menu(deps.db.conn, window.id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await accounts.ensure(tx, STAFF_ACCOUNT, now)  # who typed the seniors in
        for n in range(count):
            pinned = rng.random() >= 0.2
            resident_id = await residents.create(
                tx,
                canteen_id=window.canteen_id,
                name=f"Senior {n}",
                phone="13800138000",
                building=f"Building {rng.randrange(max(count // 3, 1))}",
                unit=str(rng.randrange(1, 5)),
                room=str(rng.randrange(101, 1800)),
                lat=CANTEEN[0] + rng.gauss(0, 0.004) if pinned else None,
                lon=CANTEEN[1] + rng.gauss(0, 0.0045) if pinned else None,
                lives_alone=True,
                diet=list(rng.choice(DIETS)),
                allergies="peanuts" if rng.random() < 0.05 else "",
                age_band=80,
                created_by=STAFF_ACCOUNT,
                now=now,
            )
            await residents.decide(tx, resident_id, "approved")
            item = rng.choice(menu)
            order_id = await orders.create(
                tx,
                window_id=window.id,
                resident_id=resident_id,
                placed_by=None,
                source="staff",
                fulfilment=rng.choice(ways),
                status="confirmed",
                price_fen=item.price_fen,
                subsidy_fen=600,
                pay_fen=item.price_fen - 600,
                tier_code="age80",
                request_key=None,
                now=now,
            )
            assert order_id is not None
            await orders.add_item(tx, order_id, item.id, 1, item.price_fen)


# --- the real `doorstep run` in a child process, against an in-bench sandbox -----------------


class FirstPoll(list[ApiRequest]):
    """Stands in for the sandbox's request log: notes when the first getUpdates arrives
    and when the bot last asked for anything."""

    def __init__(self) -> None:
        super().__init__()
        self.polled = asyncio.Event()
        self.at = 0.0
        self.last_other = 0.0

    def append(self, request: ApiRequest) -> None:
        now = time.perf_counter()
        if request.method != "getUpdates":
            self.last_other = now
            super().append(request)
        elif not self.polled.is_set():
            self.at = now
            self.polled.set()


@contextlib.asynccontextmanager
async def doorstep_run(
    sandbox: Sandbox, db_path: Path, limit: float = 30.0
) -> AsyncIterator[tuple[asyncio.subprocess.Process, float]]:
    """Spawn `python -m bot.cli run` against the sandbox; yield it and the seconds from the
    spawn to its first getUpdates; terminate it afterwards."""
    requests = FirstPoll()
    sandbox.state.requests = requests
    env = bench_env() | {
        "TELEGRAM_BOT_TOKEN": sandbox.token,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "DOORSTEP_DB": str(db_path),
        "DOORSTEP_ADMIN_IDS": "9000",
    }
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.wait_for(requests.polled.wait(), limit)
        yield process, requests.at - start
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def quiet(sandbox: Sandbox, seconds: float, limit: float) -> None:
    """Wait until the bot has asked for nothing but updates for `seconds` (at most `limit`)."""
    requests = sandbox.state.requests
    assert isinstance(requests, FirstPoll)
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        idle = time.perf_counter() - requests.last_other
        if idle >= seconds and not sandbox.server.activity.in_flight:
            return
        await asyncio.sleep(0.1)
