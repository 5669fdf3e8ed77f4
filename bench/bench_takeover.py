"""Takeover: two `doorstep run` processes on one PostgreSQL; the leader is killed with
SIGKILL and the standby takes the lease and answers. Three kills, a new standby after each.

Measured from the kill to the new leader's lease (`takeover`) and to the first answer to a
message sent right after the kill (`answered`). The lease lasts DOORSTEP_LEASE_SECONDS
(10 s): a standby takes it within that and a second, then starts the bot (about a second).
On a SQLite store there is one process and no takeover, so this runs on PostgreSQL only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

from bench._common import Target, header, table, verdicts
from bot.sandbox import Sandbox
from tests import pgserver
from tests.harness import ADMIN_ID, TOKEN
from tests.test_failover_e2e import Cluster

KILLS = 3
TARGET_SECONDS = 15.0


async def measure() -> list[tuple[str, float, float]]:
    admin = pgserver.start()
    url = pgserver.create(admin, pgserver.fresh_name())
    rows = []
    sandbox = Sandbox(token=TOKEN)
    async with sandbox:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "DOORSTEP_DB": url,
            "DOORSTEP_ADMIN_IDS": str(ADMIN_ID),
        }
        bots = Cluster(url, env)
        try:
            await bots.start()
            await bots.leader()
            await bots.start()
            user = sandbox.user(3001, "Ann", language_code="en")
            for n in range(KILLS):
                pid, generation = await bots.leader()
                dead = bots.processes.pop(pid)
                dead.send_signal(signal.SIGKILL)
                killed = time.perf_counter()
                await dead.wait()
                before = len(user.messages)
                await user.send("/start", wait=False)
                await bots.start()
                while (await bots.leader())[1] == generation:  # noqa: ASYNC110 - other processes
                    await asyncio.sleep(0.05)
                took = time.perf_counter() - killed
                async with asyncio.timeout(60):
                    while len(user.messages) <= before:  # noqa: ASYNC110 - other processes
                        await asyncio.sleep(0.02)
                rows.append((f"kill {n + 1}", took, time.perf_counter() - killed))
        finally:
            await bots.stop()
    return rows


def main() -> int:
    header(
        "Takeover: two `doorstep run` on one PostgreSQL against the sandbox; the leader "
        f"SIGKILLed {KILLS} times (lease 10 s)",
        store="PostgreSQL (throwaway server, Unix socket)",
    )
    rows = asyncio.run(measure())
    table(["kill", "takeover s", "answered s"], rows)
    worst = max(max(r[1], r[2]) for r in rows)
    return verdicts([Target("takeover and first answer, worst", worst, TARGET_SECONDS, "s")])
