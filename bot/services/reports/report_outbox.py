"""Sending reports to admins through the outbox: the daily summary and the monthly files."""

from __future__ import annotations

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.kitchen.schedule import day_due
from bot.services.notices import notify
from bot.services.ordering import ordering_rules as rules
from bot.services.people import staff
from bot.services.reports import care, care_messages, figures, messages
from data import accounts


async def send_monthly(
    deps: Deps, canteen_id: int, year: int, month: int, admin_id: int, tag: str
) -> None:
    """The month's summary, workbook, CSVs and chart to one admin, under keys ending `tag`."""
    lang = await notify.language_of(deps.db.reader, admin_id)
    report = await figures.monthly(deps, canteen_id, year, month, lang)
    files = {  # outbox key -> (end of the file name, content)
        "xlsx": (".xlsx", messages.workbook(lang, report)),
        "csv": (".csv", messages.table(lang, report)),
        "unserved": ("-not-served.csv", messages.unserved_table(lang, report)),
    }
    chart = messages.chart(lang, report)
    looked_after = await care.monthly(deps, canteen_id, year, month, lang)
    now = deps.clock.now()
    base = f"report:{canteen_id}:{report.month}:acct:{admin_id}:{tag}"
    name = f"doorstep-{report.month}-canteen{canteen_id}"
    caption = messages.report_caption(lang, report.month)
    async with deps.db.transaction() as tx:
        await notify.text(tx, f"{base}:text", admin_id, messages.summary(lang, report), now)
        for key, (end, content) in files.items():
            await notify.document(
                tx, f"{base}:{key}", admin_id, f"{name}{end}", content, caption, now
            )
        await notify.photo(tx, f"{base}:png", admin_id, f"{name}.png", chart, caption, now)
        # Beside the funders' figures: incidents, meal ratings and the volunteers' hours.
        await notify.text(
            tx, f"{base}:care", admin_id, care_messages.summary(lang, looked_after), now
        )
        await notify.document(
            tx,
            f"{base}:care-xlsx",
            admin_id,
            f"{name}-care.xlsx",
            care_messages.workbook(lang, looked_after),
            t(lang, "care.caption", month=report.month),
            now,
        )
    deps.outbox_queued()


async def request(deps: Deps, admin_id: int, canteen_id: int, year: int, month: int) -> None:
    """An admin of THAT canteen asked for a month's report now."""
    await staff.require(deps, admin_id, canteen_id, ("admin",))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise DomainError("core.error.stale_button")  # a forged button
    await send_monthly(deps, canteen_id, year, month, admin_id, deps.clock.now().isoformat())


async def monthly_to_admins(deps: Deps, canteen_id: int) -> None:
    """On the first of a month: last month's report to every admin (once per admin)."""
    year, month = figures.previous_month(deps.clock.now().date())
    for admin_id in await accounts.holders(deps.db.reader, canteen_id, "admin"):
        await send_monthly(deps, canteen_id, year, month, admin_id, "monthly")


async def daily_summary(deps: Deps, canteen_id: int) -> None:
    """The day's meals served and not served, the subsidy, the doors and the volunteers, to
    the canteen's admins (once a day): the same computation as the monthly report."""
    conn = deps.db.reader
    spec = await rules.spec_of(deps, conn, canteen_id)
    day = day_due(deps.clock.now(), spec.daily_summary, deps)
    now = deps.clock.now()
    texts: dict[str, str] = {}  # per language: the day is counted once per language
    bodies: dict[int, str] = {}
    for admin_id in await accounts.holders(conn, canteen_id, "admin"):
        lang = await notify.language_of(conn, admin_id)
        if lang not in texts:
            texts[lang] = messages.daily(
                lang, day, await figures.daily(deps, canteen_id, day, lang)
            )
        bodies[admin_id] = texts[lang]
    async with deps.db.transaction() as tx:
        for admin_id, body in bodies.items():
            await notify.text(tx, f"daily:{canteen_id}:{day}:acct:{admin_id}", admin_id, body, now)
    deps.outbox_queued()
