"""The menu of a window: staff add dishes, copy last week's, mark a dish sold out.

Residents read the menu from the store each time, so a change shows at once.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import get_args

from bot.canteen_file import Allergen, DietTag
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.people import staff
from data import audit, windows
from data.models import MenuItem, Window

TAGS: tuple[str, ...] = get_args(DietTag)
ALLERGENS: tuple[str, ...] = get_args(Allergen)
WEEK = 7  # the week's menu: today and the six days after (the windows made so far)
EDITABLE = ("scheduled", "open")
NAME_LIMIT = 80
MAX_PORTIONS = 100000


@dataclass(frozen=True)
class MenuView:
    window: Window
    items: list[tuple[MenuItem, int]]  # each dish with the portions already ordered


async def view(deps: Deps, account_id: int, window_id: int) -> MenuView:
    window = await staff.require_window(deps, account_id, window_id)
    conn = deps.db.reader
    items = [
        (item, await windows.portions_taken(conn, item.id))
        for item in await windows.menu(conn, window_id)
    ]
    return MenuView(window, items)


async def _editable(deps: Deps, account_id: int, window_id: int) -> Window:
    window = await staff.require_window(deps, account_id, window_id)
    if window.state not in EDITABLE:
        raise DomainError("staff.menu.closed")
    return window


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise DomainError("staff.menu.bad_name")
    if len(name) > NAME_LIMIT:
        raise DomainError("core.error.too_long", limit=NAME_LIMIT)
    return name


def parse_price(text: str) -> int:
    """Yuan as typed ("15", "12.5", "¥12.50") to fen."""
    cleaned = text.strip().lstrip("¥￥").replace("元", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError("staff.menu.bad_price") from None
    if (
        not amount.is_finite()
        or amount < 0
        or amount > 10000
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise DomainError("staff.menu.bad_price")
    return int(amount * 100)


def parse_portions(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not 0 < int(cleaned) <= MAX_PORTIONS:
        raise DomainError("staff.menu.bad_portions")
    return int(cleaned)


def next_code(taken: set[str]) -> str:
    candidates: list[str] = [*string.ascii_uppercase, *(f"D{n}" for n in range(1, 1000))]
    for code in candidates:
        if code not in taken:
            return code
    raise DomainError("staff.menu.full")


async def add_dish(
    deps: Deps,
    account_id: int,
    window_id: int,
    name: str,
    price_fen: int,
    tags: list[str],
    portions: int | None,
) -> MenuItem:
    await _editable(deps, account_id, window_id)
    if any(tag not in TAGS for tag in tags):
        raise DomainError("core.error.stale_button")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        code = next_code({item.code for item in await windows.menu(tx, window_id)})
        item_id = await windows.add_menu_item(
            tx, window_id, code, clean_name(name), None, price_fen, sorted(tags), portions
        )
        await audit.record(tx, now, account_id, "menu.add", f"window:{window_id}", code)
        item = await windows.menu_item(tx, item_id)
    assert item is not None
    return item


async def copy_last_week(deps: Deps, account_id: int, window_id: int) -> int:
    """Copy the dishes of the same meal seven days before; how many were added."""
    window = await _editable(deps, account_id, window_id)
    source = await windows.find(
        deps.db.reader, window.canteen_id, window.day - timedelta(days=7), window.meal
    )
    if source is None or not await windows.menu(deps.db.reader, source.id):
        raise DomainError("staff.menu.nothing_to_copy")
    async with deps.db.transaction() as tx:
        added = await windows.copy_menu(tx, source.id, window_id)
        await audit.record(tx, deps.clock.now(), account_id, "menu.copy", f"window:{window_id}")
    return added


async def toggle_sold_out(deps: Deps, account_id: int, item_id: int) -> MenuItem:
    item = await windows.menu_item(deps.db.reader, item_id)
    if item is None:
        raise NotAllowedError()
    await _editable(deps, account_id, item.window_id)
    async with deps.db.transaction() as tx:
        await windows.set_sold_out(tx, item_id, not item.sold_out)
        action = "menu.available" if item.sold_out else "menu.sold_out"
        await audit.record(tx, deps.clock.now(), account_id, action, f"menu_item:{item_id}")
        changed = await windows.menu_item(tx, item_id)
    assert changed is not None
    return changed


async def check_editable(deps: Deps, account_id: int, window_id: int) -> None:
    """Raise unless this account may change this window's menu now."""
    await _editable(deps, account_id, window_id)


