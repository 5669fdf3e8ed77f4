"""/start (with deep links such as `join_<code>`) and /help."""

from __future__ import annotations

from datetime import tzinfo

from telegram import Update

from bot.core.i18n import Html, t
from bot.services.people import accounts, invites
from bot.services.people import home as homes
from bot.services.people.home import Home
from data.models import Canteen
from handlers.command_menus import publish_for
from handlers.common import Context, language_of, tell
from handlers.keyboards import main_keyboard
from handlers.volunteer import invite_to_answer as ask_availability

# The greeting of each home screen (a resident's also suits a newcomer).
WELCOME = {
    "resident": "core.start.welcome",
    "staff": "core.home.welcome_staff",
    "volunteer": "core.home.welcome_volunteer",
    "admin": "core.home.welcome_admin",
}


async def start(update: Update, context: Context) -> None:
    """Greet the user, follow a deep link if there is one, and show the main keyboard."""
    if update.effective_user is not None:
        await accounts.started(context.deps, update.effective_user.id)
    payload = context.args[0] if context.args else ""
    if payload.startswith("join_"):
        await join(update, context, payload.removeprefix("join_"))
        return
    await greet(update, context)


async def greet(update: Update, context: Context) -> None:
    """The welcome of the user's home screen, today at a glance for the canteen, its keyboard."""
    user = update.effective_user
    if user is None:
        return
    deps = context.deps
    lang, who, canteen = await _viewer(update, context, user.id)
    if who.roles or who.language:  # else the default menu is already in their language
        await publish_for(context.bot, deps, user.id)
    home = await homes.of(deps, user.id)
    name = canteen.display_name(lang)
    welcome = t(lang, WELCOME[home.current], name=user.first_name, canteen=name)
    await _show(update, context, lang, home, welcome)


async def _show(update: Update, context: Context, lang: str, home: Home, first: Html) -> None:
    """`first`, then today at a glance and the switch hint where they apply, and the keyboard."""
    parts = [first]
    if home.current in homes.CANTEEN_HOMES:
        parts.append(glance_text(lang, home, context.deps.clock.tz))
    if home.others:
        parts.append(t(lang, "core.home.also"))
    await tell(update, context, Html("\n\n".join(parts)), reply_markup=main_keyboard(lang, home))


def glance_text(lang: str, home: Home, tz: tzinfo) -> Html:
    """Today's meals of the canteen: waiting and confirmed orders, the cutoff, meals ready."""
    lines = [t(lang, "core.glance.title")]
    for meal in home.today:
        window = meal.window
        lines.append(
            t(
                lang,
                f"core.glance.{window.state}",
                meal=t(lang, f"resident.meal.{window.meal}"),
                waiting=meal.waiting,
                confirmed=meal.confirmed,
                orders=meal.to_cook,
                opens=f"{window.opens_at.astimezone(tz):%H:%M}",
                cutoff=f"{window.cutoff_at.astimezone(tz):%H:%M}",
            )
        )
    if not home.today:
        lines.append(t(lang, "core.glance.none"))
    return Html("\n".join(lines))


async def _viewer(
    update: Update, context: Context, account_id: int
) -> tuple[str, accounts.Who, Canteen]:
    """The user's language, roles and links, and the canteen they belong to."""
    deps = context.deps
    who = await accounts.who(deps, account_id)
    return await language_of(update, context), who, await accounts.home_canteen(deps, who)


async def join(update: Update, context: Context, code: str) -> None:
    """Redeem an invite code from a deep link."""
    user = update.effective_user
    if user is None:
        return
    redeemed = await invites.redeem(context.deps, user.id, code)
    lang = await language_of(update, context)
    kind = redeemed.invite.kind
    await tell(update, context, t(lang, f"core.invite.joined_{kind}", name=redeemed.resident_name))
    await greet(update, context)
    if kind == "volunteer":  # then ask when they can help
        await ask_availability(update, context)


async def help_command(update: Update, context: Context) -> None:
    """What the user's home screen does (the canteen's with today at a glance)."""
    user = update.effective_user
    if user is None:
        return
    lang, _, canteen = await _viewer(update, context, user.id)
    home = await homes.of(context.deps, user.id)
    about = t(lang, f"core.help.{home.current}", phone=canteen.phone)
    await _show(update, context, lang, home, about)
