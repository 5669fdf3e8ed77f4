"""/orders: a window's orders as they come; confirm, decline with a reason, hand over."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.core import callbacks, pager
from bot.core.callbacks import Order, OrderReason, WindowPage
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.core.ptb import App
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import order_change
from data.kitchen import OrderLine
from data.models import Window
from handlers.buttons import Button, answer, show
from handlers.common import Context, user_id
from handlers.keyboards import inline
from handlers.windows import STAFF_CHATS, pick_window


def line_text(line: OrderLine, lang: str) -> Html:
    return t(
        lang,
        "staff.receipt.line",
        id=line.id,
        name=line.resident,
        dishes=", ".join(f"{item.portions}×{item.code}" for item in line.items),
        how=t(lang, f"staff.fulfilment.{line.fulfilment}"),
        status=t(lang, f"staff.status.{line.status}"),
    )


def _entry(line: OrderLine, window: Window, lang: str) -> pager.Entry:
    """One order's row. Every order keeps its row, changed in place, so after a confirm the
    rows below do not move under a second tap; that tap finds its own order, done."""
    receiving = window.state in receipt.RECEIVING
    cooked = window.state in ("closed", "dispatched")
    collect = (t(lang, "staff.receipt.collected", id=line.id), callbacks.COLLECTED.pack(line.id))
    decline = (t(lang, "staff.receipt.decline", id=line.id), callbacks.DECLINE.pack(line.id))
    confirm = callbacks.CONFIRM.pack(line.id)
    collectable = cooked and line.fulfilment != "delivery" and line.status in ("confirmed", "ready")
    status = t(lang, "staff.board.row", id=line.id, status=t(lang, f"staff.status.{line.status}"))
    row: list[pager.Button]
    if line.status == "placed" and receiving:
        row = [(t(lang, "staff.receipt.confirm", id=line.id), confirm), decline]
    elif line.status == "confirmed" and receiving:  # a second Confirm is answered, not acted on
        row = [(status, confirm), collect if collectable else decline]
    elif collectable:
        row = [collect]
    else:
        row = [(status, callbacks.ORDERS_OF.pack(window.id))]  # a tap only refreshes the board
    if order_change.may_show(window, line.status):
        row.append((t(lang, "staff.change.edit", id=line.id), callbacks.CHANGE_ORDER.pack(line.id)))
    return pager.Entry(line_text(line, lang), [row])


def board_pages(board: receipt.Board, lang: str) -> pager.Pager:
    """The window's orders a page at a time, each with what staff can do to it now; under
    every page confirm all, meals ready and refresh (which stays on its page)."""
    window = board.window
    head = t(
        lang,
        "staff.receipt.title",
        window=window_label(window, lang),
        state=t(lang, f"staff.state.{window.state}"),
    )
    waiting = sum(line.status == "placed" for line in board.lines)
    foot = t(lang, "staff.receipt.counts", total=len(board.lines), waiting=waiting)

    def fixed(number: int) -> pager.Rows:
        rows: pager.Rows = []
        if waiting and window.state in receipt.RECEIVING:
            confirm_all = callbacks.CONFIRM_ALL.pack(window.id, number)
            rows.append([(t(lang, "staff.receipt.confirm_all"), confirm_all)])
        if window.state == "closed":
            ready = callbacks.MEALS_READY.pack(window.id, number)
            rows.append([(t(lang, "staff.receipt.ready"), ready)])
        refresh = callbacks.ORDERS_OF.pack(window.id, number)
        rows.append([(t(lang, "staff.receipt.refresh"), refresh)])
        return rows

    return pager.Pager(
        lang,
        head,
        [_entry(line, window, lang) for line in board.lines],
        lambda n: callbacks.ORDERS_OF.pack(window.id, n),
        foot=foot if board.lines else "",
        fixed=fixed,
        empty=t(lang, "staff.receipt.empty"),
    )


async def orders(update: Update, context: Context) -> None:
    """Ask which window's orders to show."""
    await pick_window(update, context, callbacks.ORDERS_OF, "staff.receipt.pick")


async def _redraw(
    update: Update, context: Context, window_id: int, lang: str, number: int = 0, order: int = 0
) -> None:
    board = await receipt.board(context.deps, user_id(update), window_id)
    await _show(update, board, lang, number, order)


