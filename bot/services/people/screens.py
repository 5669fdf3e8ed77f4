"""Which Mini App screens an account may open: the same roles the chat checks."""

from __future__ import annotations

from bot.core.deps import Deps
from bot.services.ordering import placing
from bot.services.people import staff

# In the order the buttons are shown.
SCREENS = ("kitchen", "menu", "office", "planner")


async def open_to(deps: Deps, account_id: int) -> list[str]:
    """The screens this account may open now (none: it has no role and no senior)."""
    found: set[str] = set()
    if await staff.canteens_of(deps, account_id):
        found |= {"kitchen", "menu"}
    if await staff.canteens_of(deps, account_id, ("admin",)):
        found.add("office")
    if any(r.status == "approved" for r in await placing.residents_of(deps, account_id)):
        found.add("planner")
    return [screen for screen in SCREENS if screen in found]
