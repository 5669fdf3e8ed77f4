"""The senior's daily "I'm fine" button."""

from __future__ import annotations

from telegram import Update

from bot.core.callbacks import unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import t
from bot.services.people import checkin, messages
from handlers.common import Context, deps_of, language_of, refuse
from handlers.staff_ui import show, user_id


async def pressed(update: Update, context: Context) -> None:
    """Record today's check-in for the senior the button was sent to."""
    query = update.callback_query
    if query is None:
        return
    lang = await language_of(update, context)
    callback = unpack(messages.CHECKIN_PREFIX, query.data)
    try:
        if callback is None or callback.action != "ok":
            raise NotAllowedError("core.error.stale_button")
        fresh = await checkin.check_in(deps_of(context), user_id(update), callback.int_arg(0))
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    await query.answer()
    await show(update, t(lang, "admin.checkin.thanks" if fresh else "admin.checkin.already"), None)
