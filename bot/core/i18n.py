"""The message catalogues: every user-visible sentence, in Simplified Chinese and English.

A count that names what it counts says it in the reader's grammar with a plural spec:
`{rounds:# round|# rounds}` reads "1 round" and "18 rounds" (`#` is the number; the
singular for exactly one, the plural for every other number, English's two forms).
Chinese needs none: its sentence has the plain `{rounds}`, and both languages name the
same placeholders.
"""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All sentences of one language: every `locales/<lang>/*.toml`, keys as `file.section.key`."""
    merged: dict[str, str] = {}
    for entry in sorted(resources.files("bot.core").joinpath("locales", lang).iterdir(), key=str):
        if entry.name.endswith(".toml"):
            table = tomllib.loads(entry.read_text("utf-8"))
            merged.update(_flatten(table, f"{entry.name.removesuffix('.toml')}."))
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def pick_language(stored: str | None, telegram_code: str | None) -> str:
    """The account's chosen language, else Telegram's, else the default."""
    if stored in LANGUAGES:
        return stored
    code = (telegram_code or "").lower()
    if code.startswith("en"):
        return "en"
    if code.startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE


class Html(str):
    """Text that is already safe HTML (built from the catalogue), so it is not escaped again."""

    __slots__ = ()


class Count(int):
    """A whole number that may say its noun: formatted with a spec holding `|`
    (`# meal|# meals`), the first form for one and the second for any other number; any
    other spec is int's own."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return int.__format__(self, spec)
        one, _, other = spec.partition("|")
        return (one if self == 1 else other).replace("#", str(int(self)))


def _safe(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return Count(value)
    if isinstance(value, Html) or not isinstance(value, str):
        return value
    return html.escape(value, quote=False)


def voiced(lang: str, key: str, own: bool) -> str:
    """The key in the reader's voice: `<file>.you.<rest>` ("How will you get the meal?")
    when the reader is the senior herself and the catalogue has it, else `key` itself."""
    file, _, rest = key.partition(".")
    mine = f"{file}.you.{rest}"
    known = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    return mine if own and mine in known else key


def t(lang: str, key: str, **values: Any) -> Html:
    """The sentence `key` in `lang`; string values are HTML-escaped unless they are `Html`."""
    text = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    if not values:
        return Html(text)
    return Html(text.format(**{name: _safe(value) for name, value in values.items()}))
