"""Several `doorstep run` processes, one bot: a lease in the store elects the leader.

On a PostgreSQL store any number of processes may run with one token. Each one first
waits as a standby, trying every second to take the bot's lease (`data/leases.py`). The
one that takes it starts the bot: it polls Telegram, runs the jobs (a close missed while
nobody led runs at once) and drains the outbox, and renews the lease every fifth of its
length on a connection of its own, so a long transaction never holds a renewal up.

It stops acting, and exits with 3, as soon as it cannot be sure it still leads: a renewal
that found another holder, or no renewal that got through for all but two seconds of the
lease (a network partition: it stops before the lease runs out and a standby can take
it). Fencing closes the rest: every transaction of the leader first checks, on the lease
row, that its generation still holds the lease, so once another process has taken it
nothing the old one writes can commit: no notice marked sent, no window closed, no
message queued. A standby's supervisor (systemd, Kubernetes) starts it again as a standby.

After a leader dies, a standby takes over within the lease's length and a second (10 s by
default: `DOORSTEP_LEASE_SECONDS`): it rebuilds the jobs from the store, so a window closes
once; the outbox row the dead leader was sending is sent again (the one request in
flight: README, "Notices sent twice, honestly"); flows go on from the `flows` table.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
from datetime import UTC, datetime, timedelta

from bot.app import build_application
from bot.core.clock import SystemClock
from bot.lifecycle import running
from bot.settings import Config
from data import leases
from data.db import Database, Session

log = logging.getLogger("doorstep.leader")
LOST = 3  # the exit code of a leader that lost its lease
STANDBY_TRY = 1.0  # seconds between a standby's tries
MARGIN = 2.0  # seconds before the lease runs out when an unrenewed leader stops


def lease_name(config: Config) -> str:
    """One lease per bot (its token's id), so bots of several districts can share a store."""
    token = config.settings.token
    bot_id = token.get_secret_value().split(":", 1)[0] if token is not None else "bot"
    return f"bot:{bot_id}"


def now() -> datetime:
    return datetime.now(UTC)


async def run_one_of_many(config: Config) -> int:
    """Wait as a standby, lead once the lease is ours; the process's exit code."""
    lasts = timedelta(seconds=config.settings.lease_seconds)
    name, me = lease_name(config), f"{socket.gethostname()}:{os.getpid()}"
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    lease_db = await Database.open(config.settings.db)
    try:
        generation = await _wait_for_lease(lease_db, name, me, lasts, stopping)
        if generation is None:
            return 0
        log.info("leading as %s, lease generation %s", me, generation)
        return await _lead(config, lease_db, name, generation, lasts, stopping)
    finally:
        await lease_db.close()


async def _wait_for_lease(
    db: Database, name: str, me: str, lasts: timedelta, stopping: asyncio.Event
) -> int | None:
    said = False
    while not stopping.is_set():
        async with db.transaction() as tx:
            generation = await leases.take(tx, name, me, now(), lasts)
        if generation is not None:
            return generation
        if not said:
            log.info("standing by: another process leads %s", name)
            said = True
        try:
            async with asyncio.timeout(STANDBY_TRY):
                await stopping.wait()
        except TimeoutError:
            pass
    return None


async def _lead(
    config: Config,
    lease_db: Database,
    name: str,
    generation: int,
    lasts: timedelta,
    stopping: asyncio.Event,
) -> int:
    lost = asyncio.Event()

    async def still_held(tx: Session) -> bool:
        return await leases.still_held(tx, name, generation)

    def fence(db: Database) -> None:
        db.fence_with(still_held, lost.set)

    app = build_application(config, SystemClock(config.settings.tz), fence=fence)
    renewing = asyncio.create_task(_renew(lease_db, name, generation, lasts, lost))
    try:
        async with running(app, poll_timeout=10):
            await _first(stopping, lost)
    finally:
        renewing.cancel()
    if lost.is_set():
        log.error("lost the lease of %s: stopped acting", name)
        return LOST
    async with lease_db.transaction() as tx:  # a clean stop: a standby need not wait
        await leases.release(tx, name, generation)
    return 0


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


async def _renew(
    db: Database, name: str, generation: int, lasts: timedelta, lost: asyncio.Event
) -> None:
    """Renew every fifth of the lease; set `lost` when another holds it, or when no
    renewal got through until MARGIN seconds before it runs out."""
    held_until = time.monotonic() + lasts.total_seconds()
    every = lasts.total_seconds() / 5
    while not lost.is_set():
        await asyncio.sleep(every)
        asked = time.monotonic()
        try:
            async with asyncio.timeout(every):
                async with db.transaction() as tx:
                    renewed = await leases.renew(tx, name, generation, now(), lasts)
        except Exception:  # the store cannot be reached: keep trying until the margin
            log.warning("the lease of %s could not be renewed", name, exc_info=True)
        else:
            if not renewed:
                lost.set()
                return
            held_until = asked + lasts.total_seconds()
        if time.monotonic() > held_until - MARGIN:
            lost.set()
            return


def run(config: Config) -> int:
    return asyncio.run(run_one_of_many(config))
