"""'My orders': upcoming and recent orders with their status, and cancelling before the cutoff."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core import pager
from bot.core.callbacks import pack, unpack
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t
from bot.services.ordering import messages, order_history, order_views
from handlers import order_change, resident_flow
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import inline
from handlers.resident_flow import account_of

PREFIX = "myo1"


async def pages(deps: Deps, account_id: int, lang: str) -> tuple[pager.Pager, list[int]]:
    """The orders of every senior this account cares for, and their numbers in order."""
    listed = await order_history.list_orders(deps, account_id)
    today = deps.clock.now().date()
    found = [entry.order for entry in listed]
    seen = await order_views.views(deps.db.reader, found)
    entries = [
        pager.Entry(
            f"\n{t(lang, 'resident.orders.entry', name=entry.resident_name, summary=summary)}",
            _buttons(entry, lang),
        )
        for entry, summary in zip(listed, messages.summaries(lang, seen, today), strict=True)
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
        return correction_buttons(lang, number)
    if entry.order.status in ("placed", "confirmed"):
        label = t(lang, "resident.orders.call_button", id=number, phone=entry.phone)
        return [[(label, pack(PREFIX, "call", number))]]
    return []


def correction_buttons(lang: str, order_id: int) -> pager.Rows:
    """Change (portions, how) and Cancel (asked once more) of an order before the cutoff."""
    change = t(lang, "resident.change.button", id=order_id)
    cancel = t(lang, "resident.orders.cancel_button", id=order_id)
    return [
        [(change, pack(order_change.PREFIX, "o", order_id))],
        [(cancel, pack(PREFIX, "cancel", order_id))],
    ]


async def show(update: Update, context: Context) -> None:
    """List the orders of every senior this account cares for."""
    resident_flow.end(context)
    text, markup = await render(update, context)
    await tell(update, context, text, reply_markup=markup)


async def pressed(update: Update, context: Context) -> None:
    """Turn a page, or cancel an order: asked once more, then checked again (linked
    senior, before the cutoff); Keep goes back to the list."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    lang = await language_of(update, context)
    deps, account_id = deps_of(context), account_of(update)
    try:
        if query is None or callback is None or callback.action not in ACTIONS:
            raise NotAllowedError("core.error.stale_button")
        if callback.action == "pg":
            text, markup = await render(update, context, callback.int_arg(0))
            await query.answer()
            await query.edit_message_text(text, reply_markup=markup)
            return
        order_id = callback.int_arg(0)
        if callback.action == "call":
            phone = await order_history.phone_for(deps, account_id, order_id)
            raise DomainError("resident.orders.too_late", phone=phone)
        if callback.action == "cancel":  # (also a button from before the question was asked)
            found = await order_history.cancellable(deps, account_id, order_id)
            question = messages.cancel_words(lang, found)
            await query.answer()
            await query.edit_message_text(question, reply_markup=_sure(lang, order_id))
            return
        if callback.action == "yes":
            await order_history.cancel(deps, account_id, order_id)
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    done = "resident.orders.cancelled" if callback.action == "yes" else "resident.cancel.kept"
    await query.answer(t(lang, done, id=order_id))
    text, markup = await render(update, context, order=order_id)
    await query.edit_message_text(text, reply_markup=markup)


ACTIONS = ("cancel", "yes", "keep", "call", "pg")


def _sure(lang: str, order_id: int) -> InlineKeyboardMarkup:
    """Yes, cancel it / No, keep it."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "resident.cancel.yes"), callback_data=pack(PREFIX, "yes", order_id)
                ),
                InlineKeyboardButton(
                    t(lang, "resident.cancel.no"), callback_data=pack(PREFIX, "keep", order_id)
                ),
            ]
        ]
    )
