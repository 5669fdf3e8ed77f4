"""Typed words: the same text however it was typed, and what it names.

A senior may type a button's words without its emoji, in full-width characters, with a
"please" around them, or a number as 两份. `normalise` makes those one form; `said`
tells whether a text is one of a catalogue's phrases (`core.words.*`, every language at
once, so a Chinese phrase works for someone who chose English); `choose` finds the
choice of a question a typed answer means. Pure functions; no Telegram here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache

from bot.core.i18n import LANGUAGES, catalogue

# Unicode categories dropped from typed text: punctuation, symbols (emoji among them),
# format characters (zero-width joiners), marks (emoji variation selectors), controls.
_DROPPED = ("P", "S", "Cf", "Mn", "Me", "Cc")
SEPARATOR = "|"  # between the phrases of one catalogue entry
LONGEST = 120  # characters; a longer text is neither a phrase nor a choice
ALTERNATIVE = ","  # between the words of one number (二,两)


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=4096)  # the labels of questions come again and again
def normalise(text: str) -> str:
    """Half-width, without emoji, punctuation or case; one space between words, none by Chinese."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        " " if unicodedata.category(char).startswith(_DROPPED) else char for char in folded
    )
    words = kept.split()
    joined = ""
    for word in words:
        if joined and not (_cjk(joined[-1]) or _cjk(word[0])):
            joined += " "
        joined += word
    return joined


def entries(key: str) -> list[str]:
    """The phrases of `core.words.<key>` in every language, normalised."""
    found: list[str] = []
    for lang in LANGUAGES:
        for phrase in catalogue(lang)[f"core.words.{key}"].split(SEPARATOR):
            if (clean := normalise(phrase)) and clean not in found:
                found.append(clean)
    return found


@cache
def phrases(key: str) -> frozenset[str]:
    return frozenset(entries(key))


@cache
def _fillers() -> tuple[str, ...]:
    return tuple(sorted(entries("fillers"), key=len, reverse=True))


def _strip_one(text: str, filler: str) -> str:
    """`text` without `filler` at its start or end (whole words for Latin fillers)."""
    if text.startswith(filler):
        rest = text[len(filler) :]
        if not rest or _cjk(filler[-1]) or rest[0] == " " or _cjk(rest[0]):
            return rest.strip()
    if text.endswith(filler):
        rest = text[: -len(filler)]
        if not rest or _cjk(filler[0]) or rest[-1] == " " or _cjk(rest[-1]):
            return rest.strip()
    return text


def core(text: str) -> str:
    """The normalised text without polite words around it ("请", "please", "我要")."""
    current = normalise(text)
    while True:
        shorter = current
        for filler in _fillers():
            shorter = _strip_one(shorter, filler)
        if shorter == current or not shorter:
            return current
        current = shorter


def forms(text: str) -> frozenset[str]:
    """The forms of a typed text to look up: normalised, and without polite words. Nothing
    for a text too long to be a phrase or a choice (so a pasted page costs nothing)."""
    if len(text) > LONGEST:
        return frozenset()
    return frozenset({normalise(text), core(text)} - {""})


def said(text: str, key: str) -> bool:
    """Whether `text` is one of the phrases of `core.words.<key>`."""
    return bool(forms(text) & phrases(key))


@cache
def _numbers() -> dict[str, int]:
    named: dict[str, int] = {}
    for lang in LANGUAGES:
        for value, words in enumerate(catalogue(lang)["core.words.numbers"].split(SEPARATOR), 1):
            for word in words.split(ALTERNATIVE):
                named[normalise(word)] = value
    return named


def number(text: str) -> int | None:
    """A small number typed as 2, ２, 两, 两份, "two" or "2 portions"; None otherwise."""
    if len(text) > LONGEST:
        return None
    found = core(text)
    for unit in sorted(phrases("units"), key=len, reverse=True):
        if found.endswith(unit) and len(found) > len(unit):
            found = found[: -len(unit)].strip()
            break
    if found.isascii() and found.isdigit():
        return int(found)
    return _numbers().get(found)


def choose(
    text: str, options: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The value of the choice a typed answer means: its label (exact, or without emoji,
    case or punctuation), an alias (a dish's code), a number for a numbered choice, or the
    first whole words of exactly one label ("lunch today"). None when nothing or several fit."""
    if text in options:
        return options[text]
    typed = forms(text)
    if not typed:
        return None
    named = {normalise(label): value for label, value in options.items()}
    named |= {normalise(alias): value for alias, value in (aliases or {}).items()}
    for form in typed:
        if form in named:
            return named[form]
    count = number(text)
    if count is not None and str(count) in named:
        return named[str(count)]
    for form in typed:
        starting = {value for label, value in named.items() if _starts(label, form)}
        if len(form) >= 2 and len(starting) == 1:
            return starting.pop()
    return None


def _starts(label: str, form: str) -> bool:
    """`label` begins with the whole words of `form` ("lunch today", not "lu")."""
    if not label.startswith(form):
        return False
    rest = label[len(form) :]
    return not rest or rest[0] == " " or _cjk(form[-1]) or _cjk(rest[0])
