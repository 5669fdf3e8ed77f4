"""'Family': who may order for each senior, an invite link for one more, order for them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.callbacks import pack, unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import t
from bot.services.people import family
from handlers import ordering, registration, resident_flow
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import account_of

PREFIX = "fam1"


async def show(update: Update, context: Context) -> None:
    """One card per senior: linked family members, Invite and Order buttons."""
    resident_flow.end(context)
    lang = await language_of(update, context)
    for circle in await family.circles(deps_of(context), account_of(update)):
        senior = circle.resident
        text = t(lang, "resident.family.card", name=senior.name, members=", ".join(circle.members))
        if senior.status == "pending":
            text = t(lang, "resident.family.card_pending", name=senior.name)
        buttons = [
            [
                InlineKeyboardButton(
                    t(lang, "resident.family.invite_button"),
                    callback_data=pack(PREFIX, "inv", senior.id),
                )
            ],
            [
                InlineKeyboardButton(
                    t(lang, "resident.family.order_button", name=senior.name),
                    callback_data=pack(ordering.PREFIX, "for", senior.id),
                )
            ],
        ]
        await tell(update, context, text, reply_markup=InlineKeyboardMarkup(buttons))
    register = InlineKeyboardButton(
        t(lang, "resident.family.register_button"), callback_data=pack(PREFIX, "reg")
    )
    markup = InlineKeyboardMarkup([[register]])
    await tell(update, context, t(lang, "resident.family.register_other"), reply_markup=markup)


async def pressed(update: Update, context: Context) -> None:
    """Make a one-use invite link for a senior this account is linked to."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    lang = await language_of(update, context)
    if query is not None and callback is not None and callback.action == "reg":
        await registration.begin_from_button(update, context)
        return
    try:
        if query is None or callback is None or callback.action != "inv":
            raise NotAllowedError("core.error.stale_button")
        invite = await family.invite(deps_of(context), account_of(update), callback.int_arg(0))
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    await query.answer()
    link = f"https://t.me/{context.bot.username}?start=join_{invite.code}"
    days = (invite.expires_at - invite.created_at).days
    await tell(
        update, context, t(lang, "resident.family.invite", link=link, code=invite.code, days=days)
    )
