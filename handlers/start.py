"""/start (with deep links such as `join_<code>`) and /help."""

from __future__ import annotations

from telegram import Update

from bot.i18n import Html, t
from bot.services import accounts, invites
from bot.services.errors import DomainError
from data.models import Canteen
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import main_keyboard
from handlers.volunteer import invite_to_answer as ask_availability


async def start(update: Update, context: Context) -> None:
    """Greet the user, follow a deep link if there is one, and show the main keyboard."""
    payload = context.args[0] if context.args else ""
    if payload.startswith("join_"):
        await join(update, context, payload.removeprefix("join_"))
        return
    await greet(update, context)


async def greet(update: Update, context: Context) -> None:
    """The welcome text and the main keyboard for this user's roles."""
    user = update.effective_user
    if user is None:
        return
    lang, who, canteen = await _viewer(update, context, user.id)
    if who.roles:
        await publish_for(context.bot, deps_of(context), user.id)
    text = t(lang, "core.start.welcome", name=user.first_name, canteen=canteen.display_name(lang))
    await tell(update, context, text, reply_markup=main_keyboard(lang, who))


async def _viewer(
    update: Update, context: Context, account_id: int
) -> tuple[str, accounts.Who, Canteen]:
    """The user's language, roles and links, and the canteen they belong to."""
    deps = deps_of(context)
    who = await accounts.who(deps, account_id)
    return await language_of(update, context), who, await accounts.home_canteen(deps, who)


async def join(update: Update, context: Context, code: str) -> None:
    """Redeem an invite code from a deep link."""
    user = update.effective_user
    if user is None:
        return
    try:
        redeemed = await invites.redeem(deps_of(context), user.id, code)
    except DomainError as error:
        await refuse(update, context, error)
        return
    lang = await language_of(update, context)
    kind = redeemed.invite.kind
    await tell(update, context, t(lang, f"core.invite.joined_{kind}", name=redeemed.resident_name))
    await greet(update, context)
    if kind == "volunteer":  # then ask when they can help
        await ask_availability(update, context)


async def help_command(update: Update, context: Context) -> None:
    """Explain what this user can do, one section per role they hold."""
    user = update.effective_user
    if user is None:
        return
    lang, who, canteen = await _viewer(update, context, user.id)
    parts = [t(lang, "core.help.resident", phone=canteen.phone)]
    parts += [
        t(lang, f"core.help.{role}")
        for role in ("staff", "volunteer", "admin")
        if who.has_role(role)
    ]
    await tell(update, context, Html("\n\n".join(parts)), reply_markup=main_keyboard(lang, who))
