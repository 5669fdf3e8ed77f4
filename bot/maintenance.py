"""`doorstep backup PATH`: an online copy of the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.settings import Config
from data.db import Database


def backup(config: Config, target: str) -> int:
    async def copy() -> None:
        db = await Database.open(config.settings.db_path)
        try:
            await db.backup(Path(target))
        finally:
            await db.close()

    asyncio.run(copy())
    print(f"Backed up {config.settings.db_path} to {target}.")
    return 0
