"""/orders: a window's orders as they come; confirm, decline with a reason, hand over."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core import pager
from bot.core.callbacks import Callback, pack, pattern
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.core.ptb import App
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import order_change
from data.kitchen import OrderLine
from data.models import Window
from handlers.common import Context, deps_of
from handlers.keyboards import inline
from handlers.order_change import PREFIX as CHANGE_PREFIX
from handlers.staff_ui import STAFF_CHATS, answer, dispatch, pick_window, show, user_id

PREFIX = "rcp1"


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


def button(label: Html, action: str, *ids: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(PREFIX, action, *ids))


def _entry(line: OrderLine, window: Window, lang: str) -> pager.Entry:
    """One order's row. Every order keeps its row, changed in place, so after a confirm the
    rows below do not move under a second tap; that tap finds its own order, done."""

    def tap(label: str, action: str, *ids: object) -> pager.Button:
        return (label, pack(PREFIX, action, *ids))

    receiving = window.state in receipt.RECEIVING
    cooked = window.state in ("closed", "dispatched")
    collect = tap(t(lang, "staff.receipt.collected", id=line.id), "got", line.id)
    decline = tap(t(lang, "staff.receipt.decline", id=line.id), "no", line.id)
    collectable = cooked and line.fulfilment != "delivery" and line.status in ("confirmed", "ready")
    status = t(lang, "staff.board.row", id=line.id, status=t(lang, f"staff.status.{line.status}"))
    if line.status == "placed" and receiving:
        row = [tap(t(lang, "staff.receipt.confirm", id=line.id), "ok", line.id), decline]
    elif line.status == "confirmed" and receiving:  # a second Confirm is answered, not acted on
        row = [tap(status, "ok", line.id), collect if collectable else decline]
    elif collectable:
        row = [collect]
    else:
        row = [tap(status, "w", window.id)]  # a tap only refreshes the board
    if order_change.may_show(window, line.status):
        row.append((t(lang, "staff.change.edit", id=line.id), pack(CHANGE_PREFIX, "o", line.id)))
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
            rows.append(
                [(t(lang, "staff.receipt.confirm_all"), pack(PREFIX, "all", window.id, number))]
            )
        if window.state == "closed":
            rows.append([(t(lang, "staff.receipt.ready"), pack(PREFIX, "rdy", window.id, number))])
        rows.append([(t(lang, "staff.receipt.refresh"), pack(PREFIX, "w", window.id, number))])
        return rows

    return pager.Pager(
        lang,
        head,
        [_entry(line, window, lang) for line in board.lines],
        lambda n: pack(PREFIX, "w", window.id, n),
        foot=foot if board.lines else "",
        fixed=fixed,
        empty=t(lang, "staff.receipt.empty"),
    )


async def orders(update: Update, context: Context) -> None:
    """Ask which window's orders to show."""
    await pick_window(update, context, PREFIX, "staff.receipt.pick")


async def _refresh(
    update: Update, context: Context, window_id: int, lang: str, number: int = 0, order: int = 0
) -> None:
    board = await receipt.board(deps_of(context), user_id(update), window_id)
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


async def _board(update: Update, context: Context, callback: Callback, lang: str) -> None:
    board = await receipt.board(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await _show(update, board, lang, callback.int_arg_or(1, 0))


async def _confirm(update: Update, context: Context, callback: Callback, lang: str) -> None:
    line = await receipt.confirm(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update, t(lang, "staff.receipt.confirmed", id=line.id))
    await _refresh(update, context, line.window_id, lang, order=line.id)


async def _confirm_all(update: Update, context: Context, callback: Callback, lang: str) -> None:
    window_id = callback.int_arg(0)
    done = await receipt.confirm_all(deps_of(context), user_id(update), window_id)
    await answer(update, t(lang, "staff.receipt.confirmed_all", n=len(done)))
    await _refresh(update, context, window_id, lang, callback.int_arg_or(1, 0))


async def _ask_reason(update: Update, context: Context, callback: Callback, lang: str) -> None:
    order_id = callback.int_arg(0)
    await receipt.can_decline(deps_of(context), user_id(update), order_id)
    rows = [
        [button(t(lang, f"staff.reason_button.{reason}"), "why", order_id, reason)]
        for reason in receipt.REASONS
    ]
    rows.append([button(t(lang, "staff.receipt.back"), "back", order_id)])
    await answer(update)
    await show(update, t(lang, "staff.receipt.why", id=order_id), InlineKeyboardMarkup(rows))


async def _decline(update: Update, context: Context, callback: Callback, lang: str) -> None:
    order_id, reason = callback.int_arg(0), callback.args[1]
    line = await receipt.decline(deps_of(context), user_id(update), order_id, reason)
    await answer(update, t(lang, "staff.receipt.declined", id=line.id))
    await _refresh(update, context, line.window_id, lang, order=line.id)


async def _back(update: Update, context: Context, callback: Callback, lang: str) -> None:
    line = await receipt.can_decline(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update)
    await _refresh(update, context, line.window_id, lang, order=line.id)


async def _collected(update: Update, context: Context, callback: Callback, lang: str) -> None:
    line = await receipt.collected(deps_of(context), user_id(update), callback.int_arg(0))
    await answer(update, t(lang, "staff.receipt.got", id=line.id))
    await _refresh(update, context, line.window_id, lang, order=line.id)


async def _ready(update: Update, context: Context, callback: Callback, lang: str) -> None:
    window_id = callback.int_arg(0)
    ready = await window_service.meals_ready(deps_of(context), user_id(update), window_id)
    await answer(update, ready_text(ready, lang))
    await _refresh(update, context, window_id, lang, callback.int_arg_or(1, 0))


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


ACTIONS = {
    "w": _board,
    "ok": _confirm,
    "all": _confirm_all,
    "no": _ask_reason,
    "why": _decline,
    "back": _back,
    "got": _collected,
    "rdy": _ready,
}


async def on_button(update: Update, context: Context) -> None:
    """Buttons of the orders board."""
    await dispatch(update, context, PREFIX, ACTIONS)


def register(app: App, group: int) -> None:
    app.add_handler(CommandHandler("orders", orders, filters=STAFF_CHATS), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
