"""Typed records of the store. Every store function returns these, never raw rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict

from data.db import Row

Meal = Literal["lunch", "dinner"]
Fulfilment = Literal["delivery", "pickup", "dine_in"]
OrderStatus = Literal[
    "placed",
    "confirmed",
    "declined",
    "cancelled",
    "ready",
    "out",
    "delivered",
    "no_answer",
    "refused",
    "undelivered",
    "collected",
]
# An order that no longer counts; every other status is a meal to cook, carry or hand over.
DEAD_STATUSES: tuple[OrderStatus, ...] = ("declined", "cancelled")
LIVE_STATUSES: tuple[OrderStatus, ...] = tuple(
    status for status in get_args(OrderStatus) if status not in DEAD_STATUSES
)
WindowState = Literal["scheduled", "open", "closed", "dispatched", "done"]
Role = Literal["staff", "admin", "volunteer"]
InviteKind = Literal["family", "staff", "admin", "volunteer"]
DeliveryState = Literal[
    "open", "claimed", "assigned", "delivered", "no_answer", "refused", "concern", "undelivered"
]


class Record(BaseModel):
    """A row of the store as a typed value that cannot change."""

    model_config = ConfigDict(frozen=True)

    @classmethod
    def from_row(cls, row: Row | Mapping[str, Any]) -> Self:
        """The record of one row read with `row_factory = Row` (columns by name)."""
        return cls.model_validate(dict(row))


class Canteen(Record):
    id: int
    code: str
    name: str
    name_en: str | None
    address: str
    address_en: str | None
    phone: str
    lat: float
    lon: float
    kitchen_chat_id: int
    auto_confirm: bool
    country: str = "CN"

    def display_name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def display_address(self, lang: str) -> str:
        return self.address_en if lang == "en" and self.address_en else self.address


class Account(Record):
    id: int
    first_name: str
    username: str | None
    language: str | None
    telegram_language: str | None
    blocked_at: datetime | None
    created_at: datetime
    seen_at: datetime | None = None


class Resident(Record):
    id: int
    canteen_id: int
    name: str
    phone: str
    building: str
    unit: str
    room: str
    lat: float | None
    lon: float | None
    lives_alone: bool
    delivery_eligible: bool
    diet: str
    allergies: str
    age_band: int | None
    tier_code: str | None
    status: Literal["pending", "approved", "declined", "erased"]
    created_by: int | None
    created_at: datetime
    door_notes: str = ""

    @property
    def diet_tags(self) -> list[str]:
        return [tag for tag in self.diet.split(",") if tag]

    @property
    def can_have_delivery(self) -> bool:
        return self.lives_alone or self.delivery_eligible


class Link(Record):
    account_id: int
    resident_id: int
    relation: Literal["self", "family"]
    notify: bool
    created_at: datetime


class RoleGrant(Record):
    account_id: int
    canteen_id: int
    role: Role
    status: Literal["pending", "active", "revoked"]
    granted_by: int | None
    created_at: datetime


class Invite(Record):
    code: str
    kind: InviteKind
    canteen_id: int
    resident_id: int | None
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None
    used_at: datetime | None


class Window(Record):
    id: int
    canteen_id: int
    day: date
    meal: Meal
    opens_at: datetime
    cutoff_at: datetime
    serve_at: datetime
    claim_until: datetime
    state: WindowState
    opened_at: datetime | None
    closed_at: datetime | None
    ready_at: datetime | None
    dispatched_at: datetime | None


class MenuItem(Record):
    id: int
    window_id: int
    code: str
    name: str
    name_en: str | None
    price_fen: int
    tags: str
    capacity: int | None
    sold_out: bool
    allergens: str | None = None  # None: the dish does not say
    photo_file_id: str | None = None  # Telegram's file_id of the dish's photo

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def allergen_list(self) -> list[str] | None:
        """The dish's allergen tags; None when the dish does not name its allergens."""
        if self.allergens is None:
            return None
        return [tag for tag in self.allergens.split(",") if tag]

    def display_name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class Order(Record):
    id: int
    window_id: int
    resident_id: int
    placed_by: int | None
    source: Literal["chat", "standing", "staff", "walk_in"]
    fulfilment: Fulfilment
    status: OrderStatus
    price_fen: int
    subsidy_fen: int
    pay_fen: int
    tier_code: str | None
    decline_reason: str | None
    request_key: str | None
    created_at: datetime
    updated_at: datetime


class OrderItem(Record):
    order_id: int
    menu_item_id: int
    portions: int
    unit_price_fen: int


class Volunteer(Record):
    account_id: int
    canteen_id: int
    name: str
    phone: str
    capacity: int
    weekdays: str
    meals: str
    area: str
    lat: float | None
    lon: float | None
    active: bool
    created_at: datetime


class StandingOrder(Record):
    id: int
    resident_id: int
    meal: Meal
    weekdays: str
    dish_code: str
    portions: int
    fulfilment: Fulfilment
    paused: bool
    created_by: int | None
    created_at: datetime


class OutboxMessage(Record):
    id: int
    key: str
    chat_id: int
    kind: Literal["text", "document", "photo", "location", "voice"]
    payload: str
    status: Literal["pending", "sending", "sent", "failed", "blocked"]
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: int | None
    created_at: datetime
    sent_at: datetime | None
    unsure: int = 0  # attempts whose fate is unknown (migration 0009)
    priority: int = 0
    held: int = 0  # 1: refused as its receiver never started the bot (migration 0020)


class AuditEntry(Record):
    id: int
    at: datetime
    account_id: int | None
    action: str
    subject: str
    detail: str
