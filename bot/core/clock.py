"""The one source of time. Tests and the demo swap in a clock they can move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    tz: tzinfo

    def now(self) -> datetime:
        """The current local time, timezone-aware."""

    def real_seconds(self, delta: timedelta) -> float:
        """How many seconds of wall time pass while this clock moves by `delta`."""

    def on_jump(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever the clock jumps (so jobs can be planned again)."""


class SystemClock:
    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def real_seconds(self, delta: timedelta) -> float:
        return max(delta.total_seconds(), 0.0)

    def on_jump(self, listener: Callable[[], None]) -> None:
        """The system clock never jumps."""


class ManualClock:
    """Stands still until moved: `advance()` or `set()` jump it and tell the listeners."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.tz = start.tzinfo
        self._now = start
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def real_seconds(self, delta: timedelta) -> float:
        # Time only moves when told to, so a future job waits until the next jump.
        return 0.0 if delta <= timedelta(0) else 10 * 365 * 24 * 3600.0

    def on_jump(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(self.tz)
        for listener in list(self._listeners):
            listener()

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)
