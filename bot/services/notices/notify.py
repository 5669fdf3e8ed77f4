"""Messages that must arrive, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Literal

from bot.core import pager
from data import accounts, outbox
from data.db import Session

Buttons = list[list[tuple[str, str]]]  # rows of (label, callback_data)


def inline(buttons: Buttons | None) -> dict[str, object] | None:
    if not buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in buttons
        ]
    }


async def text(
    tx: Session,
    key: str,
    chat_id: int,
    body: str,
    now: datetime,
    buttons: Buttons | None = None,
    *,
    urgent: bool = False,
) -> bool:
    """Queue an HTML text message; the same key twice queues it once. An urgent one (an
    alert about a senior's safety) is sent before every routine message still waiting.

    A text longer than one message is queued as parts in order, cut at line ends: the
    first under `key`, the next under `key:part:2` and so on; the buttons go on the last.
    """
    parts = pager.split(body)
    markup = inline(buttons)
    priority = outbox.URGENT if urgent else outbox.ROUTINE
    queued = False
    for number, part in enumerate(parts):
        payload: dict[str, object] = {"text": part}
        if markup is not None and number == len(parts) - 1:
            payload["reply_markup"] = markup
        part_key = key if number == 0 else f"{key}:part:{number + 1}"
        queued = (
            await outbox.enqueue(tx, part_key, chat_id, "text", payload, now, priority) or queued
        )
    return queued


async def document(
    tx: Session,
    key: str,
    chat_id: int,
    filename: str,
    content: bytes,
    caption: str,
    now: datetime,
) -> bool:
    """Queue a file (a CSV, a workbook, an export) with a caption."""
    return await _file(tx, "document", key, chat_id, filename, content, caption, now)


async def photo(
    tx: Session,
    key: str,
    chat_id: int,
    filename: str,
    content: bytes,
    caption: str,
    now: datetime,
) -> bool:
    """Queue a picture (a chart) with a caption."""
    return await _file(tx, "photo", key, chat_id, filename, content, caption, now)


async def _file(
    tx: Session,
    kind: Literal["document", "photo"],
    key: str,
    chat_id: int,
    filename: str,
    content: bytes,
    caption: str,
    now: datetime,
) -> bool:
    payload = {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode(),
        "caption": caption,
    }
    return await outbox.enqueue(tx, key, chat_id, kind, payload, now)


async def voice(
    tx: Session,
    key: str,
    chat_id: int,
    file_id: str,
    caption: str,
    now: datetime,
    buttons: Buttons | None = None,
    *,
    urgent: bool = False,
) -> bool:
    """Queue a voice message Telegram already keeps (a senior's), by its file_id."""
    payload: dict[str, object] = {"file_id": file_id, "caption": caption}
    markup = inline(buttons)
    if markup is not None:
        payload["reply_markup"] = markup
    priority = outbox.URGENT if urgent else outbox.ROUTINE
    return await outbox.enqueue(tx, key, chat_id, "voice", payload, now, priority)


async def location(
    tx: Session, key: str, chat_id: int, lat: float, lon: float, now: datetime
) -> bool:
    return await outbox.enqueue(tx, key, chat_id, "location", {"lat": lat, "lon": lon}, now)


async def language_of(tx: Session, account_id: int) -> str:
    """The language to write to an account in: its choice, else its Telegram client's."""
    from bot.core.i18n import pick_language

    chosen, client = (await accounts.languages(tx, [account_id])).get(account_id, (None, None))
    return pick_language(chosen, client)
