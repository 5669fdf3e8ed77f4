"""/report: the monthly report for funders, this month or last, sent through the outbox."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.callbacks import Callback, pack
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.people import approvals
from bot.services.reports import figures, report_outbox
from data import canteens
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.staff_ui import show, user_id

PREFIX = "adm1"


async def choose(update: Update, context: Context) -> None:
    """Offer this month and last month for each canteen the admin looks after."""
    deps = deps_of(context)
    lang = await language_of(update, context)
    try:
        found = await approvals.admin_canteens(deps, user_id(update))
    except DomainError as error:
        await refuse(update, context, error)
        return
    today = deps.clock.now().date()
    months = [(today.year, today.month), figures.previous_month(today)]
    rows = []
    for canteen_id in found:
        canteen = await canteens.get(deps.db.reader, canteen_id)
        name = canteen.display_name(lang) if canteen else str(canteen_id)
        for year, month in months:
            label = t(lang, "admin.report.month_button", canteen=name, month=f"{year}-{month:02d}")
            data = pack(PREFIX, "rep", canteen_id, f"{year}{month:02d}")
            rows.append([InlineKeyboardButton(label, callback_data=data)])
    await tell(
        update, context, t(lang, "admin.report.choose"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def send(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Queue the chosen month's summary, workbook, CSVs and chart."""
    canteen_id, when = callback.int_arg(0), callback.int_arg(1)
    year, month = divmod(when, 100)
    await report_outbox.request(deps_of(context), user_id(update), canteen_id, year, month)
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, t(lang, "admin.report.queued", month=f"{year}-{month:02d}"), None)


ACTIONS = {"rep": send}
