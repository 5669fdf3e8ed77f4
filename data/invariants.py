"""What must always hold in the store, checked on demand: one line per broken rule.

`check(conn)` runs SQLite's own checks (foreign keys, integrity) and the domain's: an
order's amounts add up, a senior eats once per meal, a dish is not sold beyond what the
kitchen can cook, a delivery carries a delivery order of its own window, a volunteer's
bag is not overfilled by their own claims, the outbox is well formed, a window's
timestamps agree with its state, and an incident's with its story. Tests call it after
anything that could have broken one of these (fuzzing, replays, crashes), and `doorstep
check` on a store file; an empty list means the store is consistent.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from data.db import Session, fetch_all, pending_migrations, placeholders, read_only
from data.models import DEAD_STATUSES

Check = Callable[[Session], Awaitable[list[str]]]

# Orders that still count: the kitchen cooks them and the senior expects them.
DEAD = "(" + ", ".join(f"'{status}'" for status in DEAD_STATUSES) + ")"
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "blocked")
WINDOW_STATES = ("scheduled", "open", "closed", "dispatched", "done")
# Order statuses that only exist once the kitchen said the meals are ready.
AFTER_READY = ("ready", "out", "delivered", "no_answer", "refused", "undelivered")


async def check(conn: Session) -> list[str]:
    """Every broken invariant, as readable lines; [] when the store is consistent."""
    problems: list[str] = []
    for one in CHECKS:
        problems += await one(conn)
    return problems


async def check_file(path: Path | str) -> list[str]:
    """`check` on the store file at `path`, read without changing it (`doorstep check`); a
    store some migrations have not reached yet is named as such, not checked."""
    async with read_only(path) as session:
        if behind := await pending_migrations(session):
            return [f"store: migrations not applied yet (start the bot once): {', '.join(behind)}"]
        return await check(session)


async def foreign_keys(conn: Session) -> list[str]:
    if conn.dialect != "sqlite":
        return []  # PostgreSQL refuses a statement that would break one
    rows = await fetch_all(conn, "PRAGMA foreign_key_check")
    return [f"foreign key: {r[0]} row {r[1]} points at a row missing from {r[2]}" for r in rows]


async def integrity(conn: Session) -> list[str]:
    if conn.dialect != "sqlite":
        return []  # the server checks its own pages
    rows = await fetch_all(conn, "PRAGMA integrity_check")
    return [f"integrity: {row[0]}" for row in rows if row[0] != "ok"]


async def order_amounts(conn: Session) -> list[str]:
    """pay = price - subsidy >= 0, and price = the sum of portions x unit price."""
    rows = await fetch_all(
        conn,
        "SELECT o.id, o.price_fen, o.subsidy_fen, o.pay_fen,"
        " (SELECT COALESCE(SUM(i.portions * i.unit_price_fen), 0) FROM order_items i"
        " WHERE i.order_id = o.id) AS items_fen,"
        " (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS lines"
        " FROM orders o ORDER BY o.id",
    )
    found = []
    for order_id, price, subsidy, pay, items_fen, lines in rows:
        if pay != price - subsidy or pay < 0:
            found.append(f"order {order_id}: pays {pay}, not price {price} less subsidy {subsidy}")
        if lines == 0:
            found.append(f"order {order_id}: has no dishes")
        elif price != items_fen:
            found.append(f"order {order_id}: costs {price}, but its dishes add up to {items_fen}")
    return found


async def dishes_of_own_window(conn: Session) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT o.id, m.id FROM order_items i JOIN orders o ON o.id = i.order_id"
        " JOIN menu_items m ON m.id = i.menu_item_id WHERE m.window_id != o.window_id",
    )
    return [f"order {row[0]}: dish {row[1]} is from another window's menu" for row in rows]


async def one_live_order_per_meal(conn: Session) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT resident_id, window_id, GROUP_CONCAT(id) FROM orders"
        f" WHERE status NOT IN {DEAD} GROUP BY resident_id, window_id HAVING COUNT(*) > 1",
    )
    return [f"resident {row[0]}: orders {row[2]} all live at window {row[1]}" for row in rows]


async def residents_at_own_canteen(conn: Session) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT o.id FROM orders o JOIN residents r ON r.id = o.resident_id"
        " JOIN windows w ON w.id = o.window_id WHERE r.canteen_id != w.canteen_id",
    )
    return [f"order {row[0]}: the senior belongs to another canteen" for row in rows]


async def dish_capacity(conn: Session) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT m.id, m.capacity, SUM(i.portions) FROM menu_items m"
        " JOIN order_items i ON i.menu_item_id = m.id JOIN orders o ON o.id = i.order_id"
        f" WHERE m.capacity IS NOT NULL AND o.status NOT IN {DEAD}"
        " GROUP BY m.id HAVING SUM(i.portions) > m.capacity",
    )
    return [f"menu item {row[0]}: {row[2]} portions live, capacity {row[1]}" for row in rows]


async def deliveries_match_orders(conn: Session) -> list[str]:
    rows = await fetch_all(
        conn,
        "SELECT d.id, o.id, o.fulfilment, d.window_id, o.window_id FROM deliveries d"
        " JOIN orders o ON o.id = d.order_id"
        " WHERE o.fulfilment != 'delivery' OR d.window_id != o.window_id",
    )
    return [
        f"delivery {row[0]}: order {row[1]} is {row[2]} at window {row[4]}, not window {row[3]}"
        for row in rows
    ]


async def delivery_orders_carried(conn: Session) -> list[str]:
    """Once routes are out, every live delivery order has a volunteer holding it, or an
    open alert naming it (so a person knows the senior may miss her meal)."""
    rows = await fetch_all(
        conn,
        "SELECT o.id, o.window_id FROM orders o JOIN windows w ON w.id = o.window_id"
        " LEFT JOIN deliveries d ON d.order_id = o.id"
        " WHERE w.dispatched_at IS NOT NULL AND o.fulfilment = 'delivery'"
        " AND o.status IN ('placed', 'confirmed', 'ready', 'out')"
        " AND (d.id IS NULL OR d.volunteer_id IS NULL OR d.state NOT IN ('claimed', 'assigned'))"
        " AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.order_id = o.id"
        " AND a.handled_at IS NULL)",
    )
    return [
        f"order {row[0]}: a delivery at window {row[1]} with no volunteer and no open alert"
        for row in rows
    ]


async def deliveries_held_consistently(conn: Session) -> list[str]:
    """An open delivery has no volunteer; any other state has one."""
    rows = await fetch_all(
        conn,
        "SELECT id, state, volunteer_id FROM deliveries WHERE (state = 'open') !="
        " (volunteer_id IS NULL) OR (seq IS NOT NULL AND volunteer_id IS NULL)",
    )
    return [
        f"delivery {row[0]}: {row[1]} but held by "
        + ("no volunteer" if row[2] is None else f"volunteer {row[2]}")
        for row in rows
    ]


async def bags_not_overfilled(conn: Session) -> list[str]:
    """A volunteer's claims and routed deliveries fit their bag (staff may hand over more)."""
    rows = await fetch_all(
        conn,
        "SELECT d.volunteer_id, d.window_id, SUM(i.portions), MAX(v.capacity)"
        " FROM deliveries d JOIN orders o ON o.id = d.order_id"
        " JOIN order_items i ON i.order_id = d.order_id"
        " JOIN windows w ON w.id = d.window_id"
        " JOIN volunteers v ON v.account_id = d.volunteer_id AND v.canteen_id = w.canteen_id"
        f" WHERE d.state IN ('claimed', 'assigned') AND o.status NOT IN {DEAD}"
        " AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'delivery.reassign'"
        " AND a.subject = 'delivery:' || d.id)"
        " GROUP BY d.volunteer_id, d.window_id HAVING SUM(i.portions) > MAX(v.capacity)",
    )
    return [
        f"volunteer {row[0]}: holds {row[2]} meals at window {row[1]}, bag takes {row[3]}"
        for row in rows
    ]


