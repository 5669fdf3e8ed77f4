"""The week's menu rendered as HTML: per meal, each dish as a small form, and its photo."""

from __future__ import annotations

import html

from bot.core.i18n import Html, t
from bot.core.labels import tag_label, window_label
from bot.services.ordering import menus
from bot.services.ordering.menus import MenuView
from data.models import MenuItem


def _value(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _text(label: Html, name: str, value: str, field_id: str, kind: str = "text") -> str:
    extra = ' inputmode="decimal"' if kind == "price" else ""
    return (
        f'<label for="{field_id}">{label}</label> '
        f'<input id="{field_id}" type="text" name="{name}" value="{_value(value)}"{extra}>'
    )


def _boxes(legend: Html, name: str, options: list[tuple[str, Html]], chosen: list[str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{value}"'
        f"{' checked' if value in chosen else ''}> {text}</label>"
        for value, text in options
    )
    return f'<fieldset class="tags"><legend>{legend}</legend>{boxes}</fieldset>'


def _fields(prefix: str, item: MenuItem | None, lang: str) -> str:
    price = f"{item.price_fen // 100}.{item.price_fen % 100:02d}" if item else ""
    capacity = str(item.capacity) if item and item.capacity is not None else ""
    tags = [(tag, tag_label(tag, lang)) for tag in menus.TAGS]
    allergens = [(tag, t(lang, f"resident.clash.allergen_{tag}")) for tag in menus.ALLERGENS]
    return "".join(
        (
            _text(t(lang, "web.menu.name"), "name", item.name if item else "", f"{prefix}-name"),
            _text(
                t(lang, "web.menu.name_en"),
                "name_en",
                item.name_en or "" if item else "",
                f"{prefix}-name-en",
            ),
            _text(t(lang, "web.menu.price"), "price", price, f"{prefix}-price", "price"),
            _text(t(lang, "web.menu.portions"), "portions", capacity, f"{prefix}-portions"),
            _boxes(t(lang, "web.menu.tags"), "tags", tags, item.tag_list if item else []),
            _boxes(
                t(lang, "web.menu.allergens"),
                "allergens",
                allergens,
                (item.allergen_list or []) if item else [],
            ),
        )
    )


def _dish(item: MenuItem, ordered: int, editable: bool, lang: str) -> str:
    title = t(lang, "web.menu.dish", code=item.code)
    head = (
        f"<h4>{title}: {html.escape(item.display_name(lang), quote=False)}</h4>"
        f"<p>{t(lang, 'web.menu.ordered', n=ordered)} · "
        f"{t(lang, 'web.menu.has_photo' if item.photo_file_id else 'web.menu.no_photo')}</p>"
    )
    if not editable:
        return f'<div class="dish">{head}</div>'
    prefix = f"dish-{item.id}"
    edit = (
        f'<form data-action="edit" class="dish-form"><input type="hidden" name="item"'
        f' value="{item.id}">{_fields(prefix, item, lang)}'
        f'<button type="submit">{t(lang, "web.menu.save", code=item.code)}</button></form>'
    )
    photo = (
        f'<form data-action="photo" class="photo-form"><input type="hidden" name="item"'
        f' value="{item.id}"><label for="{prefix}-photo">'
        f"{t(lang, 'web.menu.photo', code=item.code)}</label> "
        f'<input id="{prefix}-photo" type="file" name="photo" accept="image/jpeg,image/png">'
        f'<button type="submit">{t(lang, "web.menu.upload")}</button></form>'
    )
    change = t(lang, "web.menu.change", code=item.code)
    return (
        f'<div class="dish" id="{prefix}">{head}<details id="{prefix}-more">'
        f"<summary>{change}</summary>"
        f"{edit}{photo}</details></div>"
    )


def meal(menu: MenuView, lang: str) -> str:
    window = menu.window
    editable = window.state in menus.EDITABLE
    title = t(
        lang,
        "web.menu.window",
        window=window_label(window, lang),
        state=t(lang, f"staff.state.{window.state}"),
    )
    dishes = "".join(_dish(item, n, editable, lang) for item, n in menu.items)
    if not menu.items:
        dishes = f'<p class="none">{t(lang, "web.menu.empty")}</p>'
    add = ""
    if editable:
        prefix = f"new-{window.id}"
        add = (
            f'<details class="add" id="{prefix}-more"><summary>{t(lang, "web.menu.add")}</summary>'
            f'<form data-action="add"><input type="hidden" name="window" value="{window.id}">'
            f"{_fields(prefix, None, lang)}"
            f'<button type="submit" class="primary">{t(lang, "web.menu.add_button")}</button>'
            "</form></details>"
        )
    else:
        add = f'<p class="none">{t(lang, "web.menu.closed")}</p>'
    return f'<section class="meal" id="menu-{window.id}"><h2>{title}</h2>{dishes}{add}</section>'


def week(menus_: list[MenuView], lang: str, notice: str = "") -> str:
    shown = f'<p class="notice" role="status">{notice}</p>' if notice else ""
    return shown + "".join(meal(menu, lang) for menu in menus_)
