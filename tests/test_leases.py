"""The leader's lease: one holder at a time, and a holder that lost it writes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from data import leases
from data.db import Database, LeaseLostError, Session

NAME = "bot:123456"
LASTS = timedelta(seconds=10)
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_one_process_holds_the_lease_until_it_runs_out(store: str) -> None:
    db = await Database.open(store)
    try:
        async with db.transaction() as tx:
            first = await leases.take(tx, NAME, "a", T0, LASTS)
            second = await leases.take(tx, NAME, "b", T0 + timedelta(seconds=9), LASTS)
        async with db.transaction() as tx:
            renewed = await leases.renew(tx, NAME, 1, T0 + timedelta(seconds=9), LASTS)
            early = await leases.take(tx, NAME, "b", T0 + timedelta(seconds=18), LASTS)
            late = await leases.take(tx, NAME, "b", T0 + timedelta(seconds=20), LASTS)
            stale = await leases.renew(tx, NAME, 1, T0 + timedelta(seconds=21), LASTS)
    finally:
        await db.close()
    assert (first, second, renewed, early, late, stale) == (1, None, True, None, 2, False)


async def test_a_leader_whose_lease_was_taken_commits_nothing_and_is_told(store: str) -> None:
    """The old leader's transaction is refused (fencing), and it hears that it lost."""
    old, new = await Database.open(store), await Database.open(store)
    told: list[str] = []
    try:
        async with old.transaction() as tx:
            generation = await leases.take(tx, NAME, "old", T0, LASTS)
        assert generation is not None

        async def still_held(tx: Session) -> bool:
            return await leases.still_held(tx, NAME, generation)

        old.fence_with(still_held, lambda: told.append("lost"))
        async with old.transaction() as tx:  # while it holds the lease, it writes
            await tx.execute("INSERT INTO accounts (id, created_at) VALUES (1, 'x')")
        async with new.transaction() as tx:  # the old leader is cut off; its lease runs out
            assert await leases.take(tx, NAME, "new", T0 + timedelta(minutes=1), LASTS) == 2
        with pytest.raises(LeaseLostError):
            async with old.transaction() as tx:
                await tx.execute("INSERT INTO accounts (id, created_at) VALUES (2, 'x')")
        ids = [tuple(r) for r in await new.fetchall("SELECT id FROM accounts ORDER BY id")]
    finally:
        await old.close()
        await new.close()
    assert (ids, told) == ([(1,)], ["lost"])


async def test_a_process_taking_the_lease_waits_for_the_leaders_transaction(store: str) -> None:
    """The check holds the lease row until the commit: what the leader writes in that
    transaction lands before the next generation begins."""
    old, new = await Database.open(store), await Database.open(store)
    order: list[str] = []
    try:
        async with old.transaction() as tx:
            generation = await leases.take(tx, NAME, "old", T0, LASTS)
        assert generation is not None

        async def still_held(tx: Session) -> bool:
            return await leases.still_held(tx, NAME, generation)

        old.fence_with(still_held, lambda: None)
        inside = asyncio.Event()

        async def leader() -> None:
            async with old.transaction() as tx:
                inside.set()
                await asyncio.sleep(0.3)
                await tx.execute("INSERT INTO accounts (id, created_at) VALUES (1, 'x')")
                order.append("leader committed")

        async def taker() -> None:
            await inside.wait()
            async with new.transaction() as tx:
                taken = await leases.take(tx, NAME, "new", T0 + timedelta(minutes=1), LASTS)
            order.append(f"taken: generation {taken}")

        await asyncio.gather(leader(), taker())
    finally:
        await old.close()
        await new.close()
    assert order == ["leader committed", "taken: generation 2"]
