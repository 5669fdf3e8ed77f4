"""What Doorstep logs, and what it keeps out of the logs.

A senior's name, phone and address must never reach a log file. Doorstep's own lines name
updates, orders and messages by id and kind only. Some libraries log what passes through
them: PTB's Bot every request and answer and its Application every update (DEBUG),
aiosqlite and psycopg statements with their parameters (DEBUG), httpx every URL, which holds the
bot's token (INFO). Those loggers are held at a level above that, whatever the root is.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from telegram import Update

QUIET = {
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "psycopg": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.INFO,
}


def keep_private() -> None:
    """Pin the libraries that log contents to a level where they do not (a level of their
    own, so a root logger turned to DEBUG later does not bring them down with it)."""
    for name, level in QUIET.items():
        logger = logging.getLogger(name)
        if logger.level < level:  # NOTSET (0) included: it would follow the root
            logger.setLevel(level)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object a line (DOORSTEP_LOG_JSON), for journald, Docker and log shippers:
    time (UTC), level, logger, message, and the traceback as `error` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, object] = {
            "time": moment.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: int | str = logging.INFO, *, json_lines: bool = False) -> None:
    """The command line's logging: one line per record (text, or JSON when asked), at
    `level`, the libraries kept private. Called again once the settings are read, it
    replaces its own handler; a handler someone else installed first (a test runner)
    is left alone and only the level is set."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "doorstep", False)]
    if ours or not root.handlers:
        for handler in ours:
            root.removeHandler(handler)
        handler = logging.StreamHandler()
        handler.doorstep = True  # type: ignore[attr-defined]
        handler.setFormatter(JsonLines() if json_lines else logging.Formatter(TEXT_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    keep_private()


def update_kind(update: object) -> str:
    """'update 42 (callback_query)': enough to find it, nothing a person wrote."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "empty")
    return f"update {update.update_id} ({kind})"
