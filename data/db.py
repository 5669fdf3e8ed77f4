"""The store: SQLite (one file, the embedded default) or PostgreSQL (a city's database),
behind one `Session`; versioned migrations written once.

`DOORSTEP_DB` says which: a path or `sqlite:///path` is a SQLite file (aiosqlite, WAL,
foreign keys on), `postgresql://user@host/db` a PostgreSQL database (psycopg 3). The rest
of data/ writes its SQL once, in the portable subset; data/dialect.py rewrites it for
PostgreSQL. Rows come back as `Row` on both: by position or by column name, with integers,
floats, text and bytes of the same Python types.

A SQLite file holds seniors' names, phones and addresses, so it and every backup are
created readable by their owner only (0600); SQLite gives the -wal and -shm files it
makes later the database file's own permissions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite
import psycopg
from psycopg.adapt import Buffer, Loader

from data import dialect

Params = Sequence[Any] | dict[str, Any]
# A migration that rebuilds a table (to change a CHECK, say) starts with this line; on
# SQLite it runs with foreign keys off, as SQLite requires, and is checked before it
# commits; on PostgreSQL the foreign keys other tables had on the old table are put back
# on the new one.
REBUILDS_TABLES = "-- rebuilds tables"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
# Every process of one store takes this advisory lock to migrate, one at a time.
_MIGRATION_LOCK = 0x0D0025

OWNER_ONLY = 0o600
log = logging.getLogger("doorstep.db")

# What the drivers raise, for the few places that must tell a failed statement apart.
IntegrityError = (sqlite3.IntegrityError, psycopg.IntegrityError)
DatabaseError = (sqlite3.DatabaseError, psycopg.Error)


def target(value: str | Path) -> tuple[str, str]:
    """(backend, where) for a `DOORSTEP_DB` value: a path, `sqlite:///path` (`sqlite:////`
    for an absolute one) or `postgresql://…`."""
    text = str(value)
    if text.startswith(("postgresql://", "postgres://")):
        return POSTGRESQL, text
    if text.startswith("sqlite:///"):
        return SQLITE, text.removeprefix("sqlite:///")
    if "://" in text:
        raise ValueError(f"unknown store {text.split('://')[0]!r} (use a path or postgresql://…)")
    return SQLITE, text


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


class Shape:
    """The columns of one result: their names in order, and where each name is."""

    __slots__ = ("columns", "index")

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.index: dict[str, int] = {}
        for position, name in enumerate(columns):
            self.index.setdefault(name, position)
        for position, name in enumerate(columns):
            self.index.setdefault(name.lower(), position)


@lru_cache(maxsize=1024)
def shape(columns: tuple[str, ...]) -> Shape:
    return Shape(columns)


class Row:
    """One row: `row[0]`, `row["name"]` (any case), `dict(row)`, unpacking."""

    __slots__ = ("_shape", "_values")

    def __init__(self, row_shape: Shape, values: Sequence[Any]) -> None:
        self._shape = row_shape
        self._values = tuple(values)

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            index = self._shape.index.get(key)
            if index is None:
                index = self._shape.index.get(key.lower())
            if index is None:
                raise IndexError(f"No item with that key: {key!r}")
            return self._values[index]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._shape.columns)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return self._values == other._values and self.keys() == other.keys()

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self.keys(), self._values, strict=True))!r})"


class LeaseLostError(Exception):
    """This process no longer holds the leader's lease: it must not write."""


class Done:
    """What a write statement did: how many rows it changed."""

    __slots__ = ("rowcount",)

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount


