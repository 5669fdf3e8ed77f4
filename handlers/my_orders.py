"""'My orders': upcoming and recent orders with their status, and cancelling before the cutoff."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.core import callbacks, pager
from bot.core.callbacks import Order, Page
from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.services.ordering import messages, order_history, order_views
from handlers import buttons, conversation
from handlers.buttons import Button, answer
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


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
    return pager.Pager(lang, title, entries, callbacks.MY_ORDERS_PAGE.pack), [
        order.id for order in found
    ]


async def render(
    update: Update, context: Context, number: int = 0, order: int = 0
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """Page `number` of the orders, or the page of `order` when one was acted on."""
    lang = await language_of(update, context)
    book, ids = await pages(context.deps, user_id(update), lang)
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
        return [[(label, callbacks.CALL_CANTEEN.pack(number))]]
    return []


def correction_buttons(lang: str, order_id: int) -> pager.Rows:
    """Change (portions, how) and Cancel (asked once more) of an order before the cutoff."""
    change = t(lang, "resident.change.button", id=order_id)
    cancel = t(lang, "resident.orders.cancel_button", id=order_id)
    return [
        [(change, callbacks.CHANGE_ORDER.pack(order_id))],
        [(cancel, callbacks.CANCEL_ORDER.pack(order_id))],
    ]


async def show(update: Update, context: Context) -> None:
    """List the orders of every senior this account cares for."""
    conversation.end(context)
    text, markup = await render(update, context)
    await tell(update, context, text, reply_markup=markup)


async def turn(update: Update, context: Context, tap: Page, _: str) -> None:
    """Another page of the orders."""
    text, markup = await render(update, context, tap.page)
    await answer(update)
    await buttons.show(update, text, markup)


async def call_canteen(update: Update, context: Context, tap: Order, _: str) -> None:
    """Too late to change it here: the canteen's phone, to call."""
    phone = await order_history.phone_for(context.deps, user_id(update), tap.order)
    raise DomainError("resident.orders.too_late", phone=phone)


async def ask_cancel(update: Update, context: Context, tap: Order, lang: str) -> None:
    """Cancel this order? Asked once more (checked: her senior, before the cutoff)."""
    deps, order_id = context.deps, tap.order
    found = await order_history.cancellable(deps, user_id(update), order_id)
    question = messages.cancel_words(lang, found)
    yes = (t(lang, "resident.cancel.yes"), callbacks.CANCEL_YES.pack(order_id))
    keep = (t(lang, "resident.cancel.no"), callbacks.CANCEL_KEEP.pack(order_id))
    await answer(update)
    await buttons.show(update, question, inline([[yes, keep]]))


async def cancel_order(update: Update, context: Context, tap: Order, lang: str) -> None:
    """Yes, cancel it (checked again), then the list at its page."""
    await order_history.cancel(context.deps, user_id(update), tap.order)
    await _back_to_list(update, context, t(lang, "resident.orders.cancelled", id=tap.order), tap)


async def keep_order(update: Update, context: Context, tap: Order, lang: str) -> None:
    """No, keep it: the list again."""
    await _back_to_list(update, context, t(lang, "resident.cancel.kept", id=tap.order), tap)


async def _back_to_list(update: Update, context: Context, note: str, tap: Order) -> None:
    await answer(update, note)
    text, markup = await render(update, context, order=tap.order)
    await buttons.show(update, text, markup)


BUTTONS = (
    Button(callbacks.MY_ORDERS_PAGE, turn),
    Button(callbacks.CALL_CANTEEN, call_canteen),
    Button(callbacks.CANCEL_ORDER, ask_cancel),
    Button(callbacks.CANCEL_YES, cancel_order),
    Button(callbacks.CANCEL_KEEP, keep_order),
)
