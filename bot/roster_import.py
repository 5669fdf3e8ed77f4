"""`doorstep import residents FILE`: the roster import from the command line.

Prints the same dry run as the chat, then imports after a yes (or at once with --yes).
"""

from __future__ import annotations

import asyncio
import html
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.core.clock import SystemClock
from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.people import messages, roster
from bot.settings import Config
from data import canteens
from data.db import Database

YES = ("y", "yes", "是")


def plain(text: str) -> str:
    """Catalogue HTML as terminal text."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def cli_language() -> str:
    return "zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en"


@asynccontextmanager
async def _deps(config: Config) -> AsyncIterator[Deps]:
    db = await Database.open(config.settings.db)
    try:
        async with db.transaction() as tx:
            await canteens.sync(tx, config.canteens.canteens)
        yield Deps(config=config, db=db, clock=SystemClock(config.settings.tz))
    finally:
        await db.close()


async def _canteen_id(deps: Deps, code: str) -> int:
    canteen = await canteens.by_code(deps.db.reader, code)
    if canteen is None:
        raise SystemExit(f"Unknown canteen {code!r}.")
    return canteen.id


async def _preview(config: Config, code: str, name: str, content: bytes) -> roster.Preview:
    async with _deps(config) as deps:
        return await roster.preview(deps, await _canteen_id(deps, code), name, content)


async def _import(config: Config, code: str, found: roster.Preview) -> int:
    async with _deps(config) as deps:
        return await roster.add_new(deps, await _canteen_id(deps, code), found.new, None)


def run(config: Config, path: str, canteen_code: str | None, assume_yes: bool) -> int:
    """Dry run, confirmation, import; 1 when the file cannot be read as a roster."""
    lang = cli_language()
    code = canteen_code or config.canteens.canteens[0].code
    file = Path(path)
    try:
        found = asyncio.run(_preview(config, code, file.name, file.read_bytes()))
    except DomainError as error:
        print(plain(t(lang, error.key, **error.values)))
        return 1
    print(plain(messages.roster_summary(lang, found)))
    if not found.new:
        print(plain(t(lang, "admin.roster.nothing_new")))
        return 0
    prompt = plain(t(lang, "admin.roster.cli_confirm", count=len(found.new), canteen=code))
    if not assume_yes and input(prompt).strip().lower() not in YES:
        print(plain(t(lang, "admin.roster.cli_none")))
        return 0
    added = asyncio.run(_import(config, code, found))
    print(plain(t(lang, "admin.roster.cli_done", count=added)))
    return 0
