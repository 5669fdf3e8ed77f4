"""/team: an admin sees a canteen's staff and volunteers and its seniors' family links, and
takes a role or a link back (after an "are you sure"). Pages of PAGE_SIZE people."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.core import callbacks, pager
from bot.core.callbacks import CanteenPage, FamilyLink, Member
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import team
from data.models import Canteen
from handlers.buttons import Button, answer, show
from handlers.command_menus import publish_for
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


def _pager(turn: Callable[[int, int], str], canteen_id: int, number: int, pages: int) -> pager.Rows:
    """◀️ ▶️ to the pages either side (no row on a single page)."""
    row = []
    if number > 0:
        row.append(("◀️", turn(canteen_id, number - 1)))
    if number + 1 < pages:
        row.append(("▶️", turn(canteen_id, number + 1)))
    return [row] if row else []


def _canteens(lang: str, found: list[Canteen]) -> InlineKeyboardMarkup | None:
    return inline(
        [[(canteen.display_name(lang), callbacks.TEAM_PAGE.pack(canteen.id))] for canteen in found]
    )


async def start(update: Update, context: Context) -> None:
    """/team: the canteen's team (an admin of several canteens first says which)."""
    deps, lang = context.deps, await language_of(update, context)
    found = await team.admin_canteens(deps, user_id(update))
    if len(found) > 1:
        markup = _canteens(lang, found)
        await tell(update, context, t(lang, "admin.team.which_canteen"), reply_markup=markup)
        return
    page = await team.team_page(deps, user_id(update), found[0].id, 0)
    text, markup = _team(lang, page)
    await tell(update, context, text, reply_markup=markup)


def _team(lang: str, page: team.Page[team.Member]) -> tuple[Html, InlineKeyboardMarkup | None]:
    canteen = page.canteen
    title = t(
        lang,
        "admin.team.title",
        canteen=canteen.display_name(lang),
        page=page.number + 1,
        pages=page.pages,
    )
    hint = t(lang, "admin.team.hint" if page.items else "admin.team.empty")
    rows: pager.Rows = [
        [
            (
                t(lang, "admin.team.member", name=m.name, role=t(lang, f"staff.role.{m.role}")),
                callbacks.REMOVE_ASK.pack(canteen.id, m.account_id, m.role),
            )
        ]
        for m in page.items
    ]
    rows += _pager(callbacks.TEAM_PAGE.pack, canteen.id, page.number, page.pages)
    rows.append([(t(lang, "admin.team.family_button"), callbacks.FAMILY_PAGE.pack(canteen.id))])
    return Html(f"{title}\n{hint}"), inline(rows)


async def show_team(update: Update, context: Context, tap: CanteenPage, lang: str) -> None:
    page = await team.team_page(context.deps, user_id(update), tap.canteen, tap.page)
    await answer(update)
    await show(update, *_team(lang, page))


async def ask_remove(update: Update, context: Context, tap: Member, lang: str) -> None:
    person, canteen = await team.member(
        context.deps, user_id(update), tap.canteen, tap.account, tap.role
    )
    text = t(
        lang,
        "admin.team.remove_ask",
        name=person.name,
        role=t(lang, f"staff.role.{person.role}"),
        canteen=canteen.display_name(lang),
    )
    remove = callbacks.REMOVE.pack(tap.canteen, tap.account, person.role)
    rows = [
        [(t(lang, "admin.team.remove_yes"), remove)],
        [(t(lang, "admin.team.keep"), callbacks.TEAM_PAGE.pack(tap.canteen))],
    ]
    await answer(update)
    await show(update, text, inline(rows))


async def remove(update: Update, context: Context, tap: Member, lang: str) -> None:
    deps = context.deps
    done = await team.remove(deps, user_id(update), tap.canteen, tap.account, tap.role)
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
    back = inline([[(t(lang, "admin.team.back"), callbacks.TEAM_PAGE.pack(tap.canteen))]])
    await answer(update)
    await show(update, Html("\n".join(lines)), back)
    await publish_for(context.bot, deps, tap.account)


async def family(update: Update, context: Context, tap: CanteenPage, lang: str) -> None:
    page = await team.family_page(context.deps, user_id(update), tap.canteen, tap.page)
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
    rows: pager.Rows = [
        [
            (
                t(lang, label, member=link.member_name, resident=link.resident_name),
                callbacks.UNLINK_ASK.pack(link.resident_id, link.account_id),
            )
        ]
        for link in page.items
    ]
    rows += _pager(callbacks.FAMILY_PAGE.pack, tap.canteen, page.number, page.pages)
    rows.append([(t(lang, "admin.team.back"), callbacks.TEAM_PAGE.pack(tap.canteen))])
    await answer(update)
    await show(update, Html("\n".join([title, *lines])), inline(rows))


async def ask_unlink(update: Update, context: Context, tap: FamilyLink, lang: str) -> None:
    link, canteen = await team.family_link(context.deps, user_id(update), tap.resident, tap.account)
    text = t(lang, "admin.team.unlink_ask", member=link.member_name, resident=link.resident_name)
    rows = [
        [(t(lang, "admin.team.unlink_yes"), callbacks.UNLINK.pack(tap.resident, tap.account))],
        [(t(lang, "admin.team.keep"), callbacks.FAMILY_PAGE.pack(canteen.id))],
    ]
    await answer(update)
    await show(update, text, inline(rows))


async def unlink(update: Update, context: Context, tap: FamilyLink, lang: str) -> None:
    deps = context.deps
    link = await team.unlink(deps, user_id(update), tap.resident, tap.account)
    text = t(lang, "admin.team.unlinked", member=link.member_name, resident=link.resident_name)
    await answer(update)
    await show(update, text, None)
    await publish_for(context.bot, deps, tap.account)


BUTTONS = (
    Button(callbacks.TEAM_PAGE, show_team),
    Button(callbacks.REMOVE_ASK, ask_remove),
    Button(callbacks.REMOVE, remove),
    Button(callbacks.FAMILY_PAGE, family),
    Button(callbacks.UNLINK_ASK, ask_unlink),
    Button(callbacks.UNLINK, unlink),
)


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("team", start, filters=private), group=group)