async def outbox_well_formed(conn: Session) -> list[str]:
    found = [
        f"outbox: key {row[0]!r} queued {row[1]} times"
        for row in await fetch_all(
            conn, "SELECT key, COUNT(*) FROM outbox GROUP BY key HAVING COUNT(*) > 1"
        )
    ]
    rows = await fetch_all(
        conn, "SELECT id, key, status, payload, message_id, sent_at, attempts FROM outbox"
    )
    for row_id, key, status, payload, message_id, sent_at, attempts in rows:
        where = f"outbox {row_id} ({key})"
        if status not in OUTBOX_STATUSES:
            found.append(f"{where}: unknown status {status!r}")
        if status == "sent" and (message_id is None or sent_at is None or attempts < 1):
            found.append(f"{where}: sent without a message id, a time or an attempt")
        if status != "sent" and sent_at is not None:
            found.append(f"{where}: {status} but has a sent time")
        try:
            json.loads(payload)
        except ValueError:
            found.append(f"{where}: payload is not JSON")
    return found


async def windows_consistent(conn: Session) -> list[str]:
    """The schedule is in order, and each state has exactly the stamps it implies."""
    found = []
    for row in await fetch_all(conn, "SELECT * FROM windows ORDER BY id"):
        found += window_problems(dict(row))
    return found


