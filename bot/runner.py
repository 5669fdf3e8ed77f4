"""`doorstep run`: the real bot against Telegram (or a self-hosted Bot API server)."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.core.clock import SystemClock
from bot.settings import Config


def run_polling(config: Config) -> int:
    app = build_application(config, SystemClock(config.settings.tz))
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
