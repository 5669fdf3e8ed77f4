"""'My orders': upcoming and recent orders with their status, and cancelling before the cutoff."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import pager
from bot.callbacks import pack, unpack
from bot.deps import Deps
from bot.i18n import Html, t
from bot.services import order_history, order_text
from bot.services.errors import DomainError, NotAllowedError
from handlers import resident_flow
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import inline
from handlers.resident_flow import account_of

PREFIX = "myo1"


async def pages(deps: Deps, account_id: int, lang: str) -> tuple[pager.Pager, list[int]]:
    """The orders of every senior this account cares for, and their numbers in order."""
    listed = await order_history.list_orders(deps, account_id)
    today = deps.clock.now().date()
    found = [entry.order for entry in listed]
    entries = [
        pager.Entry(
            f"\n{t(lang, 'resident.orders.entry', name=entry.resident_name, summary=summary)}",
            _buttons(entry, lang),
        )
        for entry, summary in zip(
            listed, await order_text.summaries(deps.db.conn, found, lang, today), strict=True
        )
    ]
    title = t(lang, "resident.orders.title")
    return pager.Pager(lang, title, entries, lambda n: pack(PREFIX, "pg", n)), [
        order.id for order in found
    ]


async def render(
    update: Update, context: Context, number: int = 0, order: int = 0
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """Page `number` of the orders, or the page of `order` when one was acted on."""
    lang = await language_of(update, context)
    book, ids = await pages(deps_of(context), account_of(update), lang)
    if not ids:
        return t(lang, "resident.orders.none"), None
    shown = book.page(book.page_with(ids.index(order)) if order in ids else number)
    return shown.text, inline(shown.rows)


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
