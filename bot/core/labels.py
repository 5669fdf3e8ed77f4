"""Short names the canteen reads: a window ("Mon 2 Mar lunch"), a diet group, money."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from bot.core.i18n import Html, catalogue, t
from data.models import Window


def day_label(day: date, lang: str, area: str = "staff") -> Html:
    """A day as its readers say it, by the `fmt` of a catalogue area: '3月3日 周二'."""
    weekdays = t(lang, f"{area}.fmt.weekdays").split(",")
    months = t(lang, f"{area}.fmt.months").split(",")
    return t(
        lang,
        f"{area}.fmt.date",
        weekday=weekdays[day.weekday()],
        day=day.day,
        month=months[day.month - 1],
    )


def window_label(window: Window, lang: str) -> Html:
    return t(
        lang,
        "staff.fmt.window",
        date=day_label(window.day, lang),
        meal=t(lang, f"staff.meal.{window.meal}"),
    )


def tag_label(tag: str, lang: str) -> Html:
    """A diet tag in words; a tag the catalogue does not know is shown as it is."""
    key = f"staff.diet.{tag}"
    return t(lang, key) if key in catalogue(lang) else Html(html.escape(tag, quote=False))


def diet_key(tags: Sequence[str], allergies: str) -> str:
    """A diet group as the kitchen sheet counts it: the sorted tags, allergies after a bar
    (`low_salt+soft|peanuts`); `diet_label` reads it back."""
    key = "+".join(tags)
    return f"{key}|{allergies.strip()}" if allergies.strip() else key


def diet_label(key: str, lang: str) -> Html:
    """A diet group key from the kitchen sheet (`low_salt+soft|peanuts`) in words."""
    tags, _, allergies = key.partition("|")
    words = [tag_label(tag, lang) for tag in tags.split("+") if tag]
    text = " + ".join(words) or t(lang, "staff.diet.standard")
    if allergies:
        text += t(lang, "staff.diet.allergy", what=allergies)
    return Html(text)


def yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"
