"""The reports in words and files: the monthly summary, the daily summary, why a meal was
not served, and the month as a workbook, two CSVs (the residents' meals and the meals
not served) and a chart of meals served per day (PNG).

`bot.services.reports.figures` counts; this module only says it, in the reader's language.
"""

from __future__ import annotations

import html
import io
import warnings
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from bot.canteen_file import MEALS
from bot.core.i18n import Html, catalogue, t
from bot.services.ordering.ordering_rules import FULFILMENTS
from bot.services.ordering.pricing import yuan
from bot.services.reports import spreadsheet
from data.reports import ReportLine

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.reports.figures import Report, Unserved


def why(lang: str, code: str) -> Html:
    """A reason code (`reports.reason_of`) in words."""
    key = f"admin.unserved.reason_{code}"
    if key in catalogue(lang):
        return t(lang, key)
    return t(lang, "admin.unserved.reason_other", status=code)  # an outcome added later


def reason(lang: str, row: Unserved) -> Html:
    """Why this meal was not served, with what the volunteer noted at the door."""
    why_not = why(lang, row.reason)
    if row.note:
        return t(lang, "admin.unserved.with_note", reason=why_not, note=row.note)
    return why_not


def _reason_counts(lang: str, report: Report) -> str:
    meals = Counter[str]()
    for row in report.unserved:
        meals[row.reason] += row.meals
    return "\n".join(
        t(lang, "admin.unserved.reason_line", reason=why(lang, code), meals=n)
        for code, n in sorted(meals.items())
    )


def summary(lang: str, report: Report) -> Html:
    """The month in a few lines, sent before the workbook."""
    tiers = "\n".join(
        t(
            lang,
            "admin.report.tier_line",
            tier=row.name,
            meals=row.meals,
            amount=yuan(row.subsidy_fen),
        )
        for row in report.tiers
    )
    return t(
        lang,
        "admin.report.summary",
        canteen=report.canteen,
        month=report.month,
        meals=report.meals,
        residents=len(report.residents),
        subsidy=yuan(report.subsidy_fen),
        paid=yuan(report.pay_fen),
        unserved=_unserved_summary(lang, report),
        deliveries=sum(report.deliveries.values()),
        delivered=report.deliveries.get("delivered", 0),
        volunteers=report.volunteers,
        tiers=Html(tiers or "-"),
    )


def _unserved_summary(lang: str, report: Report) -> Html:
    if not report.unserved:
        return t(lang, "admin.unserved.none")
    head = t(lang, "admin.unserved.month", meals=report.unserved_meals)
    return Html(f"{head}\n{_reason_counts(lang, report)}")


def daily(lang: str, day: date, report: Report) -> Html:
    """The day's served meals by meal and way, the subsidy, each meal not served and why."""
    parts = [t(lang, "admin.daily.title", canteen=report.canteen, day=day.isoformat())]
    for meal in MEALS:
        how = report.by_meal[meal]
        parts.append(
            t(lang, "admin.daily.meal", meal=t(lang, f"admin.meal.{meal}"), meals=sum(how.values()),
              delivery=how["delivery"], pickup=how["pickup"], dine_in=how["dine_in"])
        )  # fmt: skip
    parts.append(
        t(lang, "admin.unserved.daily_money", subsidy=yuan(report.subsidy_fen),
          paid=yuan(report.pay_fen))
    )  # fmt: skip
    if report.unserved:
        parts.append(t(lang, "admin.unserved.daily", meals=report.unserved_meals))
        parts += [_line(lang, row) for row in report.unserved]
    else:
        parts.append(t(lang, "admin.unserved.none"))
    parts.append(
        t(lang, "admin.daily.outcomes", delivered=report.deliveries.get("delivered", 0),
          no_answer=report.deliveries.get("no_answer", 0),
          refused=report.deliveries.get("refused", 0), volunteers=report.volunteers)
    )  # fmt: skip
    return Html("\n".join(parts))


def _line(lang: str, row: Unserved) -> Html:
    return t(
        lang,
        "admin.unserved.line",
        id=row.order_id,
        name=row.name,
        meal=t(lang, f"admin.meal.{row.meal}"),
        how=t(lang, f"admin.fulfilment.{row.fulfilment}"),
        meals=row.meals,
        reason=reason(lang, row),
    )


def no_tier(lang: str) -> Html:
    """The tier of meals that had none."""
    return t(lang, "admin.report.no_tier")


def door_note(lang: str, line: ReportLine) -> str:
    """What the volunteer said at the door: why it was not delivered, and their note."""
    said = [line.delivery_note or ""]
    if line.delivery_reason and line.delivery_reason != "other":
        said.insert(0, str(t(lang, f"volunteer.reason.{line.delivery_reason}")))
    return ": ".join(part for part in said if part)


def report_caption(lang: str, month: str) -> str:
    """The caption of the month's files (plain text: captions go without HTML)."""
    return html.unescape(t(lang, "admin.report.caption", month=month))


# The month as files.


CHART_INCHES = (10.0, 5.0)
CHART_DPI = 100  # so the PNG is 1000 x 500 pixels
# Chinese labels need a CJK font (Debian: fonts-noto-cjk); the first one installed is used.
CHART_FONTS = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Sans"]


def _fen(amount: int) -> float:
    return amount / 100


