"""/team: an admin sees a canteen's staff and volunteers and its seniors' family links, and
takes a role or a link back (after an "are you sure"). Pages of PAGE_SIZE people."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import team
from data.models import Canteen
from handlers.command_menus import publish_for
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.staff_ui import answer, dispatch, show, user_id

PREFIX = "tem1"
Row = list[InlineKeyboardButton]


def _button(label: str, action: str, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(PREFIX, action, *args))


def _pager(action: str, canteen_id: int, number: int, pages: int) -> list[Row]:
    """◀️ ▶️ to the pages either side (no row on a single page)."""
    row = []
    if number > 0:
        row.append(_button("◀️", action, canteen_id, number - 1))
    if number + 1 < pages:
        row.append(_button("▶️", action, canteen_id, number + 1))
    return [row] if row else []


def _canteens(lang: str, found: list[Canteen]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(canteen.display_name(lang), "c", canteen.id, 0)] for canteen in found]
    )


async def start(update: Update, context: Context) -> None:
    """/team: the canteen's team (an admin of several canteens first says which)."""
    deps, lang = deps_of(context), await language_of(update, context)
    try:
        found = await team.admin_canteens(deps, user_id(update))
        if len(found) > 1:
            markup = _canteens(lang, found)
            await tell(update, context, t(lang, "admin.team.which_canteen"), reply_markup=markup)
            return
        page = await team.team_page(deps, user_id(update), found[0].id, 0)
    except DomainError as error:
        await refuse(update, context, error)
        return
    text, markup = _team(lang, page)
    await tell(update, context, text, reply_markup=markup)


def _team(lang: str, page: team.Page[team.Member]) -> tuple[Html, InlineKeyboardMarkup]:
    canteen = page.canteen
    title = t(
        lang,
        "admin.team.title",
        canteen=canteen.display_name(lang),
        page=page.number + 1,
        pages=page.pages,
    )
    hint = t(lang, "admin.team.hint" if page.items else "admin.team.empty")
    rows = [
        [
            _button(
                t(lang, "admin.team.member", name=m.name, role=t(lang, f"staff.role.{m.role}")),
                "p",
                canteen.id,
                m.account_id,
                m.role,
            )
        ]
        for m in page.items
    ]
    rows += _pager("c", canteen.id, page.number, page.pages)
    rows.append([_button(t(lang, "admin.team.family_button"), "f", canteen.id, 0)])
    return Html(f"{title}\n{hint}"), InlineKeyboardMarkup(rows)


async def _show_team(update: Update, context: Context, callback: Callback, lang: str) -> None:
    page = await team.team_page(
        deps_of(context), user_id(update), callback.int_arg(0), callback.int_arg(1)
    )
    await answer(update)
    await show(update, *_team(lang, page))


async def _ask_remove(update: Update, context: Context, callback: Callback, lang: str) -> None:
    canteen_id, account_id = callback.int_arg(0), callback.int_arg(1)
    person, canteen = await team.member(
        deps_of(context), user_id(update), canteen_id, account_id, callback.args[2]
    )
    text = t(
        lang,
        "admin.team.remove_ask",
        name=person.name,
        role=t(lang, f"staff.role.{person.role}"),
        canteen=canteen.display_name(lang),
    )
    markup = InlineKeyboardMarkup(
        [
            [_button(t(lang, "admin.team.remove_yes"), "rm", canteen_id, account_id, person.role)],
            [_button(t(lang, "admin.team.keep"), "c", canteen_id, 0)],
        ]
    )
    await answer(update)
    await show(update, text, markup)


async def _remove(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    canteen_id, account_id = callback.int_arg(0), callback.int_arg(1)
    done = await team.remove(deps, user_id(update), canteen_id, account_id, callback.args[2])
    lines = [
        t(
            lang,
            "admin.team.removed",
            name=done.member.name,
            role=t(lang, f"staff.role.{done.member.role}"),
            canteen=done.canteen.display_name(lang),
        )
    ]
    if done.returned:
        lines.append(t(lang, "admin.team.returned", n=done.returned))
    back = InlineKeyboardMarkup([[_button(t(lang, "admin.team.back"), "c", canteen_id, 0)]])
    await answer(update)
    await show(update, Html("\n".join(lines)), back)
    await publish_for(context.bot, deps, account_id)


async def _family(update: Update, context: Context, callback: Callback, lang: str) -> None:
    canteen_id = callback.int_arg(0)
    page = await team.family_page(
        deps_of(context), user_id(update), canteen_id, callback.int_arg(1)
    )
    title = t(
        lang,
        "admin.team.family_title",
        canteen=page.canteen.display_name(lang),
        page=page.number + 1,
        pages=page.pages,
    )
    lines = [
        t(lang, "admin.team.family_line", resident=link.resident_name, member=link.member_name)
        for link in page.items
    ] or [t(lang, "admin.team.family_empty")]
    label = "admin.team.unlink_button"
    rows = [
        [
            _button(
                t(lang, label, member=link.member_name, resident=link.resident_name),
                "fu",
                link.resident_id,
                link.account_id,
            )
        ]
        for link in page.items
    ]
    rows += _pager("f", canteen_id, page.number, page.pages)
    rows.append([_button(t(lang, "admin.team.back"), "c", canteen_id, 0)])
    await answer(update)
    await show(update, Html("\n".join([title, *lines])), InlineKeyboardMarkup(rows))


async def _ask_unlink(update: Update, context: Context, callback: Callback, lang: str) -> None:
    resident_id, account_id = callback.int_arg(0), callback.int_arg(1)
    link, canteen = await team.family_link(
        deps_of(context), user_id(update), resident_id, account_id
    )
    text = t(lang, "admin.team.unlink_ask", member=link.member_name, resident=link.resident_name)
    markup = InlineKeyboardMarkup(
        [
            [_button(t(lang, "admin.team.unlink_yes"), "fx", resident_id, account_id)],
            [_button(t(lang, "admin.team.keep"), "f", canteen.id, 0)],
        ]
    )
    await answer(update)
    await show(update, text, markup)


async def _unlink(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    resident_id, account_id = callback.int_arg(0), callback.int_arg(1)
    link = await team.unlink(deps, user_id(update), resident_id, account_id)
    text = t(lang, "admin.team.unlinked", member=link.member_name, resident=link.resident_name)
    await answer(update)
    await show(update, text, None)
    await publish_for(context.bot, deps, account_id)


ACTIONS = {
    "c": _show_team,
    "p": _ask_remove,
    "rm": _remove,
    "f": _family,
    "fu": _ask_unlink,
    "fx": _unlink,
}


async def on_button(update: Update, context: Context) -> None:
    """Every button of the team screens (each checked again in the service)."""
    await dispatch(update, context, PREFIX, ACTIONS)


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("team", start, filters=private), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
