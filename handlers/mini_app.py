"""/app: buttons that open the Mini App's screens this person may use (WebAppInfo)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo

from bot.core.i18n import t
from bot.services.people import screens
from handlers.common import Context, deps_of, language_of, tell
from handlers.conversation import account_of


async def open_app(update: Update, context: Context) -> None:
    """Offer one button per screen the person's roles open, each opening it in Telegram."""
    deps, lang = deps_of(context), await language_of(update, context)
    base = deps.config.settings.web_url
    if base is None:
        await tell(update, context, t(lang, "web.chat.not_set_up"))
        return
    found = await screens.open_to(deps, account_of(update))
    if not found:
        await tell(update, context, t(lang, "web.chat.none"))
        return
    rows = [
        [InlineKeyboardButton(t(lang, f"web.chat.{name}"), web_app=WebAppInfo(f"{base}/{name}"))]
        for name in found
    ]
    await tell(update, context, t(lang, "web.chat.choose"), reply_markup=InlineKeyboardMarkup(rows))
