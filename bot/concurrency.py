"""Updates from different chats are handled at the same time; one chat's stay in order.

PTB's own concurrent processing would let a person's two quick taps overtake each other;
handling everything one by one makes a hundred seniors ordering at noon wait for each
other's database and network round trips. This keeps order where it matters (per chat,
and per user for inline buttons) and overlaps the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def _key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0  # updates about no chat (rare) share one lane


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once, never two of the same chat."""

    def __init__(
        self, max_concurrent_updates: int, on_handled: Callable[[float], None] | None = None
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._lanes: dict[int, tuple[asyncio.Lock, int]] = {}
        # Told the seconds each update took, from taken (its wait in its lane included)
        # to handled: the answer time a person sees, less the network.
        self._on_handled = on_handled

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await self._in_lane(update, coroutine)
        finally:
            if self._on_handled is not None:
                self._on_handled(time.perf_counter() - started)

    async def _in_lane(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        lock, users = self._lanes.get(key, (asyncio.Lock(), 0))
        self._lanes[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._lanes[key]
            if users == 1:
                del self._lanes[key]
            else:
                self._lanes[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
