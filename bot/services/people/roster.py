"""Importing a roster of seniors: a dry run first, then the import on confirmation.

Seniors are matched on their phone number, kept in E.164 with the canteen's country as
default, so importing the same file again adds nobody, however its numbers are written.
A file sent by an admin of several canteens waits until they say which canteen it is for.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.people import phones, roster_file, roster_reader, staff
from bot.services.people.roster_file import Checked, Problem
from data import audit, canteens, roster
from data.db import Session
from data.models import Canteen
from data.roster import RosterEntry

MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Preview:
    """What importing the file would do."""

    filename: str
    rows: int
    new: list[RosterEntry]
    known: int
    problems: list[Problem]
    import_id: int | None = None


@dataclass(frozen=True)
class Pick:
    """A staged file waiting for its admin to say which canteen it is for."""

    import_id: int
    choices: list[Canteen]


def _tier_codes(deps: Deps) -> list[str]:
    return [tier.code for tier in deps.config.canteens.subsidy_tiers]


async def _checked(deps: Deps, filename: str, content: bytes) -> Checked:
    """Every row of the file checked; the file is read in a process of its own, in limits."""
    if len(content) > MAX_BYTES:
        raise DomainError("admin.roster.too_big")
    rows = await roster_reader.read(filename, content)
    # 5,000 rows take a tenth of a second or more to check: off the event loop, too.
    return await asyncio.to_thread(roster_file.check, rows, _tier_codes(deps))


async def preview(deps: Deps, canteen_id: int, filename: str, content: bytes) -> Preview:
    """Check every row, numbers in one form (E.164), and split the good ones into new and
    already known (by phone)."""
    checked = await _checked(deps, filename, content)
    country = await _country(deps.db.reader, canteen_id)
    entries, problems = _in_one_form(checked, country)
    known = await _known(deps.db.reader, canteen_id, country)
    new = [entry for entry in entries if entry.phone not in known]
    return Preview(filename, checked.rows, new, len(entries) - len(new), problems)


def _in_one_form(checked: Checked, country: str) -> tuple[list[RosterEntry], list[Problem]]:
    """Every good row with its number in E.164; a number that is not a whole one, or one
    an earlier row already has (written another way), is a problem of its row."""
    entries: list[RosterEntry] = []
    problems, seen = list(checked.problems), dict[str, int]()
    for row, entry in checked.entries:
        phone = phones.e164(entry.phone, country)
        if phone is None:
            problems.append(Problem(row, "admin.roster.bad_phone", {"value": entry.phone}))
        elif phone in seen:
            problems.append(Problem(row, "admin.roster.duplicate", {"other": seen[phone]}))
        else:
            seen[phone] = row
            entries.append(entry.model_copy(update={"phone": phone}))
    problems.sort(key=lambda problem: problem.row)
    return entries, problems


async def _country(conn: Session, canteen_id: int) -> str:
    canteen = await canteens.get(conn, canteen_id)
    return canteen.country if canteen else phones.DEFAULT_COUNTRY


async def _known(conn: Session, canteen_id: int, country: str) -> set[str]:
    """The canteen's numbers in E.164 (one stored before, and not valid, as it is)."""
    return {phones.e164(p, country) or p for p in await roster.phones(conn, canteen_id)}


async def add_new(deps: Deps, canteen_id: int, entries: list[RosterEntry], by: int | None) -> int:
    """Store the entries whose phone is not on the roster yet (checked again here)."""
    async with deps.db.transaction() as tx:
        return await _add(tx, canteen_id, entries, by, deps.clock.now())


async def _add(
    tx: Session,
    canteen_id: int,
    entries: list[RosterEntry],
    by: int | None,
    now: datetime,
) -> int:
    country = await _country(tx, canteen_id)
    known = await _known(tx, canteen_id, country)
    added = 0
    for entry in entries:
        phone = phones.e164(entry.phone, country) or entry.phone
        if phone in known:
            continue
        stored = entry.model_copy(update={"phone": phone})
        resident_id = await roster.add(tx, canteen_id, stored, by, now)
        await audit.record(tx, now, by, "resident.import", f"resident:{resident_id}")
        known.add(phone)
        added += 1
    return added


async def stage(deps: Deps, admin_id: int, filename: str, content: bytes) -> Preview | Pick:
    """A file sent to the bot by an admin: kept, checked for their canteen and waiting for
    a confirmation; or, when they run several, waiting for them to say which one."""
    choices: list[Canteen] = []
    canteen_id: int | None = None
    try:
        canteen_id = await staff.pick_canteen(deps, admin_id, None, ("admin",))
    except staff.WhichCanteenError as choice:
        choices = choice.choices
    found = await preview(deps, canteen_id, filename, content) if canteen_id is not None else None
    async with deps.db.transaction() as tx:
        import_id = await roster.stage(
            tx, canteen_id, admin_id, filename, content, deps.clock.now()
        )
    if found is None:
        return Pick(import_id, choices)
    return Preview(found.filename, found.rows, found.new, found.known, found.problems, import_id)


async def choose(deps: Deps, admin_id: int, import_id: int, canteen_id: int) -> Preview:
    """The admin who sent the file says which of their canteens it is for: the dry run."""
    staged = await roster.staged(deps.db.reader, import_id)
    if staged is None or staged.account_id != admin_id:
        raise NotAllowedError()
    await staff.require(deps, admin_id, canteen_id, ("admin",))
    async with deps.db.transaction() as tx:
        chosen = await roster.choose_canteen(tx, import_id, canteen_id)
    if not chosen:
        raise DomainError("core.error.stale_button")  # chosen already, or imported
    found = await preview(deps, canteen_id, staged.filename, staged.content)
    return Preview(found.filename, found.rows, found.new, found.known, found.problems, import_id)


async def confirm(deps: Deps, admin_id: int, import_id: int) -> int:
    """Import a staged file, once, for an admin of its canteen; how many seniors were added.

    The file is read again first (outside any transaction: that takes a while); marking it
    imported and adding its people are one transaction, so a failure leaves it unimported.
    """
    staged = await roster.staged(deps.db.reader, import_id)
    if staged is None or staged.canteen_id is None:
        raise DomainError("core.error.stale_button")
    await staff.require(deps, admin_id, staged.canteen_id, ("admin",))
    if staged.applied_at is not None:
        raise DomainError("admin.roster.already")
    checked = await _checked(deps, staged.filename, staged.content)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await roster.mark_applied(tx, import_id, now):
            raise DomainError("admin.roster.already")
        country = await _country(tx, staged.canteen_id)
        entries, _ = _in_one_form(checked, country)  # the rows the dry run called good
        return await _add(tx, staged.canteen_id, entries, admin_id, now)
