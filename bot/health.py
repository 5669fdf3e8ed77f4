"""`/healthz` and `/metrics`: a small HTTP server of its own, for the operator's monitor.

Off unless DOORSTEP_HEALTH_PORT is set; it listens on DOORSTEP_HEALTH_LISTEN (127.0.0.1
by default: a monitor on the same machine, or a proxy, reads it). `/healthz` answers 200
when the bot is well and 503 when not, with what it looked at as JSON:
- the store: its file is where the settings say (a file removed or moved under a running
  bot takes every later write with it at the next start) and it answers a query;
- the outbox: the oldest message still to send is not older than OUTBOX_STALE;
- and, for a look, how long ago an update was last handled and how many jobs are planned.
`/metrics` is Prometheus' text format (bot/core/metrics.py), the store's counts read fresh.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.core.deps import Deps
from bot.core.metrics import CONTENT_TYPE
from data import stats
from data.db import SQLITE, DatabaseError

log = logging.getLogger("doorstep.health")
# A message waiting this long means Telegram is out of reach or the sender has stopped.
OUTBOX_STALE = timedelta(minutes=15)
# Seconds the store has to answer before it counts as gone.
STORE_TIMEOUT = 3.0


class HealthServer:
    """The endpoint; `jobs_planned` counts the jobs waiting on the bot's JobQueue."""

    def __init__(self, deps: Deps, jobs_planned: Callable[[], int]) -> None:
        self.deps = deps
        self.jobs_planned = jobs_planned
        self._runner: web.AppRunner | None = None

    async def start(self, listen: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, listen, port).start()
        log.info("health and metrics on http://%s:%s/healthz and /metrics", listen, port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, _request: web.Request) -> web.Response:
        """200 and what was looked at when well; 503 and the problems when not."""
        problems: list[str] = []
        store = await self._store(problems)
        oldest = await self._oldest_waiting() if store else None
        if oldest is not None and oldest > OUTBOX_STALE.total_seconds():
            problems.append(f"the oldest message to send has waited {int(oldest)} s")
        last = self.deps.metrics.last_update
        body: dict[str, Any] = {
            "ok": not problems,
            "problems": problems,
            "store": "reachable" if store else "unreachable",
            "last_update_seconds_ago": round(time.time() - last, 1) if last else None,
            "outbox_oldest_waiting_seconds": None if oldest is None else round(oldest, 1),
            "jobs_planned": self.jobs_planned(),
        }
        return web.json_response(body, status=200 if not problems else 503)

    async def metrics(self, _request: web.Request) -> web.Response:
        """Prometheus' text format; the store's counts are read now."""
        metrics = self.deps.metrics
        reader = self.deps.db.reader
        try:  # counts the store cannot give are left as they were: /metrics still answers
            metrics.fill(metrics.outbox, await stats.outbox_by_status(reader))
            metrics.fill(metrics.orders, await stats.orders_all_by_status(reader))
            metrics.fill(metrics.windows, await stats.windows_by_state(reader))
            metrics.fill(metrics.deliveries, await stats.deliveries_all_by_state(reader))
        except DatabaseError:
            log.warning("metrics: the store's counts could not be read")
        return web.Response(body=metrics.text(), headers={"Content-Type": CONTENT_TYPE})

    async def _store(self, problems: list[str]) -> bool:
        if self.deps.db.dialect == SQLITE and not self.deps.db.path.is_file():
            problems.append(f"the store file {self.deps.db.path} is missing")
            return False
        try:
            async with asyncio.timeout(STORE_TIMEOUT):
                await stats.reachable(self.deps.db.reader)
        except (*DatabaseError, TimeoutError, ValueError) as error:
            problems.append(f"the store does not answer: {error}")
            return False
        return True

    async def _oldest_waiting(self) -> float | None:
        oldest = await stats.oldest_waiting_message(self.deps.db.reader)
        if oldest is None:
            return None
        return max(0.0, (self.deps.clock.now() - oldest).total_seconds())
