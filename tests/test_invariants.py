"""data.invariants.check: a consistent store gives [], and each broken rule is named; the
`doorstep check` command runs the same check on a store file."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from data import invariants
from data.db import Database, insert, restart_ids

NOW = "2026-03-02T08:00:00+08:00"


@pytest.fixture
async def db(fresh_store: str) -> AsyncIterator[Database]:
    """A store with one canteen, a lunch window with dish A (capacity 3), one senior."""
    store = await Database.open(fresh_store)
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO canteens (id, code, name, address, phone, lat, lon, kitchen_chat_id)"
            " VALUES (1, 'sun', 'Sun', 'Road 1', '021', 31.2, 121.4, -100)"
        )
        await tx.execute("INSERT INTO accounts (id, created_at) VALUES (7, ?)", (NOW,))
        await tx.execute(
            "INSERT INTO windows (id, canteen_id, day, meal, opens_at, cutoff_at, serve_at,"
            " claim_until, state, opened_at) VALUES (1, 1, '2026-03-02', 'lunch',"
            " '2026-03-01T16:00:00+08:00', '2026-03-02T09:30:00+08:00',"
            " '2026-03-02T11:30:00+08:00', '2026-03-02T10:30:00+08:00', 'open', ?)",
            (NOW,),
        )
        await tx.execute(
            "INSERT INTO menu_items (id, window_id, code, name, price_fen, capacity)"
            " VALUES (1, 1, 'A', 'Set A', 1500, 3)"
        )
        await tx.execute(
            "INSERT INTO residents (id, canteen_id, name, phone, building, status, created_at)"
            " VALUES (1, 1, 'Ann', '138', '5', 'approved', ?)",
            (NOW,),
        )
        await restart_ids(tx)  # rows made with their ids: new ones come after them
    try:
        yield store
    finally:
        await store.close()


async def add_order(
    db: Database,
    *,
    portions: int = 1,
    price: int = 1500,
    subsidy: int = 600,
    pay: int | None = None,
    status: str = "placed",
    fulfilment: str = "delivery",
    window_id: int = 1,
    item_id: int = 1,
) -> int:
    pay = price - subsidy if pay is None else pay
    async with db.transaction() as tx:
        order_id = await insert(
            tx,
            "INSERT INTO orders (window_id, resident_id, fulfilment, status, price_fen,"
            " subsidy_fen, pay_fen, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (window_id, fulfilment, status, price, subsidy, pay, NOW, NOW),
        )
        await tx.execute(
            "INSERT INTO order_items (order_id, menu_item_id, portions, unit_price_fen)"
            " VALUES (?, ?, ?, 1500)",
            (order_id, item_id, portions),
        )
    return order_id


async def run(db: Database, sql: str, params: tuple[Any, ...] = ()) -> None:
    async with db.transaction() as tx:
        await tx.execute(sql, params)


async def problems(db: Database) -> list[str]:
    return await invariants.check(db.conn)


async def test_a_consistent_store_breaks_no_invariant(db: Database) -> None:
    await add_order(db, portions=2, price=3000, subsidy=1200)
    assert await problems(db) == []


async def test_pay_that_is_not_price_minus_subsidy_is_reported(db: Database) -> None:
    order_id = await add_order(db, pay=800)
    assert await problems(db) == [f"order {order_id}: pays 800, not price 1500 less subsidy 600"]


async def test_a_price_that_is_not_the_sum_of_the_dishes_is_reported(db: Database) -> None:
    order_id = await add_order(db, portions=2)
    assert await problems(db) == [f"order {order_id}: costs 1500, but its dishes add up to 3000"]


async def test_two_live_orders_for_one_meal_are_reported(db: Database) -> None:
    first = await add_order(db)
    await add_order(db, status="cancelled")
    assert await problems(db) == []
    second = await add_order(db, status="confirmed")
    assert await problems(db) == [f"resident 1: orders {first},{second} all live at window 1"]


async def test_more_live_portions_than_the_dish_capacity_are_reported(db: Database) -> None:
    await add_order(db, portions=3, price=4500)
    await add_order(db, portions=2, price=3000, status="declined")
    assert await problems(db) == []
    await run(db, "UPDATE menu_items SET capacity = 2")
    assert await problems(db) == ["menu item 1: 3 portions live, capacity 2"]


async def test_a_delivery_of_a_pickup_order_is_reported(db: Database) -> None:
    order_id = await add_order(db, fulfilment="pickup")
    await run(db, "INSERT INTO deliveries (order_id, window_id) VALUES (?, 1)", (order_id,))
    assert await problems(db) == [
        f"delivery 1: order {order_id} is pickup at window 1, not window 1"
    ]


async def test_a_delivery_filed_under_another_window_is_reported(db: Database) -> None:
    order_id = await add_order(db)
    await run(
        db,
        "INSERT INTO windows (id, canteen_id, day, meal, opens_at, cutoff_at, serve_at,"
        " claim_until) SELECT 2, 1, day, 'dinner', opens_at, cutoff_at, serve_at, claim_until"
        " FROM windows WHERE id = 1",
    )
    await run(db, "INSERT INTO deliveries (order_id, window_id) VALUES (?, 2)", (order_id,))
    assert await problems(db) == [
        f"delivery 1: order {order_id} is delivery at window 1, not window 2"
    ]


async def test_a_claimed_delivery_without_a_volunteer_is_reported(db: Database) -> None:
    order_id = await add_order(db)
    await run(
        db,
        "INSERT INTO deliveries (order_id, window_id, state) VALUES (?, 1, 'claimed')",
        (order_id,),
    )
    assert await problems(db) == ["delivery 1: claimed but held by no volunteer"]


async def add_volunteer_holding(db: Database, meals: int, capacity: int) -> None:
    order_id = await add_order(db, portions=meals, price=1500 * meals, subsidy=0)
    await run(
        db,
        "INSERT INTO volunteers (account_id, canteen_id, name, capacity, created_at)"
        " VALUES (7, 1, 'Vic', ?, ?)",
        (capacity, NOW),
    )
    await run(
        db,
        "INSERT INTO deliveries (order_id, window_id, volunteer_id, state)"
        " VALUES (?, 1, 7, 'claimed')",
        (order_id,),
    )


async def test_a_volunteer_holding_more_than_their_bag_is_reported(db: Database) -> None:
    await add_volunteer_holding(db, meals=3, capacity=2)
    assert await problems(db) == ["volunteer 7: holds 3 meals at window 1, bag takes 2"]


async def test_staff_may_hand_a_volunteer_more_than_their_bag(db: Database) -> None:
    await add_volunteer_holding(db, meals=3, capacity=2)
    await run(
        db,
        "INSERT INTO audit_log (at, account_id, action, subject)"
        " VALUES (?, 7, 'delivery.reassign', 'delivery:1')",
        (NOW,),
    )
    assert await problems(db) == []


async def test_an_outbox_row_sent_without_a_message_id_is_reported(db: Database) -> None:
    await run(
        db,
        "INSERT INTO outbox (key, chat_id, kind, payload, status, attempts, next_attempt_at,"
        " created_at, sent_at) VALUES ('k', 1, 'text', '{}', 'sent', 1, ?, ?, ?)",
        (NOW, NOW, NOW),
    )
    assert await problems(db) == ["outbox 1 (k): sent without a message id, a time or an attempt"]


async def test_a_closed_window_without_its_close_time_is_reported(db: Database) -> None:
    await run(db, "UPDATE windows SET state = 'closed'")
    assert await problems(db) == ["window 1: closed without closed_at"]


async def test_a_window_closed_before_its_cutoff_is_reported(db: Database) -> None:
    await run(db, "UPDATE windows SET state = 'closed', closed_at = '2026-03-02T09:00:00+08:00'")
    assert await problems(db) == ["window 1: closed before its cutoff"]


async def test_a_scheduled_window_with_a_ready_time_is_reported(db: Database) -> None:
    await run(db, "UPDATE windows SET state = 'scheduled', opened_at = NULL, ready_at = ?", (NOW,))
    assert await problems(db) == ["window 1: scheduled but has ready_at"]


async def test_an_order_ready_before_its_window_is_reported(db: Database) -> None:
    order_id = await add_order(db, status="ready")
    assert await problems(db) == [f"order {order_id}: ready before window 1's meals were ready"]


@pytest.mark.sqlite_only  # PostgreSQL refuses the statement: no reference can dangle
async def test_a_dangling_reference_is_reported(db: Database) -> None:
    await db.conn.execute("PRAGMA foreign_keys=OFF")
    await run(
        db,
        "INSERT INTO links (account_id, resident_id, relation, created_at)"
        " VALUES (7, 99, 'family', ?)",
        (NOW,),
    )
    assert await problems(db) == ["foreign key: links row 1 points at a row missing from residents"]


async def doorstep_check(path: Path | str) -> tuple[int, str]:
    """`doorstep check --db PATH` in a process of its own: its exit code and what it said."""
    script = Path(sys.executable).with_name("doorstep")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    process = await asyncio.create_subprocess_exec(
        *command,
        "check",
        "--db",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with asyncio.timeout(30):
            out, _ = await process.communicate()
    except TimeoutError:
        process.kill()  # a store connection left open keeps it from exiting
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_doorstep_check_passes_a_consistent_store_and_names_what_a_broken_one_breaks(
    db: Database,
) -> None:
    await add_order(db)
    assert await doorstep_check(db.where) == (0, f"The store at {db.where} keeps every rule.\n")
    order_id = await add_order(db, pay=800)
    code, said = await doorstep_check(db.where)
    assert code == 1
    assert said.splitlines() == [
        f"The store at {db.where} breaks 2 rule(s):",
        f"  - order {order_id}: pays 800, not price 1500 less subsidy 600",
        f"  - resident 1: orders 1,{order_id} all live at window 1",
    ]


@pytest.mark.sqlite_only  # files that are missing, empty or not a database
async def test_doorstep_check_changes_nothing_and_tells_a_store_it_cannot_check(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing.sqlite3"
    code, said = await doorstep_check(missing)
    assert (code, said) == (2, f"No store at {missing}. Is DOORSTEP_DB (or --db) right?\n")
    assert not missing.exists()
    old = tmp_path / "old.sqlite3"
    sqlite3.connect(old).close()  # an empty file: no migration has run on it
    code, said = await doorstep_check(old)
    assert code == 1
    assert said.startswith(f"The store at {old} breaks 1 rule(s):\n  - store: migrations not")
    assert old.stat().st_size == 0
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a database\n")
    code, said = await doorstep_check(garbage)
    assert (code, said) == (
        2,
        f"{garbage} cannot be read as a Doorstep store: file is not a database\n",
    )


async def incident(db: Database, **stamps: Any) -> None:
    """An incident about Ann, opened at NOW by a no-answer, with these stamps."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO incidents (id, canteen_id, resident_id, matter, kind, opened_at,"
            " due_at, taken_at, taken_by, closed_at, outcome) VALUES (1, 1, 1, 'r1:w1',"
            " 'no_answer', ?, ?, ?, ?, ?, ?)",
            (
                NOW,
                NOW,
                stamps.get("taken_at"),
                stamps.get("taken_by"),
                stamps.get("closed_at"),
                stamps.get("outcome"),
            ),
        )
        await tx.execute(
            "INSERT INTO incident_events (incident_id, at, what, kind)"
            " VALUES (1, ?, 'alert', 'no_answer')",
            (NOW,),
        )


async def test_an_incident_taken_and_closed_in_order_breaks_no_invariant(db: Database) -> None:
    later = "2026-03-02T08:10:00+08:00"
    await incident(db, taken_at=later, taken_by=7, closed_at=later, outcome="reached")
    assert await invariants.check(db.conn) == []


async def test_an_incident_closed_before_it_opened_or_without_an_outcome_is_reported(
    db: Database,
) -> None:
    await incident(db, closed_at="2026-03-02T07:00:00+08:00")
    assert await invariants.check(db.conn) == [
        "incident 1: opened, taken and closed out of order",
        "incident 1: closed without an outcome, or an outcome while open",
    ]
