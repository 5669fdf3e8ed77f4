"""The SQLite store: one aiosqlite connection, WAL, foreign keys, versioned migrations.

The file holds seniors' names, phones and addresses, so it and every backup are created
readable by their owner only (0600); SQLite gives the -wal and -shm files it makes later
the database file's own permissions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]
# A migration that rebuilds a table (to change a CHECK, say) starts with this line; it
# runs with foreign keys off, as SQLite requires, and is checked before it commits.
REBUILDS_TABLES = "-- rebuilds tables"

OWNER_ONLY = 0o600
log = logging.getLogger("doorstep.db")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in data/migrations, in order."""
    found = []
    for entry in resources.files("data").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text("utf-8")))
    return sorted(found)


def statements(sql: str) -> Iterable[str]:
    """Split a migration into complete statements (comments and blank lines kept inside)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer[:80]!r}")


# What the rest of the code holds to read or write: it passes a session to the functions
# of data/ and never runs SQL on it itself.
Session = aiosqlite.Connection


class Database:
    """The store: a transaction for writes (one at a time), a session for reads.

    Reads go through a connection of their own, so a read never sees what another task
    has written but not yet committed (SQLite's WAL gives it the last committed state).
    The writing connection (`conn`) is the store's own; only tests reach for it.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._reader = conn
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        path = Path(path)
        owner_only(path)
        conn = await _connect(path, read_only=False)
        db = cls(conn, path)
        await db.migrate()
        if str(path) != ":memory:":  # an in-memory store has only the one connection
            db._reader = await _connect(path, read_only=True)
        return db

    async def close(self) -> None:
        if self._reader is not self.conn:
            await self._reader.close()
        await self.conn.close()

    @property
    def reader(self) -> Session:
        """The session for reads outside a transaction: committed data only."""
        return self._reader

    async def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, each inside its own transaction."""
        applied: list[int] = []
        async with self.transaction() as tx:
            await tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        done = {row[0] for row in await self.fetchall("SELECT version FROM schema_migrations")}
        for version, name, sql in migrations():
            if version in done:
                continue
            rebuilds = REBUILDS_TABLES in sql
            if rebuilds:  # SQLite's way to rebuild a table: foreign keys off, checked after
                await self.conn.execute("PRAGMA foreign_keys=OFF")
            try:
                async with self.transaction() as tx:
                    for statement in statements(sql):
                        await tx.execute(statement)
                    broken = await fetch_all(tx, "PRAGMA foreign_key_check")
                    if broken:
                        raise RuntimeError(f"{name} breaks foreign keys: {dict(broken[0])}")
                    await tx.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)",
                        (version, name, datetime.now(UTC).isoformat()),
                    )
            finally:
                if rebuilds:
                    await self.conn.execute("PRAGMA foreign_keys=ON")
            applied.append(version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception; one writer at a time."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Rows of a read (committed data), for tests and maintenance."""
        return await fetch_all(self._reader, sql, params)

    async def backup(self, target: Path | str) -> None:
        """An online copy through SQLite's backup API, safe while the bot runs."""
        async with self._write_lock:
            owner_only(Path(target))
            dest = await aiosqlite.connect(target)
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()


@asynccontextmanager
async def read_only(path: Path | str) -> AsyncIterator[Session]:
    """A session on an existing store that changes nothing: no file made, no migration run
    (for checks); FileNotFoundError when there is no file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    conn = await _connect(path, read_only=True)
    try:
        yield conn
    finally:
        await conn.close()


async def pending_migrations(session: Session) -> list[str]:
    """The migrations this code has and the store has not applied, by file name."""
    done: set[int] = set()
    if await fetch_one(
        session, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ):
        done = {row[0] for row in await fetch_all(session, "SELECT version FROM schema_migrations")}
    return [name for version, name, _sql in migrations() if version not in done]


async def _connect(path: Path, *, read_only: bool) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        if not read_only:
            await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA secure_delete=ON")  # erased data leaves no bytes behind
        if read_only:
            await conn.execute("PRAGMA query_only=ON")
    except BaseException:
        await conn.close()  # or its thread keeps the process from exiting (not a database)
        raise
    return conn


@asynccontextmanager
async def savepoint(tx: aiosqlite.Connection, name: str) -> AsyncIterator[aiosqlite.Connection]:
    """One step inside a transaction that may fail alone: an exception undoes this step's
    writes only (ROLLBACK TO), and the transaction goes on with the others."""
    if not name.isidentifier():
        raise ValueError(f"savepoint name must be an identifier: {name!r}")
    await tx.execute(f"SAVEPOINT {name}")
    try:
        yield tx
    except Exception:
        await tx.execute(f"ROLLBACK TO {name}")
        await tx.execute(f"RELEASE {name}")
        raise
    await tx.execute(f"RELEASE {name}")


def owner_only(path: Path) -> None:
    """Create the file readable and writable by its owner only, or make an existing one so
    (with its -wal and -shm), saying so when it was open to others."""
    if str(path) == ":memory:":
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY))
        return  # an empty file is an empty database to SQLite
    except FileExistsError:
        pass
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(part.stat().st_mode)
            if mode & ~OWNER_ONLY:
                part.chmod(mode & OWNER_ONLY)
                log.warning("%s was readable by others (%o); now by its owner only", part, mode)


def placeholders(values: Sequence[object]) -> str:
    """`?,?,?` for an `IN (...)` of these values (which are passed as parameters)."""
    return ",".join("?" * len(values))


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> aiosqlite.Row | None:
    rows = await fetch_all(conn, sql, params)
    return rows[0] if rows else None


async def fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> list[aiosqlite.Row]:
    """Every row, read in one call to the connection's thread: no other task's statement
    runs in between, so none holds the read session on an older snapshot than the last
    commit (a statement still open keeps SQLite's read transaction open)."""
    return list(await conn.execute_fetchall(sql, params))


async def insert(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> int:
    """Run an INSERT and return the new row id."""
    async with conn.execute(sql, params) as cursor:
        row_id = cursor.lastrowid
    if row_id is None:  # pragma: no cover - sqlite always sets it after an INSERT
        raise RuntimeError("INSERT gave no row id")
    return row_id
