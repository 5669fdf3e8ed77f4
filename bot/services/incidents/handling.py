"""Taking, noting, closing and raising incidents; and the list of open ones.

Only the staff and admins of the incident's canteen act on it, checked on every tap.
Whoever takes it first is its first-responsible person; a second tap hears who has it.
Until someone takes it, each time its minutes pass it is raised: to the admins first
(the settings' admins when the canteen has none), then to staff and admins again, and
again, until someone takes it. Closing it with an outcome tells her family, and the
person who asked when it was a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.incidents import messages
from bot.services.incidents.raising import first_people, minutes, request_matter, send_card
from bot.services.notices import notify
from bot.services.people import staff
from data import accounts, alerts, audit, incidents, links, residents, windows
from data.alerts import AlertKind
from data.db import Session
from data.incidents import Event, Incident
from data.models import Resident, Window

# How a person may close an incident (the ones a matter ends with by itself are in raising).
OUTCOMES = messages.CLOSE_OUTCOMES
NOTE_LIMIT = 500
# The alerts on a meal that a person taking its incident sees to.
MEAL_ALERTS: tuple[AlertKind, ...] = ("no_answer", "undelivered")


@dataclass(frozen=True)
class View:
    """An incident as its card shows it: the senior, the meal, what happened, who."""

    incident: Incident
    resident: Resident
    window: Window | None
    events: tuple[Event, ...]
    names: dict[int, str]  # account id -> first name, of everyone on the card

    def name(self, account_id: int | None) -> str:
        return self.names.get(account_id or 0) or str(account_id or "")

    @property
    def told(self) -> list[int]:
        return list(
            dict.fromkeys(e.account_id for e in self.events if e.what == "told" and e.account_id)
        )


async def view(conn: Session, incident_id: int) -> View:
    found = await incidents.get(conn, incident_id)
    if found is None:
        raise NotAllowedError()
    resident = await residents.get(conn, found.resident_id)
    assert resident is not None
    window = await windows.get(conn, found.window_id) if found.window_id else None
    events = tuple(await incidents.events(conn, incident_id))
    people = {found.taken_by, found.closed_by, *(e.account_id for e in events)}
    names: dict[int, str] = {}
    for account_id in sorted(p for p in people if p):
        account = await accounts.get(conn, account_id)
        names[account_id] = (account.first_name if account else "") or str(account_id)
    return View(found, resident, window, events, names)


async def _mine(deps: Deps, account_id: int, incident_id: int) -> Incident:
    """The incident, when this account is staff or admin of its canteen."""
    found = await incidents.get(deps.db.reader, incident_id)
    if found is None:
        raise NotAllowedError()
    await staff.require(deps, account_id, found.canteen_id)
    return found


async def see(deps: Deps, account_id: int, incident_id: int) -> View:
    await _mine(deps, account_id, incident_id)
    return await view(deps.db.reader, incident_id)


async def take(deps: Deps, account_id: int, incident_id: int) -> View:
    """This person takes it ("I'll handle it"); it is raised no more."""
    found = await _mine(deps, account_id, incident_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await incidents.take(tx, incident_id, account_id, now):
            await _refuse_taken(tx, incident_id)
        await incidents.add_event(tx, incident_id, "taken", now, account_id=account_id)
        if found.order_id is not None:
            await alerts.handle_for_order(tx, found.order_id, MEAL_ALERTS, account_id, "taken", now)
        await audit.record(tx, now, account_id, "incident.taken", f"incident:{incident_id}")
        seen = await view(tx, incident_id)
        await _tell_taken(tx, deps, seen, account_id)
    deps.outbox_queued()
    return seen


async def _tell_taken(tx: Session, deps: Deps, seen: View, account_id: int) -> None:
    """Everyone else who had its card hears who has it, so nobody does it twice."""
    staff_and_admins = set(await first_people(tx, seen.incident.canteen_id)) | set(
        await accounts.holders(tx, seen.incident.canteen_id, "admin")
    )
    now = deps.clock.now()
    for other in seen.told:
        if other == account_id or other not in staff_and_admins:
            continue
        lang = await notify.language_of(tx, other)
        body = messages.taken_notice(seen, lang)
        key = f"incident:{seen.incident.id}:taken:account:{other}"
        await notify.text(tx, key, other, body, now)


async def _refuse_taken(tx: Session, incident_id: int) -> None:
    now_found = await incidents.get(tx, incident_id)
    assert now_found is not None
    if now_found.closed_at is not None:
        raise DomainError("incident.closed_already")
    account = await accounts.get(tx, now_found.taken_by or 0)
    raise DomainError("incident.taken_already", name=account.first_name if account else "")


async def take_for_order(tx: Session, order_id: int, account_id: int, now: datetime) -> None:
    """The older "I am handling it" button on a meal's alert takes its incident too."""
    found = await incidents.open_about_order(tx, order_id)
    if found is not None and await incidents.take(tx, found.id, account_id, now):
        await incidents.add_event(tx, found.id, "taken", now, account_id=account_id)


async def note(deps: Deps, account_id: int, incident_id: int, text: str) -> View:
    """A note on an open incident (what was done, who was called)."""
    found = await _mine(deps, account_id, incident_id)
    clean = " ".join(text.split())[:NOTE_LIMIT]
    if not clean:
        raise DomainError("incident.note.ask", id=incident_id)
    if found.closed_at is not None:
        raise DomainError("incident.closed_already")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await incidents.add_event(tx, incident_id, "note", now, account_id=account_id, detail=clean)
    return await view(deps.db.reader, incident_id)


