"""Incidents: a matter about a senior that a person must take and close.

One open incident per matter (a unique index on `matter` while it is open): a second
alert about the same senior and meal joins the first. Its events say, in order, each
alert, who was told, who took it, the notes, each raise and the close.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from data.db import Session, fetch_all, fetch_one
from data.models import Record
from data.timefmt import iso

EventWhat = Literal["alert", "told", "taken", "note", "raised", "closed"]


class Incident(Record):
    id: int
    canteen_id: int
    resident_id: int
    matter: str
    kind: str
    window_id: int | None
    order_id: int | None
    reported_by: int | None
    opened_at: datetime
    due_at: datetime
    level: int
    taken_by: int | None
    taken_at: datetime | None
    closed_by: int | None
    closed_at: datetime | None
    outcome: str | None


class Event(Record):
    id: int
    incident_id: int
    at: datetime
    what: EventWhat
    kind: str | None
    account_id: int | None
    detail: str | None
    file_id: str | None


class Opening(Record):
    """What an alert asks for: the matter it is about, and when it is raised if untaken."""

    canteen_id: int
    resident_id: int
    matter: str
    kind: str
    window_id: int | None = None
    order_id: int | None = None
    reported_by: int | None = None


async def open_or_join(
    tx: Session, opening: Opening, now: datetime, due_at: datetime
) -> tuple[int, bool]:
    """The open incident of this matter (joined), or a new one; (id, opened just now)."""
    rows = await fetch_all(
        tx,
        "INSERT INTO incidents (canteen_id, resident_id, matter, kind, window_id, order_id,"
        " reported_by, opened_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (matter) WHERE closed_at IS NULL DO NOTHING RETURNING id",
        (
            opening.canteen_id,
            opening.resident_id,
            opening.matter,
            opening.kind,
            opening.window_id,
            opening.order_id,
            opening.reported_by,
            iso(now),
            iso(due_at),
        ),
    )
    if rows:
        return int(rows[0][0]), True
    found = await open_of(tx, opening.matter)
    assert found is not None  # the conflict was with it, inside this transaction
    return found.id, False


async def open_of(conn: Session, matter: str) -> Incident | None:
    row = await fetch_one(
        conn, "SELECT * FROM incidents WHERE matter = ? AND closed_at IS NULL", (matter,)
    )
    return Incident.from_row(row) if row else None


async def get(conn: Session, incident_id: int) -> Incident | None:
    row = await fetch_one(conn, "SELECT * FROM incidents WHERE id = ?", (incident_id,))
    return Incident.from_row(row) if row else None


async def add_event(
    tx: Session,
    incident_id: int,
    what: EventWhat,
    now: datetime,
    *,
    kind: str | None = None,
    account_id: int | None = None,
    detail: str | None = None,
    file_id: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO incident_events (incident_id, at, what, kind, account_id, detail, file_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (incident_id, iso(now), what, kind, account_id, detail, file_id),
    )


async def events(conn: Session, incident_id: int) -> list[Event]:
    rows = await fetch_all(
        conn, "SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id", (incident_id,)
    )
    return [Event.from_row(row) for row in rows]


async def take(tx: Session, incident_id: int, account_id: int, now: datetime) -> bool:
    """This person takes the open, untaken incident; False when someone has, or it closed."""
    cursor = await tx.execute(
        "UPDATE incidents SET taken_by = ?, taken_at = ?"
        " WHERE id = ? AND taken_at IS NULL AND closed_at IS NULL",
        (account_id, iso(now), incident_id),
    )
    return cursor.rowcount == 1


async def close(
    tx: Session,
    incident_id: int,
    account_id: int | None,
    outcome: str,
    now: datetime,
) -> bool:
    """Close an open incident (taken now by the closer when nobody had; None: it ended by
    itself, and stays untaken); False if it was closed already."""
    taken_at = iso(now) if account_id is not None else None
    cursor = await tx.execute(
        "UPDATE incidents SET closed_by = ?, closed_at = ?, outcome = ?,"
        " taken_by = COALESCE(taken_by, ?), taken_at = COALESCE(taken_at, ?)"
        " WHERE id = ? AND closed_at IS NULL",
        (account_id, iso(now), outcome, account_id, taken_at, incident_id),
    )
    return cursor.rowcount == 1


async def raise_level(
    tx: Session,
    incident_id: int,
    level: int,
    now: datetime,
    next_due: datetime,
    *,
    early: bool = False,
) -> bool:
    """Raise an untaken incident from `level` once, when due (or `early`: someone else
    raised it already); a second run finds the level moved."""
    due = "" if early else " AND due_at <= ?"
    cursor = await tx.execute(
        "UPDATE incidents SET level = ?, due_at = ?"
        f" WHERE id = ? AND level = ? AND taken_at IS NULL AND closed_at IS NULL{due}",
        (level + 1, iso(next_due), incident_id, level, *(() if early else (iso(now),))),
    )
    return cursor.rowcount == 1


async def untaken(conn: Session) -> list[tuple[int, datetime]]:
    """(id, when it is raised next) of every open incident nobody has taken."""
    rows = await fetch_all(
        conn,
        "SELECT id, due_at FROM incidents WHERE taken_at IS NULL AND closed_at IS NULL ORDER BY id",
    )
    return [(int(row[0]), datetime.fromisoformat(row[1])) for row in rows]


async def open_in(conn: Session, canteen_ids: list[int]) -> list[Incident]:
    """The open incidents of these canteens, oldest first."""
    if not canteen_ids:
        return []
    marks = ",".join("?" * len(canteen_ids))
    rows = await fetch_all(
        conn,
        f"SELECT * FROM incidents WHERE canteen_id IN ({marks}) AND closed_at IS NULL"
        " ORDER BY opened_at, id",
        tuple(canteen_ids),
    )
    return [Incident.from_row(row) for row in rows]


async def opened_between(
    conn: Session, canteen_id: int, start: datetime, end: datetime
) -> list[Incident]:
    """The incidents of a canteen opened in [start, end), oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM incidents WHERE canteen_id = ? AND opened_at >= ? AND opened_at < ?"
        " ORDER BY opened_at, id",
        (canteen_id, iso(start), iso(end)),
    )
    return [Incident.from_row(row) for row in rows]


