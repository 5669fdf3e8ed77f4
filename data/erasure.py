"""What erasing a senior reads and rewrites beyond her own rows: her meals still to come,
the deliveries that carry them, messages in the outbox, notes, and uploaded roster files.

`data.privacy` blanks her row and cuts her links; this module finds her elsewhere.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from data.db import Session, fetch_all, fetch_one, placeholders
from data.models import OrderStatus
from data.timefmt import iso

# A meal not yet served: still to cook, to hand over or on its way.
COMING: tuple[OrderStatus, ...] = ("placed", "confirmed", "ready", "out")


@dataclass(frozen=True)
class Coming:
    """One of her meals still to come, as the kitchen and its carrier know it."""

    order_id: int
    window_id: int
    status: OrderStatus
    fulfilment: str
    delivery_id: int | None
    volunteer_id: int | None
    dishes: tuple[tuple[str, int], ...]  # (dish code, portions)


@dataclass(frozen=True)
class Traces:
    """The ids under which she appears in outbox keys and flows."""

    order_ids: tuple[int, ...]
    delivery_ids: tuple[int, ...]
    standing_ids: tuple[int, ...]


@dataclass(frozen=True)
class Message:
    id: int
    key: str
    chat_id: int
    kind: str
    status: str
    payload: dict[str, Any]

    @property
    def waiting(self) -> bool:
        return self.status in ("pending", "sending")


async def coming(conn: Session, resident_id: int) -> list[Coming]:
    """Her meals at windows not yet done whose order still stands, oldest first."""
    marks = placeholders(COMING)
    rows = await fetch_all(
        conn,
        "SELECT o.id, o.window_id, o.status, o.fulfilment, d.id AS delivery_id,"
        " CASE WHEN d.state IN ('claimed', 'assigned') THEN d.volunteer_id END AS volunteer_id,"
        " (SELECT GROUP_CONCAT(m.code || ':' || i.portions) FROM order_items i"
        "  JOIN menu_items m ON m.id = i.menu_item_id WHERE i.order_id = o.id) AS dishes"
        " FROM orders o JOIN windows w ON w.id = o.window_id"
        " LEFT JOIN deliveries d ON d.order_id = o.id"
        f" WHERE o.resident_id = ? AND o.status IN ({marks}) AND w.state != 'done'"
        " ORDER BY o.id",
        (resident_id, *COMING),
    )
    found = []
    for row in rows:
        dishes = []
        for part in str(row["dishes"] or "").split(","):
            code, _, portions = part.rpartition(":")
            if code:
                dishes.append((code, int(portions)))
        found.append(
            Coming(
                int(row["id"]),
                int(row["window_id"]),
                row["status"],
                str(row["fulfilment"]),
                row["delivery_id"],
                row["volunteer_id"],
                tuple(dishes),
            )
        )
    return found


async def cancel(tx: Session, order_ids: list[int], now: datetime) -> list[int]:
    """Cancel these orders if they still stand, and free the deliveries that carried them
    (open again, with nobody holding them: a cancelled order is on no route)."""
    if not order_ids:
        return []
    marks, states = placeholders(order_ids), placeholders(COMING)
    rows = await fetch_all(
        tx,
        f"UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id IN ({marks})"
        f" AND status IN ({states}) RETURNING id",
        (iso(now), *order_ids, *COMING),
    )
    done = sorted(int(row[0]) for row in rows)
    if done:
        await tx.execute(
            "UPDATE deliveries SET volunteer_id = NULL, state = 'open', seq = NULL,"
            f" claimed_at = NULL WHERE order_id IN ({placeholders(done)})"
            " AND state IN ('claimed', 'assigned')",
            done,
        )
    return done


async def close_alerts(tx: Session, resident_id: int, account_id: int, now: datetime) -> int:
    """Her open alerts are closed: there is nobody left to see to."""
    cursor = await tx.execute(
        "UPDATE alerts SET handled_at = ?, handled_by = ?, outcome = 'erased'"
        " WHERE handled_at IS NULL AND order_id IN (SELECT id FROM orders WHERE resident_id = ?)",
        (iso(now), account_id, resident_id),
    )
    return max(cursor.rowcount, 0)


async def traces(conn: Session, resident_id: int) -> Traces:
    async def ids(sql: str) -> tuple[int, ...]:
        return tuple(int(row[0]) for row in await fetch_all(conn, sql, (resident_id,)))

    return Traces(
        await ids("SELECT id FROM orders WHERE resident_id = ? ORDER BY id"),
        await ids(
            "SELECT d.id FROM deliveries d JOIN orders o ON o.id = d.order_id"
            " WHERE o.resident_id = ? ORDER BY d.id"
        ),
        await ids("SELECT id FROM standing_orders WHERE resident_id = ? ORDER BY id"),
    )


# The outbox: every message ever queued stays, sent or not, so she is looked for in all.


async def outbox_keys(conn: Session) -> list[tuple[int, str]]:
    rows = await fetch_all(conn, "SELECT id, key FROM outbox ORDER BY id")
    return [(int(row[0]), str(row[1])) for row in rows]


async def outbox_naming(
    conn: Session, needles: list[str], place: tuple[float, float] | None
) -> list[int]:
    """Messages whose text holds one of the needles, every file (their bytes are base64,
    so only reading them tells), and map pins at her door."""
    terms = ["kind = 'document'", *["instr(payload, ?) > 0"] * len(needles)]
    rows = await fetch_all(conn, f"SELECT id FROM outbox WHERE {' OR '.join(terms)}", needles)
    found = {int(row[0]) for row in rows}
    if place is not None:  # a pin's place is read from its JSON here, the same on any store
        pins = await fetch_all(conn, "SELECT id, payload FROM outbox WHERE kind = 'location'")
        for row in pins:
            pin = json.loads(row["payload"])
            if (pin.get("lat"), pin.get("lon")) == place:
                found.add(int(row["id"]))
    return sorted(found)


async def outbox_messages(conn: Session, ids: list[int]) -> list[Message]:
    found = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        rows = await fetch_all(
            conn,
            "SELECT id, key, chat_id, kind, status, payload FROM outbox"
            f" WHERE id IN ({placeholders(part)}) ORDER BY id",
            part,
        )
        found += [
            Message(
                int(row["id"]),
                str(row["key"]),
                int(row["chat_id"]),
                str(row["kind"]),
                str(row["status"]),
                json.loads(row["payload"]),
            )
            for row in rows
        ]
    return found


async def rewrite(tx: Session, message: Message, payload: dict[str, Any]) -> None:
    """Store the message's new payload. One still waiting also gets its attempt count
    moved on: a sender that read the old payload before this change then finds the row
    changed under it (`outbox.mark_sending` is conditional on the count) and skips its
    stale copy; the next round reads the new payload."""
    await tx.execute(
        "UPDATE outbox SET payload = ?,"
        " attempts = attempts + CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END"
        " WHERE id = ?",
        (json.dumps(payload, ensure_ascii=False), message.id),
    )


async def withhold(tx: Session, message: Message, payload: dict[str, Any], why: str) -> bool:
    """A waiting message about her is not sent: it is given up with its payload emptied."""
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'failed', payload = ?, last_error = ?"
        " WHERE id = ? AND status IN ('pending', 'sending')",
        (json.dumps(payload, ensure_ascii=False), why, message.id),
    )
    return cursor.rowcount == 1


# Free text written about seniors: volunteers' notes and audit details.


# Where people write free text about others: table -> its column.
NOTES = {
    "audit_log": "detail",
    "deliveries": "note",
    "incident_events": "detail",
    "feedback": "note",
}


async def notes_naming(conn: Session, needles: list[str]) -> list[tuple[str, int, str]]:
    """(table, id, text) of every note or audit detail holding one of the needles."""
    if not needles:
        return []
    hits = " OR ".join(["instr({col}, ?) > 0"] * len(needles))
    found: list[tuple[str, int, str]] = []
    for table, column in NOTES.items():
        rows = await fetch_all(
            conn,
            f"SELECT id, {column} FROM {table} WHERE {hits.format(col=column)}",
            needles,
        )
        found += [(table, int(row[0]), str(row[1])) for row in rows]
    return found


async def set_note(tx: Session, table: str, row_id: int, text: str) -> None:
    column = NOTES[table]
    await tx.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (text, row_id))


# Roster files the admins sent, kept in the store.


@dataclass(frozen=True)
class RosterFile:
    id: int
    filename: str
    content: bytes
    applied: bool


async def roster_files(conn: Session, canteen_id: int) -> list[RosterFile]:
    rows = await fetch_all(
        conn,
        "SELECT id, filename, content, applied_at FROM roster_imports"
        " WHERE canteen_id = ? ORDER BY id",
        (canteen_id,),
    )
    return [RosterFile(int(row[0]), str(row[1]), bytes(row[2]), row[3] is not None) for row in rows]


async def set_roster_content(tx: Session, file_id: int, filename: str, content: bytes) -> None:
    await tx.execute(
        "UPDATE roster_imports SET filename = ?, content = ? WHERE id = ?",
        (filename, content, file_id),
    )


async def forget_own_accounts(tx: Session, resident_id: int) -> int:
    """Her own Telegram account's name, when the account is hers alone: no role, and no
    link to another senior (then it is a family member's too, and stays as it is)."""
    cursor = await tx.execute(
        "UPDATE accounts SET first_name = '', username = NULL WHERE id IN ("
        " SELECT l.account_id FROM links l WHERE l.resident_id = :rid AND l.relation = 'self'"
        " AND NOT EXISTS (SELECT 1 FROM roles g WHERE g.account_id = l.account_id)"
        " AND NOT EXISTS (SELECT 1 FROM links o WHERE o.account_id = l.account_id"
        "  AND o.resident_id != :rid))",
        {"rid": resident_id},
    )
    return max(cursor.rowcount, 0)


async def checkpoint(conn: Session, tries: int = 20) -> bool:
    """Copy the write-ahead log into the database file and empty it, so the old pages
    (her data before the erase) are gone from the log too. Another task's transaction
    on the shared connection makes SQLite answer busy: then wait a moment and try again.
    True when the log was emptied."""
    if conn.dialect != "sqlite":
        return True  # PostgreSQL reuses the space of deleted rows; its log is the server's
    for _ in range(tries):
        try:
            row = await fetch_one(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:  # "database table is locked": a transaction is open
            row = None
        if row is not None and int(row[0]) == 0:
            return True
        await asyncio.sleep(0.05)
    return False