def _value(value: Any) -> Any:
    """A parameter as both stores keep it: booleans 0/1, days and times ISO text (as
    Python's sqlite3 adapters wrote them)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _values(params: Params) -> Params:
    if isinstance(params, dict):
        return {key: _value(value) for key, value in params.items()}
    return tuple(_value(value) for value in params)


class Session:
    """What the rest of the code holds to read or write: it passes a session to the
    functions of data/ and never runs SQL on it itself. One connection of either store."""

    dialect: str

    async def execute(self, sql: str, params: Params = ()) -> Done:
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        raise NotImplementedError

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        raise NotImplementedError

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row's id (`RETURNING id`)."""
        if "RETURNING" not in sql.upper():
            sql += " RETURNING id"
        row = await self.fetch_one(sql, params)
        if row is None:
            raise RuntimeError("INSERT gave no row id")
        return int(row[0])

    async def table_exists(self, name: str) -> bool:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class SqliteSession(Session):
    dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.raw = conn  # the driver's connection, for SQLite's own tools (tests, backup)

    async def execute(self, sql: str, params: Params = ()) -> Done:
        cursor = await self.raw.execute(sql, _values(params))
        done = Done(cursor.rowcount)
        await cursor.close()
        return done

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self.raw.executemany(sql, [_values(row) for row in rows])

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row, read in one call to the connection's thread: no other task's
        statement runs in between, so none holds the read session on an older snapshot
        than the last commit (a statement still open keeps SQLite's read transaction)."""
        return list(await self.raw.execute_fetchall(sql, _values(params)))  # type: ignore[arg-type]

    async def table_exists(self, name: str) -> bool:
        found = await self.fetch_one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return found is not None

    async def close(self) -> None:
        await self.raw.close()


def _sqlite_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    return Row(shape(tuple(column[0] for column in cursor.description)), values)


class _WholeNumbers(Loader):
    """numeric (what SUM of integers gives on PostgreSQL) as int when whole, else float,
    as SQLite gives it."""

    def load(self, data: Buffer) -> int | float:
        number = Decimal(bytes(data).decode())
        return int(number) if number == number.to_integral_value() else float(number)


class PostgresSession(Session):
    dialect = POSTGRESQL

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.raw = conn

    async def execute(self, sql: str, params: Params = ()) -> Done:
        cursor = await self.raw.execute(dialect.postgres(sql), _values(params))
        return Done(cursor.rowcount)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.raw.cursor() as cursor:
            await cursor.executemany(dialect.postgres(sql), [_values(row) for row in rows])

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = await self.raw.execute(dialect.postgres(sql), _values(params))
        if cursor.description is None:
            return []
        names = shape(tuple(column.name for column in cursor.description))
        return [Row(names, values) for values in await cursor.fetchall()]

    async def table_exists(self, name: str) -> bool:
        found = await self.fetch_one("SELECT to_regclass(?) IS NOT NULL", (name,))
        return bool(found and found[0])

    async def close(self) -> None:
        await self.raw.close()


async def _connect_postgres(url: str, *, read_only: bool = False) -> PostgresSession:
    options = "-c default_transaction_read_only=on" if read_only else None
    conn = await psycopg.AsyncConnection.connect(
        url, autocommit=True, options=options, application_name="doorstep"
    )
    conn.adapters.register_loader("numeric", _WholeNumbers)
    return PostgresSession(conn)


class Database:
    """The store: a transaction for writes (one at a time), a session for reads.

    Reads go through a connection of their own, so a read never sees what another task
    has written but not yet committed (SQLite's WAL, PostgreSQL's read committed give it
    the last committed state). The writing session (`conn`) is the store's own; only
    tests reach for it.
    """

    def __init__(self, conn: Session, where: str, dialect_name: str) -> None:
        self.conn = conn
        self.where = where
        self.dialect = dialect_name
        self._reader: Session = conn
        self._write_lock = asyncio.Lock()
        self._fence: Callable[[Session], Awaitable[bool]] | None = None
        self._fence_lost: Callable[[], None] = lambda: None

    def fence_with(
        self, still_held: Callable[[Session], Awaitable[bool]], lost: Callable[[], None]
    ) -> None:
        """Check `still_held` first in every transaction from now on (the leader's lease,
        in the same transaction as its writes); when it is not, undo the transaction,
        call `lost` and raise LeaseLostError."""
        self._fence, self._fence_lost = still_held, lost

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL store has none)."""
        if self.dialect != SQLITE:
            raise ValueError("a PostgreSQL store has no file")
        return Path(self.where)

    @classmethod
    async def open(cls, store: Path | str) -> Database:
        backend, where = target(store)
        if backend == POSTGRESQL:
            db = cls(await _connect_postgres(where), where, POSTGRESQL)
            await db.migrate()
            db._reader = await _connect_postgres(where, read_only=True)
            return db
        path = Path(where)
        owner_only(path)
        db = cls(await _connect(path, read_only=False), str(path), SQLITE)
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
        """Apply the migrations not yet applied, each inside its own transaction (several
        processes starting at once apply each one once)."""
        applied: list[int] = []
        if not await self.conn.table_exists("schema_migrations"):
            async with self.transaction() as tx:
                await self._lock_migrations(tx)
                await tx.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
        for version, name, sql in migrations():
            if await self._applied(self.conn, version):
                continue
            if await self._apply(version, name, sql):
                applied.append(version)
        return applied

    @staticmethod
    async def _applied(session: Session, version: int) -> bool:
        found = await session.fetch_one(
            "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
        )
        return found is not None

    async def _lock_migrations(self, tx: Session) -> None:
        if tx.dialect == POSTGRESQL:
            await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    async def _apply(self, version: int, name: str, sql: str) -> bool:
        rebuilds = REBUILDS_TABLES in sql
        on_sqlite = self.dialect == SQLITE
        if rebuilds and on_sqlite:  # SQLite's way to rebuild a table: foreign keys off
            await self.conn.execute("PRAGMA foreign_keys=OFF")
        try:
            async with self.transaction() as tx:
                await self._lock_migrations(tx)
                if await self._applied(tx, version):
                    return False  # another process applied it meanwhile
                kept: list[tuple[str, str, str]] = []
                for statement in statements(sql):
                    if not on_sqlite and (dropped := dialect.table_dropped(statement)):
                        kept += await _foreign_keys_onto(tx, dropped)
                        statement = f"DROP TABLE {dropped} CASCADE"
                    await tx.execute(statement)
                if on_sqlite:
                    broken = await tx.fetch_all("PRAGMA foreign_key_check")
                    if broken:
                        raise RuntimeError(f"{name} breaks foreign keys: {tuple(broken[0])}")
                else:
                    await _restore_foreign_keys(tx, kept)
                    await restart_ids(tx)
                await tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).isoformat()),
                )
        finally:
            if rebuilds and on_sqlite:
                await self.conn.execute("PRAGMA foreign_keys=ON")
        return True

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        """BEGIN ... COMMIT, or ROLLBACK on any exception; one writer at a time (SQLite's
        BEGIN IMMEDIATE takes the file's write lock at once)."""
        begin = "BEGIN IMMEDIATE" if self.dialect == SQLITE else "BEGIN"
        async with self._write_lock:
            await self.conn.execute(begin)
            try:
                if self._fence is not None and not await self._fence(self.conn):
                    self._fence_lost()
                    raise LeaseLostError("another process holds the lease now")
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Rows of a read (committed data), for tests and maintenance."""
        return await self._reader.fetch_all(sql, params)

    async def backup(self, copy: Path | str) -> None:
        """An online copy through SQLite's backup API, safe while the bot runs (a
        PostgreSQL store is backed up with the server's own tools: pg_dump, replicas)."""
        if not isinstance(self.conn, SqliteSession):
            raise ValueError("a PostgreSQL store is backed up with pg_dump or a replica")
        async with self._write_lock:
            owner_only(Path(copy))
            dest = await aiosqlite.connect(copy)
            try:
                await self.conn.raw.backup(dest)
            finally:
                await dest.close()


async def _foreign_keys_onto(tx: Session, table: str) -> list[tuple[str, str, str]]:
    """(table, name, definition) of other tables' foreign keys onto `table`, which
    DROP ... CASCADE takes away (SQLite keeps them, by the table's name)."""
    rows = await tx.fetch_all(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = to_regclass(?)"
        " AND c.conrelid <> c.confrelid",
        (table,),
    )
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


async def _restore_foreign_keys(tx: Session, kept: list[tuple[str, str, str]]) -> None:
    for table, name, definition in kept:
        if not await tx.table_exists(table):
            continue
        same = await tx.fetch_one(
            "SELECT 1 FROM pg_constraint WHERE contype = 'f' AND conrelid = to_regclass(?)"
            " AND pg_get_constraintdef(oid) = ?",
            (table, definition),
        )
        if same is None:  # names and definitions come from the catalogue, not from input
            await tx.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


async def restart_ids(tx: Session) -> None:
    """Start every identity column after its table's largest id (rows copied in with their
    ids, as a rebuild or `migrate-store` does, do not move the counter)."""
    if tx.dialect != POSTGRESQL:
        return
    columns = await tx.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for table, column in columns:
        await tx.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?),"
            f" COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)",
            (table, column),
        )


