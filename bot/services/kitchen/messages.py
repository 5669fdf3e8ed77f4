"""The kitchen in words: the kitchen sheet, the reminders before the cutoff, and what a
senior's family hears when the canteen confirms or declines a meal.

The services decide (what the sheet counts, who is reminded, which news); this module
only says it.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from bot.core.i18n import Html, t, voiced
from bot.core.labels import diet_key, diet_label, window_label
from data.kitchen import OrderLine
from data.models import Window

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.kitchen.kitchen_sheet import Sheet


def sheet(found: Sheet, lang: str) -> Html:
    """The sheet as one HTML message in `lang`."""
    out = [
        t(lang, "staff.sheet.title", window=Html(window_label(found.window, lang))),
        t(
            lang,
            "staff.sheet.totals",
            orders=len(found.lines),
            delivery=found.fulfilment["delivery"],
            pickup=found.fulfilment["pickup"],
            dine_in=found.fulfilment["dine_in"],
        ),
    ]
    if not found.lines:
        out.append(t(lang, "staff.sheet.empty"))
    for dish in found.dishes:
        out.append(t(lang, "staff.sheet.dish", code=dish.code, name=dish.name, n=dish.portions))
        for key, n in sorted(dish.by_diet.items()):
            out.append(t(lang, "staff.sheet.diet_line", diet=diet_label(key, lang), n=n))
    if found.lines:
        out.append(t(lang, "staff.sheet.labels"))
    out += [label(line, lang) for line in found.lines]
    return Html("\n".join(out))


def label(line: OrderLine, lang: str) -> Html:
    dishes = ", ".join(f"{item.portions}×{item.code}" for item in line.items)
    return t(
        lang,
        "staff.sheet.label",
        id=line.id,
        name=line.resident,
        building=" ".join(part for part in (line.building, line.unit, line.room) if part),
        dishes=dishes,
        diet=diet_label(diet_key(line.diet_tags, line.allergies), lang),
        how=t(lang, f"staff.fulfilment.{line.fulfilment}"),
    )


def sheet_caption(window: Window, lang: str) -> Html:
    return t(lang, "staff.sheet.csv_caption", window=Html(window_label(window, lang)))


def staff_reminder(window: Window, lang: str, waiting: int, cutoff: str, rule: str) -> Html:
    """To each staff member: how many orders still wait, the cutoff, and what happens then."""
    return t(
        lang,
        "staff.remind.confirm",
        n=waiting,
        window=Html(window_label(window, lang)),
        cutoff=cutoff,
        then=t(lang, f"staff.remind.then_{rule}"),
    )


def reminder(window: Window, lang: str, tz: tzinfo) -> Html:
    """To a senior who usually eats this meal and has not ordered yet."""
    cutoff = window.cutoff_at.astimezone(tz)
    return t(
        lang,
        "staff.remind.text",
        meal=t(lang, f"staff.meal.{window.meal}"),
        window=Html(window_label(window, lang)),
        cutoff=f"{cutoff:%H:%M}",
        button=t(lang, "core.button.order"),
    )


def order_news(
    order: OrderLine, window: Window, lang: str, what: str, own: bool, phone: str, reason: str
) -> Html:
    """The order confirmed or declined (and why), in the reader's voice."""
    values: dict[str, object] = {
        "id": order.id,
        "name": order.resident,
        "window": Html(window_label(window, lang)),
        "phone": phone,
    }
    if reason:
        values["reason"] = t(lang, f"staff.reason.{reason}")
    return t(lang, voiced(lang, f"staff.resident.{what}", own), **values)
