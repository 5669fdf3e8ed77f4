"""The canteen file: canteens, meal windows, default menus and subsidy tiers (TOML)."""

from __future__ import annotations

import tomllib
from datetime import time
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Meal = Literal["lunch", "dinner"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MEALS: tuple[Meal, ...] = ("lunch", "dinner")
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DietTag = Literal[
    "low_salt", "low_sugar", "soft", "minced", "vegetarian", "halal", "no_pork", "contains_pork"
]
# What a dish may contain that people are allergic to; a resident's allergies (free text)
# are matched against these (bot/services/ordering/diet.py).
Allergen = Literal[
    "peanut", "tree_nut", "shellfish", "fish", "egg", "milk", "soy", "wheat", "sesame"
]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,16}$")]
Money = Annotated[Decimal, Field(ge=0, le=10000, decimal_places=2)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class SubsidyTier(_Strict):
    code: Code
    name: str = Field(min_length=1, max_length=60)
    name_zh: str = Field(min_length=1, max_length=60)
    min_age: int | None = Field(default=None, ge=0, le=130)
    subsidy_percent: int = Field(default=0, ge=0, le=100)
    subsidy_per_portion: Money = Decimal(0)


class WindowRule(_Strict):
    meal: Meal
    weekdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), min_length=1)
    opens: time
    opens_days_before: int = Field(default=0, ge=0, le=7)
    cutoff: time
    serve: time

    @model_validator(mode="after")
    def _in_order(self) -> WindowRule:
        if self.cutoff >= self.serve:
            raise ValueError(
                f"cutoff {self.cutoff:%H:%M} must be before serving time {self.serve:%H:%M}"
            )
        if self.opens_days_before == 0 and self.opens >= self.cutoff:
            raise ValueError(f"opens {self.opens:%H:%M} must be before cutoff {self.cutoff:%H:%M}")
        return self


class Dish(_Strict):
    code: Code
    name: str = Field(min_length=1, max_length=80)
    name_en: str | None = Field(default=None, max_length=80)
    price: Money
    tags: list[DietTag] = Field(default_factory=list)
    # None: the file does not say (no allergy warning is possible); []: none of them.
    allergens: list[Allergen] | None = None
    meals: list[Meal] = Field(default_factory=lambda: list(MEALS), min_length=1)
    portions: int | None = Field(default=None, ge=0, le=100000)


class IncidentMinutes(_Strict):
    """Minutes an incident of each kind waits for someone to take it; past them it is
    raised to the next people (staff, then admins, then both again), until taken. A
    request's minutes are also what its sender is promised."""

    no_answer: int = Field(default=20, ge=1, le=1440)  # nobody answered the door
    undelivered: int = Field(default=20, ge=1, le=1440)  # a meal not delivered
    no_carrier: int = Field(default=15, ge=1, le=1440)  # nobody to carry a meal
    concern: int = Field(default=30, ge=1, le=1440)  # delivered, with a volunteer's worry
    refused: int = Field(default=60, ge=1, le=1440)  # she refused the meal
    unreported: int = Field(default=30, ge=1, le=1440)  # nobody said what happened
    quiet: int = Field(default=120, ge=1, le=1440)  # no sign of life for days
    checkin: int = Field(default=60, ge=1, le=1440)  # the daily check-in missed
    blocked: int = Field(default=240, ge=1, le=1440)  # her chat blocked the bot
    meal: int = Field(default=240, ge=1, le=1440)  # a meal rated not good: cold or late
    request: int = Field(default=60, ge=1, le=1440)  # she asked for something


class Canteen(_Strict):
    code: Code
    name: str = Field(min_length=1, max_length=80)
    name_en: str | None = Field(default=None, max_length=80)
    address: str = Field(min_length=1, max_length=200)
    address_en: str | None = Field(default=None, max_length=200)
    phone: str = Field(min_length=3, max_length=30)
    # Where the canteen is (ISO 3166 code): residents' numbers without a country code are
    # read as numbers of this country, and kept in E.164.
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    location: Location
    kitchen_chat_id: int
    auto_confirm: bool = False
    # What happens to orders nobody confirmed by the cutoff: confirmed, so the senior is
    # fed, or declined, with the senior and family told why.
    unconfirmed_at_cutoff: Literal["confirm", "decline"] = "confirm"
    kitchen_language: Literal["zh", "en"] = "zh"
    max_portions: int = Field(default=3, ge=1, le=20)
    claim_minutes_before_serving: int = Field(default=45, ge=0, le=600)
    no_answer_escalate_minutes: int = Field(default=20, ge=1, le=600)
    unreported_after_minutes: int = Field(default=60, ge=1, le=600)
    days_ahead: int = Field(default=1, ge=0, le=14)
    # Registrations by chat taken in an hour; more are asked kindly to come back later.
    registrations_per_hour: int = Field(default=30, ge=1, le=10000)
    # (community admin) the daily summary, the wellness watch and the daily check-in
    daily_summary: time = time(20, 0)
    wellness_quiet_days: int = Field(default=3, ge=1, le=60)
    daily_checkin: bool = True
    checkin_ask: time = time(8, 0)
    checkin_deadline: time = time(10, 0)
    checkin_escalate_minutes: int = Field(default=60, ge=1, le=600)
    incident_minutes: IncidentMinutes = Field(default_factory=IncidentMinutes)
    windows: list[WindowRule] = Field(min_length=1)
    dishes: list[Dish] = Field(default_factory=list)

    @field_validator("country")
    @classmethod
    def _known_country(cls, country: str) -> str:
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown country {country!r} (an ISO 3166 code such as CN)")
        return country

    @field_validator("windows")
    @classmethod
    def _one_rule_per_meal(cls, rules: list[WindowRule]) -> list[WindowRule]:
        meals = [rule.meal for rule in rules]
        duplicated = {meal for meal in meals if meals.count(meal) > 1}
        if duplicated:
            raise ValueError(f"meal {sorted(duplicated)[0]} is listed twice")
        return rules

    @field_validator("dishes")
    @classmethod
    def _unique_dish_codes(cls, dishes: list[Dish]) -> list[Dish]:
        codes = [dish.code for dish in dishes]
        if len(set(codes)) != len(codes):
            raise ValueError("dish codes must be unique within a canteen")
        return dishes


class CanteenFile(_Strict):
    subsidy_tiers: list[SubsidyTier] = Field(default_factory=list)
    canteens: list[Canteen] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> CanteenFile:
        for label, codes in (
            ("canteens", [c.code for c in self.canteens]),
            ("subsidy_tiers", [t.code for t in self.subsidy_tiers]),
        ):
            if len(set(codes)) != len(codes):
                raise ValueError(f"{label}: codes must be unique")
        return self

    def canteen(self, code: str) -> Canteen:
        return next(c for c in self.canteens if c.code == code)


def example_text() -> str:
    """The bundled, commented example canteen file."""
    return resources.files("bot").joinpath("canteens.example.toml").read_text("utf-8")


def load_canteen_file(path: Path | None) -> CanteenFile:
    """Parse and validate a canteen file; the bundled example when `path` is None.

    Raises `tomllib.TOMLDecodeError`, `OSError` or `pydantic.ValidationError`.
    """
    text = example_text() if path is None else path.read_text("utf-8")
    return CanteenFile.model_validate(tomllib.loads(text))
