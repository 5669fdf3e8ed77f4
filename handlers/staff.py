"""Roles: /invite makes a one-use link; forwarding someone's message offers them a role.

Someone who acts for several canteens is asked which one, with a button per canteen
(its id rides on the button and is checked again in the service).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageOriginUser, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core.callbacks import Callback, pack, pattern
from bot.core.i18n import t
from bot.core.ptb import App
from bot.services.people import staff
from bot.services.people.staff import WhichCanteenError
from handlers import fallback, kitchen, menu_draft, menus, receipt, senior
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, tell
from handlers.staff_ui import dispatch, show, user_id

PREFIX = "stf1"
KINDS = ("staff", "admin", "volunteer")


def role_buttons(lang: str, action: str, *ids: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, f"staff.role.{kind}"), callback_data=pack(PREFIX, action, *ids, kind)
                )
                for kind in KINDS
            ]
        ]
    )


async def invite(update: Update, context: Context) -> None:
    """Ask which role the invite link should grant."""
    user = update.effective_user
    if user is None:
        return
    lang = await language_of(update, context)
    if not await staff.canteens_of(deps_of(context), user.id):
        await tell(update, context, t(lang, "core.error.not_allowed"))
        return
    await tell(
        update, context, t(lang, "staff.invite.which"), reply_markup=role_buttons(lang, "inv")
    )


async def forwarded(update: Update, context: Context) -> None:
    """An admin forwarded someone's message: offer to give that person a role."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    deps = deps_of(context)
    if not await staff.canteens_of(deps, user.id, ("admin",)):
        await fallback.unknown_text(update, context)
        return
    lang = await language_of(update, context)
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginUser) or origin.sender_user.is_bot:
        await tell(update, context, t(lang, "staff.roles.hidden"))
        return
    person = origin.sender_user
    text = t(lang, "staff.roles.which", name=person.first_name, id=person.id)
    await tell(update, context, text, reply_markup=role_buttons(lang, "gr", person.id))


async def _which_canteen(
    update: Update, choice: WhichCanteenError, lang: str, action: str, *args: object
) -> None:
    """Ask which canteen: the tapped button again, with a canteen id on each."""
    rows = [
        [
            InlineKeyboardButton(
                canteen.display_name(lang), callback_data=pack(PREFIX, action, *args, canteen.id)
            )
        ]
        for canteen in choice.choices
    ]
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, t(lang, choice.key), InlineKeyboardMarkup(rows))


def _canteen_arg(callback: Callback, index: int) -> int | None:
    return callback.int_arg(index) if len(callback.args) > index else None


async def _invite(update: Update, context: Context, callback: Callback, lang: str) -> None:
    kind = callback.args[0]
    try:
        created = await staff.create_invite(
            deps_of(context), user_id(update), kind, _canteen_arg(callback, 1)
        )
    except WhichCanteenError as choice:
        await _which_canteen(update, choice, lang, "inv", kind)
        return
    link = f"https://t.me/{context.bot.username}?start=join_{created.code}"
    text = t(
        lang,
        "staff.invite.link",
        role=t(lang, f"staff.role.{created.kind}"),
        link=link,
        expires=f"{created.expires_at.astimezone(deps_of(context).clock.tz):%Y-%m-%d %H:%M}",
    )
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, text, None)


async def _grant(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    account_id, role = callback.int_arg(0), callback.args[1]
    try:
        granted = await staff.grant(
            deps, user_id(update), account_id, role, _canteen_arg(callback, 2)
        )
    except WhichCanteenError as choice:
        await _which_canteen(update, choice, lang, "gr", account_id, role)
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    role = t(lang, f"staff.role.{granted.role}")
    text = t(lang, "staff.roles.granted", name=granted.first_name, role=role)
    await show(update, text, None)
    await publish_for(context.bot, deps, account_id)


async def on_button(update: Update, context: Context) -> None:
    """Buttons of the role screens."""
    await dispatch(update, context, PREFIX, {"inv": _invite, "gr": _grant})


def register(app: App, group: int) -> None:
    """Every canteen-staff handler; before the fallbacks of `group`."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("invite", invite, filters=private), group=group)
    app.add_handler(MessageHandler(private & filters.FORWARDED, forwarded), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
    for feature in (menu_draft, menus, receipt, kitchen, senior):
        feature.register(app, group)
