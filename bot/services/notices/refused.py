"""A queued message Telegram refused for its length: the canteen's staff hear of it.

Texts are split before they are queued, so this is the last line of defence (a caption,
a keyboard over Telegram's limits, a count that differs from ours): the message is not
sent, and a person learns who missed what, so they can pass it on another way.
"""

from __future__ import annotations

from bot.core.deps import Deps
from bot.services.notices import messages, notify
from data import accounts, canteens, links, residents
from data.db import Session
from data.models import OutboxMessage

KEY = "too-long"


def is_length(error: str) -> bool:
    """Telegram's refusals for length: text, caption or reply markup "is too long"."""
    return "too long" in error.lower()


async def too_long(deps: Deps, message: OutboxMessage) -> None:
    """Tell the staff of every canteen the chat belongs to (else the settings' admins)."""
    if message.key.startswith(f"{KEY}:"):
        return  # a notice about a refused notice was refused: never loop
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        kitchens = [
            c for c in await canteens.all_canteens(tx) if c.kitchen_chat_id == message.chat_id
        ]
        canteen_ids = {c.id for c in kitchens} | await _canteens_of(tx, message.chat_id)
        people: list[int] = []
        for canteen_id in sorted(canteen_ids):
            people += await accounts.holders(tx, canteen_id, "staff")
            people += await accounts.holders(tx, canteen_id, "admin")
        account = await accounts.get(tx, message.chat_id)
        kitchen = kitchens[0] if kitchens else None
        name = account.first_name if account and account.first_name else ""
        for person in dict.fromkeys(people or deps.config.settings.admin_ids):
            lang = await notify.language_of(tx, person)
            body = messages.too_long(lang, kitchen, name, message)
            await notify.text(tx, f"{KEY}:{message.id}:account:{person}", person, body, now)
    deps.outbox_queued()


async def _canteens_of(tx: Session, chat_id: int) -> set[int]:
    """The canteens an account works at or orders from."""
    found = {grant.canteen_id for grant in await accounts.roles_of(tx, chat_id)}
    for link in await links.residents_of(tx, chat_id):
        resident = await residents.get(tx, link.resident_id)
        if resident is not None:
            found.add(resident.canteen_id)
    return found
