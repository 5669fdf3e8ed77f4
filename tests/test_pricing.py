"""Pricing: subsidy by tier from the canteen file, never more than the price."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.canteen_file import SubsidyTier, load_canteen_file
from bot.services.ordering import pricing
from data.models import Resident

TIERS = load_canteen_file(None).subsidy_tiers


def resident(age_band: int | None, tier_code: str | None = None) -> Resident:
    return Resident(
        id=1, canteen_id=1, name="Ann", phone="1", building="5", unit="", room="", lat=None,
        lon=None, lives_alone=True, delivery_eligible=False, diet="", allergies="",
        age_band=age_band, tier_code=tier_code, status="approved", created_by=None,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )  # fmt: skip


def test_the_highest_age_band_reached_gives_the_tier() -> None:
    assert pricing.tier_for(resident(70), TIERS).code == "standard"  # type: ignore[union-attr]
    assert pricing.tier_for(resident(80), TIERS).code == "age80"  # type: ignore[union-attr]


def test_a_tier_given_by_hand_wins_over_the_age_band() -> None:
    assert pricing.tier_for(resident(80, "hardship"), TIERS).code == "hardship"  # type: ignore[union-attr]


def test_no_age_band_and_no_tier_means_no_subsidy() -> None:
    assert pricing.tier_for(resident(None), TIERS) is None
    assert pricing.quote([(1500, 2)], None) == pricing.Quote(3000, 0, 3000, None)


def test_a_fixed_subsidy_per_portion_is_taken_off_each_portion() -> None:
    tier = pricing.tier_for(resident(80), TIERS)
    assert pricing.quote([(1500, 2)], tier) == pricing.Quote(3000, 1200, 1800, "age80")


def test_the_hardship_tier_pays_nothing() -> None:
    tier = pricing.tier_for(resident(60, "hardship"), TIERS)
    assert pricing.quote([(1200, 1)], tier).pay_fen == 0


def test_the_subsidy_is_never_more_than_the_price() -> None:
    tier = SubsidyTier(code="big", name="Big", name_zh="大", subsidy_per_portion=Decimal(20))
    assert pricing.subsidy_per_portion(1000, tier) == 1000
    assert pricing.unit_pay(1000, tier) == 0


def test_percent_and_fixed_amount_add_up() -> None:
    tier = SubsidyTier(
        code="mix", name="Mix", name_zh="混", subsidy_percent=10, subsidy_per_portion=Decimal(1)
    )
    assert pricing.subsidy_per_portion(1500, tier) == 150 + 100


def test_yuan_shows_two_decimals() -> None:
    assert pricing.yuan(900) == "9.00"
    assert pricing.yuan(1205) == "12.05"
