"""`doorstep backup PATH` and `doorstep restore PATH`: the store copied out and back."""

from __future__ import annotations

import asyncio
import shutil
import sys
from datetime import datetime
from pathlib import Path

from bot.services.upkeep.backups import check
from bot.settings import Config
from data.db import Database, owner_only


def backup(config: Config, target: str) -> int:
    """Copy the database to `target` (readable by its owner only) and check the copy; 1 when
    there is no database or the copy breaks a rule.

    Opening a path that does not exist would create an empty database and back that up,
    which looks like a good backup and holds nothing: a mistyped DOORSTEP_DB is refused.
    """
    if config.settings.on_postgres:
        print("A PostgreSQL store is backed up with pg_dump or a replica.", file=sys.stderr)
        return 2
    source = config.settings.db_path
    if not source.is_file():
        print(f"No database at {source}: nothing backed up. Is DOORSTEP_DB right?", file=sys.stderr)
        return 1

    async def copy() -> list[str]:
        db = await Database.open(source)
        try:
            await db.backup(Path(target))
        finally:
            await db.close()
        return await check(Path(target))

    problems = asyncio.run(copy())
    if problems:
        print(f"Backed up {source} to {target}, but the copy breaks rules:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"Backed up {source} to {target}, and checked it.")
    return 0


def restore(config: Config, source: str, *, force: bool) -> int:
    """Put the backup at `source` in the store's place; 1 when refused.

    A backup that cannot be read or breaks a rule is refused. A store already in place is
    refused too unless `force` (the bot must be stopped first): it is then kept beside,
    as `<store>.before-restore-<time>`, never deleted.
    """
    backup_file, store = Path(source), config.settings.db_path
    if not backup_file.is_file():
        print(f"No backup at {backup_file}.", file=sys.stderr)
        return 1
    problems = asyncio.run(check(backup_file))
    if problems:
        print(f"{backup_file} is not a good backup; nothing restored:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if store.exists() and not force:
        print(
            f"A store is already at {store}; nothing restored. Stop the bot, then run"
            f" `doorstep restore {source} --force`: the store there now is kept beside it.",
            file=sys.stderr,
        )
        return 1
    kept = _set_aside(store)
    owner_only(store)
    shutil.copyfile(backup_file, store)
    where = f" The store it replaced is at {kept}." if kept else ""
    print(f"Restored {backup_file} to {store}.{where} Start the bot when ready.")
    return 0


def _set_aside(store: Path) -> Path | None:
    """Move the store (with its -wal and -shm) to a dated name beside it; its new path."""
    if not store.exists():
        return None
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    aside = store.with_name(f"{store.name}.before-restore-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{store}{suffix}")
        if part.exists():
            part.replace(Path(f"{aside}{suffix}"))
    return aside
