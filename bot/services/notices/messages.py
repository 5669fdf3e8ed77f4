"""Notices about the notices in words: a chat that blocked the bot, a message Telegram
refused for its length, a scheduled step that keeps failing (and that it ran after all).

The services decide who hears about it; this module only says it.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.i18n import Html, t
from bot.core.labels import window_label
from data.models import Canteen, OutboxMessage

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.notices.step_alerts import Audience

ERROR_CHARS = 200  # enough to name the cause ("database is locked"), short on a phone
PREVIEW = 60  # characters of a refused message the staff see


def blocked(lang: str, name: str, chat_id: int) -> Html:
    """To the staff: someone they serve blocked the bot and hears nothing more."""
    return t(lang, "core.blocked.staff_alert", name=name, id=chat_id)


def too_long(lang: str, kitchen: Canteen | None, name: str, refused: OutboxMessage) -> Html:
    """To the staff: a message to a kitchen chat, or to a person, was refused for its
    length; how it began."""
    if kitchen is not None:
        who = t(lang, "core.refused.kitchen", canteen=kitchen.display_name(lang))
    else:
        who = t(lang, "core.refused.person", name=name, id=refused.chat_id)
    return t(lang, "core.refused.too_long", who=who, start=preview(refused))


def preview(message: OutboxMessage) -> str:
    """How a message began, as plain text."""
    payload = json.loads(message.payload)
    text = str(payload.get("text") or payload.get("caption") or payload.get("filename") or "")
    plain = " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())
    return plain if len(plain) <= PREVIEW else plain[: PREVIEW - 1] + "…"


def place(audience: Audience, lang: str) -> Html:
    """Where the failing step works: its window, else its canteen, else every canteen."""
    if audience.window is not None:
        return window_label(audience.window, lang)
    if audience.canteen is not None:
        return Html(html.escape(audience.canteen.display_name(lang), quote=False))
    return t(lang, "staff.step_failing.all_canteens")


def failing_text(lang: str, step: str, where: Html, since: datetime, error: str) -> Html:
    error = error.split("\n", 1)[0]  # PostgreSQL's next lines quote the statement
    cause = error if len(error) <= ERROR_CHARS else error[: ERROR_CHARS - 1] + "…"
    return t(
        lang,
        "staff.step_failing.failing",
        step=t(lang, f"staff.step_failing.step.{step}"),
        where=where,
        since=f"{since:%H:%M}",
        error=cause,
    )


def done_text(lang: str, step: str, where: Html, late: timedelta) -> Html:
    return t(
        lang,
        "staff.step_failing.done",
        step=t(lang, f"staff.step_failing.step.{step}"),
        where=where,
        minutes=max(1, round(late.total_seconds() / 60)),
    )
