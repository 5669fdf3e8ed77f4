"""`doorstep migrate-store`: a county's SQLite store moved into PostgreSQL, row for row."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

from bench._common import lunch_today, seed_orders, seeded_store
from bot.core.clock import ManualClock
from bot.services.kitchen import windows as window_service
from data import orders
from data.db import Database
from tests.harness import MONDAY_8AM

pytestmark = pytest.mark.postgres_only


async def doorstep(*args: str) -> tuple[int, str]:
    script = Path(sys.executable).with_name("doorstep")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    process = await asyncio.create_subprocess_exec(
        *command, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def county(folder: Path) -> Path:
    """A SQLite store after a morning: 40 seniors ordered, lunch closed (the kitchen sheet
    and its CSV queued, the claim board open)."""
    clock = ManualClock(MONDAY_8AM)
    async with seeded_store(folder, clock) as deps:
        window = await lunch_today(deps)
        await seed_orders(deps, window, 40)
        clock.advance(window.cutoff_at - clock.now() + timedelta(minutes=1))
        assert await window_service.close(deps, window.id)
    return folder / "doorstep.sqlite3"


async def contents(store: str, table: str) -> list[tuple[object, ...]]:
    db = await Database.open(store)
    try:
        return [tuple(row) for row in await db.fetchall(f"SELECT * FROM {table} ORDER BY 1")]
    finally:
        await db.close()


async def test_a_county_moves_into_postgresql_with_every_row_and_rule(fresh_store: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = await county(Path(folder))
        code, said = await doorstep("migrate-store", "--from", str(source), "--to", fresh_store)
        assert code == 0, said
        assert "  orders: 40 rows, 40 in the target" in said
        assert said.rstrip().endswith("every rule holds.")
        for table in ("orders", "outbox", "deliveries", "residents", "windows", "menu_items"):
            assert await contents(fresh_store, table) == await contents(str(source), table)

        code, said = await doorstep("migrate-store", "--from", str(source), "--to", fresh_store)
        assert code == 2
        assert "already holds rows" in said

    db = await Database.open(fresh_store)  # new rows take ids after the copied ones
    try:
        async with db.transaction() as tx:
            order_id = await orders.create(
                tx,
                window_id=1,
                resident_id=1,
                placed_by=None,
                source="staff",
                fulfilment="pickup",
                status="placed",
                price_fen=1500,
                subsidy_fen=0,
                pay_fen=1500,
                tier_code=None,
                request_key="after-the-move",
                now=MONDAY_8AM,
            )
    finally:
        await db.close()
    assert order_id == 41
