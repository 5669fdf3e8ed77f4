"""The reports in words: the monthly summary, the daily summary, why a meal was not served."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.core.i18n import Html, catalogue, t
from bot.services.ordering.pricing import yuan
from bot.services.reports.figures import MEALS, Report, Unserved


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
