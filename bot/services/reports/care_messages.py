"""The month's care figures in words and in a workbook (bot/services/reports/care.py counts).

The services count; this module only says it.
"""

from __future__ import annotations

from bot.core.i18n import Html, t
from bot.services.reports import spreadsheet
from bot.services.reports.care import Care, Ratings, median
from bot.services.volunteering import messages as volunteer_messages


def _kinds(lang: str, counts: dict[str, int]) -> str:
    return ", ".join(f"{t(lang, f'incident.kind.{k}')} {n}" for k, n in sorted(counts.items()))


def summary(lang: str, care: Care) -> Html:
    """A few lines: incidents, ratings, volunteers."""
    found = care.incidents
    rated = care.feedback.total
    lines = [
        t(lang, "care.title", month=care.month),
        t(
            lang,
            "care.incidents",
            opened=found.opened,
            taken=found.taken,
            take=median(found.take_minutes),
            closed=found.closed,
            close=median(found.close_minutes),
            open=found.still_open,
        ),
    ]
    if found.by_kind:
        lines.append(t(lang, "care.kinds", kinds=_kinds(lang, found.by_kind)))
    lines.append(
        t(
            lang,
            "care.ratings",
            count=rated.count,
            good=rated.good,
            so_so=rated.so_so,
            bad=rated.bad,
        )
    )
    people = care.volunteers
    lines.append(
        t(
            lang,
            "care.volunteers",
            people=len(people),
            rounds=sum(m.rounds for m in people),
            meals=sum(m.meals for m in people),
            km=f"{round(sum(m.metres for m in people) / 1000, 1):g}",
        )
    )
    return Html("\n".join(lines))


def _ratings_rows(lang: str, head: str, found: dict[str, Ratings]) -> list[list[object]]:
    columns: list[object] = [
        head,
        *(t(lang, f"care.column.{c}") for c in ("count", "good", "so_so", "bad")),
    ]
    rows: list[list[object]] = [columns]
    for name, r in sorted(found.items()):
        rows.append([name, r.count, r.good, r.so_so, r.bad])
    return rows


def _incident_rows(lang: str, care: Care) -> list[list[object]]:
    found = care.incidents
    head: list[object] = [t(lang, "care.column.figure"), t(lang, "care.column.value")]
    rows: list[list[object]] = [head]
    rows += [
        [t(lang, "care.figure.opened"), found.opened],
        [t(lang, "care.figure.taken"), found.taken],
        [t(lang, "care.figure.take_median"), median(found.take_minutes)],
        [t(lang, "care.figure.closed"), found.closed],
        [t(lang, "care.figure.close_median"), median(found.close_minutes)],
        [t(lang, "care.figure.still_open"), found.still_open],
    ]
    rows += [[t(lang, f"incident.kind.{k}"), n] for k, n in sorted(found.by_kind.items())]
    rows += [
        [t(lang, f"incident.outcome.{o}"), n] for o, n in sorted(found.by_outcome.items()) if o
    ]
    return rows


def workbook(lang: str, care: Care) -> bytes:
    """Incidents, ratings per dish and per week, and the volunteers' table."""
    return spreadsheet.xlsx_bytes(
        {
            t(lang, "care.tab.incidents"): _incident_rows(lang, care),
            t(lang, "care.tab.dishes"): _ratings_rows(
                lang, t(lang, "care.column.dish"), care.feedback.by_dish
            ),
            t(lang, "care.tab.weeks"): _ratings_rows(
                lang, t(lang, "care.column.week"), care.feedback.by_week
            ),
            t(lang, "care.tab.volunteers"): volunteer_messages.table_rows(lang, care.volunteers),
        }
    )
