"""Window close: 10,000 orders in one window closed, the kitchen sheet and its CSV built.

The store is seeded through the data layer (one approved senior and one confirmed order
each: varied dishes, diets, allergies and fulfilment), then the clock passes the cutoff
and `bot.services.kitchen.windows.close` runs, as the close job runs it: the window moves to
closed, the sheet and CSV are built and queued to the kitchen chat, and the claim board
is opened (a delivery row for every delivery order). Each step is also timed alone.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench._common import Target, header, lunch_today, seed_orders, seeded_store, table, verdicts
from bot.core.clock import ManualClock
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.services.kitchen import kitchen_sheet, messages
from bot.services.kitchen import windows as window_service
from data import kitchen as orders_view
from tests.harness import MONDAY_8AM

ORDERS = int(os.environ.get("DOORSTEP_BENCH_ORDERS", "10000"))
TARGET_SECONDS = 1.0


async def measure() -> list[tuple[str, float, str]]:
    """(step, seconds, what came out) for the seeding, each step alone, and the close."""
    clock = ManualClock(MONDAY_8AM)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        async with seeded_store(Path(folder), clock) as deps:
            window = await lunch_today(deps)
            start = time.perf_counter()
            await seed_orders(deps, window, ORDERS)
            rows.append(("seed (not timed against a target)", time.perf_counter() - start, ""))
            lang = DEFAULT_LANGUAGE
            start = time.perf_counter()
            lines = await orders_view.lines(deps.db.conn, window.id)
            rows.append(("read the order lines", time.perf_counter() - start, f"{len(lines)}"))
            start = time.perf_counter()
            sheet = kitchen_sheet.build(window, lines, lang)
            rows.append(("count the sheet", time.perf_counter() - start, f"{len(sheet.dishes)}"))
            start = time.perf_counter()
            text = messages.sheet(sheet, lang)
            rows.append(("render the sheet", time.perf_counter() - start, f"{len(text)} chars"))
            start = time.perf_counter()
            csv = kitchen_sheet.to_csv(sheet)
            rows.append(("write the CSV", time.perf_counter() - start, f"{len(csv)} bytes"))
            clock.advance(window.cutoff_at - clock.now() + timedelta(minutes=1))
            start = time.perf_counter()
            closed = await window_service.close(deps, window.id)
            rows.append(("windows.close, all of it", time.perf_counter() - start, f"{closed}"))
            (queued,) = (await deps.db.fetchall("SELECT COUNT(*) FROM outbox"))[0]
            (made,) = (await deps.db.fetchall("SELECT COUNT(*) FROM deliveries"))[0]
            if not closed or queued < 2 or made == 0:
                raise AssertionError(f"close did not finish: {closed=}, {queued=}, {made=}")
    return rows


def main() -> int:
    """Closes the window; prints each step and the verdict."""
    header(
        f"Window close: {ORDERS} orders in one window; the close service builds and queues "
        "the kitchen sheet (HTML) and its CSV and opens the claim board"
    )
    rows = asyncio.run(measure())
    table(["step", "seconds", "result"], rows)
    close_seconds = rows[-1][1]
    return verdicts([Target(f"close {ORDERS} orders", close_seconds, TARGET_SECONDS, "s")])
