"""/approvals: the residents, staff and volunteers waiting for an admin's decision."""

from __future__ import annotations

from telegram import Update

from bot.core import pager
from bot.core.callbacks import Callback, pack
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.people import approvals, messages, resident_approval
from data.roster import PendingRole
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import inline
from handlers.staff_ui import show, user_id

PREFIX = "adm1"


def _decision(lang: str, name: str, *ids: object) -> pager.Rows:
    """Approve / Decline for one person of the list: `ra`/`rd` a resident, `ro`/`rn` a role."""
    yes, no = ("ra", "rd") if len(ids) == 1 else ("ro", "rn")
    return [
        [
            (t(lang, "admin.approvals_list.approve_one", name=name), pack(PREFIX, yes, *ids)),
            (t(lang, "admin.approvals_list.decline_one", name=name), pack(PREFIX, no, *ids)),
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
    return pager.Entry(f"\n{text}", _decision(lang, name, *ids))


def queue_pages(lang: str, found: approvals.Queue) -> pager.Pager:
    """Everyone waiting, oldest first, a card each with Approve / Decline, a page at a time."""
    people = len(found.roles)
    entries = [
        pager.Entry(
            f"\n{t(lang, 'resident.approval.ask', card=messages.resident_card(lang, r))}",
            _decision(lang, r.name, r.id),
        )
        for r in found.residents
    ]
    entries += [_role_entry(lang, person) for person in found.roles]
    return pager.Pager(
        lang,
        t(lang, "admin.approvals.title", residents=len(found.residents), people=people),
        entries,
        lambda n: pack(PREFIX, "ap", n),
    )


def _position(found: approvals.Queue, callback: Callback) -> int:
    """Where the person a button is about stands in the list (-1 when gone)."""
    keys: list[tuple[object, ...]] = [("r", r.id) for r in found.residents]
    keys += [("p", p.account_id, p.canteen_id, p.role) for p in found.roles]
    if callback.action in ("ra", "rd"):
        wanted: tuple[object, ...] = ("r", callback.int_arg(0))
    else:
        wanted = ("p", callback.int_arg(0), callback.int_arg(1), callback.args[2])
    return keys.index(wanted) if wanted in keys else -1


async def _page(update: Update, context: Context, lang: str, at: int = -1) -> None:
    """The queue as it is now, on the page where entry `at` was (after a decision)."""
    found = await approvals.queue(deps_of(context), user_id(update))
    if found.empty:
        await show(update, t(lang, "admin.approvals.none"), None)
        return
    book = queue_pages(lang, found)
    shown = book.page(book.page_with(min(at, len(book.entries) - 1)) if at >= 0 else 0)
    await show(update, shown.text, inline(shown.rows))


async def show_queue(update: Update, context: Context) -> None:
    """List everyone waiting, one card each with Approve / Decline, a page at a time."""
    deps = deps_of(context)
    lang = await language_of(update, context)
    try:
        found = await approvals.queue(deps, user_id(update))
    except DomainError as error:
        await refuse(update, context, error)
        return
    if found.empty:
        await tell(update, context, t(lang, "admin.approvals.none"))
        return
    first = queue_pages(lang, found).page(0)
    await tell(update, context, first.text, reply_markup=inline(first.rows))


async def turn(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Another page of the queue (read again, for an admin)."""
    number = callback.int_arg(0)
    found = await approvals.queue(deps_of(context), user_id(update))  # refused unless an admin
    assert update.callback_query is not None
    await update.callback_query.answer()
    if found.empty:
        await show(update, t(lang, "admin.approvals.none"), None)
        return
    shown = queue_pages(lang, found).page(number)
    await show(update, shown.text, inline(shown.rows))


async def decide_role(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Approve ("ro") or decline ("rn") a pending staff, admin or volunteer role."""
    deps = deps_of(context)
    account_id, canteen_id = callback.int_arg(0), callback.int_arg(1)
    role = approvals.role_of(callback.args[2])
    approve = callback.action == "ro"
    at = _position(await approvals.queue(deps, user_id(update)), callback)
    name = await approvals.decide_role(deps, user_id(update), account_id, canteen_id, role, approve)
    assert update.callback_query is not None
    outcome = "approved" if approve else "declined"
    role_name = t(lang, f"staff.role.{role}")
    done = t(lang, f"admin.approvals.done_{outcome}", name=name, role=role_name)
    await update.callback_query.answer(done)
    await _page(update, context, lang, at=at)
    if approve:
        await publish_for(context.bot, deps, account_id)


async def decide_resident(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Approve ("ra") or decline ("rd") a resident from the list."""
    deps = deps_of(context)
    at = _position(await approvals.queue(deps, user_id(update)), callback)
    approve = callback.action == "ra"
    resident = await resident_approval.decide(deps, user_id(update), callback.int_arg(0), approve)
    assert update.callback_query is not None
    done = t(lang, f"resident.approval.done_{resident.status}", name=resident.name)
    await update.callback_query.answer(done)
    await _page(update, context, lang, at=at)


ACTIONS = {
    "ap": turn,
    "ro": decide_role,
    "rn": decide_role,
    "ra": decide_resident,
    "rd": decide_resident,
}
