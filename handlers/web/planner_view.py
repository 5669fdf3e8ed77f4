"""The family planner rendered as HTML: one form for the week, one Save button."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.core.i18n import Html, t
from bot.core.labels import day_label, window_label, yuan
from bot.services.ordering.week_plan import Done, Slot, Week


def _options(values: Sequence[tuple[str, str]], selected: str = "") -> str:
    return "".join(
        f'<option value="{value}"{" selected" if value == selected else ""}>{text}</option>'
        for value, text in values
    )


def _portions(week: Week) -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in range(1, week.max_portions + 1)]


def _field(label: Html, name: str, options: str) -> str:
    return f'<label>{label} <select name="{name}">{options}</select></label>'


def _ordered(slot: Slot, week: Week, lang: str) -> str:
    view = slot.order
    assert view is not None
    order = view.order
    dishes = ", ".join(
        f"{view.dishes[line.menu_item_id].display_name(lang)} × {line.portions}"
        for line in view.lines
    )
    text = t(
        lang,
        "web.planner.ordered",
        dishes=dishes,
        how=t(lang, f"staff.fulfilment.{order.fulfilment}"),
        status=t(lang, f"staff.status.{order.status}"),
    )
    pays = t(
        lang,
        "web.planner.pays",
        pay=yuan(order.pay_fen),
        price=yuan(order.price_fen),
        subsidy=yuan(order.subsidy_fen),
    )
    shown = f'<p class="ordered">{text}</p><p>{pays}</p>'
    if slot.changeable:
        now = str(sum(line.portions for line in view.lines))
        prefix = f"order-{order.id}"
        shown += (
            f'<input type="hidden" name="{prefix}-was" value="{now}">'
            f'<input type="hidden" name="{prefix}-window" value="{slot.window.id}">'
            + _field(
                t(lang, "web.planner.portions"),
                f"{prefix}-portions",
                _options(_portions(week), now),
            )
            + f'<label><input type="checkbox" name="{prefix}-cancel" value="1"> '
            f"{t(lang, 'web.planner.cancel')}</label>"
        )
    return shown


def _new(slot: Slot, week: Week, lang: str) -> str:
    prefix = f"new-{slot.window.id}"
    dishes = [("", t(lang, "web.planner.no_meal"))] + [
        (
            str(choice.item.id),
            t(
                lang,
                "web.planner.choice",
                dish=f"{choice.item.code} {choice.item.display_name(lang)}",
                pay=yuan(choice.unit_pay_fen),
            ),
        )
        for choice in slot.choices
        if not choice.sold_out
    ]
    ways = [(way, t(lang, f"staff.fulfilment.{way}")) for way in week.ways]
    return (
        _field(t(lang, "web.planner.dish"), f"{prefix}-dish", _options(dishes))
        + _field(t(lang, "web.planner.portions"), f"{prefix}-portions", _options(_portions(week)))
        + _field(t(lang, "web.planner.how"), f"{prefix}-how", _options(ways))
    )


def _slot(slot: Slot, week: Week, lang: str) -> str:
    window = slot.window
    legend = t(
        lang,
        "web.planner.meal",
        meal=t(lang, f"staff.meal.{window.meal}"),
        cutoff=window.cutoff_at.astimezone(week.tz).strftime("%H:%M"),
    )
    if slot.order is not None:
        inside = _ordered(slot, week, lang)
    elif slot.orderable:
        inside = _new(slot, week, lang)
    else:
        key = "web.planner.not_open" if window.state == "scheduled" else "web.planner.closed"
        inside = f'<p class="none">{t(lang, key)}</p>'
    return (
        f'<fieldset class="slot" id="slot-{window.id}"><legend>{legend}</legend>{inside}</fieldset>'
    )


def _seniors(week: Week, lang: str) -> str:
    if len(week.seniors) < 2:
        return ""
    links = []
    for senior in week.seniors:
        current = ' aria-current="page"' if senior.id == week.senior.id else ""
        name = html.escape(senior.name, quote=False)
        links.append(f'<li><a href="?resident={senior.id}"{current}>{name}</a></li>')
    label = t(lang, "web.planner.seniors")
    return f'<nav aria-label="{label}"><ul class="seniors">{"".join(links)}</ul></nav>'


def results(done: list[Done], lang: str) -> str:
    if not done:
        return f'<p class="notice" role="status">{t(lang, "web.planner.nothing")}</p>'
    rows = []
    for one in done:
        what = t(lang, one.key, **one.values)
        where = window_label(one.window, lang) if one.window else ""
        mark = "ok" if one.ok else "refused"
        rows.append(
            f'<li class="{mark}">{t(lang, "web.planner.result", window=where, what=what)}</li>'
        )
    return f'<div class="notice" role="status"><ul>{"".join(rows)}</ul></div>'


def page(week: Week, lang: str) -> str:
    days: dict[str, list[str]] = {}
    for slot in week.slots:
        days.setdefault(day_label(slot.window.day, lang), []).append(_slot(slot, week, lang))
    body = "".join(
        f'<section class="day"><h3>{day}</h3>{"".join(slots)}</section>'
        for day, slots in days.items()
    )
    title = t(lang, "web.planner.week", name=week.senior.name)
    return (
        f"{_seniors(week, lang)}<h2>{title}</h2>"
        f'<form data-action="save"><input type="hidden" name="resident"'
        f' value="{week.senior.id}">{body}'
        f'<button type="submit" class="primary">{t(lang, "web.planner.save")}</button></form>'
    )
