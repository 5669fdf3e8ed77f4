"""`doorstep run`: the real bot against Telegram (or a self-hosted Bot API server)."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.core.clock import SystemClock
from bot.settings import Config
from bot.webhook import WebhookPlan


def run_polling(config: Config) -> int:
    """One process on SQLite; on PostgreSQL, one of any number, led by a lease."""
    if config.settings.on_postgres:
        from bot.leader import run

        return run(config)
    app = build_application(config, SystemClock(config.settings.tz))
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def run_webhook(config: Config, webhook: WebhookPlan) -> int:
    """Listen for Telegram's posts (bot/webhook.py) instead of polling."""
    app = build_application(config, SystemClock(config.settings.tz))
    app.run_webhook(**webhook.serving())
    return 0
