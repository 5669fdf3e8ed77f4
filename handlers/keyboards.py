"""The main reply keyboard: big buttons, two to a row."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.callbacks import pack
from bot.i18n import t
from bot.services.accounts import Who

LANG_PREFIX = "lang1"


def main_keyboard(lang: str, who: Who) -> ReplyKeyboardMarkup:
    """Resident buttons for anyone linked to a senior, Register for newcomers; Help, Language."""
    if who.residents:
        rows = [
            [t(lang, "core.button.order"), t(lang, "core.button.my_orders")],
            [t(lang, "core.button.regular"), t(lang, "core.button.family")],
        ]
    else:
        rows = [[t(lang, "core.button.register")]]
    rows.append([t(lang, "core.button.help"), t(lang, "core.button.language")])
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("简体中文", callback_data=pack(LANG_PREFIX, "set", "zh")),
                InlineKeyboardButton("English", callback_data=pack(LANG_PREFIX, "set", "en")),
            ]
        ]
    )


def inline(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data), as a list page gives them, as an inline keyboard."""
    buttons = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    return InlineKeyboardMarkup(buttons) if buttons else None


def button_texts(key: str) -> list[str]:
    """A reply-keyboard button's label in every language, to match what the user tapped."""
    from bot.i18n import LANGUAGES

    return [t(lang, key) for lang in LANGUAGES]
