"""Orders in words: the summary a resident reads, the review before placing, the notices to
everyone linked.

Words follow the reader: a senior ordering for herself reads "you" and "Bring it to my
door"; a son or the cook ordering for her reads her name. Amounts read "9元" / "9 yuan",
days "3月3日 周二" / "Tuesday 3 March".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.core import labels
from bot.core.i18n import Html, catalogue, t, voiced
from bot.services.notices import notify
from data import canteens, links, orders, residents, windows
from data.db import Session
from data.models import Canteen, Fulfilment, MenuItem, Order, OrderItem, Window

PerLanguage = Callable[[str], dict[str, object]]


@dataclass(frozen=True)
class Addressee:
    """Whom the words are about: the reader herself ("you"), or a senior by name."""

    own: bool
    name: str


def money(lang: str, fen: int) -> str:
    """An amount as people say it: '9元', '9.50元'; '9 yuan'."""
    amount = f"{fen // 100}" if fen % 100 == 0 else f"{fen // 100}.{fen % 100:02d}"
    return str(t(lang, "resident.money.amount", amount=amount))


def date_label(lang: str, day: date) -> Html:
    """'3月3日 周二', 'Tuesday 3 March'."""
    return labels.day_label(day, lang, "resident")


def day_label(lang: str, day: date, today: date) -> str:
    if day == today:
        return t(lang, "resident.day.today")
    if (day - today).days == 1:
        return t(lang, "resident.day.tomorrow")
    return t(lang, "resident.day.other", date=date_label(lang, day))


def window_label(lang: str, window: Window, today: date) -> Html:
    """'Lunch today', '明天午餐', 'Lunch on Wednesday 4 March'."""
    return t(
        lang,
        "resident.window.label",
        day=Html(day_label(lang, window.day, today)),
        meal=t(lang, f"resident.meal.{window.meal}"),
    )


def when_label(lang: str, window: Window, today: date) -> Html:
    """The day and meal in full: 'Lunch today, Monday 2 March', '3月2日 周一（今天）午餐'."""
    meal = t(lang, f"resident.meal.{window.meal}")
    full = date_label(lang, window.day)
    if 0 <= (window.day - today).days <= 1:
        day = Html(day_label(lang, window.day, today))
        return t(lang, "resident.review.when", meal=meal, day=day, date=full)
    return t(lang, "resident.review.when_date", meal=meal, date=full)


def how_button(lang: str, way: Fulfilment, who: Addressee) -> Html:
    """The button: '🚪 Bring it to my door' for herself, '🚪 Bring it to Zhao Lan's door'."""
    if who.own:
        return t(lang, f"resident.fulfilment.{way}")
    return t(lang, f"resident.fulfilment_for.{way}", name=who.name)


def how_words(lang: str, way: Fulfilment, who: Addressee) -> Html:
    """'to your door', 'to Zhao Lan's door', 'you pick it up'."""
    return t(lang, voiced(lang, f"resident.to.{way}", who.own), name=who.name)


def how_line(lang: str, way: Fulfilment, who: Addressee) -> Html:
    return Html(f"{t(lang, f'resident.icon.{way}')} {how_words(lang, way, who)}")


def short_name(lang: str, item: MenuItem) -> str:
    """A dish as a button can hold it: 'Set A' of 'Set A: steamed sea bass, greens, rice'."""
    name = item.display_name(lang)
    for mark in ("：", ":"):
        head, found, _ = name.partition(mark)
        if found and head.strip():
            return head.strip()
    return name


def clash_words(lang: str, reasons: Iterable[str]) -> str:
    """'contains pork, not soft', or a general warning for a need the catalogue lacks."""
    known = catalogue(lang)
    words = [
        t(lang, f"resident.clash.{reason}")
        if f"resident.clash.{reason}" in known
        else t(lang, "resident.clash.other")
        for reason in reasons
    ]
    return str(t(lang, "resident.clash.sep")).join(dict.fromkeys(words))


def clash_line(lang: str, reasons: tuple[str, ...], who: Addressee) -> Html:
    why = clash_words(lang, reasons)
    return t(lang, voiced(lang, "resident.review.clash", who.own), name=who.name, why=why)


@dataclass(frozen=True)
class Buying:
    """What a draft (or a changed order) buys, for the review screen."""

    who: Addressee
    window: Window
    item: MenuItem
    portions: int
    fulfilment: Fulfilment
    price_fen: int
    subsidy_fen: int
    pay_fen: int
    reasons: tuple[str, ...]
    canteen: Canteen | None = None  # named when her family orders at more than one


