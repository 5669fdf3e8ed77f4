"""Orders in words: the summary a resident reads, and the notices to everyone linked."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from bot.i18n import Html, t
from bot.services import notify
from bot.services.pricing import yuan
from data import links, orders, residents, windows
from data.models import Order, Window


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
    window = await windows.get(conn, order.window_id)
    assert window is not None
    dishes = []
    for line in await orders.items(conn, order.id):
        item = await windows.menu_item(conn, line.menu_item_id)
        name = item.display_name(lang) if item else "?"
        dishes.append(t(lang, "resident.order.dish_line", dish=name, portions=line.portions))
    return t(
        lang,
        "resident.order.summary",
        id=order.id,
        window=window_label(lang, window, today),
        dishes=Html("\n".join(dishes)),
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
