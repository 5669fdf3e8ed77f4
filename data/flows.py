"""Half-answered questions: the step each account is at, and its answers so far.

The handlers' flow machine (handlers/conversation.py) reads a row before an update and
writes it back after; what `state` means is the flow's own business (JSON of its typed
answers). A question is let go when it ends, when its senior is erased, and a day after
the day it was asked (the day after, it still says kindly that it expired).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from data.db import Row, Session, fetch_all, fetch_one
from data.timefmt import iso


@dataclass(frozen=True)
class Kept:
    """One account's question as the store keeps it."""

    account_id: int
    name: str
    step: str
    state: str  # JSON
    options: dict[str, str]
    aliases: dict[str, str]
    history: tuple[str, ...]
    day: date

    @classmethod
    def from_row(cls, row: Row) -> Kept:
        return cls(
            account_id=row["account_id"],
            name=row["name"],
            step=row["step"],
            state=row["state"],
            options=json.loads(row["options"]),
            aliases=json.loads(row["aliases"]),
            history=tuple(json.loads(row["history"])),
            day=date.fromisoformat(row["day"]),
        )


async def of(session: Session, account_id: int) -> Kept | None:
    """The question this account is at, if any."""
    row = await fetch_one(session, "SELECT * FROM flows WHERE account_id = ?", (account_id,))
    return Kept.from_row(row) if row else None


async def everyone(session: Session) -> list[Kept]:
    """Every half-answered question (an erasure looks for those about its senior)."""
    rows = await fetch_all(session, "SELECT * FROM flows ORDER BY account_id")
    return [Kept.from_row(row) for row in rows]


async def keep(tx: Session, kept: Kept, now: datetime) -> None:
    """Write the account's question as it is now."""
    await tx.execute(
        "INSERT INTO flows (account_id, name, step, state, options, aliases, history, day,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account_id) DO UPDATE SET"
        " name = excluded.name, step = excluded.step, state = excluded.state,"
        " options = excluded.options, aliases = excluded.aliases, history = excluded.history,"
        " day = excluded.day, updated_at = excluded.updated_at",
        (
            kept.account_id,
            kept.name,
            kept.step,
            kept.state,
            json.dumps(kept.options, ensure_ascii=False),
            json.dumps(kept.aliases, ensure_ascii=False),
            json.dumps(list(kept.history)),
            kept.day.isoformat(),
            iso(now),
        ),
    )


async def forget(tx: Session, account_ids: list[int]) -> None:
    """These accounts are at no question any more."""
    await tx.executemany("DELETE FROM flows WHERE account_id = ?", [(a,) for a in account_ids])


async def forget_asked_before(tx: Session, day: date) -> None:
    """Let go of every question asked before `day`, whoever was asked."""
    await tx.execute("DELETE FROM flows WHERE day < ?", (day.isoformat(),))
