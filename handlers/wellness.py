"""The senior's daily "I'm fine" button."""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import Resident
from bot.core.i18n import t
from bot.services.people import checkin
from handlers.buttons import Button, answer, show
from handlers.common import Context, user_id


async def fine_today(update: Update, context: Context, tap: Resident, lang: str) -> None:
    """Record today's check-in for the senior the button was sent to."""
    fresh = await checkin.check_in(context.deps, user_id(update), tap.resident)
    await answer(update)
    await show(update, t(lang, "admin.checkin.thanks" if fresh else "admin.checkin.already"), None)


BUTTONS = (Button(callbacks.FINE_TODAY, fine_today),)
