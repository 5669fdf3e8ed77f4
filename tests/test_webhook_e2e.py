"""Webhook mode over real HTTP: the sandbox posts updates to the bot's own server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from bot.webhook import WebhookPlan
from tests.harness import TOKEN, bot_running, free_port, make_config

SECRET = "canteen-secret_1"
START = {
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1001, "type": "private", "first_name": "Eve"},
        "from": {"id": 1001, "is_bot": False, "first_name": "Eve"},
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
}


async def until(happened: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait for something another process does (the bot starting takes a few seconds)."""
    for _ in range(int(seconds / 0.05)):
        if happened():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"not within {seconds} s")


def webhook_plan() -> WebhookPlan:
    port = free_port()
    return WebhookPlan(
        url=f"http://127.0.0.1:{port}/doorstep-hook", listen="127.0.0.1", port=port, secret=SECRET
    )


async def post(url: str, headers: dict[str, str], update_id: int) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"update_id": update_id, **START}, headers=headers) as answer,
    ):
        return answer.status


async def test_the_bot_registers_its_webhook_and_answers_what_telegram_posts(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path, store: str
) -> None:
    plan = webhook_plan()
    config = make_config(sandbox, store)
    async with bot_running(sandbox, config, clock, webhook=plan):
        assert sandbox.state.webhook is not None
        assert sandbox.state.webhook.url == plan.url
        assert sandbox.state.webhook.secret_token == SECRET
        eve = sandbox.user(1001, "Eve", language_code="en")
        await eve.send("/start")
        assert eve.last.text.startswith("Hello, Eve!")
        assert sandbox.state.webhook.answers == [200]
        assert not sandbox.sent("getUpdates")


async def test_posts_without_the_secret_or_with_a_wrong_one_are_refused(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path, store: str
) -> None:
    plan = webhook_plan()
    config = make_config(sandbox, store)
    async with bot_running(sandbox, config, clock, webhook=plan) as env:
        assert await post(plan.url, {}, 900) == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guessed"}
        assert await post(plan.url, wrong, 901) == 403
        await env.settle()
        assert sandbox.chat(1001).messages == []
        assert await env.rows("SELECT id FROM accounts WHERE id = 1001") == []
        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        assert await post(plan.url, right, 902) == 200
        await env.settle()
        assert await env.rows("SELECT id FROM accounts WHERE id = 1001") == [(1001,)]


async def test_starting_with_polling_again_drops_the_webhook_and_gets_what_waited(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path, store: str
) -> None:
    """A message written while the webhook bot was down waits at Telegram (its deliveries
    fail); the bot started with polling removes the webhook and fetches it."""
    config = make_config(sandbox, store)
    async with bot_running(sandbox, config, clock, webhook=webhook_plan()):
        assert sandbox.state.webhook is not None
    eve = sandbox.user(1001, "Eve", language_code="en")
    await eve.send("/start", wait=False)
    async with bot_running(sandbox, config, clock):
        assert sandbox.state.webhook is None
        assert eve.last.text.startswith("Hello, Eve!")
    assert sandbox.sent("deleteWebhook")


async def test_doorstep_run_with_webhook_serves_telegrams_posts(
    sandbox: Sandbox, tmp_path: Path, store: str
) -> None:
    """The command an operator runs, in its own process: it registers the webhook with its
    secret, answers what the sandbox posts, and stops cleanly on SIGTERM."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DOORSTEP_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "DOORSTEP_DB": str(store),
        "DOORSTEP_WEBHOOK_PORT": str(port),
        "DOORSTEP_WEBHOOK_SECRET": SECRET,
        "DOORSTEP_BACKUP_KEEP": "0",
    }
    url = f"http://127.0.0.1:{port}/hook"
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--webhook", url, env=env, cwd=tmp_path
    )
    try:
        await until(lambda: sandbox.state.webhook is not None)
        assert sandbox.state.webhook is not None
        assert (sandbox.state.webhook.url, sandbox.state.webhook.secret_token) == (url, SECRET)
        eve = sandbox.user(1001, "Eve", language_code="en")
        await eve.send("/start", wait=False)
        await until(lambda: bool(eve.messages))
        assert eve.last.text.startswith("Hello, Eve!")
        assert await post(url, {}, 900) == 403
    finally:
        bot.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(bot.wait(), 30)
    assert code == 0
