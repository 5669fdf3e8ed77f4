"""What Doorstep logs, and what it keeps out of the logs.

A senior's name, phone and address must never reach a log file. Doorstep's own lines name
updates, orders and messages by id and kind only. Some libraries log what passes through
them: PTB's Bot every request and answer and its Application every update (DEBUG),
aiosqlite and psycopg statements with their parameters (DEBUG), httpx every URL, which holds the
bot's token (INFO). Those loggers are held at a level above that, whatever the root is.
"""

from __future__ import annotations

import logging

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


def configure(level: int = logging.INFO) -> None:
    """The command line's logging: one line per record, the libraries kept private."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    keep_private()


def update_kind(update: object) -> str:
    """'update 42 (callback_query)': enough to find it, nothing a person wrote."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "empty")
    return f"update {update.update_id} ({kind})"
