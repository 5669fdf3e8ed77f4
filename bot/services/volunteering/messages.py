"""Volunteers' hours in words: their month, the thank-you, the admins' table.

The services count; this module only says it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import Html, t
from data.models import Canteen

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.volunteering.hours import Month


def my_month(lang: str, found: list[tuple[Canteen, Month | None]]) -> Html:
    """ "This month: 18 rounds, 92 meals, 41 km", per canteen they help."""
    if not found:
        return t(lang, "hours.not_volunteer")
    lines = []
    for canteen, month in found:
        name = canteen.display_name(lang)
        if month is None:
            lines.append(t(lang, "hours.none_yet", canteen=name))
            continue
        lines.append(
            t(
                lang,
                "hours.mine",
                canteen=name,
                rounds=month.rounds,
                meals=month.meals,
                km=f"{month.km:g}",
                hours=f"{month.hours:g}",
            )
        )
    return Html("\n".join(lines))


def thanks(lang: str, month: Month, label: str) -> Html:
    return t(
        lang,
        "hours.thanks",
        name=month.name,
        month=label,
        rounds=month.rounds,
        meals=month.meals,
        stops=month.stops,
        km=f"{month.km:g}",
        hours=f"{month.hours:g}",
    )


def table_rows(lang: str, months: list[Month]) -> list[list[object]]:
    """The admins' table: one row per volunteer, for volunteer-hour certificates."""
    head = [
        t(lang, f"hours.column.{c}")
        for c in ("name", "id", "rounds", "meals", "stops", "hours", "km")
    ]
    rows: list[list[object]] = [list(head)]
    for m in months:
        rows.append([m.name, m.volunteer_id, m.rounds, m.meals, m.stops, m.hours, m.km])
    return rows
