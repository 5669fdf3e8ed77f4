"""Telegram's published sending limits, kept by the outbox sender.

At most 30 messages a second overall, one a second to the same private chat and 20 a
minute to the same group. PTB's own limiter has no per-chat limit for private chats.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SendLimits:
    per_second: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20


@dataclass
class Limiter:
    """Answers "how long until I may send to this chat?" and records sends."""

    limits: SendLimits = field(default_factory=SendLimits)
    clock: Callable[[], float] = time.monotonic
    _recent: deque[float] = field(default_factory=deque)
    _last_private: dict[int, float] = field(default_factory=dict)
    _group_sends: dict[int, deque[float]] = field(default_factory=dict)
    _held: dict[int, float] = field(default_factory=dict)

    def hold(self, chat_id: int, seconds: float) -> None:
        """Send nothing to this chat for a while (after a 429 or a network error)."""
        self._held[chat_id] = max(self._held.get(chat_id, 0.0), self.clock() + seconds)

    def wait_for(self, chat_id: int, in_flight: int = 0) -> float:
        """Seconds until a message to `chat_id` may start, with `in_flight` requests out."""
        return max(self.chat_wait(chat_id), self.overall_wait(in_flight))

    def overall_wait(self, in_flight: int = 0) -> float:
        """Seconds until any message may start. Sends are recorded when their answer is
        back and requests still out count too, so Telegram never sees more than
        `per_second` arrive within any second, however the requests overlap."""
        now = self.clock()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) + in_flight < self.limits.per_second:
            return 0.0
        return 1.0 - (now - self._recent[0]) if self._recent else 0.01

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may get its next message."""
        now = self.clock()
        waits = [0.0, self._held.get(chat_id, now) - now]
        if chat_id > 0:
            last = self._last_private.get(chat_id)
            if last is not None:
                waits.append(self.limits.private_interval - (now - last))
        else:
            sends = self._group_sends.setdefault(chat_id, deque())
            while sends and now - sends[0] >= 60.0:
                sends.popleft()
            if len(sends) >= self.limits.group_per_minute:
                waits.append(60.0 - (now - sends[0]))
        return max(waits)

    def record(self, chat_id: int) -> None:
        now = self.clock()
        self._recent.append(now)
        if chat_id > 0:
            self._last_private[chat_id] = now
        else:
            self._group_sends.setdefault(chat_id, deque()).append(now)
