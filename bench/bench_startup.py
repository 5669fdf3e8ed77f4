"""Start-up: from process start to the first getUpdates of `python -m bot.cli run`.

Each run spawns the real command as a new process (so every import counts), pointed at
an in-bench sandbox by TELEGRAM_API_BASE_URL, and stops the clock when the sandbox
receives the bot's first getUpdates. The first start creates and migrates the store;
the later ones open the same file, as a restart does.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path

from bench._common import Target, doorstep_run, header, table, verdicts
from bot.sandbox import Sandbox
from tests.harness import KITCHEN_CHAT, TOKEN

RUNS = 5
TARGET_SECONDS = 1.5


async def measure() -> list[float]:
    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(RUNS):
            async with Sandbox(token=TOKEN) as sandbox:
                sandbox.group(KITCHEN_CHAT, "Kitchen")
                async with doorstep_run(sandbox, Path(folder) / "doorstep.sqlite3") as (_, took):
                    seconds.append(took)
    return seconds


def main() -> int:
    header(
        f"Start-up: spawn `python -m bot.cli run` to its first getUpdates, {RUNS} runs "
        "(run 1 on a new store file, the others restart on it)"
    )
    seconds = asyncio.run(measure())
    table(
        ["run", "seconds"],
        [[f"{n}{' (new store)' if n == 1 else ''}", s] for n, s in enumerate(seconds, start=1)],
    )
    median = statistics.median(seconds)
    print(f"median {median:.2f} s, worst {max(seconds):.2f} s")
    return verdicts(
        [Target("start-up to first getUpdates, worst run", max(seconds), TARGET_SECONDS, "s")]
    )
