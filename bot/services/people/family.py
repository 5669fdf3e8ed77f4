"""Family links: a senior's family members, and invite codes to add one more."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.services.ordering import ordering_rules as rules
from bot.services.ordering.placing import residents_of
from bot.services.people import invites
from data import accounts, links
from data.models import Invite, Resident


@dataclass(frozen=True)
class Circle:
    """A senior and the names of the accounts that may act for them."""

    resident: Resident
    members: list[str]


async def circles(deps: Deps, account_id: int) -> list[Circle]:
    """For each senior this account cares for, who else is linked."""
    found = []
    for resident in await residents_of(deps, account_id):
        names = []
        for link in await links.accounts_of(deps.db.reader, resident.id):
            account = await accounts.get(deps.db.reader, link.account_id)
            names.append(account.first_name if account and account.first_name else "?")
        found.append(Circle(resident, names))
    return found


async def invite(deps: Deps, account_id: int, resident_id: int) -> Invite:
    """A one-use code that links a family member to this senior (approved seniors only)."""
    resident = await rules.resident_for(deps.db.reader, account_id, resident_id)
    return await invites.create(deps, "family", resident.canteen_id, account_id, resident.id)
