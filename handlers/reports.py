"""/report: the monthly report for funders, this month or last, sent through the outbox."""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import MonthReport
from bot.core.i18n import t
from bot.services.people import approvals
from bot.services.reports import figures, report_outbox
from data import canteens
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


async def choose(update: Update, context: Context) -> None:
    """Offer this month and last month for each canteen the admin looks after."""
    deps = context.deps
    lang = await language_of(update, context)
    found = await approvals.admin_canteens(deps, user_id(update))
    today = deps.clock.now().date()
    months = [(today.year, today.month), figures.previous_month(today)]
    rows = []
    for canteen_id in found:
        canteen = await canteens.get(deps.db.reader, canteen_id)
        name = canteen.display_name(lang) if canteen else str(canteen_id)
        for year, month in months:
            label = t(lang, "admin.report.month_button", canteen=name, month=f"{year}-{month:02d}")
            rows.append([(label, callbacks.MONTH_REPORT.pack(canteen_id, year * 100 + month))])
    await tell(update, context, t(lang, "admin.report.choose"), reply_markup=inline(rows))


async def send(update: Update, context: Context, tap: MonthReport, lang: str) -> None:
    """Queue the chosen month's summary, workbook, CSVs and chart."""
    year, month = divmod(tap.month, 100)
    await report_outbox.request(context.deps, user_id(update), tap.canteen, year, month)
    await answer(update)
    await show(update, t(lang, "admin.report.queued", month=f"{year}-{month:02d}"), None)


BUTTONS = (Button(callbacks.MONTH_REPORT, send),)
