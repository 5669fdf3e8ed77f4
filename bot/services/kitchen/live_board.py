"""The kitchen board: today's meals of the canteens an account works for, as the Mini App's
board shows them (portions per dish and diet, orders waiting, ready, collected, deliveries)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import NotAllowedError
from bot.services.kitchen import kitchen_sheet
from bot.services.people import staff
from data import canteens, kitchen, windows
from data.kitchen import OrderLine
from data.models import LIVE_STATUSES, OrderStatus, Window

CARRIED: tuple[OrderStatus, ...] = ("out", "delivered", "no_answer", "refused", "undelivered")


@dataclass(frozen=True)
class MealBoard:
    """One meal window of today."""

    window: Window
    canteen: str
    sheet: kitchen_sheet.Sheet
    waiting: list[OrderLine]
    confirmed: list[OrderLine]
    ready: list[OrderLine]
    collected: list[OrderLine]
    deliveries: list[OrderLine]


def _having(lines: list[OrderLine], *statuses: OrderStatus) -> list[OrderLine]:
    return [line for line in lines if line.status in statuses]


async def today(deps: Deps, account_id: int, lang: str) -> list[MealBoard]:
    """Today's meals at every canteen where the account is staff or admin; NotAllowedError
    for anyone else (the same rule as the chat's /orders)."""
    canteen_ids = await staff.canteens_of(deps, account_id)
    if not canteen_ids:
        raise NotAllowedError()
    day = deps.clock.now().date()
    conn = deps.db.reader
    boards = []
    for window in await windows.between(conn, canteen_ids, day, day):
        lines = await kitchen.lines(conn, window.id, LIVE_STATUSES)
        canteen = await canteens.get(conn, window.canteen_id)
        boards.append(
            MealBoard(
                window=window,
                canteen=(canteen.name_en if lang == "en" and canteen.name_en else canteen.name)
                if canteen
                else "",
                sheet=kitchen_sheet.build(window, lines, lang),
                waiting=_having(lines, "placed"),
                confirmed=_having(lines, "confirmed"),
                ready=_having(lines, "ready"),
                collected=_having(lines, "collected"),
                deliveries=_having(lines, *CARRIED),
            )
        )
    return boards
