"""What every handler and job needs, built once and whole in the composition root."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.core.metrics import Metrics
from bot.settings import Config
from data.db import Database


class Signal:
    """A call that wakes whoever listens: services call it, a worker listens.

    The composition root makes the signals before Deps, and the workers (the outbox
    sender, the job runner) listen to them once they start; a signal nobody listens to
    yet (at start-up, in a command-line tool) does nothing.
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def __call__(self) -> None:
        for listener in self._listeners:
            listener()


@dataclass(frozen=True)
class Deps:
    config: Config
    db: Database
    clock: Clock
    # Called after a transaction queued outbox messages, so the sender sends them now.
    outbox_queued: Signal = field(default_factory=Signal)
    # Called after a change that makes a job due (claims opened, a no-answer, a sign-up).
    jobs_changed: Signal = field(default_factory=Signal)
    # One dispatch run at a time per window (window id -> its lock).
    dispatching: dict[int, asyncio.Lock] = field(default_factory=dict)
    # What the bot counts as it works (/metrics).
    metrics: Metrics = field(default_factory=Metrics)
