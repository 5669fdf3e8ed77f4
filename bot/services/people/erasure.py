"""Erasing a senior everywhere she lives in the store, inside the erase's transaction.

- Her meals still to come are cancelled; the kitchen and any volunteer holding one are
  told which meal by its number and building, never by her name.
- Messages about her still waiting in the outbox (her stop card, her map pin, an export,
  a notice to her family) are not sent; other waiting messages that name her (a kitchen
  sheet, a staff list) go without her lines; messages already sent keep their shape
  without her, and files already sent lose their bytes.
- Volunteers' notes and audit details that name her lose her name, phone and address.
- Roster files that name her: one still waiting for a confirmation loses her rows (so
  confirming it later does not bring her back); one already imported is emptied, since
  nothing reads it again and a workbook can hold her where a rewrite would not look.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.deps import Deps
from bot.services.notices import notify
from bot.services.people import messages
from bot.services.people.scrub import Person, Scrubber, is_table, rewrite_table
from data import audit, canteens, windows
from data import erasure as store
from data.db import Session
from data.erasure import Coming, Message, Traces
from data.models import Resident, Window

WITHHELD = "erased: not sent"


@dataclass(frozen=True)
class Erased:
    """Who was erased (as she was), and the ids she was known by, for the flows to end."""

    person: Person
    traces: Traces
    cancelled: tuple[int, ...]


async def everywhere(
    tx: Session, deps: Deps, resident: Resident, admin_id: int, now: datetime
) -> Erased:
    """Every step but blanking her own rows (the caller does that last)."""
    person = Person.of(resident)
    traces = await store.traces(tx, resident.id)
    coming = await store.coming(tx, resident.id)
    cancelled = await store.cancel(tx, [c.order_id for c in coming], now)
    for order_id in cancelled:
        await audit.record(tx, now, admin_id, "order.cancel.erased", f"order:{order_id}")
    await store.close_alerts(tx, resident.id, admin_id, now)
    await scrub_outbox(tx, person, traces)
    await scrub_notes(tx, person)
    await scrub_roster_files(tx, person, resident.canteen_id)
    await store.forget_own_accounts(tx, resident.id)
    done = [c for c in coming if c.order_id in cancelled]
    await tell_kitchen(tx, deps, resident, done, now)
    await tell_carriers(tx, deps, resident, done, now)
    return Erased(person, traces, tuple(cancelled))


# Who would have cooked or carried her meals.


async def _windows(tx: Session, coming: list[Coming]) -> dict[int, Window | None]:
    """The windows of these meals, by id (None for one no longer stored)."""
    ids = {c.window_id for c in coming}
    return {window_id: await windows.get(tx, window_id) for window_id in ids}


async def tell_kitchen(
    tx: Session, deps: Deps, resident: Resident, coming: list[Coming], now: datetime
) -> None:
    if not coming:
        return
    canteen = await canteens.get(tx, resident.canteen_id)
    assert canteen is not None
    lang = deps.config.canteens.canteen(canteen.code).kitchen_language
    body = messages.erased_kitchen(lang, resident.building, coming, await _windows(tx, coming))
    await notify.text(tx, f"erased:{resident.id}:kitchen", canteen.kitchen_chat_id, body, now)


async def tell_carriers(
    tx: Session, deps: Deps, resident: Resident, coming: list[Coming], now: datetime
) -> None:
    for meal in coming:
        if meal.volunteer_id is None:
            continue
        lang = await notify.language_of(tx, meal.volunteer_id)
        window = await windows.get(tx, meal.window_id)
        body = messages.erased_volunteer(lang, resident.building, meal, window)
        key = f"erased:{resident.id}:cancelled:{meal.order_id}:volunteer:{meal.volunteer_id}"
        await notify.text(tx, key, meal.volunteer_id, body, now)


# The outbox.


def about_her(resident_id: int, traces: Traces) -> re.Pattern[str]:
    """Outbox keys of messages about her: her approval, check-ins, wellness alerts, export,
    and anything about one of her orders, deliveries or regular meals."""
    tokens = [
        f"{kind}:{resident_id}"
        for kind in ("resident", "checkin", "checkin:missed", "checkin:escalate", "wellness:quiet")
    ]
    tokens += [f"order:{i}" for i in traces.order_ids]
    tokens += [f"delivery:{i}" for i in traces.delivery_ids]
    tokens += [f"standing:{i}" for i in traces.standing_ids]
    return re.compile(r"(?:^|:)(?:" + "|".join(map(re.escape, tokens)) + r")(?::|$)")


async def scrub_outbox(tx: Session, person: Person, traces: Traces) -> None:
    keyed = about_her(person.resident_id, traces)
    about = {row_id for row_id, key in await store.outbox_keys(tx) if keyed.search(key)}
    place = (person.lat, person.lon) if person.lat is not None and person.lon is not None else None
    naming = await store.outbox_naming(tx, person.needles(), place)
    names = messages.erased_names(person.resident_id)
    scrubbers = {lang: Scrubber(person, name) for lang, name in names.items()}
    languages: dict[int, str] = {}
    for message in await store.outbox_messages(tx, sorted(about | set(naming))):
        if message.chat_id not in languages:
            languages[message.chat_id] = await notify.language_of(tx, message.chat_id)
        scrubber = scrubbers[languages[message.chat_id]]
        if message.waiting and (message.id in about or _pin_at_her_door(message, person)):
            await store.withhold(tx, message, emptied(message), WITHHELD)
            continue
        payload = without_her(message, scrubber)
        if payload is None:
            await store.withhold(tx, message, emptied(message), WITHHELD)
        elif payload != message.payload:
            await store.rewrite(tx, message, payload)


def _pin_at_her_door(message: Message, person: Person) -> bool:
    return (
        message.kind == "location"
        and person.lat is not None
        and message.payload.get("lat") == person.lat
        and message.payload.get("lon") == person.lon
    )


def emptied(message: Message) -> dict[str, Any]:
    """The payload's shape with nothing in it."""
    if message.kind == "text":
        return {"text": ""}
    if message.kind == "location":
        return {"lat": 0.0, "lon": 0.0}
    if message.kind == "voice":
        return {"file_id": "", "caption": ""}
    return {"filename": message.payload.get("filename", ""), "content_b64": "", "caption": ""}


