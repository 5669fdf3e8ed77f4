"""Requests: a senior, or her family, asks for something by voice or in words.

A voice message goes straight to the staff as a request incident, the voice itself sent
on by its file_id under the card, with "order for her" and "call her" a tap away. Typed
words that were not understood are kept for a moment and offered back with one button
("send to the canteen"), so a passing "hello" opens nothing. Someone who acts for
several seniors taps which one it is about. The sender hears that a person will answer
within the canteen's promised minutes, and hears again when it is closed; staff placing
an order for her closes it ("a meal was ordered for her").
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.incidents import messages
from bot.services.incidents.raising import first_people, minutes, raise_alert, request_matter
from bot.services.notices import notify
from data import incidents, links, residents
from data.db import Session
from data.incidents import Opening
from data.models import Resident

TEXT_LIMIT = 1000


@dataclass(frozen=True)
class Asked:
    incident_id: int
    resident: Resident
    minutes: int


async def seniors_of(deps: Deps, account_id: int) -> list[Resident]:
    """The approved seniors this account acts for: her own record first, then family."""
    found: list[Resident] = []
    for link in sorted(
        await links.residents_of(deps.db.reader, account_id), key=lambda k: k.relation != "self"
    ):
        resident = await residents.get(deps.db.reader, link.resident_id)
        if resident is not None and resident.status == "approved":
            found.append(resident)
    return found


async def is_self(deps: Deps, account_id: int, resident_id: int) -> bool:
    """Whether the account is the senior's own (she asked herself)."""
    link = await links.get(deps.db.reader, account_id, resident_id)
    return link is not None and link.relation == "self"


async def keep(
    deps: Deps, account_id: int, message_id: int, text: str, file_id: str | None
) -> None:
    """Keep words (or a voice) until the person taps to send them."""
    async with deps.db.transaction() as tx:
        clean = " ".join(text.split())[:TEXT_LIMIT]
        await incidents.keep_draft(tx, account_id, message_id, clean, file_id, deps.clock.now())


async def send_kept(deps: Deps, account_id: int, message_id: int, resident_id: int) -> Asked:
    """The kept words (or voice) go to the staff about this senior (once)."""
    await _linked(deps, account_id, resident_id)
    async with deps.db.transaction() as tx:
        draft = await incidents.take_draft(tx, account_id, message_id)
        if draft is None:
            raise DomainError("incident.request.gone")
        return await _open(tx, deps, account_id, resident_id, draft.text, draft.file_id)


async def ask(
    deps: Deps, account_id: int, resident_id: int, text: str, file_id: str | None
) -> Asked:
    """A request about this senior, at once (a voice from someone who acts for one)."""
    await _linked(deps, account_id, resident_id)
    clean = " ".join(text.split())[:TEXT_LIMIT]
    async with deps.db.transaction() as tx:
        return await _open(tx, deps, account_id, resident_id, clean, file_id)


async def _linked(deps: Deps, account_id: int, resident_id: int) -> None:
    if resident_id not in {r.id for r in await seniors_of(deps, account_id)}:
        raise NotAllowedError()


async def _open(
    tx: Session, deps: Deps, account_id: int, resident_id: int, text: str, file_id: str | None
) -> Asked:
    resident = await residents.get(tx, resident_id)
    assert resident is not None
    opening = Opening(
        canteen_id=resident.canteen_id,
        resident_id=resident_id,
        matter=request_matter(resident_id),
        kind="request",
        reported_by=account_id,
    )
    people = await first_people(tx, resident.canteen_id)
    incident_id, fresh = await raise_alert(
        tx, deps, opening, people, text or ("🎤" if file_id else ""), file_id=file_id
    )
    found = await incidents.get(tx, incident_id)
    assert found is not None
    if not fresh:  # a second message joins: whoever has it hears it
        taker = [found.taken_by] if found.taken_by else people
        await _tell_more(tx, deps, incident_id, taker, resident, text)
    if file_id:
        await _send_voice(tx, deps, incident_id, people, resident, file_id)
    wait = await minutes(tx, deps, resident.canteen_id, "request")
    return Asked(incident_id, resident, wait)


async def _send_voice(
    tx: Session,
    deps: Deps,
    incident_id: int,
    people: list[int],
    resident: Resident,
    file_id: str,
) -> None:
    now = deps.clock.now()
    for account_id in people:
        lang = await notify.language_of(tx, account_id)
        caption = messages.voice_caption(lang, incident_id, resident.name)
        buttons = messages.request_buttons(incident_id, resident.id, lang)
        key = f"incident:{incident_id}:voice:{now.isoformat()}:account:{account_id}"
        await notify.voice(tx, key, account_id, file_id, caption, now, buttons, urgent=True)
    deps.outbox_queued()


async def _tell_more(
    tx: Session, deps: Deps, incident_id: int, people: list[int], resident: Resident, text: str
) -> None:
    now = deps.clock.now()
    for account_id in people:
        lang = await notify.language_of(tx, account_id)
        body = messages.asked_again(lang, incident_id, resident.name, text)
        key = f"incident:{incident_id}:more:{now.isoformat()}:account:{account_id}"
        buttons = messages.request_buttons(incident_id, resident.id, lang)
        await notify.text(tx, key, account_id, body, now, buttons, urgent=True)


async def phone(deps: Deps, account_id: int, incident_id: int) -> Resident:
    """Her phone number, for staff of her canteen ("call her")."""
    from bot.services.incidents.handling import see

    seen = await see(deps, account_id, incident_id)
    return seen.resident
