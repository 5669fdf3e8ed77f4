"""Keyboards, built one way. Inline keyboards are rows of (label, callback data), the data
packed by a route of bot/core/callbacks.py, made into markup by `inline`.

The main reply keyboards, one per home screen: big buttons, few, and a switch row. A
button is named by an intent (`order`, `staff_orders`, …); `LABELS` gives its catalogue
key, so the same table draws the keyboard and recognises a tap on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.core.callbacks import SET_LANGUAGE
from bot.core.i18n import LANGUAGES, catalogue, t
from bot.services.people import home as homes
from bot.services.people.home import Home
from handlers.common import Context

# The language buttons, each in its own language.
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}

# intent -> the catalogue key of its button
LABELS = {
    "order": "core.button.order",
    "my_orders": "core.button.my_orders",
    "regular": "core.button.regular",
    "family": "core.button.family",
    "register": "core.button.register",
    "help": "core.button.help",
    "language": "core.button.language",
    "staff_orders": "core.home_button.orders",
    "menu": "core.home_button.menu",
    "sheet": "core.home_button.sheet",
    "order_for": "core.home_button.order_for",
    "deliveries": "core.home_button.deliveries",
    "route": "core.home_button.route",
    "available": "core.home_button.available",
    "approvals": "core.home_button.approvals",
    "report": "core.home_button.report",
}
# A button that carries a count today ("📋 Orders · 3 waiting") is drawn from this key.
COUNTED = {
    "staff_orders": "core.home_button.orders_waiting",
    "approvals": "core.home_button.approvals_waiting",
}
SWITCH = "switch_"  # intent `switch_staff`: show the staff home (core.home_button.switch_staff)
# The rows of intents of each home screen (newcomers: the resident home before registering).
ROWS = {
    "resident": (("order", "my_orders"), ("regular", "family")),
    "newcomer": (("register",),),
    "staff": (("staff_orders",), ("menu", "sheet"), ("order_for",)),
    "volunteer": (("deliveries",), ("route",), ("available",)),
    "admin": (("approvals",), ("report", "staff_orders")),
}


def screen(home: Home) -> str:
    """The keyboard to draw: a resident who cares for nobody yet sees Register."""
    return "newcomer" if home.current == "resident" and not home.registered else home.current


def label(lang: str, intent: str, home: Home) -> str:
    count = {"staff_orders": home.waiting, "approvals": home.approvals}.get(intent, 0)
    if count:
        return t(lang, COUNTED[intent], n=count)
    if intent.startswith(SWITCH):
        return t(lang, f"core.home_button.{intent}")
    return t(lang, LABELS[intent])


def main_keyboard(lang: str, home: Home) -> ReplyKeyboardMarkup:
    """The home screen's buttons, then Help and Language, then one switch per other home."""
    rows = [[label(lang, intent, home) for intent in row] for row in ROWS[screen(home)]]
    rows.append([label(lang, "help", home), label(lang, "language", home)])
    if home.others:
        rows.append([label(lang, f"{SWITCH}{other}", home) for other in home.others])
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


async def home_keyboard(context: Context, account_id: int, lang: str) -> ReplyKeyboardMarkup:
    """The main keyboard of this account's home screen as it stands now."""
    return main_keyboard(lang, await homes.of(context.deps, account_id))


def inline(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data), as a list page gives them, as an inline keyboard
    (None for no rows: the message then has no buttons)."""
    buttons = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    return InlineKeyboardMarkup(buttons) if buttons else None


def language_keyboard() -> InlineKeyboardMarkup | None:
    return inline([[(name, SET_LANGUAGE.pack(code)) for code, name in LANGUAGE_NAMES.items()]])


def button_texts(key: str) -> list[str]:
    """A reply-keyboard button's label in every language, to match what the user tapped."""
    return [t(lang, key) for lang in LANGUAGES]


def _pattern(template: str) -> str:
    """A regular expression for a label with counts ("📋 Orders · {n} waiting")."""
    parts = re.split(r"\{\w+\}", template)
    return r"\d+".join(re.escape(part) for part in parts)


@cache
def _tapped() -> tuple[dict[str, str], re.Pattern[str]]:
    exact: dict[str, str] = {}
    counted: list[str] = []
    for lang in LANGUAGES:
        texts = catalogue(lang)
        for intent, key in LABELS.items():
            exact[texts[key]] = intent
        for home in ("resident", "staff", "volunteer", "admin"):
            exact[texts[f"core.home_button.{SWITCH}{home}"]] = f"{SWITCH}{home}"
        for intent, key in COUNTED.items():
            counted.append(f"(?P<{intent}_{lang}>{_pattern(texts[key])})")
    return exact, re.compile("|".join(counted))


def tapped(text: str) -> str | None:
    """The intent of a main-keyboard button with exactly this text (any language)."""
    exact, counted = _tapped()
    if text in exact:
        return exact[text]
    found = counted.fullmatch(text)
    if found is None or found.lastgroup is None:
        return None
    return found.lastgroup.rsplit("_", 1)[0]
