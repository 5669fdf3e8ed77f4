"""Hostile roster files: how long the bot takes to answer each (a refusal with the reason,
or the dry run when the file only claims too much), and how long another person waits for
an answer meanwhile; all through the sandbox over HTTP, the real bot on a real SQLite file.

While the admin's file is being read, a second person sends /help, waits for the answer,
and sends it again a tenth of a second later (quicker than anyone taps, slow enough to
stay under PTB's 30 messages a second), until the admin has been answered. Their first
answer is also timed with nothing being read, as the baseline.

The last rows read two files in a thread of the bot's own process instead of a child
process: the cheaper design, shown for what it costs the other chats (a thread also
cannot be stopped or held to a memory limit, which no figure here shows).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._common import Target, header, percentile, table, verdicts
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox, SandboxUser
from bot.services.people import roster_reader
from tests import hostile_files
from tests.harness import ADMIN_ID, KITCHEN_CHAT, MONDAY_8AM, TOKEN, bot_running, make_config

FILES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("zip bomb: 256 MiB of zeros in one cell", "bomb.xlsx", hostile_files.zip_bomb),
    ("zip bomb whose directory says 4 KB", "lying.xlsx", hostile_files.lying_zip_bomb),
    ("dimension A1:XFD1048576, 2 people", "dimension.xlsx", hostile_files.huge_dimension),
    ("one cell at XFD1048576, 2 people", "corner.xlsx", hostile_files.far_corner),
    ("a million shared strings", "strings.xlsx", hostile_files.huge_shared_strings),
    ("a billion laughs (XML entities)", "laughs.xlsx", hostile_files.entity_bomb),
    ("stray bytes in a CSV", "stray.csv", hostile_files.stray_bytes),
    ("UTF-16 text, as Excel saves it", "unicode.txt", hostile_files.utf16_text),
    ("GBK CSV", "gbk.csv", hostile_files.gbk_csv),
    ("5,000 people (a legitimate file)", "big.xlsx", hostile_files.big_workbook),
]
THREADED = ["corner.xlsx", "big.xlsx"]
ANSWER_WITHIN = 5.0  # seconds: a hostile file is answered "in seconds"
LEGITIMATE_WITHIN = 10.0  # seconds: 5,000 people
OTHERS_WITHIN = 500.0  # ms: the other person's worst wait while a file is read in a child
POLL = 0.002
PACE = 0.1


async def answered(user: SandboxUser, seen: int) -> float:
    """When `user` has more than `seen` messages (polled every 2 ms)."""
    while True:
        if len(user.messages) > seen:
            return time.perf_counter()
        await asyncio.sleep(POLL)


async def meanwhile(other: SandboxUser, done: asyncio.Event) -> list[float]:
    """/help and its answer, again and again, until `done`; each wait in ms."""
    waits = []
    while not done.is_set():
        seen = len(other.messages)
        start = time.perf_counter()
        await other.send("/help", wait=False)
        waits.append(1000 * (await answered(other, seen) - start))
        await asyncio.sleep(PACE)
    return waits


async def one(admin: SandboxUser, other: SandboxUser, name: str, content: bytes) -> list[object]:
    seen, done = len(admin.messages), asyncio.Event()
    start = time.perf_counter()
    chatting = asyncio.create_task(meanwhile(other, done))
    await admin.send_document(name, content, wait=False)
    took = await answered(admin, seen) - start
    done.set()
    waits = await chatting
    answer = admin.last.text.split("\n", 1)[0]
    return [took, len(waits), percentile(sorted(waits), 50), max(waits), answer[:60]]


async def measure() -> tuple[list[list[object]], float]:
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Sandbox(token=TOKEN)
        await sandbox.start()
        sandbox.group(KITCHEN_CHAT, "Kitchen")
        config = make_config(sandbox, Path(folder) / "doorstep.sqlite3")
        try:
            async with bot_running(sandbox, config, ManualClock(MONDAY_8AM)):
                admin = sandbox.user(ADMIN_ID, "Admin", language_code="en")
                other = sandbox.user(2001, "Ann", language_code="en")
                await admin.send("/start")
                await other.send("/start")
                baseline = await meanwhile_once(other)
                rows = []
                for label, name, build in FILES:
                    rows.append([label, len(build()), *(await one(admin, other, name, build()))])
                    await sandbox.idle(timeout=60)
                with in_a_thread():
                    for label, name, build in FILES:
                        if name in THREADED:
                            took = await one(admin, other, name, build())
                            rows.append([f"{label}, in a thread", len(build()), *took])
                            await sandbox.idle(timeout=60)
        finally:
            await sandbox.stop()
    return rows, baseline


@contextlib.contextmanager
def in_a_thread() -> Iterator[None]:
    """Read roster files with asyncio.to_thread instead of the child process."""
    shipped = roster_reader.read

    async def threaded(filename: str, content: bytes) -> roster_reader.Rows:
        return await asyncio.to_thread(roster_reader.rows, filename, content)

    roster_reader.read = threaded  # type: ignore[assignment]
    try:
        yield
    finally:
        roster_reader.read = shipped  # type: ignore[assignment]


async def meanwhile_once(other: SandboxUser) -> float:
    seen = len(other.messages)
    start = time.perf_counter()
    await other.send("/help", wait=False)
    return 1000 * (await answered(other, seen) - start)


def main() -> int:
    header("Roster files: time to the admin's answer, and another chat's waits meanwhile")
    rows, baseline = asyncio.run(measure())
    print(f"another chat's answer with nothing being read: {baseline:.1f} ms")
    table(
        ["file", "bytes", "answer s", "other n", "other p50 ms", "other max ms", "answer"],
        rows,
    )
    child = rows[: len(FILES)]
    hostile = max(float(row[2]) for row in child[:-1])  # type: ignore[arg-type]
    legitimate = float(child[-1][2])  # type: ignore[arg-type]
    worst = max(float(row[5]) for row in child)  # type: ignore[arg-type]
    return verdicts(
        [
            Target("slowest answer to a hostile file", hostile, ANSWER_WITHIN, "s"),
            Target("answer to 5,000 people", legitimate, LEGITIMATE_WITHIN, "s"),
            Target("another chat's worst wait, files read in a child", worst, OTHERS_WITHIN, "ms"),
        ]
    )
