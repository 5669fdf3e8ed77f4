"""The installation's own daily job: the store's backup (bot/services/upkeep/backups.py).

Its time comes from the settings (DOORSTEP_BACKUP_AT), so the runner plans each next run
as it starts one; DOORSTEP_BACKUP_KEEP=0 lists none, and so does a PostgreSQL store,
whose backups are its database's own (pg_dump or base backups, by whoever runs it).
"""

from __future__ import annotations

from datetime import datetime

from bot.core.deps import Deps
from bot.services.upkeep import backups
from scheduling.runner import Due, Kind, next_at


async def backup_due(deps: Deps) -> list[Due]:
    settings = deps.config.settings
    if settings.backup_keep == 0 or settings.on_postgres:
        return []
    now, tz = deps.clock.now(), deps.clock.tz
    first = datetime.combine(now.astimezone(tz).date(), settings.backup_at, tz)
    return [(None, next_at(first, "day", now, tz))]


KINDS = (
    Kind(
        "upkeep:backup",
        backups.scheduled,
        backup_due,
        "backup",
        listed_until_done=False,
        every="day",
    ),
)
