"""Dispatch: 300 deliveries among 30 volunteers at the claim deadline.

The store is seeded through the data layer: 300 seniors with a delivery order at today's
lunch (spread over buildings about a kilometre round the canteen, one in five without a
map pin) and 30 volunteers with bags of 8 to 14 meals. The window is closed (its claim
board opened), the clock reaches the claim deadline, and `scheduling.dispatch.assign`
runs as its job does: plan every route, store it, queue each volunteer's route and cards.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench._common import (
    CANTEEN,
    Target,
    header,
    lunch_today,
    seed_orders,
    seeded_store,
    table,
    verdicts,
)
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.services.kitchen import windows as window_service
from data import accounts
from data import volunteers as volunteer_store
from data.models import Volunteer, Window
from scheduling import dispatch
from tests.harness import MONDAY_8AM

DELIVERIES, VOLUNTEERS = 300, 30
TARGET_SECONDS = 2.0


async def seed_volunteers(deps: Deps, window: Window, seed: int = 2) -> None:
    rng = random.Random(seed)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for n in range(VOLUNTEERS):
            account_id = 700_000 + n
            await accounts.ensure(tx, account_id, now)
            await accounts.grant_role(tx, account_id, window.canteen_id, "volunteer", None, now)
            volunteer = Volunteer(
                account_id=account_id,
                canteen_id=window.canteen_id,
                name=f"Volunteer {n}",
                phone="13900139000",
                capacity=rng.randint(8, 14),
                weekdays="mon,tue,wed,thu,fri,sat,sun",
                meals="lunch,dinner",
                area="",
                lat=CANTEEN[0] + rng.gauss(0, 0.004),
                lon=CANTEEN[1] + rng.gauss(0, 0.0045),
                active=True,
                created_at=now,
            )
            await volunteer_store.save(tx, volunteer, now)


async def measure() -> list[tuple[str, float, str]]:
    clock = ManualClock(MONDAY_8AM)
    with tempfile.TemporaryDirectory() as folder:
        async with seeded_store(Path(folder), clock) as deps:
            window = await lunch_today(deps)
            await seed_orders(deps, window, DELIVERIES, ways=("delivery",))
            await seed_volunteers(deps, window)
            clock.advance(window.cutoff_at - clock.now() + timedelta(minutes=1))
            start = time.perf_counter()
            await window_service.close(deps, window.id)
            closed = time.perf_counter() - start
            clock.advance(window.claim_until - clock.now() + timedelta(minutes=1))
            start = time.perf_counter()
            done = await dispatch.assign(deps, window.id)
            seconds = time.perf_counter() - start
            rows = await deps.db.fetchall(
                "SELECT COUNT(*), COUNT(volunteer_id), COUNT(DISTINCT volunteer_id)"
                " FROM deliveries WHERE window_id = ?",
                (window.id,),
            )
            made, placed, used = rows[0]
    if not done or made != DELIVERIES or placed != DELIVERIES:
        raise AssertionError(f"dispatch did not run: {done=}, {made=}, {placed=}, {used=}")
    return [
        ("close (claim board opened)", closed, f"{made} deliveries"),
        ("dispatch.assign", seconds, f"{placed} placed, {used} volunteers"),
    ]


def main() -> int:
    header(
        f"Dispatch: {DELIVERIES} deliveries among {VOLUNTEERS} volunteers; "
        f"scheduling.dispatch.assign (its solver budget: {dispatch.SOLVE_SECONDS:g} s)"
    )
    rows = asyncio.run(measure())
    table(["step", "seconds", "result"], rows)
    return verdicts([Target(f"dispatch {DELIVERIES} deliveries", rows[-1][1], TARGET_SECONDS, "s")])
