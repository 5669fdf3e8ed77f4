"""/approvals: the residents, staff and volunteers waiting for an admin's decision."""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks, pager
from bot.core.callbacks import Page, Resident, RoleRequest
from bot.core.i18n import t
from bot.services.people import approvals, messages, resident_approval
from data.roster import PendingRole
from handlers.buttons import Button, answer, show
from handlers.command_menus import publish_for
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


def _decision(lang: str, name: str, yes: str, no: str) -> pager.Rows:
    """Approve / Decline (their callback data) for one person of the list."""
    return [
        [
            (t(lang, "admin.approvals_list.approve_one", name=name), yes),
            (t(lang, "admin.approvals_list.decline_one", name=name), no),
        ]
    ]


def _role_entry(lang: str, person: PendingRole) -> pager.Entry:
    name = person.volunteer_name or person.first_name or str(person.account_id)
    text = t(
        lang,
        "admin.approvals.role_card",
        role=t(lang, f"staff.role.{person.role}"),
        canteen=person.canteen(lang),
        name=name,
        username=f"@{person.username}" if person.username else "-",
        phone=person.volunteer_phone or "-",
        area=person.area or "-",
        when=f"{person.created_at:%Y-%m-%d}",
    )
    ids = (person.account_id, person.canteen_id, person.role)
    yes, no = callbacks.APPROVE_ROLE.pack(*ids), callbacks.DECLINE_ROLE.pack(*ids)
    return pager.Entry(f"\n{text}", _decision(lang, name, yes, no))


def queue_pages(lang: str, found: approvals.Queue) -> pager.Pager:
    """Everyone waiting, oldest first, a card each with Approve / Decline, a page at a time."""
    people = len(found.roles)
    entries = [
        pager.Entry(
            f"\n{t(lang, 'resident.approval.ask', card=messages.resident_card(lang, r))}",
            _decision(
                lang,
                r.name,
                callbacks.APPROVE_RESIDENT.pack(r.id),
                callbacks.DECLINE_RESIDENT.pack(r.id),
            ),
        )
        for r in found.residents
    ]
    entries += [_role_entry(lang, person) for person in found.roles]
    return pager.Pager(
        lang,
        t(lang, "admin.approvals.title", residents=len(found.residents), people=people),
        entries,
        callbacks.APPROVALS_PAGE.pack,
    )


def _position(found: approvals.Queue, tap: Resident | RoleRequest) -> int:
    """Where the person a button is about stands in the list (-1 when gone)."""
    keys: list[tuple[object, ...]] = [Resident(r.id) for r in found.residents]
    keys += [RoleRequest(p.account_id, p.canteen_id, p.role) for p in found.roles]
    return keys.index(tap) if tap in keys else -1


async def _page(update: Update, context: Context, lang: str, at: int = -1) -> None:
    """The queue as it is now, on the page where entry `at` was (after a decision)."""
    found = await approvals.queue(context.deps, user_id(update))
    if found.empty:
        await show(update, t(lang, "admin.approvals.none"), None)
        return
    book = queue_pages(lang, found)
    shown = book.page(book.page_with(min(at, len(book.entries) - 1)) if at >= 0 else 0)
    await show(update, shown.text, inline(shown.rows))


async def show_queue(update: Update, context: Context) -> None:
    """List everyone waiting, one card each with Approve / Decline, a page at a time."""
    lang = await language_of(update, context)
    found = await approvals.queue(context.deps, user_id(update))
    if found.empty:
        await tell(update, context, t(lang, "admin.approvals.none"))
        return
    first = queue_pages(lang, found).page(0)
    await tell(update, context, first.text, reply_markup=inline(first.rows))


async def turn(update: Update, context: Context, tap: Page, lang: str) -> None:
    """Another page of the queue (read again, for an admin)."""
    found = await approvals.queue(context.deps, user_id(update))  # refused unless an admin
    await answer(update)
    if found.empty:
        await show(update, t(lang, "admin.approvals.none"), None)
        return
    shown = queue_pages(lang, found).page(tap.page)
    await show(update, shown.text, inline(shown.rows))


async def _decide_role(
    update: Update, context: Context, tap: RoleRequest, approve: bool, lang: str
) -> None:
    """Approve or decline a pending staff, admin or volunteer role."""
    deps = context.deps
    role = approvals.role_of(tap.role)
    at = _position(await approvals.queue(deps, user_id(update)), tap)
    name = await approvals.decide_role(
        deps, user_id(update), tap.account, tap.canteen, role, approve
    )
    outcome = "approved" if approve else "declined"
    role_name = t(lang, f"staff.role.{role}")
    await answer(update, t(lang, f"admin.approvals.done_{outcome}", name=name, role=role_name))
    await _page(update, context, lang, at=at)
    if approve:
        await publish_for(context.bot, deps, tap.account)


async def approve_role(update: Update, context: Context, tap: RoleRequest, lang: str) -> None:
    await _decide_role(update, context, tap, True, lang)


async def decline_role(update: Update, context: Context, tap: RoleRequest, lang: str) -> None:
    await _decide_role(update, context, tap, False, lang)


async def _decide_resident(
    update: Update, context: Context, tap: Resident, approve: bool, lang: str
) -> None:
    """Approve or decline a resident from the list."""
    deps = context.deps
    at = _position(await approvals.queue(deps, user_id(update)), tap)
    resident = await resident_approval.decide(deps, user_id(update), tap.resident, approve)
    done = t(lang, f"resident.approval.done_{resident.status}", name=resident.name)
    await answer(update, done)
    await _page(update, context, lang, at=at)


async def approve_resident(update: Update, context: Context, tap: Resident, lang: str) -> None:
    await _decide_resident(update, context, tap, True, lang)


async def decline_resident(update: Update, context: Context, tap: Resident, lang: str) -> None:
    await _decide_resident(update, context, tap, False, lang)


BUTTONS = (
    Button(callbacks.APPROVALS_PAGE, turn),
    Button(callbacks.APPROVE_ROLE, approve_role),
    Button(callbacks.DECLINE_ROLE, decline_role),
    Button(callbacks.APPROVE_RESIDENT, approve_resident),
    Button(callbacks.DECLINE_RESIDENT, decline_resident),
)
