"""Asking how a served meal was, and keeping the answer.

When a meal is delivered or collected, the senior (her own account) and her family get
one question with three buttons. The first tap rates the order (one rating per order);
a meal that was not good or so-so may say why with buttons (too salty, too hard, cold,
too little, late) or a note. A "not good" because it came cold or late opens an incident
about that meal (or joins the open one), and whoever rated hears back when it is closed.
Only an account linked to the senior rates her meal.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.feedback import messages
from bot.services.incidents import raising
from bot.services.notices import notify
from bot.services.people import erased
from data import feedback as store
from data import links, orders, residents, windows
from data.db import Session
from data.feedback import Feedback, Rating
from data.incidents import Opening
from data.models import Window

SERVED = ("delivered", "collected")
NOTE_LIMIT = 300
# A meal not good for these reasons is a matter for a person, not only a figure.
INCIDENT_REASONS = ("cold", "late")


async def ask(tx: Session, deps: Deps, order_id: int) -> None:
    """Queue the question to the senior and her family (once per order and account)."""
    order = await orders.get(tx, order_id)
    if order is None:
        return
    window = await windows.get(tx, order.window_id)
    resident = await residents.get(tx, order.resident_id)
    if window is None or resident is None or resident.status == "erased":
        return
    now = deps.clock.now()
    for link in await links.accounts_of(tx, order.resident_id):
        if not link.notify:
            continue
        lang = await notify.language_of(tx, link.account_id)
        own = link.relation == "self"
        body = messages.ask(lang, resident.name, window, own=own)
        buttons = messages.ask_buttons(order_id, lang)
        key = f"feedback:ask:{order_id}:account:{link.account_id}"
        await notify.text(tx, key, link.account_id, body, now, buttons)


async def _linked_order(deps: Deps, account_id: int, order_id: int) -> tuple[int, int, Window]:
    """(resident, canteen, window) of a served order this account may rate."""
    order = await orders.get(deps.db.reader, order_id)
    if order is None or await links.get(deps.db.reader, account_id, order.resident_id) is None:
        raise NotAllowedError()
    await erased.refuse_id(deps.db.reader, order.resident_id)
    if order.status not in SERVED:
        raise DomainError("feedback.not_served")
    window = await windows.get(deps.db.reader, order.window_id)
    assert window is not None
    return order.resident_id, window.canteen_id, window


async def rate(deps: Deps, account_id: int, order_id: int, rating: str) -> Feedback:
    """One tap: the meal's rating (a second tap, by anyone, keeps the first)."""
    if rating not in messages.RATINGS:
        raise DomainError("core.error.stale_button")
    resident_id, canteen_id, _ = await _linked_order(deps, account_id, order_id)
    value: Rating = "good" if rating == "good" else "so_so" if rating == "so_so" else "bad"
    async with deps.db.transaction() as tx:
        if not await store.rate(
            tx, order_id, canteen_id, resident_id, account_id, value, deps.clock.now()
        ):
            raise DomainError("feedback.already")
        found = await store.of_order(tx, order_id)
        assert found is not None
    return found


async def _own(deps: Deps, account_id: int, order_id: int) -> Feedback:
    await _linked_order(deps, account_id, order_id)
    found = await store.of_order(deps.db.reader, order_id)
    if found is None or found.rating == "good":
        raise DomainError("core.error.stale_button")
    return found


async def reason(deps: Deps, account_id: int, order_id: int, why: str) -> Feedback:
    """Tick (or untick) a reason; a not-good meal that came cold or late opens an incident."""
    if why not in messages.REASONS:
        raise DomainError("core.error.stale_button")
    found = await _own(deps, account_id, order_id)
    picked = found.reason_list
    picked = [r for r in picked if r != why] if why in picked else [*picked, why]
    async with deps.db.transaction() as tx:
        await store.set_reasons(tx, found.id, picked)
        if found.rating == "bad" and why in picked and why in INCIDENT_REASONS:
            await _raise(tx, deps, found, account_id, why)
        again = await store.of_order(tx, order_id)
        assert again is not None
    deps.outbox_queued()
    deps.jobs_changed()
    return again


async def _raise(tx: Session, deps: Deps, found: Feedback, account_id: int, why: str) -> None:
    """Once per rating: an incident about the meal, told to the staff."""
    if found.incident_id is not None:
        return
    order = await orders.get(tx, found.order_id)
    assert order is not None
    opening = Opening(
        canteen_id=found.canteen_id,
        resident_id=found.resident_id,
        matter=raising.meal_matter(found.resident_id, order.window_id),
        kind="meal",
        window_id=order.window_id,
        order_id=order.id,
        reported_by=account_id,
    )
    told = await raising.first_people(tx, found.canteen_id)
    incident_id, _ = await raising.raise_alert(tx, deps, opening, told, why)
    await store.set_incident(tx, found.id, incident_id)


async def note(deps: Deps, account_id: int, order_id: int, text: str) -> Feedback:
    """A few words on what was wrong."""
    found = await _own(deps, account_id, order_id)
    clean = " ".join(text.split())[:NOTE_LIMIT]
    if not clean:
        raise DomainError("feedback.note_ask")
    async with deps.db.transaction() as tx:
        await store.set_note(tx, found.id, clean)
    again = await store.of_order(deps.db.reader, order_id)
    assert again is not None
    return again


async def digest(deps: Deps, canteen_id: int) -> int:
    """The day's ratings to the canteen's staff (nothing on a day without any)."""
    now = deps.clock.now()
    tz = deps.clock.tz
    day = now.astimezone(tz).date()
    start = datetime.combine(day, time(0), tzinfo=tz)
    found = await store.rated_at_between(
        deps.db.reader, canteen_id, start, start + timedelta(days=1)
    )
    if not found:
        return 0
    async with deps.db.transaction() as tx:
        people = await raising.first_people(tx, canteen_id)
        for account_id in people:
            lang = await notify.language_of(tx, account_id)
            body = messages.digest(lang, day.isoformat(), found)
            key = f"feedback:digest:{canteen_id}:{day}:account:{account_id}"
            await notify.text(tx, key, account_id, body, now)
    deps.outbox_queued()
    return len(people)
