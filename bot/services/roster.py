"""Importing a roster of seniors: a dry run first, then the import on confirmation.

Seniors are matched on their phone number, so importing the same file again adds nobody.
A file sent by an admin of several canteens waits until they say which canteen it is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.i18n import Html, t
from bot.services import roster_file, staff
from bot.services.errors import DomainError, NotAllowedError
from bot.services.roster_file import Checked, Problem, phone_key
from data import audit, roster
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


async def preview(deps: Deps, canteen_id: int, filename: str, content: bytes) -> Preview:
    """Check every row and split the good ones into new and already known (by phone)."""
    if len(content) > MAX_BYTES:
        raise DomainError("admin.roster.too_big")
    checked: Checked = roster_file.check(filename, content, _tier_codes(deps))
    known_phones = {phone_key(p) for p in await roster.phones(deps.db.conn, canteen_id)}
    new = [entry for _, entry in checked.entries if phone_key(entry.phone) not in known_phones]
    return Preview(filename, checked.rows, new, len(checked.entries) - len(new), checked.problems)


async def add_new(deps: Deps, canteen_id: int, entries: list[RosterEntry], by: int | None) -> int:
    """Store the entries whose phone is not on the roster yet (checked again here)."""
    now = deps.clock.now()
    added = 0
    async with deps.db.transaction() as tx:
        known = {phone_key(p) for p in await roster.phones(tx, canteen_id)}
        for entry in entries:
            if phone_key(entry.phone) in known:
                continue
            resident_id = await roster.add(tx, canteen_id, entry, by, now)
            await audit.record(tx, now, by, "resident.import", f"resident:{resident_id}")
            known.add(phone_key(entry.phone))
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
    staged = await roster.staged(deps.db.conn, import_id)
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
    """Import a staged file, once, for an admin of its canteen; how many seniors were added."""
    staged = await roster.staged(deps.db.conn, import_id)
    if staged is None or staged.canteen_id is None:
        raise DomainError("core.error.stale_button")
    await staff.require(deps, admin_id, staged.canteen_id, ("admin",))
    async with deps.db.transaction() as tx:
        if not await roster.mark_applied(tx, import_id, deps.clock.now()):
            raise DomainError("admin.roster.already")
    found = await preview(deps, staged.canteen_id, staged.filename, staged.content)
    return await add_new(deps, staged.canteen_id, found.new, admin_id)


MAX_SHOWN = 30  # problems listed in one message; the rest are counted


def problem_text(lang: str, problem: Problem) -> Html:
    values = dict(problem.values)
    if "field" in values:
        values["field"] = t(lang, f"admin.field.{values['field']}")
    return t(lang, "admin.roster.row", row=problem.row, problem=t(lang, problem.key, **values))


def summary(lang: str, found: Preview) -> Html:
    """The dry run in words: counts, then 'row 17: phone is missing' for each problem."""
    bad_rows = len({problem.row for problem in found.problems})
    lines = [
        t(
            lang,
            "admin.roster.summary",
            file=found.filename,
            rows=found.rows,
            new=len(found.new),
            known=found.known,
            bad=bad_rows,
        )
    ]
    lines += [problem_text(lang, problem) for problem in found.problems[:MAX_SHOWN]]
    if len(found.problems) > MAX_SHOWN:
        lines.append(t(lang, "admin.roster.more", count=len(found.problems) - MAX_SHOWN))
    return Html("\n".join(lines))
