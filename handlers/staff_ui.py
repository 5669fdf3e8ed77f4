"""What the staff screens share: picking a window, labels, and answering a tap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import filters

from bot.core.callbacks import Callback, pack, unpack
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.services.people import staff
from data.models import Window
from handlers.common import Context, deps_of, language_of, refuse, tell

Action = Callable[[Update, Context, Callback, str], Awaitable[None]]
# Where /orders and /sheet work: a private chat, or a canteen's kitchen group (its staff only,
# checked in `pick_window`).
STAFF_CHATS = filters.ChatType.PRIVATE | filters.ChatType.GROUPS


def window_button(window: Window, lang: str, prefix: str) -> list[InlineKeyboardButton]:
    state = t(lang, f"staff.state.{window.state}")
    text = f"{window_label(window, lang)} · {state}"
    return [InlineKeyboardButton(text, callback_data=pack(prefix, "w", window.id))]


async def pick_window(update: Update, context: Context, prefix: str, question: str) -> None:
    """Offer today's and tomorrow's windows of the user's canteens as buttons (in a kitchen
    group: of that group's canteen, to its staff; other groups are left alone)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    lang = await language_of(update, context)
    try:
        found = await _windows_here(deps_of(context), user.id, chat)
    except DomainError as error:
        await refuse(update, context, error)
        return
    if found is None:
        return
    if not found:
        await tell(update, context, t(lang, "staff.pick.none"))
        return
    rows = [window_button(window, lang, prefix) for window in found]
    await tell(update, context, t(lang, question), reply_markup=InlineKeyboardMarkup(rows))


async def _windows_here(deps: Deps, account_id: int, chat: Chat) -> list[Window] | None:
    """The windows to offer in this chat; None in a group that is no kitchen group."""
    if chat.type != ChatType.PRIVATE:
        return await staff.kitchen_group_windows(deps, account_id, chat.id)
    if not await staff.canteens_of(deps, account_id):
        raise NotAllowedError()
    return await staff.recent_windows(deps, account_id)


async def dispatch(
    update: Update, context: Context, prefix: str, actions: Mapping[str, Action]
) -> None:
    """Route a tap to its action; a forged or old button, or a refusal, is answered kindly."""
    query = update.callback_query
    if query is None:
        return
    lang = await language_of(update, context)
    callback = unpack(prefix, query.data)
    action = actions.get(callback.action) if callback else None
    if callback is None or action is None:
        await query.answer(t(lang, "core.error.stale_button"), show_alert=True)
        return
    try:
        await action(update, context, callback, lang)
    except DomainError as error:
        await refuse(update, context, error)
    except (ValueError, IndexError):
        await query.answer(t(lang, "core.error.stale_button"), show_alert=True)


async def show(update: Update, text: Html, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the tapped message with a new screen (answering the tap first)."""
    query = update.callback_query
    assert query is not None
    if query.message is None:
        return
    if isinstance(query.message, Message) and query.message.text is None:
        # a photo or a file has no text to replace (a forged tap): the screen comes anew
        await query.message.chat.send_message(text, reply_markup=markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():  # a refresh that found no change
            raise


def user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


async def answer(update: Update, text: str | None = None) -> None:
    """Answer the tap (stops the spinner), with a short note when there is one."""
    assert update.callback_query is not None
    await update.callback_query.answer(text)
