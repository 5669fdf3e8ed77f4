"""Ways the sandbox can misbehave like the real Bot API: injected faults and rate limits.

The server asks `sandbox.faults` (any object with a `decide(method, params)` method)
before running each request; `RandomFaults` answers a seeded share of requests with
429 + retry_after, 500 or a hang longer than PTB's read timeout. `RateLimiter` enforces
Telegram's broadcast limits when `Sandbox(rate_limits=True)`.

A timeout comes in two kinds, as on the real network. Not accepted: the request never
reaches Telegram; after `hang` seconds the gateway answers 504. Accepted: Telegram does
what was asked (the message is in the chat at once) and its answer arrives `hang` seconds
later, or never, for a client that stopped waiting sooner: the answer is lost.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict, deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

FaultKind = Literal["retry_after", "server_error", "timeout"]
# Methods that put something in front of a user: what faults and limits are about.
SENDING_PREFIXES = ("send", "edit", "copy", "forward")


@dataclass(frozen=True, slots=True)
class Fault:
    """What to do instead of answering normally."""

    kind: FaultKind
    retry_after: int = 1  # seconds, for retry_after
    hang: float = 6.0  # seconds to stall before answering, for timeout
    accepted: bool = False  # for timeout: done before the stall, then the real answer


class FaultPolicy(Protocol):
    """Decides, per request, whether to inject a fault."""

    def decide(self, method: str, params: dict[str, Any]) -> Fault | None:
        """A fault for this request, or None to answer it normally."""


@dataclass(slots=True)
class RandomFaults:
    """Answer a seeded random share of requests with a fault of one of the given kinds."""

    share: float
    seed: int = 0
    kinds: tuple[FaultKind, ...] = ("retry_after", "server_error", "timeout")
    methods: Collection[str] | None = None  # None: every method that sends or edits
    retry_after: int = 1
    hang: float = 6.0
    accepted: float = 0.0  # the share of timeouts that Telegram had accepted
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def decide(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Roll the dice for one request."""
        targeted = method in self.methods if self.methods is not None else is_sending(method)
        if not targeted or self._random.random() >= self.share:
            return None
        kind = self._random.choice(self.kinds)
        # Drawn only when asked for, so the faults of a seed without it stay as they were.
        accepted = kind == "timeout" and self.accepted > 0 and self._random.random() < self.accepted
        return Fault(kind, retry_after=self.retry_after, hang=self.hang, accepted=accepted)


def is_sending(method: str) -> bool:
    """Does this method put a message in front of a user?"""
    return method.startswith(SENDING_PREFIXES) and method != "sendChatAction"


@dataclass(slots=True)
class RateLimits:
    """Telegram's documented broadcast limits."""

    overall_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


class RateLimiter:
    """Sliding-window counters per chat and overall; says how long to wait when over."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._overall: deque[float] = deque()
        self._per_chat: defaultdict[int, deque[float]] = defaultdict(deque)

    def retry_after(self, chat_id: int) -> int | None:
        """Seconds to wait if sending to chat_id now breaks a limit, else None (and count it)."""
        now = self.clock()
        window, allowed = (
            (60.0, self.limits.group_per_minute)
            if chat_id < 0
            else (1.0, self.limits.private_per_second)
        )
        waits = [
            _wait(self._overall, now, 1.0, self.limits.overall_per_second),
            _wait(self._per_chat[chat_id], now, window, allowed),
        ]
        longest = max(waits)
        if longest > 0:
            return max(1, math.ceil(longest))
        self._overall.append(now)
        self._per_chat[chat_id].append(now)
        return None


def _wait(stamps: deque[float], now: float, window: float, allowed: int) -> float:
    while stamps and stamps[0] <= now - window:
        stamps.popleft()
    return stamps[0] + window - now if len(stamps) >= allowed else 0.0
