"""Memory: resident set size of `python -m bot.cli run`, idle and with 10,000 orders.

The bot runs as its own process against an in-bench sandbox, so the benchmark's imports
do not count. Idle: a new store, measured once the bot has polled and gone quiet. Busy:
a store seeded through the data layer with 10,000 orders in yesterday's lunch, whose
cutoff passed "while the bot was down", so the bot closes it at start-up (kitchen sheet
and CSV for every order, the claim board); measured once it has gone quiet. VmRSS is the
size then, VmHWM the most it ever was.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench._common import (
    Target,
    doorstep_run,
    header,
    quiet,
    rss_mib,
    seed_orders,
    seeded_store,
    table,
    verdicts,
)
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from data import canteens, windows
from tests.harness import KITCHEN_CHAT, TOKEN

ORDERS = 10_000
TARGET_IDLE, TARGET_BUSY = 100.0, 150.0
TZ = ZoneInfo("Asia/Shanghai")


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmHWM for process {pid}")


async def seed_yesterday(db_path: Path) -> None:
    """10,000 orders at yesterday's lunch, made while yesterday's windows took orders."""
    yesterday = datetime.now(TZ).replace(hour=8, minute=0, second=0, microsecond=0)
    clock = ManualClock(yesterday - timedelta(days=1))
    async with seeded_store(db_path.parent, clock) as deps:
        canteen = await canteens.by_code(deps.db.conn, "sunrise")
        assert canteen is not None
        found = await windows.orderable(deps.db.conn, canteen.id, clock.now())
        lunch = next(w for w in found if w.meal == "lunch" and w.day == clock.now().date())
        await seed_orders(deps, lunch, ORDERS)


async def measure(orders: bool) -> tuple[float, float, int]:
    """(VmRSS, VmHWM in MiB, requests the bot made) once the bot is quiet."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "doorstep.sqlite3"
        if orders:
            await seed_yesterday(db_path)
        async with Sandbox(token=TOKEN) as sandbox:
            sandbox.group(KITCHEN_CHAT, "Kitchen")
            async with doorstep_run(sandbox, db_path) as (process, _):
                await quiet(sandbox, seconds=1.5, limit=30)
                sizes = rss_mib(process.pid), peak_mib(process.pid)
            with sqlite3.connect(db_path) as conn:
                (closed,) = conn.execute(
                    "SELECT COUNT(*) FROM windows WHERE state = 'closed'"
                ).fetchone()
            if orders and not closed:
                raise AssertionError("the overdue window was not closed at start-up")
            return (*sizes, len(sandbox.requests))


def main() -> int:
    header(
        "Memory: RSS of `python -m bot.cli run` against an in-bench sandbox, idle on a new "
        f"store, and after closing a window of {ORDERS} orders at start-up"
    )
    idle = asyncio.run(measure(orders=False))
    busy = asyncio.run(measure(orders=True))
    table(
        ["bot", "VmRSS MiB", "VmHWM MiB", "requests"],
        [["idle, new store", *idle], [f"{ORDERS} orders closed", *busy]],
    )
    return verdicts(
        [
            Target("RSS idle", idle[0], TARGET_IDLE, "MiB"),
            Target(f"RSS with {ORDERS} orders, peak", busy[1], TARGET_BUSY, "MiB"),
        ]
    )
