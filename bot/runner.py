"""`doorstep run`: the real bot against Telegram (or a self-hosted Bot API server)."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.core.clock import SystemClock
from bot.settings import Config


def run_polling(config: Config) -> int:
    """One process on SQLite; on PostgreSQL, one of any number, led by a lease."""
    if config.settings.on_postgres:
        from bot.leader import run

        return run(config)
    app = build_application(config, SystemClock(config.settings.tz))
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
