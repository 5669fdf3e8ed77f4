"""Messages that must arrive, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

import base64
from datetime import datetime

import aiosqlite

from data import accounts, outbox

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
    tx: aiosqlite.Connection,
    key: str,
    chat_id: int,
    body: str,
    now: datetime,
    buttons: Buttons | None = None,
) -> bool:
    """Queue an HTML text message; the same key twice queues it once."""
    payload: dict[str, object] = {"text": body}
    markup = inline(buttons)
    if markup is not None:
        payload["reply_markup"] = markup
    return await outbox.enqueue(tx, key, chat_id, "text", payload, now)


async def document(
    tx: aiosqlite.Connection,
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
    return await outbox.enqueue(tx, key, chat_id, "document", payload, now)


async def photo(
    tx: aiosqlite.Connection,
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
    return await outbox.enqueue(tx, key, chat_id, "photo", payload, now)


async def location(
    tx: aiosqlite.Connection, key: str, chat_id: int, lat: float, lon: float, now: datetime
) -> bool:
    return await outbox.enqueue(tx, key, chat_id, "location", {"lat": lat, "lon": lon}, now)


async def language_of(tx: aiosqlite.Connection, account_id: int) -> str:
    """The language to write to an account in: its choice, else its Telegram client's."""
    from bot.i18n import pick_language

    chosen, client = (await accounts.languages(tx, [account_id])).get(account_id, (None, None))
    return pick_language(chosen, client)
