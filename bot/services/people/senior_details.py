"""A senior's details, changed by the staff and admins of their canteen; every change audited.

The audit entry (`resident.edit.<field>`) keeps the old and the new value of the address,
the door notes, the tier and delivery, but only the field's name for the diet and the
allergies: health data stays in the resident's record, which erasure blanks, while the
audit log is kept for the reports (and is shown to every admin of the canteen).
"""

from __future__ import annotations

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.people import phones, registration, staff
from data import audit, residents, roster
from data.models import Resident

TYPED = {"building": 40, "unit": 20, "room": 20, "door_notes": 200, "allergies": 100}
OPTIONAL = ("unit", "room", "door_notes", "allergies")
HEALTH = ("diet", "allergies")  # audited by name only
FOUND_AT_MOST = 10


async def find(deps: Deps, account_id: int, query: str) -> list[Resident]:
    """Seniors (not erased) of this account's canteens, by name, phone or number."""
    canteen_ids = await staff.canteens_of(deps, account_id)
    if not canteen_ids:
        raise NotAllowedError()
    wanted = query.strip()[:40]
    phone = await phones.search_form_at(deps, canteen_ids, wanted)
    return await roster.find_residents(
        deps.db.reader, canteen_ids, wanted, FOUND_AT_MOST, phone=phone
    )


async def senior(deps: Deps, account_id: int, resident_id: int) -> Resident:
    """The senior, when this account is staff or admin of their canteen."""
    found = await residents.get(deps.db.reader, resident_id)
    if found is None or found.status == "erased":
        raise NotAllowedError()
    await staff.require(deps, account_id, found.canteen_id)
    return found


async def set_text(
    deps: Deps, account_id: int, resident_id: int, field: str, text: str
) -> Resident:
    """A typed detail (building, unit, room, door notes, allergies); empty clears it."""
    if field not in TYPED:
        raise DomainError("core.error.stale_button")
    value = " ".join(text.split())
    if not value and field not in OPTIONAL:
        raise DomainError("resident.register.empty")
    if len(value) > TYPED[field]:
        raise DomainError("core.error.too_long", limit=TYPED[field])
    return await _change(deps, account_id, resident_id, field, value)


async def set_diet(deps: Deps, account_id: int, resident_id: int, tags: list[str]) -> Resident:
    if not set(tags) <= set(registration.DIETS):
        raise DomainError("core.error.stale_button")
    value = ",".join(tag for tag in registration.DIETS if tag in tags)
    return await _change(deps, account_id, resident_id, "diet", value)


async def set_tier(deps: Deps, account_id: int, resident_id: int, code: str | None) -> Resident:
    """A tier given by hand, or None: the tier of the senior's age band."""
    if code is not None and code not in {t.code for t in deps.config.canteens.subsidy_tiers}:
        raise DomainError("core.error.stale_button")
    return await _change(deps, account_id, resident_id, "tier", code)


async def set_delivery(deps: Deps, account_id: int, resident_id: int, allowed: bool) -> Resident:
    """Whether the senior may have meals brought to the door (living alone always may)."""
    return await _change(deps, account_id, resident_id, "delivery", int(allowed))


def _current(found: Resident, field: str) -> str | int | None:
    if field == "tier":
        return found.tier_code
    if field == "delivery":
        return int(found.delivery_eligible)
    value: str = getattr(found, field)
    return value


async def _change(
    deps: Deps, account_id: int, resident_id: int, field: str, value: str | int | None
) -> Resident:
    await senior(deps, account_id, resident_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        found = await residents.get(tx, resident_id)
        if found is None or found.status == "erased":
            raise NotAllowedError()
        old = _current(found, field)
        if old != value:
            await residents.set_detail(tx, resident_id, field, value)
            detail = "" if field in HEALTH else f"{_shown(field, old)} → {_shown(field, value)}"
            subject = f"resident:{resident_id}"
            await audit.record(tx, now, account_id, f"resident.edit.{field}", subject, detail)
        changed = await residents.get(tx, resident_id)
        assert changed is not None
    return changed


def _shown(field: str, value: str | int | None) -> str:
    if field == "delivery":
        return "yes" if value else "no"
    return "-" if value is None or value == "" else str(value)
