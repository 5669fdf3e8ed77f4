"""The office (community admins): the seniors table, approvals, the team, open alerts and
the month's figures, each through the services the chat uses for the same job."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.people import approvals, registration, senior_details
from bot.services.reports import figures
from data import alerts, roster
from data.alerts import Alert
from data.models import Resident

PAGE = 25
ALERTS_SHOWN = 100


@dataclass(frozen=True)
class SeniorsPage:
    seniors: list[Resident]
    total: int
    number: int  # from 1
    pages: int
    query: str
    order: str


@dataclass(frozen=True)
class SeniorEdit:
    """A senior's details as the office's form sends them (typed text, checked here)."""

    building: str
    unit: str
    room: str
    door_notes: str
    allergies: str
    diet: list[str]
    tier: str  # "" for the tier of the senior's age band
    delivery: bool


async def seniors(deps: Deps, admin_id: int, query: str, order: str, number: int) -> SeniorsPage:
    """One page of the seniors of the admin's canteens, searched and sorted."""
    canteen_ids = await approvals.admin_canteens(deps, admin_id)
    order = order if order in roster.TABLE_ORDER else "name"
    wanted = " ".join(query.split())[:40]
    number = max(number, 1)
    found, total = await roster.residents_table(
        deps.db.reader, canteen_ids, wanted, order, (number - 1) * PAGE, PAGE
    )
    pages = max((total + PAGE - 1) // PAGE, 1)
    if number > pages:
        return await seniors(deps, admin_id, wanted, order, pages)
    return SeniorsPage(found, total, number, pages, wanted, order)


async def senior(deps: Deps, admin_id: int, resident_id: int) -> Resident:
    await approvals.admin_canteens(deps, admin_id)
    return await senior_details.senior(deps, admin_id, resident_id)


def _check(edit: SeniorEdit, tiers: set[str]) -> dict[str, str]:
    """Every typed field checked before anything is stored (all or nothing)."""
    typed = {
        "building": edit.building,
        "unit": edit.unit,
        "room": edit.room,
        "door_notes": edit.door_notes,
        "allergies": edit.allergies,
    }
    cleaned = {}
    for field, text in typed.items():
        value = " ".join(text.split())
        if not value and field not in senior_details.OPTIONAL:
            raise DomainError("resident.register.empty")
        if len(value) > senior_details.TYPED[field]:
            raise DomainError("core.error.too_long", limit=senior_details.TYPED[field])
        cleaned[field] = value
    if not set(edit.diet) <= set(registration.DIETS) or (edit.tier and edit.tier not in tiers):
        raise DomainError("core.error.stale_button")
    return cleaned


async def edit(deps: Deps, admin_id: int, resident_id: int, edit: SeniorEdit) -> Resident:
    """Store what changed, each field through the chat's own /senior service (audited)."""
    found = await senior(deps, admin_id, resident_id)
    cleaned = _check(edit, {tier.code for tier in deps.config.canteens.subsidy_tiers})
    for field, value in cleaned.items():
        if getattr(found, field) != value:
            await senior_details.set_text(deps, admin_id, resident_id, field, value)
    diet = [tag for tag in registration.DIETS if tag in edit.diet]
    if diet != found.diet_tags:
        await senior_details.set_diet(deps, admin_id, resident_id, diet)
    if (edit.tier or None) != found.tier_code:
        await senior_details.set_tier(deps, admin_id, resident_id, edit.tier or None)
    if edit.delivery != found.delivery_eligible:
        await senior_details.set_delivery(deps, admin_id, resident_id, edit.delivery)
    return await senior(deps, admin_id, resident_id)


async def open_alerts(deps: Deps, admin_id: int) -> list[Alert]:
    canteen_ids = await approvals.admin_canteens(deps, admin_id)
    return await alerts.open_at(deps.db.reader, canteen_ids, ALERTS_SHOWN)


async def month(deps: Deps, admin_id: int, lang: str) -> list[figures.Report]:
    """This month so far at each of the admin's canteens, as the monthly report counts it."""
    today = deps.clock.now().astimezone(deps.clock.tz).date()
    return [
        await figures.monthly(deps, canteen_id, today.year, today.month, lang)
        for canteen_id in await approvals.admin_canteens(deps, admin_id)
    ]
