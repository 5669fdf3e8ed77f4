"""`doorstep backup PATH`: an online copy of the store."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.settings import Config
from data.db import Database


def backup(config: Config, target: str) -> int:
    """Copy the database to `target` (readable by its owner only); 1 when there is none.

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

    async def copy() -> None:
        db = await Database.open(source)
        try:
            await db.backup(Path(target))
        finally:
            await db.close()

    asyncio.run(copy())
    print(f"Backed up {source} to {target}.")
    return 0
