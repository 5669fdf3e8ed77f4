"""Backups of the store into a folder: taken each day, each one checked, the newest kept.

A backup is written under a temporary name, then opened and checked with every rule the
store must keep (data/invariants.py); only then does it get its final name, so a file
named `doorstep-<moment>.sqlite3` is whole and was readable when taken. One that breaks
a rule is kept as `doorstep-<moment>.broken.sqlite3` for a person to look at, and the job
fails so the admins hear of it. The newest `keep` good backups stay; older files go.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.deps import Deps
from bot.settings import Settings
from data import invariants

log = logging.getLogger("doorstep.backups")
PREFIX = "doorstep-"
SUFFIX = ".sqlite3"
BROKEN = ".broken"


class BackupBrokenError(Exception):
    """The copy was taken but breaks the store's rules (or cannot be read)."""


@dataclass(frozen=True)
class Taken:
    path: Path
    problems: list[str]
    pruned: list[Path]


def folder(settings: Settings) -> Path:
    """DOORSTEP_BACKUP_DIR, or `backups` beside the store."""
    return settings.backup_dir or settings.db_path.parent / "backups"


def name_for(moment: datetime) -> str:
    return f"{PREFIX}{moment:%Y-%m-%dT%H%M%S}{SUFFIX}"


async def check(path: Path) -> list[str]:
    """Every rule the store file at `path` breaks; unreadable is a problem too."""
    try:
        return await invariants.check_file(path)
    except (sqlite3.DatabaseError, FileNotFoundError) as error:
        return [f"{path} cannot be read as a Doorstep store: {error}"]


async def take(deps: Deps) -> Taken:
    """Copy the store into the folder, check the copy, then drop the oldest."""
    settings = deps.config.settings
    where = folder(settings)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = where / name_for(deps.clock.now())
    partial = final.with_suffix(".partial")
    partial.unlink(missing_ok=True)  # a copy cut short earlier
    await deps.db.backup(partial)
    problems = await check(partial)
    if problems:
        final = final.with_name(final.name.removesuffix(SUFFIX) + BROKEN + SUFFIX)
    partial.replace(final)
    pruned = prune(where, settings.backup_keep)
    log.info("backup %s taken, %d problems, %d removed", final.name, len(problems), len(pruned))
    return Taken(final, problems, pruned)


async def scheduled(deps: Deps) -> Taken:
    """The daily job: a backup that breaks a rule fails the step, so people are told."""
    taken = await take(deps)
    if taken.problems:
        log.error("backup %s breaks the store's rules: %s", taken.path, taken.problems)
        raise BackupBrokenError(f"{taken.path.name}: {taken.problems[0]}")
    return taken


def backups_in(where: Path) -> list[Path]:
    """Good backups in the folder, oldest first (their names sort by time)."""
    return sorted(
        path for path in where.glob(f"{PREFIX}*{SUFFIX}") if not path.name.endswith(BROKEN + SUFFIX)
    )


def prune(where: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` good backups, broken ones older than those, and all
    broken ones but the newest (a failing backup is tried again, and again broken)."""
    good = backups_in(where)
    broken = sorted(where.glob(f"{PREFIX}*{BROKEN}{SUFFIX}"))[:-1]
    oldest_kept = good[-keep].name if 0 < keep < len(good) else ""
    gone = [*broken, *(p for p in where.glob(f"{PREFIX}*{SUFFIX}") if p.name < oldest_kept)]
    gone = sorted(set(gone))
    for path in gone:
        path.unlink(missing_ok=True)
    return sorted(gone)
