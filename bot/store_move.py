"""`doorstep migrate-store --from PATH --to postgresql://…`: a county's SQLite store moved
into PostgreSQL, then checked: every table's rows counted on both sides, and the store's
invariants (`doorstep check`) run on the target.

The source is only read (it must have every migration applied: start the bot on it once);
the target is migrated by this code and must hold nothing yet. Everything is copied in
one transaction, so a failure leaves the target empty. Stop the bot before moving.
"""

from __future__ import annotations

import asyncio
import sys

from data import invariants, transfer
from data.db import POSTGRESQL, Database, Session, pending_migrations, read_only, target


async def move(source: str, destination: str) -> int:
    if target(destination)[0] != POSTGRESQL:
        print("--to must be a PostgreSQL URL (postgresql://user@host/db).", file=sys.stderr)
        return 2
    try:
        async with read_only(source) as session:
            if behind := await pending_migrations(session):
                print(f"{source} lacks {', '.join(behind)}: start the bot on it once first.")
                return 2
            db = await Database.open(destination)
            try:
                return await _copy_and_check(session, db)
            finally:
                await db.close()
    except FileNotFoundError:
        print(f"No store at {source}.", file=sys.stderr)
        return 2


async def _copy_and_check(session: Session, db: Database) -> int:
    names = await transfer.tables(session)
    filled = [name for name in names if await transfer.count(db.reader, name)]
    if filled:
        print(f"The target already holds rows ({', '.join(filled)}): nothing copied.")
        return 2
    async with db.transaction() as tx:
        copied = await transfer.copy_all(session, tx)
    wrong = []
    for name in names:
        here, there = await transfer.count(session, name), await transfer.count(db.reader, name)
        print(f"  {name}: {here} rows, {there} in the target")
        if here != there or copied[name] != here:
            wrong.append(name)
    problems = await invariants.check(db.reader)
    for problem in problems:
        print(f"  - {problem}")
    if wrong or problems:
        print(f"The copy differs ({', '.join(wrong) or 'invariants'}): do not switch to it.")
        return 1
    print(f"Moved {sum(copied.values())} rows of {len(names)} tables; every rule holds.")
    return 0


def run(source: str, destination: str) -> int:
    return asyncio.run(move(source, destination))
