"""The menu of a window: staff add dishes, copy last week's, mark a dish sold out.

Residents read the menu from the store each time, so a change shows at once.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import get_args

from bot.canteen_file import DietTag
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.people import staff
from data import audit, windows
from data.models import MenuItem, Window

TAGS: tuple[str, ...] = get_args(DietTag)
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
