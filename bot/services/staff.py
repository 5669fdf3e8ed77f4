"""Canteen staff and admins: who may act for a canteen, and how an admin adds people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.deps import Deps
from bot.i18n import t
from bot.services import invites, notify
from bot.services.errors import DomainError, NotAllowedError
from data import accounts, audit, canteens, windows
from data.models import Invite, Role, Window

STAFF_ROLES: tuple[Role, ...] = ("staff", "admin")
GRANTABLE: tuple[Role, ...] = ("staff", "admin", "volunteer")


@dataclass(frozen=True)
class Granted:
    account_id: int
    canteen_id: int
    role: Role
    first_name: str


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
    grants = await accounts.roles_of(deps.db.conn, account_id)
    return sorted({grant.canteen_id for grant in grants if grant.role in roles})


async def require(
    deps: Deps, account_id: int, canteen_id: int, roles: tuple[Role, ...] = STAFF_ROLES
) -> None:
    """Raise NotAllowedError unless the account holds one of `roles` at this canteen."""
    if canteen_id not in await canteens_of(deps, account_id, roles):
        raise NotAllowedError()


async def require_window(deps: Deps, account_id: int, window_id: int) -> Window:
    """The window, when this account is staff or admin of its canteen."""
    window = await windows.get(deps.db.conn, window_id)
    if window is None:
        raise NotAllowedError()
    await require(deps, account_id, window.canteen_id)
    return window


async def admin_canteen(deps: Deps, account_id: int) -> int:
    """The (first) canteen this account administers; NotAllowedError when none."""
    found = await canteens_of(deps, account_id, ("admin",))
    if not found:
        raise NotAllowedError()
    return found[0]


async def create_invite(deps: Deps, admin_id: int, kind: str) -> Invite:
    """A one-use code that grants `kind` at the creator's canteen (staff: volunteers only)."""
    checked = _role(kind)
    if checked == "volunteer":  # staff may bring in volunteers; only admins add staff
        found = await canteens_of(deps, admin_id)
        if not found:
            raise NotAllowedError()
        canteen_id = found[0]
    else:
        canteen_id = await admin_canteen(deps, admin_id)
    return await invites.create(deps, checked, canteen_id, admin_id)


async def grant(deps: Deps, admin_id: int, account_id: int, role: str) -> Granted:
    """An admin gives a role at their canteen to an account (from a forwarded message)."""
    checked = _role(role)
    canteen_id = await admin_canteen(deps, admin_id)
    if account_id == admin_id:
        raise DomainError("staff.roles.not_yourself")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        await accounts.grant_role(tx, account_id, canteen_id, checked, admin_id, now)
        await audit.record(tx, now, admin_id, f"role.grant.{checked}", f"account:{account_id}")
        lang = await notify.language_of(tx, account_id)
        welcome = t(lang, f"core.invite.joined_{checked}")
        key = f"role:{canteen_id}:{checked}:account:{account_id}"
        await notify.text(tx, key, account_id, welcome, now)
    deps.outbox_queued()
    account = await accounts.get(deps.db.conn, account_id)
    name = account.first_name if account and account.first_name else str(account_id)
    return Granted(account_id, canteen_id, checked, name)


async def recent_windows(deps: Deps, account_id: int) -> list[Window]:
    """Today's and tomorrow's windows of the canteens this account works for."""
    canteen_ids = await canteens_of(deps, account_id)
    today = deps.clock.now().date()
    return await windows.between(deps.db.conn, canteen_ids, today, today + timedelta(days=1))


async def kitchen_group_windows(deps: Deps, account_id: int, chat_id: int) -> list[Window] | None:
    """Today's and tomorrow's windows of the canteen whose kitchen group `chat_id` is, for
    its staff (NotAllowedError for anyone else); None when it is no canteen's kitchen group."""
    everyone = await canteens.all_canteens(deps.db.conn)
    kitchens = [canteen for canteen in everyone if canteen.kitchen_chat_id == chat_id]
    if not kitchens:
        return None
    await require(deps, account_id, kitchens[0].id)
    today = deps.clock.now().date()
    return await windows.between(deps.db.conn, [kitchens[0].id], today, today + timedelta(days=1))
