"""Ordering in words: the summary a resident reads, the review before placing, the notices
to everyone linked, a correction, and a regular meal that could not be placed.

The services decide (what is bought, who is told, what changed); this module only says it.
Words follow the reader: a senior ordering for herself reads "you" and "Bring it to my
door"; a son or the cook ordering for her reads her name. Amounts read "9元" / "9 yuan",
days "3月3日 周二" / "Tuesday 3 March".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.core import labels
from bot.core.i18n import Html, catalogue, t, voiced
from bot.services.ordering.order_views import Addressee, Buying, OrderView
from data.models import Fulfilment, MenuItem, Order, OrderItem, Resident, Window

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.ordering.order_change import Correctable
    from bot.services.ordering.standing import Missed

Change = tuple[str, object, object]  # (what, before, after): dish, portions or how


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


def summaries(lang: str, seen: Sequence[OrderView], today: date) -> list[Html]:
    return [summary(lang, one, today) for one in seen]


def summary(lang: str, seen: OrderView, today: date) -> Html:
    """Everything about one order, in a few short lines (the canteen named when the
    family orders at more than one)."""
    named = []
    for line in seen.lines:
        item = seen.dishes.get(line.menu_item_id)
        name = item.display_name(lang) if item else "?"
        named.append(t(lang, "resident.order.dish_line", dish=name, portions=line.portions))
    canteen = ""
    if seen.canteen is not None:
        canteen = "\n" + t(lang, "resident.review.canteen", canteen=seen.canteen.display_name(lang))
    order = seen.order
    return t(
        lang,
        "resident.order.summary",
        id=order.id,
        canteen=Html(canteen),
        window=window_label(lang, seen.window, today),
        dishes=Html("\n".join(named)),
        fulfilment=t(lang, f"resident.way.{order.fulfilment}"),
        pay=money(lang, order.pay_fen),
        subsidy=money(lang, order.subsidy_fen),
        status=t(lang, f"resident.status.{order.status}"),
    )


def order_notice(
    lang: str, event: str, own: bool, name: str, summary: Html, values: Mapping[str, object]
) -> Html:
    """`resident.notify.<event>` to one linked account, in its reader's voice."""
    key = voiced(lang, f"resident.notify.{event}", own)
    return t(lang, key, name=name, summary=summary, **values)


# Correcting an order.


def cancel_words(lang: str, found: Correctable) -> Html:
    """'Cancel lunch on Tuesday 3 March, Set A?': asked once more before cancelling."""
    return t(
        lang,
        voiced(lang, "resident.cancel.ask", found.who.own),
        name=found.who.name,
        meal=t(lang, f"resident.meal_word.{found.window.meal}"),
        date=date_label(lang, found.window.day),
        dish=short_name(lang, found.item),
    )


def what_changed(lang: str, changes: Sequence[Change]) -> str:
    """'portions 1 → 2', 'Set A → Set C', 'picked up → to the door'."""
    parts = []
    for what, old, new in changes:
        if isinstance(old, MenuItem) and isinstance(new, MenuItem):
            old_text, new_text = short_name(lang, old), short_name(lang, new)
        elif what == "how":
            old_text, new_text = t(lang, f"resident.way.{old}"), t(lang, f"resident.way.{new}")
        else:
            old_text, new_text = str(old), str(new)
        parts.append(t(lang, f"resident.change.was_{what}", before=old_text, after=new_text))
    return str(t(lang, "resident.clash.sep")).join(parts)


def change_values(lang: str, by: str | None, changes: Sequence[Change]) -> dict[str, object]:
    """Who changed the order (`by` None: the canteen) and what, for the family's notice."""
    said_by = t(lang, "resident.change.by_canteen") if by is None else by
    return {"by": said_by, "what": what_changed(lang, changes)}


def after_sheet(
    lang: str,
    event: str,
    order: Order,
    found: Correctable,
    dishes: Sequence[tuple[OrderItem, MenuItem]],
) -> Html:
    """The kitchen hears of a change or a cancel after its sheet: number, name, dishes, how."""
    named = [f"{line.portions}× {item.code}. {item.display_name(lang)}" for line, item in dishes]
    return t(
        lang,
        f"staff.after_sheet.{event}",
        id=order.id,
        name=found.resident.name,
        window=Html(labels.window_label(found.window, lang)),
        dishes=", ".join(named),
        how=t(lang, f"staff.fulfilment.{order.fulfilment}"),
        before=t(lang, f"staff.fulfilment.{found.order.fulfilment}"),
    )


def dropped(lang: str, why: str, order_id: int, resident: Resident) -> Html:
    """The volunteer holding a delivery that is no more: not to carry it."""
    where = " ".join(part for part in (resident.building, resident.unit, resident.room) if part)
    return t(lang, f"volunteer.dropped.{why}", id=order_id, name=resident.name, address=where)


# A regular meal that could not be placed.


def _missed_dish(lang: str, missed: Missed) -> str:
    return missed.dish.display_name(lang) if missed.dish else missed.plan.dish_code


def _missed_reason(lang: str, missed: Missed) -> Html:
    return t(lang, f"resident.standing_missed.{missed.reason}", dish=_missed_dish(lang, missed))


def missed_family(lang: str, missed: Missed, phone: str, today: date) -> Html:
    return t(
        lang,
        "resident.standing_missed.family",
        name=missed.resident.name,
        window=window_label(lang, missed.window, today),
        reason=_missed_reason(lang, missed),
        button=t(lang, "core.button.order"),
        phone=phone,
    )


def missed_staff(lang: str, missed: Missed) -> Html:
    return t(
        lang,
        "staff.standing_missed.text",
        name=missed.resident.name,
        id=missed.resident.id,
        window=Html(labels.window_label(missed.window, lang)),
        dish=_missed_dish(lang, missed),
        portions=missed.plan.portions,
        reason=_missed_reason(lang, missed),
    )
