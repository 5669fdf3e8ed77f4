"""Old names for what the step-by-step screens still import from here (menus.py,
menu_draft.py, volunteer.py); they live in handlers/buttons.py, handlers/windows.py and
handlers/common.py. Delete this module once those three import from there."""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import WindowPage
from handlers import windows
from handlers.buttons import answer, dispatch, show
from handlers.common import Context, user_id
from handlers.windows import STAFF_CHATS

__all__ = ["STAFF_CHATS", "answer", "dispatch", "pick_window", "show", "user_id"]


async def pick_window(update: Update, context: Context, prefix: str, question: str) -> None:
    """`windows.pick_window` for the `w` route of `prefix`."""
    opens = callbacks.route_of(f"{prefix}:w")
    if opens is None or opens.payload is not WindowPage:
        raise ValueError(f"{prefix} has no window route")
    await windows.pick_window(update, context, opens, question)
