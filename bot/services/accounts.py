"""Accounts: who is talking to the bot, their language, and their roles."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.i18n import LANGUAGES, pick_language
from bot.services.errors import DomainError
from data import accounts, canteens, links, residents
from data.models import Canteen, RoleGrant


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


async def who(deps: Deps, account_id: int) -> Who:
    conn = deps.db.conn
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


async def grant_settings_admins(deps: Deps) -> None:
    """The admin ids from settings are admins of every canteen."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for canteen in await canteens.all_canteens(tx):
            for admin_id in deps.config.settings.admin_ids:
                await accounts.ensure(tx, admin_id, now)
                await accounts.grant_role(tx, admin_id, canteen.id, "admin", None, now)


async def home_canteen(deps: Deps, who: Who) -> Canteen:
    """The canteen this account belongs to: of its first senior, else of its first role,
    else the first canteen of the community."""
    conn = deps.db.conn
    for resident_id in who.residents:
        resident = await residents.get(conn, resident_id)
        if resident is not None and (found := await canteens.get(conn, resident.canteen_id)):
            return found
    for grant in who.roles:
        if found := await canteens.get(conn, grant.canteen_id):
            return found
    return (await canteens.all_canteens(conn))[0]


async def language(deps: Deps, account_id: int) -> str:
    """The language to speak to this account in: chosen, else its Telegram's, else the default."""
    account = await accounts.get(deps.db.conn, account_id)
    if account is None:
        return pick_language(None, None)
    return pick_language(account.language, account.telegram_language)
