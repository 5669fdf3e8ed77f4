"""/approvals: the residents, staff and volunteers waiting for an admin's decision."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Callback, pack
from bot.i18n import Html, t
from bot.services import approvals, resident_approval
from bot.services.errors import DomainError
from data.models import Resident
from data.roster import PendingRole
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.staff_ui import show, user_id

PREFIX = "adm1"


def _two(lang: str, yes: str, no: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(lang, "admin.approvals.approve"), callback_data=yes),
                InlineKeyboardButton(t(lang, "admin.approvals.decline"), callback_data=no),
            ]
        ]
    )


def resident_card(lang: str, resident: Resident) -> tuple[Html, InlineKeyboardMarkup]:
    """The same card and buttons as the approval request (decided by the registration flow)."""
    text = t(lang, "resident.approval.ask", card=resident_approval.describe(lang, resident))
    prefix = resident_approval.PREFIX
    return text, _two(lang, pack(prefix, "ok", resident.id), pack(prefix, "no", resident.id))


def role_card(lang: str, person: PendingRole) -> tuple[Html, InlineKeyboardMarkup]:
    ids = (person.account_id, person.canteen_id, person.role)
    text = t(
        lang,
        "admin.approvals.role_card",
        role=t(lang, f"staff.role.{person.role}"),
        canteen=person.canteen(lang),
        name=person.volunteer_name or person.first_name or str(person.account_id),
        username=f"@{person.username}" if person.username else "-",
        phone=person.volunteer_phone or "-",
        area=person.area or "-",
        when=f"{person.created_at:%Y-%m-%d}",
    )
    return text, _two(lang, pack(PREFIX, "ro", *ids), pack(PREFIX, "rn", *ids))


async def show_queue(update: Update, context: Context) -> None:
    """List everyone waiting, one card each with Approve / Decline."""
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
    people = len(found.roles)
    title = t(lang, "admin.approvals.title", residents=len(found.residents), people=people)
    await tell(update, context, title)
    for resident in found.residents:
        text, markup = resident_card(lang, resident)
        await tell(update, context, text, reply_markup=markup)
    for person in found.roles:
        text, markup = role_card(lang, person)
        await tell(update, context, text, reply_markup=markup)


async def decide_role(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """Approve ("ro") or decline ("rn") a pending staff, admin or volunteer role."""
    deps = deps_of(context)
    account_id, canteen_id = callback.int_arg(0), callback.int_arg(1)
    role = approvals.role_of(callback.args[2])
    approve = callback.action == "ro"
    name = await approvals.decide_role(deps, user_id(update), account_id, canteen_id, role, approve)
    assert update.callback_query is not None
    await update.callback_query.answer()
    outcome = "approved" if approve else "declined"
    role_name = t(lang, f"staff.role.{role}")
    await show(update, t(lang, f"admin.approvals.done_{outcome}", name=name, role=role_name), None)
    if approve:
        await publish_for(context.bot, deps, account_id)


ACTIONS = {"ro": decide_role, "rn": decide_role}
