"""The bot killed with SIGKILL half-way through a registration: a new process on the same
store carries on from the same question, with every earlier answer kept.

Here the bot is a real `doorstep run` process polling the sandbox, so nothing of the old
one survives but the store: no shutdown hook runs, no memory is handed over.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.sandbox import Sandbox, SandboxUser
from tests.harness import ADMIN_ID, TOKEN

WAIT = 30.0  # seconds for a separate process to start and answer, on a busy machine


@asynccontextmanager
async def doorstep_run(sandbox: Sandbox, db: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`doorstep run` against the sandbox; killed with SIGKILL at the end of the block."""
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "DOORSTEP_DB": str(db),
        "DOORSTEP_ADMIN_IDS": str(ADMIN_ID),
    }
    script = Path(sys.executable).with_name("doorstep")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    process = await asyncio.create_subprocess_exec(
        *command,
        "run",
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()


async def until(seen: Callable[[], bool]) -> None:
    """Wait until the chat shows what `seen` looks for (the bot is another process)."""
    async with asyncio.timeout(WAIT):
        while not seen():  # noqa: ASYNC110 - the other process has no event to wait on
            await asyncio.sleep(0.05)


def offers(user: SandboxUser, button: str) -> Callable[[], bool]:
    return lambda: any(button in row for row in user.keyboard or [])


def asks(user: SandboxUser, start: str) -> Callable[[], bool]:
    return lambda: bool(user.visible) and user.last.text.startswith(start)


async def answer(user: SandboxUser, text: str, *, button: bool = True) -> None:
    """Tap a button (or type), then wait for the bot's next message."""
    before = len(user.messages)
    if button:
        await user.click(text, wait=False)
    else:
        await user.send(text, wait=False)
    await until(lambda: len(user.messages) > before)


async def test_a_registration_goes_on_after_the_bot_is_killed(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    db = tmp_path / "doorstep.sqlite3"
    ann = sandbox.user(2001, "Ann", language_code="en", phone="+8613800002001")
    async with doorstep_run(sandbox, db) as first:
        await ann.send("/start", wait=False)
        await until(offers(ann, "📝 Register"))
        await answer(ann, "📝 Register")
        await answer(ann, "🙋 Myself")
        await answer(ann, "Ann Lee", button=False)
        await answer(ann, "📱 Share my phone number")
        await answer(ann, "80 or older")
        await until(asks(ann, "Which building"))  # the question may follow another message
    assert first.returncode == -signal.SIGKILL
    async with doorstep_run(sandbox, db):
        await answer(ann, "Building 6", button=False)  # to a process that never saw her
        await until(asks(ann, "Which unit"))  # the question may follow another message
        await answer(ann, "⬅️ Back")  # the way back survived too
        await until(asks(ann, "Which building"))  # the question may follow another message