def _summary_rows(lang: str, report: Report) -> list[list[object]]:
    return [
        [t(lang, "admin.sheet.canteen"), report.canteen],
        [t(lang, "admin.sheet.month"), report.month],
        [t(lang, "admin.sheet.meals"), report.meals],
        [t(lang, "admin.unserved.sheet_meals"), report.unserved_meals],
        [t(lang, "admin.sheet.residents"), len(report.residents)],
        [t(lang, "admin.sheet.price"), _fen(report.price_fen)],
        [t(lang, "admin.sheet.subsidy"), _fen(report.subsidy_fen)],
        [t(lang, "admin.sheet.paid"), _fen(report.pay_fen)],
        [t(lang, "admin.sheet.deliveries"), sum(report.deliveries.values())],
        *[[t(lang, f"admin.outcome.{k}"), v] for k, v in sorted(report.deliveries.items())],
        [t(lang, "admin.sheet.volunteers"), report.volunteers],
    ]


def _resident_rows(lang: str, report: Report) -> list[list[object]]:
    head: list[object] = [
        t(lang, f"admin.sheet.{k}") for k in ("id", "name", "meals", "price", "subsidy", "paid")
    ]
    rows: list[list[object]] = [head]
    for row in report.residents:
        rows.append(
            [
                row.resident_id,
                row.name,
                row.meals,
                _fen(row.price_fen),
                _fen(row.subsidy_fen),
                _fen(row.pay_fen),
            ]
        )
    rows.append(
        [
            "",
            t(lang, "admin.sheet.total"),
            report.meals,
            _fen(report.price_fen),
            _fen(report.subsidy_fen),
            _fen(report.pay_fen),
        ]
    )
    return rows


def _tier_rows(lang: str, report: Report) -> list[list[object]]:
    rows: list[list[object]] = [
        [t(lang, f"admin.sheet.{k}") for k in ("tier", "name", "meals", "subsidy")]
    ]
    rows += [[row.code, row.name, row.meals, _fen(row.subsidy_fen)] for row in report.tiers]
    return rows


def _day_rows(lang: str, report: Report) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            t(lang, "admin.sheet.day"),
            *(t(lang, f"admin.fulfilment.{f}") for f in FULFILMENTS),
            t(lang, "admin.unserved.sheet_meals"),
        ]
    ]
    missed = Counter[date]()
    for row in report.unserved:
        missed[row.day] += row.meals
    rows += [
        [day.isoformat(), *(counts[f] for f in FULFILMENTS), missed[day]]
        for day, counts in report.days.items()
    ]
    return rows


def _unserved_rows(lang: str, report: Report) -> list[list[object]]:
    """Each meal not served, with its reason; none of them is charged or claimed."""
    head = ("day", "meal", "order", "id", "name", "how", "meals", "reason")
    rows: list[list[object]] = [[t(lang, f"admin.unserved.col_{k}") for k in head]]
    rows += [
        [
            row.day.isoformat(),
            t(lang, f"admin.meal.{row.meal}"),
            row.order_id,
            row.resident_id,
            row.name,
            t(lang, f"admin.fulfilment.{row.fulfilment}"),
            row.meals,
            html.unescape(reason(lang, row)),
        ]
        for row in report.unserved
    ]
    return rows


def workbook(lang: str, report: Report) -> bytes:
    """Five sheets: summary, residents (served meals), subsidy tiers, days, meals not served."""
    return spreadsheet.xlsx_bytes(
        {
            t(lang, "admin.sheet.tab_summary"): _summary_rows(lang, report),
            t(lang, "admin.sheet.tab_residents"): _resident_rows(lang, report),
            t(lang, "admin.sheet.tab_tiers"): _tier_rows(lang, report),
            t(lang, "admin.sheet.tab_days"): _day_rows(lang, report),
            t(lang, "admin.unserved.tab"): _unserved_rows(lang, report),
        }
    )


def table(lang: str, report: Report) -> bytes:
    """The residents' served meals as CSV."""
    return spreadsheet.csv_bytes(_resident_rows(lang, report))


def unserved_table(lang: str, report: Report) -> bytes:
    """The meals not served, each with its reason, as CSV."""
    return spreadsheet.csv_bytes(_unserved_rows(lang, report))


def chart(lang: str, report: Report) -> bytes:
    """Meals served per day, stacked by delivery, pickup and dine-in, as a PNG of a fixed size."""
    from matplotlib import font_manager, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    installed = {font.name for font in font_manager.fontManager.ttflist}
    fonts = [name for name in CHART_FONTS if name in installed] or ["DejaVu Sans"]
    out = io.BytesIO()
    with rc_context({"font.family": fonts}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # without a CJK font, Chinese is drawn as boxes
        figure = Figure(figsize=CHART_INCHES, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        labels = [f"{day.day}" for day in report.days]
        bottom = [0] * len(labels)
        for how in FULFILMENTS:
            counts = [report.days[day][how] for day in report.days]
            axes.bar(labels, counts, bottom=bottom, label=t(lang, f"admin.fulfilment.{how}"))
            bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
        axes.set_title(t(lang, "admin.chart.title", canteen=report.canteen, month=report.month))
        axes.set_ylabel(t(lang, "admin.chart.meals"))
        axes.legend()
        figure.savefig(out, format="png", dpi=CHART_DPI)
    return out.getvalue()
