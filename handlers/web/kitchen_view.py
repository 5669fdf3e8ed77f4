"""The kitchen board rendered as HTML for the Mini App: big type, one table per meal."""

from __future__ import annotations

import html

from bot.core.i18n import Html, t
from bot.core.labels import diet_label, window_label
from bot.services.kitchen.live_board import MealBoard
from data.kitchen import OrderLine


def _dishes(line: OrderLine, lang: str) -> str:
    return ", ".join(f"{item.display_name(lang)} × {item.portions}" for item in line.items)


def _order(line: OrderLine, lang: str, action: Html | None = None) -> str:
    detail = t(
        lang,
        "web.kitchen.detail",
        dishes=_dishes(line, lang),
        how=t(lang, f"staff.fulfilment.{line.fulfilment}"),
    )
    diet = diet_label(f"{'+'.join(line.diet_tags)}|{line.allergies}", lang)
    status = t(lang, f"staff.status.{line.status}")
    return (
        f'<li class="order" id="order-{line.id}">'
        f'<span class="who">{t(lang, "web.kitchen.order", id=line.id, name=line.resident)}</span>'
        f'<span class="what">{detail} · {diet}</span>'
        f'<span class="status">{status}</span>{action or ""}</li>'
    )


def _action(line: OrderLine, lang: str, confirm: bool) -> Html | None:
    """The button an order offers on the board: Confirm while it waits, Collected for a
    pickup or dine-in meal the kitchen has (the tap is checked in full by the service)."""
    if confirm:
        label = t(lang, "web.kitchen.confirm", id=line.id)
        return Html(
            f'<button type="button" class="primary" data-action="confirm"'
            f' data-order="{line.id}">{label}</button>'
        )
    if line.fulfilment != "delivery" and line.status in ("confirmed", "ready"):
        label = t(lang, "web.kitchen.collected_button", id=line.id)
        return Html(
            f'<button type="button" data-action="collected" data-order="{line.id}">{label}</button>'
        )
    return None


def _section(key: str, lines: list[OrderLine], lang: str, confirm: bool = False) -> str:
    title = t(lang, f"web.kitchen.{key}", n=len(lines))
    if not lines:
        items = f'<p class="none">{t(lang, "web.kitchen.none")}</p>'
    else:
        rows = []
        for line in lines:
            rows.append(_order(line, lang, _action(line, lang, confirm)))
        items = f'<ul class="orders">{"".join(rows)}</ul>'
    return f'<section class="{key}"><h3>{title}</h3>{items}</section>'


def _row_head(name: str) -> str:
    return f'<th scope="row">{html.escape(name, quote=False)}</th>' if name else "<td></td>"


def _portions(board: MealBoard, lang: str) -> str:
    if not board.sheet.dishes:
        return f'<p class="none">{t(lang, "web.kitchen.no_portions")}</p>'
    rows = []
    for dish in board.sheet.dishes:
        for n, (key, count) in enumerate(sorted(dish.by_diet.items())):
            name = f"{dish.code} {dish.name}" if n == 0 else ""
            rows.append(
                f"<tr>{_row_head(name)}"
                f'<td>{diet_label(key, lang)}</td><td class="n">{count}</td></tr>'
            )
        rows.append(
            f'<tr class="total"><td></td><td>{t(lang, "web.kitchen.total")}</td>'
            f'<td class="n">{dish.portions}</td></tr>'
        )
    head = (
        f'<tr><th scope="col">{t(lang, "web.kitchen.dish")}</th>'
        f'<th scope="col">{t(lang, "web.kitchen.diet")}</th>'
        f'<th scope="col" class="n">{t(lang, "web.kitchen.count")}</th></tr>'
    )
    return f'<table class="portions"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def meal(board: MealBoard, lang: str) -> str:
    title = t(
        lang,
        "web.kitchen.meal",
        canteen=board.canteen,
        window=window_label(board.window, lang),
        state=t(lang, f"staff.state.{board.window.state}"),
    )
    confirm_all = ""
    if len(board.waiting) > 1:
        label = t(lang, "web.kitchen.confirm_all", n=len(board.waiting))
        confirm_all = (
            f'<button type="button" class="primary" data-action="confirm_all"'
            f' data-window="{board.window.id}">{label}</button>'
        )
    ready = ""
    if board.window.state == "closed":
        label = t(lang, "web.kitchen.ready_button", n=len(board.waiting) + len(board.confirmed))
        ready = (
            f'<button type="button" class="primary" data-action="ready"'
            f' data-window="{board.window.id}">{label}</button>'
        )
    sections = (
        _section("waiting", board.waiting, lang, confirm=True),
        confirm_all,
        ready,
        _section("confirmed", board.confirmed, lang),
        _section("ready", board.ready, lang),
        _section("collected", board.collected, lang),
        _section("deliveries", board.deliveries, lang),
    )
    return (
        f'<article class="meal" id="window-{board.window.id}"><h2>{title}</h2>'
        f"<h3>{t(lang, 'web.kitchen.portions')}</h3>{_portions(board, lang)}"
        f"{''.join(sections)}</article>"
    )


def board(boards: list[MealBoard], lang: str) -> str:
    if not boards:
        return f'<p class="none">{t(lang, "web.kitchen.no_meals")}</p>'
    return "".join(meal(one, lang) for one in boards)