def buying_lines(lang: str, buying: Buying, today: date) -> list[Html]:
    """Day and meal, dish and portions, how, what she pays, and any clash with her diet."""
    lines = []
    if not buying.who.own:
        lines.append(t(lang, "resident.review.for_name", name=buying.who.name))
    if buying.canteen is not None:
        name = buying.canteen.display_name(lang)
        lines.append(t(lang, "resident.review.canteen", canteen=name))
    lines += [
        when_label(lang, buying.window, today),
        t(
            lang,
            "resident.review.dish",
            dish=buying.item.display_name(lang),
            portions=buying.portions,
        ),
        how_line(lang, buying.fulfilment, buying.who),
        pay_line(lang, buying.pay_fen, buying.price_fen, buying.subsidy_fen),
    ]
    if buying.reasons:
        lines.append(clash_line(lang, buying.reasons, buying.who))
    return lines


async def canteen_to_name(conn: Session, resident_id: int, canteen_id: int) -> Canteen | None:
    """The canteen, when the people who order for this senior order at more than one."""
    if await links.family_canteens(conn, resident_id) <= 1:
        return None
    return await canteens.get(conn, canteen_id)


def pay_line(lang: str, pay_fen: int, price_fen: int, subsidy_fen: int) -> Html:
    if not subsidy_fen:
        return t(lang, "resident.review.pay_plain", pay=money(lang, pay_fen))
    return t(
        lang,
        "resident.review.pay",
        pay=money(lang, pay_fen),
        price=money(lang, price_fen),
        subsidy=money(lang, subsidy_fen),
    )


def review(lang: str, buying: Buying, today: date) -> Html:
    """The screen before 'Place order': everything she is buying, in a few lines."""
    lines = [t(lang, "resident.review.title"), *buying_lines(lang, buying, today)]
    return Html("\n".join(lines))


async def summary(conn: Session, order: Order, lang: str, today: date) -> Html:
    """Everything about one order, in a few short lines (the canteen named when the
    family orders at more than one)."""
    return (await summaries(conn, [order], lang, today))[0]


async def summaries(conn: Session, found: list[Order], lang: str, today: date) -> list[Html]:
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
    several = await links.family_canteens_of(conn, sorted({o.resident_id for o in found}))
    places = {w.canteen_id for w in seen.values()}
    canteen_of = (
        {c: await canteens.get(conn, c) for c in places}
        if any(n > 1 for n in several.values())
        else {}
    )
    named = {
        order.resident_id: canteen_of.get(seen[order.window_id].canteen_id)
        if several.get(order.resident_id, 0) > 1
        else None
        for order in found
    }
    return [
        _describe(
            order,
            seen[order.window_id],
            lines.get(order.id, []),
            dishes,
            named[order.resident_id],
            lang,
            today,
        )
        for order in found
    ]


def _describe(
    order: Order,
    window: Window,
    lines: list[OrderItem],
    dishes: dict[int, MenuItem],
    canteen_named: Canteen | None,
    lang: str,
    today: date,
) -> Html:
    named = []
    for line in lines:
        item = dishes.get(line.menu_item_id)
        name = item.display_name(lang) if item else "?"
        named.append(t(lang, "resident.order.dish_line", dish=name, portions=line.portions))
    canteen = ""
    if canteen_named is not None:
        canteen = "\n" + t(
            lang, "resident.review.canteen", canteen=canteen_named.display_name(lang)
        )
    return t(
        lang,
        "resident.order.summary",
        id=order.id,
        canteen=Html(canteen),
        window=window_label(lang, window, today),
        dishes=Html("\n".join(named)),
        fulfilment=t(lang, f"resident.way.{order.fulfilment}"),
        pay=money(lang, order.pay_fen),
        subsidy=money(lang, order.subsidy_fen),
        status=t(lang, f"resident.status.{order.status}"),
    )


async def notify_linked(
    tx: Session,
    order: Order,
    event: str,
    now: datetime,
    skip: int | None = None,
    *,
    extra: PerLanguage | None = None,
    tag: str = "",
) -> None:
    """Queue `resident.notify.<event>` to every account linked to the senior (but `skip`),
    in the reader's voice ("you" to the senior herself); `extra` adds values per
    language, `tag` makes the outbox key of a repeated event (a second change) new."""
    resident = await residents.get(tx, order.resident_id)
    assert resident is not None
    for link in await links.accounts_of(tx, order.resident_id):
        if link.account_id == skip or not link.notify:
            continue
        lang = await notify.language_of(tx, link.account_id)
        body = t(
            lang,
            voiced(lang, f"resident.notify.{event}", link.relation == "self"),
            name=resident.name,
            summary=await summary(tx, order, lang, now.date()),
            **(extra(lang) if extra else {}),
        )
        key = f"order:{order.id}:{event}{tag}:acct:{link.account_id}"
        await notify.text(tx, key, link.account_id, body, now)
