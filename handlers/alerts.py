"""The "I am handling it" button on an alert about a senior's meal."""

from __future__ import annotations

from telegram import Message, Update

from bot.core import callbacks
from bot.core.callbacks import Alert
from bot.core.i18n import Html, t
from bot.services.delivery import alerts
from bot.services.delivery.deliveries import local_time
from handlers.buttons import Button, answer, show
from handlers.common import Context, user_id


async def handling(update: Update, context: Context, tap: Alert, lang: str) -> None:
    """This person sees to it: the alert says who, and when."""
    deps = context.deps
    done = await alerts.handle(deps, user_id(update), tap.alert)
    at = local_time(deps, done.alert.handled_at or deps.clock.now())
    await answer(update)
    message = update.callback_query.message if update.callback_query else None
    before = message.text_html if isinstance(message, Message) else ""
    note = t(lang, "volunteer.alert.handled", by=done.by, at=at)
    await show(update, Html(f"{before}\n\n{note}" if before else note), None)


BUTTONS = (Button(callbacks.HANDLING, handling),)
