"""Messages out: notifications through the outbox against a sandbox enforcing Telegram's limits.

The notices are queued in the store the way services queue them (`notify.text` inside a
transaction), the sender is woken once, and the clock runs from that moment until the
sandbox has stored the last of them. Telegram's limits (30 messages a second overall,
one a second to a person) are scaled up for the run (SCALES), in the sandbox, in the
sender's SendLimits and in PTB's AIORateLimiter alike; what is reported is the rate
as a share of the allowed one, and the 429s the sandbox had to answer.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench._common import Target, header, ptb_limits, store_in, table, verdicts
from bot.app import build_application
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import BotEvent, Event, RateLimits, Sandbox
from bot.sandbox.models import ChatState
from bot.services.notices import notify
from scheduling.outbox import Sender
from scheduling.ratelimit import Limiter, SendLimits
from tests.harness import KITCHEN_CHAT, MONDAY_8AM, TOKEN, make_config

NOTICES = int(os.environ.get("DOORSTEP_BENCH_NOTICES", "3000"))
PER_CHAT = 3  # notices to each resident: confirmed, on its way, delivered
SCALES = (5.0, 10.0)  # the target is judged at the first; the second shows the ceiling
TARGET_SHARE = 95.0
FIRST_CHAT = 500_000


class Arrivals(list[Event]):
    """Stands in for the sandbox transcript: notes when the bot's messages are stored."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.count = 0
        self.last = 0.0
        self.all = asyncio.Event()

    def append(self, event: Event) -> None:
        if isinstance(event, BotEvent) and event.action == "sent" and event.chat.startswith("R"):
            self.count += 1
            self.last = time.perf_counter()
            if self.count >= self.expected:
                self.all.set()


async def queue_notices(deps: Deps, chats: list[int]) -> None:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for n in range(NOTICES):
            chat = chats[n % len(chats)]
            body = f"Order No. {n}: your lunch is on its way."
            await notify.text(tx, f"bench:{n}", chat, body, now)


async def measure(scale: float) -> tuple[float, int, int, int]:
    """(seconds from wake to the last message stored, sent, 429s, other injected faults)."""
    limits = RateLimits(
        overall_per_second=round(30 * scale),
        private_per_second=round(scale),
        group_per_minute=round(20 * scale),
    )
    sandbox = Sandbox(token=TOKEN, rate_limits=limits)
    arrived = Arrivals(NOTICES)
    sandbox.state.transcript = arrived
    chats = list(range(FIRST_CHAT, FIRST_CHAT + NOTICES // PER_CHAT))
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox:
            sandbox.group(KITCHEN_CHAT, "Kitchen")
            for chat in chats:  # people who have talked to the bot before
                sandbox.state.chats[chat] = ChatState(chat, "private", f"R{chat}")
            config = make_config(sandbox, store_in(Path(folder)))
            with ptb_limits(scale):
                app = build_application(config, ManualClock(MONDAY_8AM), TrackedApplication)
            async with running(app):
                await sandbox.idle()
                sender = app.bot_data["sender"]
                assert isinstance(sender, Sender)
                sender.limiter = Limiter(
                    SendLimits(
                        per_second=round(30 * scale),
                        private_interval=1 / scale,
                        group_per_minute=round(20 * scale),
                    )
                )
                deps: Deps = app.bot_data["deps"]
                await queue_notices(deps, chats)
                start = time.perf_counter()
                deps.outbox_queued()
                await asyncio.wait_for(arrived.all.wait(), timeout=30 + 3 * NOTICES / scale)
                seconds = arrived.last - start
    kinds = [i.kind for i in sandbox.injected]
    refused = kinds.count("rate_limit")
    return seconds, arrived.count, refused, len(kinds) - refused


def main() -> int:
    """Sends the notices at each scale; prints the rate against the allowed one and the 429s."""
    header(
        f"Messages out: {NOTICES} notices ({PER_CHAT} to each of {NOTICES // PER_CHAT} "
        "residents) through the outbox sender, against the sandbox enforcing Telegram's "
        "limits (30/s overall, 1/s to a person) times a scale, with the sender's SendLimits "
        "and PTB's AIORateLimiter scaled the same; bot and sandbox share one process"
    )
    rows, targets = [], []
    for scale in SCALES:
        seconds, sent, refused, faults = asyncio.run(measure(scale))
        allowed = 30 * scale
        share = 100 * sent / seconds / allowed
        rows.append([f"x{scale:g}", sent, seconds, sent / seconds, allowed, share, refused, faults])
        if scale == SCALES[0]:
            name = f"outbox rate as a share of the allowed, x{scale:g}"
            targets.append(Target(name, share, TARGET_SHARE, "%", True))
        targets.append(Target(f"429s answered by the sandbox, x{scale:g}", refused, 1, ""))
    table(
        ["limits", "notices", "seconds", "sent/s", "allowed/s", "share %", "429s", "faults"],
        rows,
    )
    return verdicts(targets)
