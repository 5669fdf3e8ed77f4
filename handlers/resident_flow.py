"""The flow machine's former name, for the modules whose flows still keep their answers in
a dict (changing an order, a senior's details, a volunteer's note on a stop): the machine
itself is handlers/conversation.py.

The shapes below say what those dicts hold, so the store reads them back as they were
(a `Change` as a `Change`); a module that moves to a typed model of its own takes its
shape with it and imports handlers.conversation instead.
"""

from __future__ import annotations

from typing_extensions import TypedDict

from bot.services.ordering.order_change import Change
from handlers.conversation import (
    KEY,
    Feature,
    Flow,
    Reply,
    Rows,
    account_of,
    ask,
    begin,
    current,
    drop,
    end,
    finish,
)

__all__ = [
    "KEY",
    "ChangeShape",
    "Feature",
    "Flow",
    "Reply",
    "Rows",
    "SeniorShape",
    "account_of",
    "ask",
    "begin",
    "current",
    "drop",
    "end",
    "finish",
]


class ChangeShape(TypedDict, total=False):
    """Changing an order (handlers/order_change.py)."""

    order: int
    change: Change | None
    why: str


class SeniorShape(TypedDict, total=False):
    """A senior's typed detail being edited (handlers/senior.py)."""

    resident: int
    field: str
