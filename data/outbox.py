"""The outbox: messages that must arrive, written with the change that causes them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from data.db import Session, fetch_all
from data.models import OutboxMessage
from data.timefmt import iso

Kind = Literal["text", "document", "photo", "location", "voice"]
# An alert about a senior's safety goes out before every routine message.
ROUTINE = 0
URGENT = 1


async def enqueue(
    tx: Session,
    key: str,
    chat_id: int,
    kind: Kind,
    payload: dict[str, Any],
    now: datetime,
    priority: int = ROUTINE,
) -> bool:
    """Queue a message; a second write with the same key is a no-op (returns False)."""
    cursor = await tx.execute(
        "INSERT INTO outbox (key, chat_id, kind, payload, next_attempt_at, created_at, priority)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
        (
            key,
            chat_id,
            kind,
            json.dumps(payload, ensure_ascii=False),
            iso(now),
            iso(now),
            priority,
        ),
    )
    return cursor.rowcount == 1


async def due(conn: Session, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """What may be sent now: alerts first, then in the order queued."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?"
        " ORDER BY priority DESC, id LIMIT ?",
        (iso(now), limit),
    )
    return [OutboxMessage.from_row(row) for row in rows]


async def mark_sending(tx: Session, message_id: int, attempts: int) -> bool:
    """Take the message for one attempt, recorded before the request so that a crash
    mid-send is visible at the next start (found still `sending`, that attempt is counted
    unsure). False when it is no longer as it was read (sent, given up, or already taken
    for this attempt): then it must not be sent."""
    cursor = await tx.execute(
        "UPDATE outbox SET unsure = unsure + CASE WHEN status = 'sending' THEN 1 ELSE 0 END,"
        " status = 'sending',"
        " attempts = attempts + 1"
        " WHERE id = ? AND attempts = ? AND status IN ('pending', 'sending')",
        (message_id, attempts),
    )
    return cursor.rowcount == 1


async def mark_sent(tx: Session, message_id: int, telegram_id: int | None, now: datetime) -> None:
    await tx.execute(
        "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL"
        " WHERE id = ?",
        (telegram_id, iso(now), message_id),
    )


async def retry_later(tx: Session, message_id: int, when: datetime, error: str) -> None:
    """Put a message that failed this attempt back in the queue, unless it was taken out
    of it meanwhile (withheld because the senior it is about was erased)."""
    await tx.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?"
        " WHERE id = ? AND status = 'sending'",
        (iso(when), error[:500], message_id),
    )


async def unanswered(
    tx: Session, message_id: int, when: datetime, error: str, *, last: bool
) -> None:
    """Telegram had the whole request and no answer came: count the attempt unsure, and
    try again at `when`, or (`last`) give the message up."""
    await tx.execute(
        "UPDATE outbox SET unsure = unsure + 1, next_attempt_at = ?, last_error = ?,"
        " status = CASE WHEN ? = 1 THEN 'failed' ELSE 'pending' END WHERE id = ?",
        (iso(when), error[:500], last, message_id),
    )


async def withdraw(tx: Session, chat_id: int, prefixes: list[str]) -> int:
    """Give up the messages to this chat not sent yet whose key is one of `prefixes` (or
    one of them followed by `:`): what they said is no longer this person's to read."""
    withdrawn = 0
    for prefix in prefixes:
        cursor = await tx.execute(
            "UPDATE outbox SET status = 'failed', last_error = 'withdrawn: access taken back'"
            " WHERE chat_id = ? AND status IN ('pending', 'sending')"
            " AND (key = ? OR substr(key, 1, ?) = ?)",
            (chat_id, prefix, len(prefix) + 1, f"{prefix}:"),
        )
        withdrawn += max(cursor.rowcount, 0)
    return withdrawn


async def give_up(
    tx: Session, message_id: int, status: Literal["failed", "blocked"], error: str
) -> None:
    await tx.execute(
        "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?",
        (status, error[:500], message_id),
    )


async def hold(tx: Session, message_id: int, error: str) -> None:
    """Keep a message its receiver cannot get yet (they never started the bot)."""
    await tx.execute(
        "UPDATE outbox SET status = 'blocked', held = 1, last_error = ? WHERE id = ?",
        (error[:500], message_id),
    )


async def release_held(tx: Session, chat_id: int, now: datetime, since: datetime) -> int:
    """Queue again the messages held for `chat_id` that were queued after `since`; the
    older ones stay held (news that late would mislead). How many were queued."""
    cursor = await tx.execute(
        "UPDATE outbox SET status = 'pending', held = 0, next_attempt_at = ?"
        " WHERE chat_id = ? AND held = 1 AND status = 'blocked' AND created_at >= ?",
        (iso(now), chat_id, iso(since)),
    )
    return cursor.rowcount


async def by_status(conn: Session, status: str) -> list[OutboxMessage]:
    rows = await fetch_all(conn, "SELECT * FROM outbox WHERE status = ? ORDER BY id", (status,))
    return [OutboxMessage.from_row(row) for row in rows]
