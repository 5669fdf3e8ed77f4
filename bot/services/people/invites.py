"""Invite codes: one use, an expiry, and what redeeming one grants."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError
from data import accounts, audit, invites, links, residents
from data.models import Invite, InviteKind

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8
LIFETIME = {
    "family": timedelta(days=3),
    "staff": timedelta(days=2),
    "admin": timedelta(days=2),
    "volunteer": timedelta(days=7),
}


@dataclass(frozen=True)
class Redeemed:
    invite: Invite
    resident_name: str = ""


def normalise(code: str) -> str:
    return code.strip().upper()[:32]


async def create(
    deps: Deps, kind: InviteKind, canteen_id: int, created_by: int, resident_id: int | None = None
) -> Invite:
    now = deps.clock.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    async with deps.db.transaction() as tx:
        await invites.create(
            tx, code, kind, canteen_id, resident_id, created_by, now, now + LIFETIME[kind]
        )
        await audit.record(tx, now, created_by, f"invite.create.{kind}", f"invite:{code}")
    invite = await invites.get(deps.db.reader, code)
    assert invite is not None
    return invite


async def redeem(deps: Deps, account_id: int, raw_code: str) -> Redeemed:
    """Use a code once: link to a senior, or take a role at a canteen."""
    code = normalise(raw_code)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        invite = await invites.get(tx, code)
        if invite is None or not await invites.consume(tx, code, account_id, now):
            raise DomainError("core.invite.invalid")
        await accounts.ensure(tx, account_id, now)
        if invite.kind == "family":
            assert invite.resident_id is not None
            await links.create(tx, account_id, invite.resident_id, "family", now)
            subject = f"resident:{invite.resident_id}"
        else:
            await accounts.grant_role(
                tx, account_id, invite.canteen_id, invite.kind, invite.created_by, now
            )
            subject = f"account:{account_id}"
        await audit.record(tx, now, account_id, f"invite.redeem.{invite.kind}", subject, code)
    resident = (
        await residents.get(deps.db.reader, invite.resident_id) if invite.resident_id else None
    )
    return Redeemed(invite=invite, resident_name=resident.name if resident else "")