async def _show(
    update: Update, board: receipt.Board, lang: str, number: int = 0, order: int = 0
) -> None:
    """Page `number` of the board, or the page of `order` when one was acted on."""
    book = board_pages(board, lang)
    if order:
        ids = [line.id for line in board.lines]
        number = book.page_with(ids.index(order)) if order in ids else number
    shown = book.page(number)
    await show(update, shown.text, inline(shown.rows))


async def refresh(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    """A page of the board, read again (the window picked, a turn, or Refresh)."""
    found = await receipt.board(context.deps, user_id(update), tap.window)
    await answer(update)
    await _show(update, found, lang, tap.page)


async def confirm(update: Update, context: Context, tap: Order, lang: str) -> None:
    line = await receipt.confirm(context.deps, user_id(update), tap.order)
    await answer(update, t(lang, "staff.receipt.confirmed", id=line.id))
    await _redraw(update, context, line.window_id, lang, order=line.id)


async def confirm_all(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    done = await receipt.confirm_all(context.deps, user_id(update), tap.window)
    await answer(update, t(lang, "staff.receipt.confirmed_all", n=len(done)))
    await _redraw(update, context, tap.window, lang, tap.page)


async def ask_reason(update: Update, context: Context, tap: Order, lang: str) -> None:
    """Why decline: a button per reason, and back to the board."""
    await receipt.can_decline(context.deps, user_id(update), tap.order)
    because = callbacks.DECLINE_BECAUSE
    rows = [
        [(t(lang, f"staff.reason_button.{reason}"), because.pack(tap.order, reason))]
        for reason in receipt.REASONS
    ]
    rows.append([(t(lang, "staff.receipt.back"), callbacks.DECLINE_BACK.pack(tap.order))])
    await answer(update)
    await show(update, t(lang, "staff.receipt.why", id=tap.order), inline(rows))


async def decline(update: Update, context: Context, tap: OrderReason, lang: str) -> None:
    line = await receipt.decline(context.deps, user_id(update), tap.order, tap.reason)
    await answer(update, t(lang, "staff.receipt.declined", id=line.id))
    await _redraw(update, context, line.window_id, lang, order=line.id)


async def back(update: Update, context: Context, tap: Order, lang: str) -> None:
    line = await receipt.can_decline(context.deps, user_id(update), tap.order)
    await answer(update)
    await _redraw(update, context, line.window_id, lang, order=line.id)


async def collected(update: Update, context: Context, tap: Order, lang: str) -> None:
    line = await receipt.collected(context.deps, user_id(update), tap.order)
    await answer(update, t(lang, "staff.receipt.got", id=line.id))
    await _redraw(update, context, line.window_id, lang, order=line.id)


async def meals_ready(update: Update, context: Context, tap: WindowPage, lang: str) -> None:
    ready = await window_service.meals_ready(context.deps, user_id(update), tap.window)
    await answer(update, ready_text(ready, lang))
    await _redraw(update, context, tap.window, lang, tap.page)


def ready_text(ready: window_service.Ready, lang: str) -> str:
    """The toast after Meals ready: how many, and who carries the deliveries."""
    parts = [t(lang, "staff.ready.done", n=ready.meals)]
    if ready.carried:
        parts.append(t(lang, "staff.ready.carried", n=ready.carried))
    if ready.waiting_for_routes:
        parts.append(t(lang, "staff.ready.waiting", n=ready.waiting_for_routes))
    if ready.uncarried:
        parts.append(t(lang, "staff.ready.nobody", n=len(ready.uncarried)))
    return " ".join(parts)


BUTTONS = (
    Button(callbacks.ORDERS_OF, refresh),
    Button(callbacks.CONFIRM, confirm),
    Button(callbacks.CONFIRM_ALL, confirm_all),
    Button(callbacks.DECLINE, ask_reason),
    Button(callbacks.DECLINE_BECAUSE, decline),
    Button(callbacks.DECLINE_BACK, back),
    Button(callbacks.COLLECTED, collected),
    Button(callbacks.MEALS_READY, meals_ready),
)


def register(app: App, group: int) -> None:
    app.add_handler(CommandHandler("orders", orders, filters=STAFF_CHATS), group=group)
