"""Accounts: who is talking to the bot, their language, and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import LANGUAGES, pick_language
from data import accounts, audit, canteens, links, outbox, residents
from data.db import Session
from data.models import Canteen, RoleGrant

# Messages held for someone who had not started the bot are sent when they do, if no
# older than this: a week-old "your meal is on its way" would only mislead.
HELD_FOR = timedelta(days=7)


@dataclass(frozen=True)
class Who:
    """An account as the handlers see it."""

    account_id: int
    language: str | None
    roles: tuple[RoleGrant, ...]
    residents: tuple[int, ...]

    def has_role(self, role: str, canteen_id: int | None = None) -> bool:
        return any(
            grant.role == role and (canteen_id is None or grant.canteen_id == canteen_id)
            for grant in self.roles
        )


async def touch(
    deps: Deps, account_id: int, first_name: str, username: str | None, client_language: str | None
) -> None:
    """Record the account (first contact) or refresh its name and client language."""
    async with deps.db.transaction() as tx:
        await accounts.upsert(
            tx, account_id, first_name, username, deps.clock.now(), client_language
        )


async def started(deps: Deps, account_id: int) -> None:
    """The person pressed Start: send what was held for them while they had not (Telegram
    lets a bot write to no one who never did), if it is not too old to mean anything."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        released = await outbox.release_held(tx, account_id, now, now - HELD_FOR)
    if released:
        deps.outbox_queued()


async def seen(deps: Deps, account_id: int) -> None:
    """Note that the account did something now (a senior's tap is a sign of life)."""
    async with deps.db.transaction() as tx:
        await accounts.mark_seen(tx, account_id, deps.clock.now())


async def who(deps: Deps, account_id: int) -> Who:
    conn = deps.db.reader
    account = await accounts.get(conn, account_id)
    grants = await accounts.roles_of(conn, account_id)
    linked = await links.residents_of(conn, account_id)
    return Who(
        account_id=account_id,
        language=account.language if account else None,
        roles=tuple(grants),
        residents=tuple(link.resident_id for link in linked),
    )


async def set_language(deps: Deps, account_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise DomainError("core.error.stale_button")
    async with deps.db.transaction() as tx:
        await accounts.set_language(tx, account_id, language)


async def grant_settings_admins(deps: Deps) -> list[int]:
    """The settings' admin ids are admins of every canteen, and exactly those: an id taken
    out of the settings loses the admin roles the settings gave it (an admin by invite
    keeps theirs). Every change is audited, by nobody (the settings); the accounts whose
    roles changed are returned, so their command menus can follow."""
    now = deps.clock.now()
    wanted = sorted(set(deps.config.settings.admin_ids))
    changed: set[int] = set()
    async with deps.db.transaction() as tx:
        for canteen in await canteens.all_canteens(tx):
            for admin_id in wanted:
                await accounts.ensure(tx, admin_id, now)
                if await accounts.grant_from_settings(tx, admin_id, canteen.id, now):
                    await _audit_settings(tx, deps, "grant", admin_id, canteen.id)
                    changed.add(admin_id)
        for account_id, canteen_id in await accounts.settings_admins(tx):
            if account_id in wanted:
                continue
            if await accounts.revoke_role(tx, account_id, canteen_id, "admin"):
                await _audit_settings(tx, deps, "revoke", account_id, canteen_id)
                changed.add(account_id)
    return sorted(changed)


async def _audit_settings(
    tx: Session, deps: Deps, what: str, account_id: int, canteen_id: int
) -> None:
    subject, detail = f"account:{account_id}", f"canteen:{canteen_id} DOORSTEP_ADMIN_IDS"
    await audit.record(tx, deps.clock.now(), None, f"role.{what}.admin", subject, detail)


async def home_canteen(deps: Deps, who: Who) -> Canteen:
    """The canteen this account belongs to: of its first senior, else of its first role,
    else the first canteen of the community."""
    conn = deps.db.reader
    for resident_id in who.residents:
        resident = await residents.get(conn, resident_id)
        if resident is not None and (found := await canteens.get(conn, resident.canteen_id)):
            return found
    for grant in who.roles:
        if found := await canteens.get(conn, grant.canteen_id):
            return found
    return (await canteens.all_canteens(conn))[0]


async def language(deps: Deps, account_id: int, client_language: str | None = None) -> str:
    """The language to speak to this account in: chosen, else its Telegram's, else the default."""
    account = await accounts.get(deps.db.reader, account_id)
    if account is None:
        return pick_language(None, client_language)
    return pick_language(account.language, account.telegram_language or client_language)