def without_her(message: Message, scrubber: Scrubber) -> dict[str, Any] | None:
    """The payload without her; None when a waiting message cannot be sent without her."""
    if _pin_at_her_door(message, scrubber.person):
        return emptied(message)
    if message.kind == "voice":  # her own voice, named in its caption: none of it is kept
        return None if message.waiting else emptied(message)
    whole = not message.waiting
    payload: dict[str, Any] = _strings(
        message.payload, lambda text: scrubber.text(text, whole=whole)
    )
    encoded = payload.get("content_b64")
    if message.kind != "document" or not encoded:
        return payload
    content = base64.b64decode(encoded)
    if not scrubber.in_file(content):
        return payload
    if not message.waiting:
        return {**payload, "content_b64": ""}  # it reached its reader; the copy goes
    fixed = _file_without_her(str(payload.get("filename", "")), content, scrubber)
    if fixed is None:
        return None
    return {**payload, "content_b64": base64.b64encode(fixed).decode()}


def _file_without_her(filename: str, content: bytes, scrubber: Scrubber) -> bytes | None:
    try:
        if is_table(filename):
            fixed = rewrite_table(filename, content, scrubber.row)
        else:
            fixed = scrubber.text(content.decode("utf-8"), whole=True).encode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return None if scrubber.in_file(fixed) else fixed


def _strings(value: Any, change: Callable[[str], str]) -> Any:
    """Every text in a payload changed (file bytes left as they are)."""
    if isinstance(value, dict):
        return {k: v if k == "content_b64" else _strings(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, change) for v in value]
    return change(value) if isinstance(value, str) else value


# Notes, audit details, roster files.


async def scrub_notes(tx: Session, person: Person) -> None:
    """Notes and audit details about anyone that name her (her own are blanked anyway)."""
    scrubber = Scrubber(person, messages.erased_in_notes(person.resident_id))
    for table, row_id, text in await store.notes_naming(tx, person.needles()):
        fixed = scrubber.text(text, whole=True)
        if fixed != text:
            await store.set_note(tx, table, row_id, fixed)


async def scrub_roster_files(tx: Session, person: Person, canteen_id: int) -> None:
    scrubber = Scrubber(person, "roster")
    for file in await store.roster_files(tx, canteen_id):
        filename = scrubber.text(file.filename, whole=True)  # "王秀英.csv" -> "roster.csv"
        if not scrubber.in_file(file.content):
            if filename != file.filename:
                await store.set_roster_content(tx, file.id, filename, file.content)
            continue
        content = b""
        if not file.applied:
            try:
                content = rewrite_table(file.filename, file.content, scrubber.leave_out)
            except (ValueError, UnicodeDecodeError):
                content = b""
            if scrubber.in_file(content):
                content = b""
        await store.set_roster_content(tx, file.id, filename, content)
