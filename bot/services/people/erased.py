"""Any action about an erased senior is refused kindly, whatever old button it came from.

Services call this where they load the senior (or her order, or her delivery) before
acting, so a stale button on a family screen, the staff board, a volunteer's card or the
admin's card gets one clear answer instead of a puzzling one.
"""

from __future__ import annotations

from bot.core.errors import DomainError
from data import residents
from data.db import Session
from data.models import Resident

REFUSED = "core.erased.refused"


def refuse(resident: Resident | None) -> None:
    """Raise the kind refusal when this senior has been erased."""
    if resident is not None and resident.status == "erased":
        raise DomainError(REFUSED)


async def refuse_id(conn: Session, resident_id: int) -> None:
    refuse(await residents.get(conn, resident_id))