@dataclass(frozen=True)
class DishEdit:
    """A dish as the week's menu screen sends it (typed text, checked here)."""

    name: str
    name_en: str
    price: str
    portions: str  # "" for no limit
    tags: list[str]
    allergens: list[str]


async def week(deps: Deps, account_id: int) -> list[MenuView]:
    """The menus of the coming days at every canteen where the account is staff or admin."""
    canteen_ids = await staff.canteens_of(deps, account_id)
    if not canteen_ids:
        raise NotAllowedError()
    today = deps.clock.now().astimezone(deps.clock.tz).date()
    last = today + timedelta(days=WEEK - 1)
    return [
        await view(deps, account_id, window.id)
        for window in await windows.between(deps.db.reader, canteen_ids, today, last)
    ]


def _checked(edit: DishEdit) -> tuple[str, str | None, int, int | None, list[str], list[str]]:
    if any(tag not in TAGS for tag in edit.tags) or any(
        tag not in ALLERGENS for tag in edit.allergens
    ):
        raise DomainError("core.error.stale_button")
    name_en = " ".join(edit.name_en.split())
    portions = parse_portions(edit.portions) if edit.portions.strip() else None
    return (
        clean_name(edit.name),
        clean_name(name_en) if name_en else None,
        parse_price(edit.price),
        portions,
        sorted(set(edit.tags)),
        sorted(set(edit.allergens)),
    )


async def add_from(deps: Deps, account_id: int, window_id: int, edit: DishEdit) -> MenuItem:
    """A new dish with both names, diet tags and allergens (the week's menu screen)."""
    name, name_en, price_fen, portions, tags, allergens = _checked(edit)
    await _editable(deps, account_id, window_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        code = next_code({item.code for item in await windows.menu(tx, window_id)})
        item_id = await windows.add_menu_item(
            tx, window_id, code, name, name_en, price_fen, tags, portions, allergens
        )
        await audit.record(tx, now, account_id, "menu.add", f"window:{window_id}", code)
        item = await windows.menu_item(tx, item_id)
    assert item is not None
    return item


async def _own_item(deps: Deps, account_id: int, item_id: int) -> MenuItem:
    item = await windows.menu_item(deps.db.reader, item_id)
    if item is None:
        raise NotAllowedError()
    await _editable(deps, account_id, item.window_id)
    return item


async def edit(deps: Deps, account_id: int, item_id: int, edit: DishEdit) -> MenuItem:
    """Change a dish before its window closes; orders already placed keep their price."""
    name, name_en, price_fen, portions, tags, allergens = _checked(edit)
    await _own_item(deps, account_id, item_id)
    async with deps.db.transaction() as tx:
        await windows.edit_menu_item(
            tx, item_id, name, name_en, price_fen, tags, portions, allergens
        )
        await audit.record(tx, deps.clock.now(), account_id, "menu.edit", f"menu_item:{item_id}")
        changed = await windows.menu_item(tx, item_id)
    assert changed is not None
    return changed


async def photo_target(deps: Deps, account_id: int, item_id: int) -> MenuItem:
    """The dish a photo is for, when this account may change its menu now."""
    return await _own_item(deps, account_id, item_id)


async def set_photo(deps: Deps, account_id: int, item_id: int, file_id: str) -> MenuItem:
    """Keep the photo (Telegram's file_id) that residents see when they choose a dish."""
    await _own_item(deps, account_id, item_id)
    async with deps.db.transaction() as tx:
        await windows.set_photo(tx, item_id, file_id)
        await audit.record(tx, deps.clock.now(), account_id, "menu.photo", f"menu_item:{item_id}")
        changed = await windows.menu_item(tx, item_id)
    assert changed is not None
    return changed


async def photo_by_code(deps: Deps, account_id: int, code: str, file_id: str) -> list[MenuItem]:
    """A photo sent in the chat with a dish's code as its caption: kept for that dish in
    every menu of the coming days that can still change, at the sender's canteens."""
    wanted = code.strip().upper()
    if not wanted:
        raise DomainError("web.menu.photo_needs_code")
    found = [
        item
        for menu in await week(deps, account_id)
        if menu.window.state in EDITABLE
        for item, _ in menu.items
        if item.code.upper() == wanted
    ]
    if not found:
        raise DomainError("web.menu.no_such_code", code=code.strip()[:16])
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for item in found:
            await windows.set_photo(tx, item.id, file_id)
            await audit.record(tx, now, account_id, "menu.photo", f"menu_item:{item.id}")
    return found
