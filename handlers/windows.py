"""Picking a window: /orders, /sheet, /menu and the staff's /deliveries start here."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.core.callbacks import Route, WindowPage
from bot.core.deps import Deps
from bot.core.errors import NotAllowedError
from bot.core.i18n import t
from bot.core.labels import window_label
from bot.core.pager import Button
from bot.services.people import staff
from data.models import Window
from handlers.common import Context, language_of, tell
from handlers.keyboards import inline

# Where /orders and /sheet work: a private chat, or a canteen's kitchen group (its staff only,
# checked in `pick_window`).
STAFF_CHATS = filters.ChatType.PRIVATE | filters.ChatType.GROUPS


def window_button(window: Window, lang: str, opens: Route[[int], WindowPage]) -> Button:
    state = t(lang, f"staff.state.{window.state}")
    return f"{window_label(window, lang)} · {state}", opens.pack(window.id)


async def pick_window(
    update: Update, context: Context, opens: Route[[int], WindowPage], question: str
) -> None:
    """Offer today's and tomorrow's windows of the user's canteens as buttons that open
    `opens` (in a kitchen group: of that group's canteen, to its staff; other groups are
    left alone)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    lang = await language_of(update, context)
    found = await _windows_here(context.deps, user.id, chat)
    if found is None:
        return
    if not found:
        await tell(update, context, t(lang, "staff.pick.none"))
        return
    rows = [[window_button(window, lang, opens)] for window in found]
    await tell(update, context, t(lang, question), reply_markup=inline(rows))


async def _windows_here(deps: Deps, account_id: int, chat: Chat) -> list[Window] | None:
    """The windows to offer in this chat; None in a group that is no kitchen group."""
    if chat.type != ChatType.PRIVATE:
        return await staff.kitchen_group_windows(deps, account_id, chat.id)
    if not await staff.canteens_of(deps, account_id):
        raise NotAllowedError()
    return await staff.recent_windows(deps, account_id)
