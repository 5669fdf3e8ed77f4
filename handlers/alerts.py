"""The "I am handling it" button on an alert about a senior's meal."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from bot.core.callbacks import Callback, pattern
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.delivery import alerts
from bot.services.delivery.deliveries import local_time
from handlers.common import Context, deps_of
from handlers.staff_ui import answer, dispatch, show, user_id


async def _handle(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    done = await alerts.handle(deps, user_id(update), callback.int_arg(0))
    at = local_time(deps, done.alert.handled_at or deps.clock.now())
    await answer(update)
    message = update.callback_query.message if update.callback_query else None
    before = message.text_html if isinstance(message, Message) else ""
    note = t(lang, "volunteer.alert.handled", by=done.by, at=at)
    await show(update, Html(f"{before}\n\n{note}" if before else note), None)


async def on_button(update: Update, context: Context) -> None:
    """Buttons on alerts."""
    await dispatch(update, context, alerts.PREFIX, {"h": _handle})


def register(app: App, group: int) -> None:
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(alerts.PREFIX)), group=group)
