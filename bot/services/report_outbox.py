"""Sending reports to admins through the outbox: the daily summary and the monthly files."""

from __future__ import annotations

import html
from collections import Counter
from datetime import date

from bot.deps import Deps
from bot.i18n import Html, t
from bot.services import notify, report_files, reports, staff
from bot.services import ordering_rules as rules
from bot.services.schedule import day_due
from data import accounts, canteens
from data import reports as report_data


async def send_monthly(
    deps: Deps, canteen_id: int, year: int, month: int, admin_id: int, tag: str
) -> None:
    """The month's summary, workbook, CSV and chart to one admin, under keys ending `tag`."""
    lang = await notify.language_of(deps.db.conn, admin_id)
    report = await reports.monthly(deps, canteen_id, year, month, lang)
    files = {
        "xlsx": report_files.workbook(lang, report),
        "csv": report_files.table(lang, report),
    }
    chart = report_files.chart(lang, report)
    now = deps.clock.now()
    base = f"report:{canteen_id}:{report.month}:acct:{admin_id}:{tag}"
    name = f"doorstep-{report.month}-canteen{canteen_id}"
    caption = html.unescape(t(lang, "admin.report.caption", month=report.month))
    async with deps.db.transaction() as tx:
        await notify.text(tx, f"{base}:text", admin_id, reports.summary(lang, report), now)
        for ext, content in files.items():
            await notify.document(
                tx, f"{base}:{ext}", admin_id, f"{name}.{ext}", content, caption, now
            )
        await notify.photo(tx, f"{base}:png", admin_id, f"{name}.png", chart, caption, now)
    deps.outbox_queued()


async def request(deps: Deps, admin_id: int, canteen_id: int, year: int, month: int) -> None:
    """An admin of THAT canteen asked for a month's report now."""
    await staff.require(deps, admin_id, canteen_id, ("admin",))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError("month out of range")
    await send_monthly(deps, canteen_id, year, month, admin_id, deps.clock.now().isoformat())


async def monthly_to_admins(deps: Deps, canteen_id: int) -> None:
    """On the first of a month: last month's report to every admin (once per admin)."""
    year, month = reports.previous_month(deps.clock.now().date())
    for admin_id in await accounts.holders(deps.db.conn, canteen_id, "admin"):
        await send_monthly(deps, canteen_id, year, month, admin_id, "monthly")


def daily_text(
    lang: str, canteen: str, day: date, found: list[report_data.ReportLine], volunteers: int
) -> Html:
    parts = [t(lang, "admin.daily.title", canteen=canteen, day=day.isoformat())]
    for meal in ("lunch", "dinner"):
        lines = [line for line in found if line.meal == meal]
        how = Counter[str]()
        for line in lines:
            how[line.fulfilment] += line.portions
        parts.append(
            t(lang, "admin.daily.meal", meal=t(lang, f"admin.meal.{meal}"), meals=sum(how.values()),
              delivery=how["delivery"], pickup=how["pickup"], dine_in=how["dine_in"])
        )  # fmt: skip
    outcome = Counter(line.status for line in found)
    parts.append(
        t(lang, "admin.daily.outcomes", delivered=outcome["delivered"],
          no_answer=outcome["no_answer"], refused=outcome["refused"], volunteers=volunteers)
    )  # fmt: skip
    return Html("\n".join(parts))


async def daily_summary(deps: Deps, canteen_id: int) -> None:
    """The day's meals, outcomes and volunteers to the canteen's admins (once a day)."""
    conn = deps.db.conn
    spec = await rules.spec_of(deps, conn, canteen_id)
    day = day_due(deps.clock.now(), spec.daily_summary, deps)
    found = await report_data.lines(conn, canteen_id, day, day)
    volunteers = await report_data.volunteers_out(conn, canteen_id, day, day)
    canteen = await canteens.get(conn, canteen_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for admin_id in await accounts.holders(tx, canteen_id, "admin"):
            lang = await notify.language_of(tx, admin_id)
            name = canteen.display_name(lang) if canteen else ""
            body = daily_text(lang, name, day, found, volunteers)
            await notify.text(tx, f"daily:{canteen_id}:{day}:acct:{admin_id}", admin_id, body, now)
    deps.outbox_queued()