@asynccontextmanager
async def read_only(store: Path | str) -> AsyncIterator[Session]:
    """A session on an existing store that changes nothing: no file made, no migration run
    (for checks); FileNotFoundError when there is no SQLite file."""
    backend, where = target(store)
    session: Session
    if backend == POSTGRESQL:
        session = await _connect_postgres(where, read_only=True)
    else:
        path = Path(where)
        if not await asyncio.to_thread(path.is_file):
            raise FileNotFoundError(path)
        session = await _connect(path, read_only=True)
    try:
        yield session
    finally:
        await session.close()


async def pending_migrations(session: Session) -> list[str]:
    """The migrations this code has and the store has not applied, by file name."""
    done: set[int] = set()
    if await session.table_exists("schema_migrations"):
        done = {row[0] for row in await fetch_all(session, "SELECT version FROM schema_migrations")}
    return [name for version, name, _sql in migrations() if version not in done]


async def _connect(path: Path, *, read_only: bool) -> SqliteSession:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = _sqlite_row  # type: ignore[assignment]
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
    return SqliteSession(conn)


@asynccontextmanager
async def savepoint(tx: Session, name: str) -> AsyncIterator[Session]:
    """One step inside a transaction that may fail alone: an exception undoes this step's
    writes only (ROLLBACK TO), and the transaction goes on with the others."""
    if not name.isidentifier():
        raise ValueError(f"savepoint name must be an identifier: {name!r}")
    await tx.execute(f"SAVEPOINT {name}")
    try:
        yield tx
    except Exception:
        await tx.execute(f"ROLLBACK TO SAVEPOINT {name}")
        await tx.execute(f"RELEASE SAVEPOINT {name}")
        raise
    await tx.execute(f"RELEASE SAVEPOINT {name}")


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


async def fetch_one(session: Session, sql: str, params: Params = ()) -> Row | None:
    return await session.fetch_one(sql, params)


async def fetch_all(session: Session, sql: str, params: Params = ()) -> list[Row]:
    return await session.fetch_all(sql, params)


async def insert(session: Session, sql: str, params: Params = ()) -> int:
    """Run an INSERT and return the new row id."""
    return await session.insert(sql, params)
