"""Erase: one senior removed from a store whose outbox holds a year of messages.

The store is seeded through the data layer: a window of 1,000 seniors closed (so the
kitchen sheet and its CSV name them all), then MESSAGES notices queued as services queue
them (`notify.text`) and marked sent, one in a hundred naming the senior to erase. Then
`bot.services.people.privacy.erase` runs as the admin's button runs it: her meal still to come
cancelled and the kitchen told, every outbox row that may name her read and rewritten,
notes and roster files looked through, her rows blanked, the write-ahead log emptied.
The erase holds the store's write lock throughout, so its time is how long every other
write waits.
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
from bot.services.kitchen import windows as window_service
from bot.services.notices import notify
from bot.services.people import privacy
from data import accounts
from data.erasure import checkpoint
from tests.harness import MONDAY_8AM

MESSAGES = int(os.environ.get("DOORSTEP_BENCH_MESSAGES", "50000"))
SENIORS = 1000
ADMIN = 9000
# Every other write (an order, a tap) waits for the erase: a few seconds, for a rare
# admin action, is a pause a senior ordering at that moment would barely notice.
TARGET_SECONDS = 3.0


async def measure() -> list[tuple[str, float, str]]:
    clock = ManualClock(MONDAY_8AM)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        async with seeded_store(Path(folder), clock) as deps:
            start = time.perf_counter()
            window = await lunch_today(deps)
            await seed_orders(deps, window, SENIORS)
            clock.advance(window.cutoff_at - clock.now() + timedelta(minutes=1))
            await window_service.close(deps, window.id)
            (rid, name), *_ = await deps.db.fetchall(
                "SELECT id, name FROM residents ORDER BY id LIMIT 1 OFFSET 7"
            )
            now = clock.now()
            async with deps.db.transaction() as tx:
                await accounts.ensure(tx, ADMIN, now)
                await accounts.grant_role(tx, ADMIN, window.canteen_id, "admin", None, now)
                await tx.execute("UPDATE residents SET phone = '13912345678' WHERE id = ?", (rid,))
                for n in range(MESSAGES):
                    body = (
                        f"Order No. {n}: {name}'s lunch is on its way."
                        if n % 100 == 0
                        else f"Order No. {n}: your lunch is on its way."
                    )
                    await notify.text(tx, f"bench:{n}", 100_000 + n % 3000, body, now)
                await tx.execute(
                    "UPDATE outbox SET status = 'sent', attempts = 1, message_id = id,"
                    " sent_at = created_at"
                )
            (size,) = (await deps.db.fetchall("SELECT COUNT(*) FROM outbox"))[0]
            await checkpoint(deps.db.conn)  # the seeding's log, as if the bot had run a while
            rows.append(("seed (not timed against a target)", time.perf_counter() - start, ""))
            before = await deps.db.fetchall("SELECT id, payload FROM outbox")
            start = time.perf_counter()
            await privacy.erase(deps, ADMIN, int(rid))
            seconds = time.perf_counter() - start
            after = dict(await deps.db.fetchall("SELECT id, payload FROM outbox"))
            changed = sum(1 for row_id, payload in before if after.get(row_id) != payload)
            rows.append((f"erase, outbox of {size} messages", seconds, f"{changed} rewritten"))
            left = await deps.db.fetchall(
                "SELECT COUNT(*) FROM outbox WHERE instr(payload, ?) > 0", (f"{name}'s",)
            )
            if left[0][0] or changed < MESSAGES // 100:
                raise AssertionError(f"erase did not finish: {left[0][0]} left, {changed=}")
    return rows


def main() -> int:
    """Erases one senior; prints the time and the verdict."""
    header(
        f"Erase: one of {SENIORS} seniors, from a store with {MESSAGES} sent notices "
        "(1 in 100 naming her) and a closed window's kitchen sheet and CSV"
    )
    rows = asyncio.run(measure())
    table(["step", "seconds", "result"], rows)
    return verdicts([Target(f"erase with {MESSAGES} messages", rows[-1][1], TARGET_SECONDS, "s")])