async def open_about_order(conn: Session, order_id: int) -> Incident | None:
    """The open incident about a meal's order, if there is one."""
    row = await fetch_one(
        conn,
        "SELECT * FROM incidents WHERE order_id = ? AND closed_at IS NULL ORDER BY id",
        (order_id,),
    )
    return Incident.from_row(row) if row else None


class Draft(Record):
    account_id: int
    message_id: int
    text: str
    file_id: str | None
    created_at: datetime


async def keep_draft(
    tx: Session,
    account_id: int,
    message_id: int,
    text: str,
    file_id: str | None,
    now: datetime,
) -> None:
    """Keep what was said until the person taps to send it (or forgets it)."""
    await tx.execute(
        "INSERT INTO request_drafts (account_id, message_id, text, file_id, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, message_id) DO NOTHING",
        (account_id, message_id, text, file_id, iso(now)),
    )
    await tx.execute(  # what was not sent within a day is let go
        "DELETE FROM request_drafts WHERE account_id = ? AND created_at < ?",
        (account_id, iso(now - timedelta(days=1))),
    )


async def take_draft(tx: Session, account_id: int, message_id: int) -> Draft | None:
    """The draft, removed (a second tap finds none)."""
    row = await fetch_one(
        tx,
        "SELECT * FROM request_drafts WHERE account_id = ? AND message_id = ?",
        (account_id, message_id),
    )
    if row is None:
        return None
    await tx.execute(
        "DELETE FROM request_drafts WHERE account_id = ? AND message_id = ?",
        (account_id, message_id),
    )
    return Draft.from_row(row)