async def close(deps: Deps, account_id: int, incident_id: int, outcome: str) -> View:
    """Close it with how it ended; her family (and whoever asked) hear it."""
    if outcome not in OUTCOMES:
        raise DomainError("core.error.stale_button")
    found = await _mine(deps, account_id, incident_id)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await incidents.close(tx, incident_id, account_id, outcome, now):
            raise DomainError("incident.closed_already")
        await incidents.add_event(
            tx, incident_id, "closed", now, account_id=account_id, detail=outcome
        )
        if found.order_id is not None:
            await alerts.handle_for_order(
                tx, found.order_id, MEAL_ALERTS, account_id, "closed", now
            )
        await audit.record(
            tx, now, account_id, "incident.closed", f"incident:{incident_id}", outcome
        )
        seen = await view(tx, incident_id)
        await _tell_closed(tx, deps, seen)
    deps.outbox_queued()
    return seen


async def _tell_closed(tx: Session, deps: Deps, seen: View) -> None:
    """Her family, and whoever asked (a request), hear how it ended."""
    family = [
        link.account_id
        for link in await links.accounts_of(tx, seen.resident.id)
        if link.notify and link.relation == "family"
    ]
    asked = [seen.incident.reported_by] if seen.incident.reported_by else []
    now = deps.clock.now()
    at = f"{now.astimezone(deps.clock.tz):%H:%M}"
    for account_id in dict.fromkeys([*family, *asked]):
        lang = await notify.language_of(tx, account_id)
        body = messages.closed_notice(
            seen, lang, at, own=account_id in asked and account_id not in family
        )
        key = f"incident:{seen.incident.id}:closed:account:{account_id}"
        await notify.text(tx, key, account_id, body, now)


async def ordered(tx: Session, deps: Deps, resident_id: int, staff_id: int) -> bool:
    """Staff placed an order for her: her open request closes ("a meal was ordered for
    her"), and whoever asked hears it."""
    found = await incidents.open_of(tx, request_matter(resident_id))
    now = deps.clock.now()
    if found is None or not await incidents.close(tx, found.id, staff_id, "ordered", now):
        return False
    await incidents.add_event(tx, found.id, "closed", now, account_id=staff_id, detail="ordered")
    await _tell_closed(tx, deps, await view(tx, found.id))
    return True


async def escalate(deps: Deps, incident_id: int) -> bool:
    """Nobody took it in time: raised to the next people, and due again after its minutes."""
    found = await incidents.get(deps.db.reader, incident_id)
    now = deps.clock.now()
    if found is None or found.taken_at or found.closed_at:
        return False
    if now < found.due_at:  # raised early by another path: plan it at its new moment
        deps.jobs_changed()
        return False
    async with deps.db.transaction() as tx:
        if not await _raise(tx, deps, found, early=False):
            return False
    deps.outbox_queued()
    return True


async def raise_to_admins(tx: Session, deps: Deps, matter: str) -> bool:
    """A matter's own escalation came due (a meal that did not arrive, seen to by nobody):
    its incident is raised to the admins now, as its timer would, and its card is what
    they get. Once per step: raised to them already, it is not raised again. False when
    no open incident is waiting for a person (none, or someone has it), so the caller
    tells the admins itself. Runs inside the caller's transaction."""
    found = await incidents.open_of(tx, matter)
    if found is None or found.taken_at is not None:
        return False
    if found.level == 0 and not await _raise(tx, deps, found, early=True):
        again = await incidents.get(tx, found.id)  # raised meanwhile by its own timer
        return again is not None and again.taken_at is None and again.level > 0
    return True


async def _raise(tx: Session, deps: Deps, found: Incident, *, early: bool) -> bool:
    """One step up from `found.level`: its people told, its card sent, due again later."""
    now = deps.clock.now()
    wait = await minutes(tx, deps, found.canteen_id, found.kind)
    if not await incidents.raise_level(
        tx, found.id, found.level, now, now + timedelta(minutes=wait), early=early
    ):
        return False
    people = await _next_people(tx, deps, found)
    await incidents.add_event(tx, found.id, "raised", now, detail=str(found.level + 1))
    for account_id in people:
        await incidents.add_event(tx, found.id, "told", now, account_id=account_id)
    await send_card(tx, deps, found.id, people, f"raised{found.level + 1}")
    await audit.record(tx, now, None, "incident.raised", f"incident:{found.id}")
    return True


async def _next_people(tx: Session, deps: Deps, found: Incident) -> list[int]:
    """The admins at the first raise; staff and admins at every one after it."""
    admins = await accounts.holders(tx, found.canteen_id, "admin") or list(
        deps.config.settings.admin_ids
    )
    if found.level == 0:
        return admins
    return list(dict.fromkeys([*await first_people(tx, found.canteen_id), *admins]))


async def due(deps: Deps) -> list[tuple[int | None, datetime]]:
    """Every incident nobody has taken: raised at its moment."""
    return [(incident_id, at) for incident_id, at in await incidents.untaken(deps.db.reader)]


@dataclass(frozen=True)
class Listed:
    incident: Incident
    resident: Resident
    taker: str


async def open_list(deps: Deps, account_id: int) -> list[Listed]:
    """The open incidents of the canteens this account is staff or admin of, oldest first."""
    canteen_ids = await staff.canteens_of(deps, account_id)
    if not canteen_ids:
        raise NotAllowedError()
    found = await incidents.open_in(deps.db.reader, canteen_ids)
    people = await residents.many(deps.db.reader, sorted({i.resident_id for i in found}))
    listed = []
    for incident in found:
        taker = ""
        if incident.taken_by:
            account = await accounts.get(deps.db.reader, incident.taken_by)
            taker = (account.first_name if account else "") or str(incident.taken_by)
        listed.append(Listed(incident, people[incident.resident_id], taker))
    return listed
