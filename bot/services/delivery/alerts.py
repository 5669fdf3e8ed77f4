"""Staff see to an alert about a senior's meal: the one who taps "handled" closes it, so
it is not raised to the admins, and the message says who saw to it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.incidents.handling import take_for_order
from bot.services.people import staff
from data import accounts, alerts, audit
from data.alerts import Alert


@dataclass(frozen=True)
class Handled:
    alert: Alert
    by: str


async def handle(deps: Deps, account_id: int, alert_id: int) -> Handled:
    """Staff or an admin of the alert's canteen mark it handled (once)."""
    found = await alerts.get(deps.db.reader, alert_id)
    if found is None:
        raise NotAllowedError()
    await staff.require(deps, account_id, found.canteen_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await alerts.handle(tx, alert_id, account_id, "handled", now):
            raise DomainError("volunteer.alert.already")
        await audit.record(tx, now, account_id, "alert.handled", f"order:{found.order_id}")
        await take_for_order(tx, found.order_id, account_id, now)
    account = await accounts.get(deps.db.reader, account_id)
    done = await alerts.get(deps.db.reader, alert_id)
    assert done is not None
    return Handled(done, (account.first_name if account else "") or str(account_id))
