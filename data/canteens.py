"""Canteens, kept in step with the canteen file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from data.db import Session, fetch_all, fetch_one
from data.models import Canteen


class _Place(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class CanteenSpec(Protocol):
    """What the store keeps of a canteen as the canteen file describes it."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str | None: ...
    @property
    def address(self) -> str: ...
    @property
    def address_en(self) -> str | None: ...
    @property
    def phone(self) -> str: ...
    @property
    def location(self) -> _Place: ...
    @property
    def kitchen_chat_id(self) -> int: ...
    @property
    def auto_confirm(self) -> bool: ...
    @property
    def country(self) -> str: ...


async def sync(tx: Session, specs: Iterable[CanteenSpec]) -> None:
    """Insert or update every canteen of the file (matched on code)."""
    for c in specs:
        await tx.execute(
            "INSERT INTO canteens (code, name, name_en, address, address_en, phone, lat, lon,"
            " kitchen_chat_id, auto_confirm, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name=excluded.name, name_en=excluded.name_en,"
            " address=excluded.address, address_en=excluded.address_en, phone=excluded.phone,"
            " lat=excluded.lat, lon=excluded.lon, kitchen_chat_id=excluded.kitchen_chat_id,"
            " auto_confirm=excluded.auto_confirm, country=excluded.country",
            (
                c.code,
                c.name,
                c.name_en,
                c.address,
                c.address_en,
                c.phone,
                c.location.lat,
                c.location.lon,
                c.kitchen_chat_id,
                int(c.auto_confirm),
                c.country,
            ),
        )


async def all_canteens(conn: Session) -> list[Canteen]:
    rows = await fetch_all(conn, "SELECT * FROM canteens ORDER BY id")
    return [Canteen.from_row(row) for row in rows]


async def get(conn: Session, canteen_id: int) -> Canteen | None:
    row = await fetch_one(conn, "SELECT * FROM canteens WHERE id = ?", (canteen_id,))
    return Canteen.from_row(row) if row else None


async def by_code(conn: Session, code: str) -> Canteen | None:
    row = await fetch_one(conn, "SELECT * FROM canteens WHERE code = ?", (code,))
    return Canteen.from_row(row) if row else None