def window_problems(window: dict[str, object]) -> list[str]:
    where = f"window {window['id']}"
    state = window["state"]
    if state not in WINDOW_STATES:
        return [f"{where}: unknown state {state!r}"]
    at = {k: _time(v) for k, v in window.items() if str(k).endswith("_at")}
    found = []
    if not (at["opens_at"] and at["cutoff_at"] and at["serve_at"]):
        return [f"{where}: missing its schedule"]
    if not at["opens_at"] <= at["cutoff_at"] <= at["serve_at"]:
        found.append(f"{where}: opens, cutoff and serving are out of order")
    stamped = {k for k in ("opened_at", "closed_at", "ready_at") if at[k] is not None}
    expected = {
        "scheduled": (set(), {"opened_at", "closed_at", "ready_at"}),
        "open": ({"opened_at"}, {"closed_at", "ready_at"}),
        "closed": ({"closed_at"}, {"ready_at"}),
        "dispatched": ({"closed_at", "ready_at"}, set()),
        "done": ({"closed_at"}, set()),
    }[str(state)]
    if missing := expected[0] - stamped:
        found.append(f"{where}: {state} without {', '.join(sorted(missing))}")
    if extra := expected[1] & stamped:
        found.append(f"{where}: {state} but has {', '.join(sorted(extra))}")
    closed = at["closed_at"]
    if closed is not None and closed < at["cutoff_at"]:
        found.append(f"{where}: closed before its cutoff")
    if at["dispatched_at"] is not None and closed is None:
        found.append(f"{where}: routes sent before it closed")
    return found


async def orders_follow_their_window(conn: Session) -> list[str]:
    marks = placeholders(AFTER_READY)
    rows = await fetch_all(
        conn,
        "SELECT o.id, o.status, w.id FROM orders o JOIN windows w ON w.id = o.window_id"
        f" WHERE o.status IN ({marks}) AND w.ready_at IS NULL",
        AFTER_READY,
    )
    return [f"order {row[0]}: {row[1]} before window {row[2]}'s meals were ready" for row in rows]


async def incidents_consistent(conn: Session) -> list[str]:
    """Opened, taken, closed in that order; taken by someone or by nobody, closed with an
    outcome; and opened by an alert."""
    found = []
    rows = await fetch_all(
        conn,
        "SELECT i.id, i.opened_at, i.taken_at, i.taken_by, i.closed_at, i.outcome,"
        " (SELECT COUNT(*) FROM incident_events e WHERE e.incident_id = i.id"
        "  AND e.what = 'alert') FROM incidents i ORDER BY i.id",
    )
    for row_id, opened, taken, taken_by, closed, outcome, raised in rows:
        where = f"incident {row_id}"
        stamps = [_time(v) for v in (opened, taken, closed) if v]
        if stamps != sorted(s for s in stamps if s is not None):
            found.append(f"{where}: opened, taken and closed out of order")
        if (taken is None) != (taken_by is None):
            found.append(f"{where}: taken without a person, or a person without a time")
        if (closed is None) != (outcome is None):
            found.append(f"{where}: closed without an outcome, or an outcome while open")
        if not raised:
            found.append(f"{where}: no alert opened it")
    return found


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


CHECKS: tuple[Check, ...] = (
    foreign_keys,
    integrity,
    order_amounts,
    dishes_of_own_window,
    one_live_order_per_meal,
    residents_at_own_canteen,
    dish_capacity,
    deliveries_match_orders,
    delivery_orders_carried,
    deliveries_held_consistently,
    bags_not_overfilled,
    outbox_well_formed,
    windows_consistent,
    orders_follow_their_window,
    incidents_consistent,
)
