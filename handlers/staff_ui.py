"""What the staff screens share: picking a window, labels, and answering a tap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.callbacks import Callback, pack, unpack
from bot.i18n import Html, t
from bot.services import staff
from bot.services.errors import DomainError
from bot.services.labels import window_label
from data.models import Window
from handlers.common import Context, deps_of, language_of, refuse, tell

Action = Callable[[Update, Context, Callback, str], Awaitable[None]]


def window_button(window: Window, lang: str, prefix: str) -> list[InlineKeyboardButton]:
    state = t(lang, f"staff.state.{window.state}")
    text = f"{window_label(window, lang)} · {state}"
    return [InlineKeyboardButton(text, callback_data=pack(prefix, "w", window.id))]


async def pick_window(update: Update, context: Context, prefix: str, question: str) -> None:
    """Offer today's and tomorrow's windows of the user's canteens as buttons."""
    user = update.effective_user
    if user is None:
        return
    lang = await language_of(update, context)
    deps = deps_of(context)
    if not await staff.canteens_of(deps, user.id):
        await tell(update, context, t(lang, "core.error.not_allowed"))
        return
    found = await staff.recent_windows(deps, user.id)
    if not found:
        await tell(update, context, t(lang, "staff.pick.none"))
        return
    rows = [window_button(window, lang, prefix) for window in found]
    await tell(update, context, t(lang, question), reply_markup=InlineKeyboardMarkup(rows))


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
