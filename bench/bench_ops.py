"""Operations: what the operator's endpoints cost, and webhook against polling.

- `/healthz` and `/metrics` read over HTTP from the bot's health server on a store with
  ORDERS confirmed orders (the store's counts are read at each scrape);
- one resident sending /whoami TAPS times, one after the other, to the bot polling the
  sandbox and to the same bot taking the sandbox's webhook posts: the time from the tap
  to the bot having answered (the sandbox idle again), per tap.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

import aiohttp

from bench._common import (
    Target,
    header,
    lunch_today,
    percentile,
    seed_orders,
    seeded_store,
    table,
    verdicts,
)
from bot.core.clock import ManualClock
from bot.health import HealthServer
from bot.sandbox import Sandbox
from bot.webhook import WebhookPlan
from data.db import Database
from tests.harness import MONDAY_8AM, TOKEN, bot_running, free_port, make_config

ORDERS = int(os.environ.get("DOORSTEP_BENCH_ORDERS", "10000"))
SCRAPES = 50
TAPS = 100
TARGET_SCRAPE_P95_MS = 250.0


async def scrapes(folder: Path) -> dict[str, list[float]]:
    """Milliseconds per GET of each endpoint, on a store with ORDERS orders."""
    clock = ManualClock(MONDAY_8AM)
    async with seeded_store(folder, clock) as deps:
        await seed_orders(deps, await lunch_today(deps), ORDERS)
        server = HealthServer(deps, lambda: 0)
        port = free_port()
        await server.start("127.0.0.1", port)
        times: dict[str, list[float]] = {"/healthz": [], "/metrics": []}
        try:
            async with aiohttp.ClientSession() as session:
                for path, found in times.items():
                    for _ in range(SCRAPES):
                        started = time.perf_counter()
                        async with session.get(f"http://127.0.0.1:{port}{path}") as answer:
                            await answer.read()
                        found.append(1000 * (time.perf_counter() - started))
        finally:
            await server.stop()
        return times


async def taps(folder: Path, webhook: bool) -> list[float]:
    """Milliseconds from each /whoami to the bot having answered it."""
    store = folder / f"taps-{webhook}.sqlite3"
    await (await Database.open(store)).close()
    async with Sandbox(token=TOKEN) as sandbox:
        port = free_port()
        plan = WebhookPlan(f"http://127.0.0.1:{port}/hook", "127.0.0.1", port, "secret")
        config = make_config(sandbox, store)
        clock = ManualClock(MONDAY_8AM)
        async with bot_running(sandbox, config, clock, webhook=plan if webhook else None):
            user = sandbox.user(1001, "Ann", language_code="en")
            await user.send("/start")
            found = []
            for _ in range(TAPS):
                started = time.perf_counter()
                await user.send("/whoami")
                found.append(1000 * (time.perf_counter() - started))
            return found


def main() -> int:
    header(
        f"Operations: /healthz and /metrics ({SCRAPES} GETs each) on a store of {ORDERS} "
        f"orders; {TAPS} taps of /whoami one after the other, polling against webhook "
        "(bot, sandbox and client in one process, over HTTP on 127.0.0.1)"
    )
    folder = Path(tempfile.mkdtemp(prefix="doorstep-bench-ops-"))
    try:
        times = asyncio.run(scrapes(folder))
        polling = asyncio.run(taps(folder, webhook=False))
        webhook = asyncio.run(taps(folder, webhook=True))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for name, values in [*times.items(), ("tap, polling", polling), ("tap, webhook", webhook)]:
        ordered = sorted(values)
        rows.append([name, len(ordered), percentile(ordered, 50), percentile(ordered, 95)])
    table(["what", "n", "median ms", "p95 ms"], rows)
    targets = [
        Target(f"{path} p95", percentile(sorted(values), 95), TARGET_SCRAPE_P95_MS, "ms")
        for path, values in times.items()
    ]
    return verdicts(targets)
