"""What every part of dispatch shares: who holds a delivery, its stop card sent, who is told.

A volunteer sees a senior's name, address and phone only on a delivery they hold now,
while they are still a volunteer of its canteen; `held` checks both in the store on every
button, so a forged or stale one, or one kept by someone removed, reads nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from bot import canteen_file
from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.delivery import messages
from bot.services.incidents import raising
from bot.services.notices import notify
from bot.services.people import erased, staff
from data import accounts, alerts, audit, canteens, links, windows
from data import deliveries as store
from data import volunteers as volunteer_store
from data.db import Session
from data.deliveries import Stop
from data.models import Volunteer, Window


async def held(deps: Deps, account_id: int, delivery_id: int) -> Stop:
    """The delivery, when this account holds it now and is still a volunteer of its
    canteen; NotAllowedError otherwise."""
    stop = await store.stop(deps.db.reader, delivery_id)
    if stop is not None:
        await erased.refuse_id(deps.db.reader, stop.resident_id)
    if stop is None or stop.volunteer_id != account_id:
        raise NotAllowedError()
    if not await accounts.has_role(deps.db.reader, account_id, stop.canteen_id, "volunteer"):
        raise NotAllowedError()
    return stop


async def rules(deps: Deps, canteen_id: int) -> canteen_file.Canteen:
    """The canteen file's settings for a canteen of the store."""
    canteen = await canteens.get(deps.db.reader, canteen_id)
    assert canteen is not None
    return deps.config.canteens.canteen(canteen.code)


async def queue_card(tx: Session, deps: Deps, stop: Stop, account_id: int, tag: str = "") -> None:
    """The stop card and, where known, its map pin, to the volunteer who holds it."""
    lang = await notify.language_of(tx, account_id)
    now = deps.clock.now()
    key = f"card:delivery:{stop.id}:account:{account_id}{tag}"
    body, buttons = messages.card(stop, lang), messages.card_buttons(stop, lang)
    await notify.text(tx, key, account_id, body, now, buttons)
    if stop.lat is not None and stop.lon is not None:
        pin = f"pin:delivery:{stop.id}:account:{account_id}{tag}"
        await notify.location(tx, pin, account_id, stop.lat, stop.lon, now)


async def staff_of(conn: Session, canteen_id: int) -> list[int]:
    """Who hears about the canteen's deliveries: its staff, else its admins."""
    return await accounts.holders(conn, canteen_id, "staff") or await accounts.holders(
        conn, canteen_id, "admin"
    )


async def tell(
    tx: Session,
    deps: Deps,
    account_ids: list[int],
    key: str,
    render: messages.Render,
    buttons: Callable[[str], notify.Buttons | None] = lambda _: None,
    *,
    urgent: bool = False,
) -> None:
    """Queue `render(lang)` to each account in its own language, once per key (`urgent`:
    an alert about a senior, sent before routine messages)."""
    now = deps.clock.now()
    for account_id in dict.fromkeys(account_ids):
        lang = await notify.language_of(tx, account_id)
        body = render(lang)
        key_of = f"{key}:account:{account_id}"
        await notify.text(tx, key_of, account_id, body, now, buttons(lang), urgent=urgent)


async def family_of(tx: Session, stop: Stop) -> list[int]:
    """The family accounts that follow this senior and want news (not her own account:
    nobody asks a senior to check on herself)."""
    return [
        link.account_id
        for link in await links.accounts_of(tx, stop.resident_id)
        if link.notify and link.relation == "family"
    ]


def local_time(deps: Deps, moment: datetime) -> str:
    return f"{moment.astimezone(deps.clock.tz):%H:%M}"


async def for_staff(
    deps: Deps, staff_id: int, window_id: int
) -> tuple[Window, list[Stop], dict[int, str]]:
    """A window's deliveries as the canteen staff see them, reported ones included, with
    the volunteers' names."""
    window = await staff.require_window(deps, staff_id, window_id)
    people = await volunteer_store.of_canteen(deps.db.reader, window.canteen_id)
    names = {v.account_id: v.name for v in people}
    return window, await store.of_window(deps.db.reader, window_id), names


async def candidates(deps: Deps, staff_id: int, delivery_id: int) -> tuple[Stop, list[Volunteer]]:
    """A delivery staff may hand over, and the volunteers who could take it."""
    stop = await store.stop(deps.db.reader, delivery_id)
    if stop is None:
        raise NotAllowedError()
    await staff.require(deps, staff_id, stop.canteen_id)
    await erased.refuse_id(deps.db.reader, stop.resident_id)
    people = await volunteer_store.of_canteen(deps.db.reader, stop.canteen_id)
    return stop, [v for v in people if v.account_id != stop.volunteer_id]


async def reassign(deps: Deps, staff_id: int, delivery_id: int, volunteer_id: int) -> Stop:
    """Staff give a delivery nobody has reported yet to another volunteer; both are told."""
    stop, people = await candidates(deps, staff_id, delivery_id)
    if volunteer_id not in {v.account_id for v in people}:
        raise DomainError("core.error.stale_button")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        previous = await store.hand_to(tx, delivery_id, volunteer_id)
        if previous is None:
            raise DomainError("volunteer.report.already", id=stop.order_id)
        await audit.record(tx, now, staff_id, "delivery.reassign", f"delivery:{delivery_id}")
        moved = await store.stop(tx, delivery_id)
        assert moved is not None
        await alerts.handle_for_order(
            tx, moved.order_id, ("no_carrier",), staff_id, "reassigned", now
        )
        matter = raising.meal_matter(moved.resident_id, moved.window_id)
        await raising.settle(tx, matter, ("no_carrier",), "placed", now, staff_id)
        await queue_card(tx, deps, moved, volunteer_id, f":{now.isoformat()}")
        if previous:
            key = f"moved:delivery:{delivery_id}:{now.isoformat()}"
            await tell(tx, deps, [previous], key, partial(messages.taken_over, moved.order_id))
    deps.outbox_queued()
    return moved


async def route_of(deps: Deps, account_id: int) -> list[Stop]:
    """The stops this volunteer holds at today's and tomorrow's windows, in route order."""
    grants = await accounts.roles_of(deps.db.reader, account_id)
    canteen_ids = sorted({g.canteen_id for g in grants if g.role == "volunteer"})
    today = deps.clock.now().date()
    found = await windows.between(deps.db.reader, canteen_ids, today, today + timedelta(days=1))
    return [
        stop
        for window in found
        for stop in await store.stops(deps.db.reader, window.id)
        if stop.volunteer_id == account_id
    ]
