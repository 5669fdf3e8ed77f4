"""Several choices on one question, each toggled by a tap and marked ✅ while chosen.

One helper for every such question (diets when registering, weekdays a volunteer helps,
a new dish's tags): `marked` labels the choices for the buttons, `toggled` flips one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

CHOSEN = "✅ "


def marked(
    choices: Sequence[tuple[str, str]], chosen: Collection[str], unchosen: str = ""
) -> list[tuple[str, str]]:
    """(label, value) of each choice, its label marked when it is chosen."""
    return [((CHOSEN if value in chosen else unchosen) + label, value) for label, value in choices]


def toggled(order: Sequence[str], chosen: Collection[str], value: str) -> list[str]:
    """`chosen` with `value` flipped, in the order of `order` (a value not in it is ignored)."""
    return [item for item in order if (item in chosen) != (item == value)]


def in_rows(buttons: Sequence[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    """The buttons `per_row` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
