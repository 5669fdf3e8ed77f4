"""Telegram may deliver an update twice; each is handled once."""

from __future__ import annotations

from bot.core.deps import Deps
from data import updates


async def first_time(deps: Deps, update_id: int) -> bool:
    async with deps.db.transaction() as tx:
        return await updates.claim(tx, update_id, deps.clock.now())
