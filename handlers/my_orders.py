"""'My orders': upcoming and recent orders with their status, and cancelling before the cutoff."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import pager
from bot.callbacks import pack, unpack
from bot.i18n import Html, t
from bot.services import order_history, order_text
from bot.services.errors import DomainError, NotAllowedError
from handlers import resident_flow
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import account_of

PREFIX = "myo1"


async def render(
    update: Update, context: Context, number: int = 0, order: int = 0
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """Page `number` of the orders, or the page of `order` when one was acted on."""
    deps, lang = deps_of(context), await language_of(update, context)
    listed = await order_history.list_orders(deps, account_of(update))
    if not listed:
        return t(lang, "resident.orders.none"), None
    today = deps.clock.now().date()
    entries = []
    for entry in listed:
        summary = await order_text.summary(deps.db.conn, entry.order, lang, today)
        text = t(lang, "resident.orders.entry", name=entry.resident_name, summary=summary)
        entries.append(pager.Entry(f"\n{text}", _buttons(entry, lang)))
    book = pager.Pager(
        lang, t(lang, "resident.orders.title"), entries, lambda n: pack(PREFIX, "pg", n)
    )
    ids = [entry.order.id for entry in listed]
    shown = book.page(book.page_with(ids.index(order)) if order in ids else number)
    buttons = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in shown.rows
    ]
    return shown.text, InlineKeyboardMarkup(buttons) if buttons else None


def _buttons(entry: order_history.Listed, lang: str) -> pager.Rows:
    number = entry.order.id
    if entry.cancellable:
        label = t(lang, "resident.orders.cancel_button", id=number)
        return [[(label, pack(PREFIX, "cancel", number))]]
    if entry.order.status in ("placed", "confirmed"):
        label = t(lang, "resident.orders.call_button", id=number, phone=entry.phone)
        return [[(label, pack(PREFIX, "call", number))]]
    return []


async def show(update: Update, context: Context) -> None:
    """List the orders of every senior this account cares for."""
    resident_flow.end(context)
    text, markup = await render(update, context)
    await tell(update, context, text, reply_markup=markup)


async def pressed(update: Update, context: Context) -> None:
    """Turn a page, or cancel an order (checked again: linked senior, before the cutoff)."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    lang = await language_of(update, context)
    try:
        if query is None or callback is None or callback.action not in ("cancel", "call", "pg"):
            raise NotAllowedError("core.error.stale_button")
        if callback.action == "pg":
            text, markup = await render(update, context, callback.int_arg(0))
            await query.answer()
            await query.edit_message_text(text, reply_markup=markup)
            return
        order_id = callback.int_arg(0)
        if callback.action == "call":
            phone = await order_history.phone_for(deps_of(context), account_of(update), order_id)
            raise DomainError("resident.orders.too_late", phone=phone)
        await order_history.cancel(deps_of(context), account_of(update), order_id)
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    await query.answer(t(lang, "resident.orders.cancelled", id=order_id))
    text, markup = await render(update, context, order=order_id)
    await query.edit_message_text(text, reply_markup=markup)
