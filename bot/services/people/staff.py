"""Canteen staff and admins: who may act for a canteen, and how an admin adds people.

Someone who acts for several canteens says which one an invite or a role is for
(`WhichCanteenError` asks them); the canteen on a button is checked again here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.notices import notify
from bot.services.people import invites, messages
from data import accounts, audit, canteens, windows
from data.models import Canteen, Invite, Role, Window

STAFF_ROLES: tuple[Role, ...] = ("staff", "admin")
GRANTABLE: tuple[Role, ...] = ("staff", "admin", "volunteer")


@dataclass(frozen=True)
class Granted:
    account_id: int
    canteen_id: int
    role: Role
    first_name: str


class WhichCanteenError(DomainError):
    """The account acts for several canteens and must say which one this is for."""

    def __init__(self, choices: list[Canteen]) -> None:
        super().__init__("staff.canteen.which")
        self.choices = choices


def _role(value: str) -> Role:
    """A role an admin may hand out; a forged button names something else."""
    for role in GRANTABLE:
        if value == role:
            return role
    raise DomainError("core.error.stale_button")


async def canteens_of(
    deps: Deps, account_id: int, roles: tuple[Role, ...] = STAFF_ROLES
) -> list[int]:
    """The canteens where this account holds one of `roles`."""
    grants = await accounts.roles_of(deps.db.reader, account_id)
    return sorted({grant.canteen_id for grant in grants if grant.role in roles})


async def require(
    deps: Deps, account_id: int, canteen_id: int, roles: tuple[Role, ...] = STAFF_ROLES
) -> None:
    """Raise NotAllowedError unless the account holds one of `roles` at this canteen."""
    if canteen_id not in await canteens_of(deps, account_id, roles):
        raise NotAllowedError()


async def require_window(deps: Deps, account_id: int, window_id: int) -> Window:
    """The window, when this account is staff or admin of its canteen."""
    window = await windows.get(deps.db.reader, window_id)
    if window is None:
        raise NotAllowedError()
    await require(deps, account_id, window.canteen_id)
    return window


async def pick_canteen(
    deps: Deps, account_id: int, canteen_id: int | None, roles: tuple[Role, ...]
) -> int:
    """The canteen an action is for: the one named (when the account holds one of `roles`
    there), else its only one; WhichCanteenError when it has several and named none."""
    found = await canteens_of(deps, account_id, roles)
    if not found or (canteen_id is not None and canteen_id not in found):
        raise NotAllowedError()
    if canteen_id is not None:
        return canteen_id
    if len(found) > 1:
        named = [await canteens.get(deps.db.reader, found_id) for found_id in found]
        raise WhichCanteenError([canteen for canteen in named if canteen is not None])
    return found[0]


def _granting(role: Role) -> tuple[Role, ...]:
    """Who may bring someone in as `role`: staff or admins add volunteers, admins the rest."""
    return STAFF_ROLES if role == "volunteer" else ("admin",)


async def create_invite(
    deps: Deps, admin_id: int, kind: str, canteen_id: int | None = None
) -> Invite:
    """A one-use code that grants `kind` at one of the creator's canteens."""
    checked = _role(kind)
    chosen = await pick_canteen(deps, admin_id, canteen_id, _granting(checked))
    return await invites.create(deps, checked, chosen, admin_id)


async def grant(
    deps: Deps, admin_id: int, account_id: int, role: str, canteen_id: int | None = None
) -> Granted:
    """An admin gives a role at one of their canteens to an account (a forwarded message)."""
    checked = _role(role)
    canteen_id = await pick_canteen(deps, admin_id, canteen_id, ("admin",))
    if account_id == admin_id:
        raise DomainError("staff.roles.not_yourself")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        await accounts.grant_role(tx, account_id, canteen_id, checked, admin_id, now)
        subject, detail = f"account:{account_id}", f"canteen:{canteen_id}"
        await audit.record(tx, now, admin_id, f"role.grant.{checked}", subject, detail)
        lang = await notify.language_of(tx, account_id)
        welcome = messages.joined(lang, checked)
        key = f"role:{canteen_id}:{checked}:account:{account_id}"
        await notify.text(tx, key, account_id, welcome, now)
    deps.outbox_queued()
    account = await accounts.get(deps.db.reader, account_id)
    name = account.first_name if account and account.first_name else str(account_id)
    return Granted(account_id, canteen_id, checked, name)


async def recent_windows(deps: Deps, account_id: int) -> list[Window]:
    """Today's and tomorrow's windows of the canteens this account works for."""
    canteen_ids = await canteens_of(deps, account_id)
    today = deps.clock.now().date()
    return await windows.between(deps.db.reader, canteen_ids, today, today + timedelta(days=1))


async def kitchen_group_windows(deps: Deps, account_id: int, chat_id: int) -> list[Window] | None:
    """Today's and tomorrow's windows of the canteen whose kitchen group `chat_id` is, for
    its staff (NotAllowedError for anyone else); None when it is no canteen's kitchen group."""
    everyone = await canteens.all_canteens(deps.db.reader)
    kitchens = [canteen for canteen in everyone if canteen.kitchen_chat_id == chat_id]
    if not kitchens:
        return None
    await require(deps, account_id, kitchens[0].id)
    today = deps.clock.now().date()
    return await windows.between(deps.db.reader, [kitchens[0].id], today, today + timedelta(days=1))
