"""Per-role command menus (setMyCommands with chat scopes), in the language each person chose.

Every private chat gets the residents' menu in the client's language; an account with a
role, or one that chose a language, gets its own menu in that language; each canteen's
kitchen group gets /orders and /sheet in the kitchen's language.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    MenuButton,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import BadRequest

from bot.core.deps import Deps
from bot.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from bot.services.people import accounts, screens

RESIDENT = ("start", "order", "myorders", "language", "help")
BY_ROLE = {
    "staff": ("order", "orders", "menu", "sheet", "invite", "senior", "incidents", "app"),
    "volunteer": ("deliveries", "route", "available", "hours"),
    "admin": (
        "approvals",
        "team",
        "report",
        "audit",
        "invite",
        "order",
        "orders",
        "menu",
        "sheet",
        "senior",
        "app",
        "incidents",
    ),
}
KITCHEN_GROUP = ("orders", "sheet")
# Commands that do more for staff and admins, described as such in their menu.
STAFF_DESCRIPTIONS = {"order": "order_staff"}
log = logging.getLogger("doorstep")


def commands(lang: str, names: tuple[str, ...], staff: bool = False) -> list[BotCommand]:
    described = STAFF_DESCRIPTIONS if staff else {}
    return [
        BotCommand(name, t(lang, f"core.commands.{described.get(name, name)}")) for name in names
    ]


def names_for(who: accounts.Who) -> tuple[str, ...]:
    names = list(RESIDENT)
    for role, extra in BY_ROLE.items():
        if who.has_role(role):
            names += [name for name in extra if name not in names]
    return tuple(names)


async def publish_default(bot: Bot, deps: Deps) -> None:
    """The resident menu for every private chat, in each language; the kitchen groups' menu."""
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(commands(DEFAULT_LANGUAGE, RESIDENT), scope=scope)
    for lang in LANGUAGES:
        await bot.set_my_commands(commands(lang, RESIDENT), scope=scope, language_code=lang)
    for spec in deps.config.canteens.canteens:
        menu = commands(spec.kitchen_language, KITCHEN_GROUP)
        try:
            await bot.set_my_commands(menu, scope=BotCommandScopeChat(spec.kitchen_chat_id))
        except BadRequest as error:  # the bot is not in the group yet
            log.info("kitchen group menu for %s not set: %s", spec.code, error)


async def publish_for(bot: Bot, deps: Deps, account_id: int) -> None:
    """The menu of one account (its roles' commands), in its language."""
    who = await accounts.who(deps, account_id)
    lang = await accounts.language(deps, account_id)
    scope = BotCommandScopeChat(account_id)
    try:
        staff = who.has_role("staff") or who.has_role("admin")
        await bot.set_my_commands(commands(lang, names_for(who), staff), scope=scope)
        if deps.config.settings.web_url:  # else the menu button stays Telegram's default
            await bot.set_chat_menu_button(account_id, await menu_button(deps, account_id, lang))
    except BadRequest as error:
        # Telegram knows no chat with a user until they start the bot; their first
        # /start publishes the menu again.
        log.info("menu for %s not set yet: %s", account_id, error)


# The screen the chat's menu button opens, the first the person's roles allow.
MENU_BUTTON_SCREENS = ("office", "kitchen", "planner")


async def menu_button(deps: Deps, account_id: int, lang: str) -> MenuButton:
    """The Mini App screen of the person's main role, when the web screens are set up."""
    base = deps.config.settings.web_url
    found = await screens.open_to(deps, account_id) if base else []
    for screen in MENU_BUTTON_SCREENS:
        if screen in found:
            return MenuButtonWebApp(t(lang, f"web.chat.{screen}"), WebAppInfo(f"{base}/{screen}"))
    return MenuButtonDefault()
