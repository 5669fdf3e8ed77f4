"""The kitchen sheet: portions per dish split by diet, fulfilment counts, a label per order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.core.deps import Deps
from bot.core.labels import diet_key
from bot.services.kitchen import messages
from bot.services.notices import notify
from bot.services.people import staff
from bot.services.reports import spreadsheet
from data import canteens, kitchen
from data.db import Session
from data.kitchen import OrderLine
from data.models import Window

CSV_COLUMNS = (
    "order",
    "resident",
    "building",
    "unit",
    "room",
    "dish",
    "dish_name",
    "portions",
    "fulfilment",
    "diet",
    "allergies",
    "status",
)


@dataclass
class DishCount:
    code: str
    name: str
    portions: int = 0
    by_diet: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Sheet:
    window: Window
    dishes: list[DishCount]
    fulfilment: Counter[str]
    lines: list[OrderLine]


def build(window: Window, lines: list[OrderLine], lang: str) -> Sheet:
    dishes: dict[str, DishCount] = {}
    for line in lines:
        for item in line.items:
            count = dishes.setdefault(item.code, DishCount(item.code, item.display_name(lang)))
            count.portions += item.portions
            count.by_diet[diet_key(line.diet_tags, line.allergies)] += item.portions
    fulfilment: Counter[str] = Counter(line.fulfilment for line in lines)
    return Sheet(window, [dishes[code] for code in sorted(dishes)], fulfilment, lines)


def to_csv(sheet: Sheet) -> bytes:
    """One row per dish of each order; typed text can never run as a formula."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for line in sheet.lines:
        for item in line.items:
            rows.append(
                [
                    line.id,
                    line.resident,
                    line.building,
                    line.unit,
                    line.room,
                    item.code,
                    item.name,
                    item.portions,
                    line.fulfilment,
                    ",".join(line.diet_tags),
                    line.allergies,
                    line.status,
                ]
            )
    return spreadsheet.csv_bytes(rows)


def filename(window: Window) -> str:
    return f"kitchen-{window.day.isoformat()}-{window.meal}.csv"


async def sheet_of(conn: Session, window: Window, lang: str) -> Sheet:
    return build(window, await kitchen.lines(conn, window.id), lang)


async def queue_for_kitchen(tx: Session, deps: Deps, window: Window) -> bool:
    """Queue the sheet and its CSV to the kitchen chat, once per window whatever happens."""
    canteen = await canteens.get(tx, window.canteen_id)
    assert canteen is not None
    lang = deps.config.canteens.canteen(canteen.code).kitchen_language
    sheet = await sheet_of(tx, window, lang)
    now = deps.clock.now()
    chat = canteen.kitchen_chat_id
    body = messages.sheet(sheet, lang)
    queued = await notify.text(tx, f"sheet:window:{window.id}", chat, body, now)
    caption = messages.sheet_caption(window, lang)
    await notify.document(
        tx, f"sheet-csv:window:{window.id}", chat, filename(window), to_csv(sheet), caption, now
    )
    return queued


async def on_demand(deps: Deps, account_id: int, window_id: int, lang: str) -> Sheet:
    """The sheet as it stands now, for staff of the window's canteen."""
    window = await staff.require_window(deps, account_id, window_id)
    return await sheet_of(deps.db.reader, window, lang)
