"""'Family': who may order for each senior, an invite link for one more, order for them."""

from __future__ import annotations

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import Nothing, Resident
from bot.core.i18n import t
from bot.services.people import family
from handlers import conversation, registration
from handlers.buttons import Button, answer
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


async def show(update: Update, context: Context) -> None:
    """One card per senior: linked family members, Invite and Order buttons."""
    conversation.end(context)
    lang = await language_of(update, context)
    for circle in await family.circles(context.deps, user_id(update)):
        senior = circle.resident
        text = t(lang, "resident.family.card", name=senior.name, members=", ".join(circle.members))
        if senior.status == "pending":
            text = t(lang, "resident.family.card_pending", name=senior.name)
        invite = t(lang, "resident.family.invite_button")
        order = t(lang, "resident.family.order_button", name=senior.name)
        rows = [
            [(invite, callbacks.FAMILY_INVITE.pack(senior.id))],
            [(order, callbacks.ORDER_FOR.pack(senior.id))],
        ]
        await tell(update, context, text, reply_markup=inline(rows))
    register = [[(t(lang, "resident.family.register_button"), callbacks.REGISTER_ANOTHER.pack())]]
    text = t(lang, "resident.family.register_other")
    await tell(update, context, text, reply_markup=inline(register))


async def invite(update: Update, context: Context, tap: Resident, lang: str) -> None:
    """A one-use invite link for a senior this account is linked to."""
    made = await family.invite(context.deps, user_id(update), tap.resident)
    await answer(update)
    link = f"https://t.me/{context.bot.username}?start=join_{made.code}"
    days = (made.expires_at - made.created_at).days
    text = t(lang, "resident.family.invite", link=link, code=made.code, days=days)
    await tell(update, context, text)


async def register_another(update: Update, context: Context, _: Nothing, __: str) -> None:
    """Register one more senior: the registration questions."""
    await registration.begin_from_button(update, context)


BUTTONS = (
    Button(callbacks.FAMILY_INVITE, invite),
    Button(callbacks.REGISTER_ANOTHER, register_another),
)
