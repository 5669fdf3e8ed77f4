"""Roles: /invite makes a one-use link; forwarding someone's message offers them a role.

Someone who acts for several canteens is asked which one, with a button per canteen
(its id rides on the button and is checked again in the service).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from telegram import InlineKeyboardMarkup, MessageOriginUser, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import Grant, Invite
from bot.core.i18n import t
from bot.core.ptb import App
from bot.services.people import staff
from bot.services.people.staff import WhichCanteenError
from handlers import fallback, kitchen, menu_draft, menus, receipt, senior
from handlers.buttons import Button, answer, show
from handlers.command_menus import publish_for
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline

KINDS = ("staff", "admin", "volunteer")


def _roles(lang: str, data: Callable[[str], str]) -> InlineKeyboardMarkup | None:
    """A button per role, `data(role)` on each."""
    return inline([[(t(lang, f"staff.role.{kind}"), data(kind)) for kind in KINDS]])


async def invite(update: Update, context: Context) -> None:
    """Ask which role the invite link should grant."""
    user = update.effective_user
    if user is None:
        return
    lang = await language_of(update, context)
    if not await staff.canteens_of(context.deps, user.id):
        await tell(update, context, t(lang, "core.error.not_allowed"))
        return
    markup = _roles(lang, callbacks.ROLE_INVITE.pack)
    await tell(update, context, t(lang, "staff.invite.which"), reply_markup=markup)


async def forwarded(update: Update, context: Context) -> None:
    """An admin forwarded someone's message: offer to give that person a role."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not await staff.canteens_of(context.deps, user.id, ("admin",)):
        await fallback.unknown_text(update, context)
        return
    lang = await language_of(update, context)
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginUser) or origin.sender_user.is_bot:
        await tell(update, context, t(lang, "staff.roles.hidden"))
        return
    person = origin.sender_user
    text = t(lang, "staff.roles.which", name=person.first_name, id=person.id)
    markup = _roles(lang, lambda role: callbacks.ROLE_GRANT.pack(person.id, role))
    await tell(update, context, text, reply_markup=markup)


async def _which_canteen(
    update: Update, choice: WhichCanteenError, lang: str, data: Callable[[int], str]
) -> None:
    """Ask which canteen: the tapped button again, `data(canteen id)` on each."""
    rows = [[(canteen.display_name(lang), data(canteen.id))] for canteen in choice.choices]
    await answer(update)
    await show(update, t(lang, choice.key), inline(rows))


async def create_invite(update: Update, context: Context, tap: Invite, lang: str) -> None:
    """A one-use link that grants the role (at the canteen asked, when several)."""
    deps = context.deps
    try:
        created = await staff.create_invite(deps, user_id(update), tap.kind, tap.canteen)
    except WhichCanteenError as choice:
        await _which_canteen(update, choice, lang, partial(callbacks.ROLE_INVITE.pack, tap.kind))
        return
    link = f"https://t.me/{context.bot.username}?start=join_{created.code}"
    text = t(
        lang,
        "staff.invite.link",
        role=t(lang, f"staff.role.{created.kind}"),
        link=link,
        expires=f"{created.expires_at.astimezone(deps.clock.tz):%Y-%m-%d %H:%M}",
    )
    await answer(update)
    await show(update, text, None)


async def grant(update: Update, context: Context, tap: Grant, lang: str) -> None:
    """Give the forwarded person the role (at the canteen asked, when several)."""
    deps = context.deps
    try:
        granted = await staff.grant(deps, user_id(update), tap.account, tap.role, tap.canteen)
    except WhichCanteenError as choice:
        again = partial(callbacks.ROLE_GRANT.pack, tap.account, tap.role)
        await _which_canteen(update, choice, lang, again)
        return
    await answer(update)
    role = t(lang, f"staff.role.{granted.role}")
    text = t(lang, "staff.roles.granted", name=granted.first_name, role=role)
    await show(update, text, None)
    await publish_for(context.bot, deps, tap.account)


BUTTONS = (
    Button(callbacks.ROLE_INVITE, create_invite),
    Button(callbacks.ROLE_GRANT, grant),
    *receipt.BUTTONS,
    *kitchen.BUTTONS,
    *senior.BUTTONS,
)


def register(app: App, group: int) -> None:
    """Every canteen-staff handler; before the fallbacks of `group`."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("invite", invite, filters=private), group=group)
    app.add_handler(MessageHandler(private & filters.FORWARDED, forwarded), group=group)
    for feature in (menu_draft, menus, receipt, kitchen, senior):
        feature.register(app, group)
