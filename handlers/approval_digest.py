"""The buttons of an approval digest: Approve or Decline one senior; the digest then shows
what was done and the others still waiting on it."""

from __future__ import annotations

from telegram import Message, Update

from bot.core import callbacks
from bot.core.callbacks import Resident
from bot.core.i18n import t
from bot.services.people import approval_digest, messages, resident_approval
from handlers.buttons import Button, answer, show
from handlers.common import Context, user_id
from handlers.keyboards import inline

DECISIONS = (callbacks.DIGEST_APPROVE, callbacks.DIGEST_DECLINE)


def _on_message(update: Update) -> list[int]:
    """The seniors the tapped digest still offers buttons for."""
    query = update.callback_query
    message = query.message if query else None
    keyboard = message.reply_markup if isinstance(message, Message) else None
    found = []
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            tap = callbacks.read(button.callback_data)
            if tap is not None and tap.route in DECISIONS:
                found.append(tap.payload.resident)
    return found


async def _decide(
    update: Update, context: Context, resident_id: int, approve: bool, lang: str
) -> None:
    """Approve or decline one senior of the digest; the digest shows the others left."""
    deps, admin_id = context.deps, user_id(update)
    decided = await resident_approval.decide(deps, admin_id, resident_id, approve)
    done = t(lang, f"resident.approval.done_{decided.status}", name=decided.name)
    others = [found for found in _on_message(update) if found != resident_id]
    rest = await approval_digest.still_waiting(deps, admin_id, others)
    page = messages.digest_pages(lang, rest, done)[0]  # they fitted on this page before
    await answer(update)
    await show(update, page.text, inline(page.buttons))


async def approve(update: Update, context: Context, tap: Resident, lang: str) -> None:
    await _decide(update, context, tap.resident, True, lang)


async def decline(update: Update, context: Context, tap: Resident, lang: str) -> None:
    await _decide(update, context, tap.resident, False, lang)


BUTTONS = (
    Button(callbacks.DIGEST_APPROVE, approve),
    Button(callbacks.DIGEST_DECLINE, decline),
)
