"""Prices and subsidies: what a meal costs, what the funder pays, what the resident pays."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.canteen_file import SubsidyTier
from bot.services.kitchen.schedule import fen
from data.models import Resident

AGE_BANDS = (60, 70, 80)


@dataclass(frozen=True)
class Quote:
    price_fen: int
    subsidy_fen: int
    pay_fen: int
    tier_code: str | None


def tier_for(resident: Resident, tiers: Iterable[SubsidyTier]) -> SubsidyTier | None:
    """The tier staff gave by hand, else the tier of the highest age band reached."""
    tiers = list(tiers)
    if resident.tier_code:
        return next((tier for tier in tiers if tier.code == resident.tier_code), None)
    if resident.age_band is None:
        return None
    reached = [
        tier for tier in tiers if tier.min_age is not None and tier.min_age <= resident.age_band
    ]
    return max(reached, key=lambda tier: tier.min_age or 0, default=None)


def subsidy_per_portion(price_fen: int, tier: SubsidyTier | None) -> int:
    """The funder's share of one portion: a percentage plus a fixed amount, at most the price."""
    if tier is None:
        return 0
    share = price_fen * tier.subsidy_percent // 100 + fen(tier.subsidy_per_portion)
    return min(price_fen, share)


def unit_pay(price_fen: int, tier: SubsidyTier | None) -> int:
    """What the resident pays for one portion."""
    return price_fen - subsidy_per_portion(price_fen, tier)


def quote(lines: Iterable[tuple[int, int]], tier: SubsidyTier | None) -> Quote:
    """The amounts of an order of (unit price in fen, portions) lines."""
    price = subsidy = 0
    for unit_price, portions in lines:
        price += unit_price * portions
        subsidy += subsidy_per_portion(unit_price, tier) * portions
    return Quote(price, subsidy, price - subsidy, tier.code if tier else None)


def yuan(amount_fen: int) -> str:
    """Fen as yuan for people: 1500 -> '15.00'."""
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"
