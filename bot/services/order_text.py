"""Orders in words: the summary a resident reads, and the notices to everyone linked."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from bot.i18n import Html, t
from bot.services import notify
from bot.services.pricing import yuan
from data import links, orders, residents, windows
from data.models import MenuItem, Order, OrderItem, Window


def day_label(lang: str, day: date, today: date) -> str:
    if day == today:
        return t(lang, "resident.day.today")
    if (day - today).days == 1:
        return t(lang, "resident.day.tomorrow")
    return t(lang, "resident.day.other", month=day.month, day=day.day)


def window_label(lang: str, window: Window, today: date) -> Html:
    """'Lunch today', '明天午餐'."""
    return t(
        lang,
        "resident.window.label",
        day=Html(day_label(lang, window.day, today)),
        meal=t(lang, f"resident.meal.{window.meal}"),
    )


async def summary(conn: aiosqlite.Connection, order: Order, lang: str, today: date) -> Html:
    """Everything about one order, in a few short lines."""
    return (await summaries(conn, [order], lang, today))[0]


async def summaries(
    conn: aiosqlite.Connection, found: list[Order], lang: str, today: date
) -> list[Html]:
    """The summaries of many orders, read with a few queries (a list of a thousand)."""
    seen: dict[int, Window] = {}
    for order in found:
        if order.window_id not in seen:
            window = await windows.get(conn, order.window_id)
            assert window is not None
            seen[order.window_id] = window
    lines: dict[int, list[OrderItem]] = {}
    for line in await orders.items_of(conn, [order.id for order in found]):
        lines.setdefault(line.order_id, []).append(line)
    item_ids = sorted({item.menu_item_id for items in lines.values() for item in items})
    dishes = await windows.menu_items(conn, item_ids)
    return [
        _describe(order, seen[order.window_id], lines.get(order.id, []), dishes, lang, today)
        for order in found
    ]


def _describe(
    order: Order,
    window: Window,
    lines: list[OrderItem],
    dishes: dict[int, MenuItem],
    lang: str,
    today: date,
) -> Html:
    named = []
    for line in lines:
        item = dishes.get(line.menu_item_id)
        name = item.display_name(lang) if item else "?"
        named.append(t(lang, "resident.order.dish_line", dish=name, portions=line.portions))
    return t(
        lang,
        "resident.order.summary",
        id=order.id,
        window=window_label(lang, window, today),
        dishes=Html("\n".join(named)),
        fulfilment=t(lang, f"resident.fulfilment.{order.fulfilment}"),
        pay=yuan(order.pay_fen),
        subsidy=yuan(order.subsidy_fen),
        status=t(lang, f"resident.status.{order.status}"),
    )


async def notify_linked(
    tx: aiosqlite.Connection, order: Order, event: str, now: datetime, skip: int | None = None
) -> None:
    """Queue `resident.notify.<event>` to every account linked to the senior (but `skip`)."""
    resident = await residents.get(tx, order.resident_id)
    assert resident is not None
    for link in await links.accounts_of(tx, order.resident_id):
        if link.account_id == skip or not link.notify:
            continue
        lang = await notify.language_of(tx, link.account_id)
        body = t(
            lang,
            f"resident.notify.{event}",
            name=resident.name,
            summary=await summary(tx, order, lang, now.date()),
        )
        key = f"order:{order.id}:{event}:acct:{link.account_id}"
        await notify.text(tx, key, link.account_id, body, now)
