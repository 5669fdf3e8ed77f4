"""What every handler and job needs, built once in the composition root."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.settings import Config
from data.db import Database


@dataclass
class Deps:
    config: Config
    db: Database
    clock: Clock
    # Called after a transaction queued outbox messages, so the sender sends them now.
    outbox_queued: Callable[[], None] = field(default=lambda: None)
    # Called after a change that makes a dispatch job due (claims opened, a no-answer).
    jobs_changed: Callable[[], None] = field(default=lambda: None)
    # One dispatch run at a time per window (window id -> its lock).
    dispatching: dict[int, asyncio.Lock] = field(default_factory=dict)
