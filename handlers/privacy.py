"""/audit: find a resident, then their card: history pages, export, erase, family invite."""

from __future__ import annotations

import json
from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core import pager
from bot.core.callbacks import Callback, pack
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.services.people import privacy
from bot.services.people.erasure import Erased
from bot.services.people.scrub import Scrubber
from bot.services.reports import audit_view
from data import flows
from data.db import Database
from data.erasure import checkpoint
from data.models import Resident
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.keyboards import inline
from handlers.staff_ui import show, user_id

PREFIX = "adm1"


def _button(lang: str, key: str, action: str, *ids: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, key), callback_data=pack(PREFIX, action, *ids))


def card(lang: str, resident: Resident) -> tuple[Html, InlineKeyboardMarkup]:
    address = " ".join(p for p in (resident.building, resident.unit, resident.room) if p)
    text = t(
        lang,
        "admin.audit.card",
        name=resident.name or "-",
        id=resident.id,
        status=t(lang, f"admin.status.{resident.status}"),
        phone=resident.phone or "-",
        address=address or "-",
        alone=t(lang, "admin.audit.yes" if resident.lives_alone else "admin.audit.no"),
    )
    rows = [[_button(lang, "admin.audit.history", "aud", resident.id, 0)]]
    if resident.status != "erased":
        rows.append([_button(lang, "admin.audit.export", "exp", resident.id)])
        rows.append([_button(lang, "admin.audit.invite", "fam", resident.id)])
        rows.append([_button(lang, "admin.audit.erase", "era", resident.id)])
    return text, InlineKeyboardMarkup(rows)


async def search(update: Update, context: Context) -> None:
    """/audit <name, phone or number>: the matching residents as buttons."""
    lang = await language_of(update, context)
    query = " ".join(context.args or [])
    try:
        found = await privacy.search(deps_of(context), user_id(update), query)
    except DomainError as error:
        await refuse(update, context, error)
        return
    if not query:
        await tell(update, context, t(lang, "admin.audit.usage"))
    elif not found:
        await tell(update, context, t(lang, "admin.audit.none_found", query=query.strip()[:40]))
    elif len(found) == 1:
        text, markup = card(lang, found[0])
        await tell(update, context, text, reply_markup=markup)
    else:
        rows = [
            [InlineKeyboardButton(f"{r.name} · {r.phone}", callback_data=pack(PREFIX, "res", r.id))]
            for r in found
        ]
        await tell(
            update, context, t(lang, "admin.audit.choose"), reply_markup=InlineKeyboardMarkup(rows)
        )


async def _answered(update: Update) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()


async def open_card(update: Update, context: Context, callback: Callback, lang: str) -> None:
    found = await privacy.resident(deps_of(context), user_id(update), callback.int_arg(0))
    await _answered(update)
    await show(update, *card(lang, found))


AUDIT_PAGE = 10  # entries a page of history shows


def history_pages(lang: str, found: audit_view.History, tz: tzinfo) -> pager.Pager:
    """The resident's history, newest first, ten entries a page."""
    lines = []
    for entry in found.entries:
        actor = found.actors.get(entry.account_id or 0)
        by = (
            t(lang, "admin.audit.by", name=actor or str(entry.account_id))
            if entry.account_id
            else ""
        )
        when = entry.at.astimezone(tz)
        line = t(
            lang,
            "admin.audit.line",
            when=f"{when:%Y-%m-%d %H:%M}",
            action=entry.action,
            subject=entry.subject,
            by=by,
        )
        lines.append(pager.Entry(line))
    resident = found.resident
    return pager.Pager(
        lang,
        t(lang, "admin.audit.title", name=resident.name or f"#{resident.id}"),
        lines,
        lambda n: pack(PREFIX, "aud", resident.id, n),
        fixed=[[(t(lang, "admin.audit.back"), pack(PREFIX, "res", resident.id))]],
        empty=t(lang, "admin.audit.empty"),
        most=AUDIT_PAGE,
    )


async def history(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """One page of the resident's history, with ◀ / ▶."""
    deps = deps_of(context)
    found = await audit_view.history(deps, user_id(update), callback.int_arg(0))
    shown = history_pages(lang, found, deps.clock.tz).page(callback.int_arg_or(1, 0))
    await _answered(update)
    await show(update, shown.text, inline(shown.rows))


async def export(update: Update, context: Context, callback: Callback, lang: str) -> None:
    await privacy.export(deps_of(context), user_id(update), callback.int_arg(0))
    assert update.callback_query is not None
    await update.callback_query.answer(t(lang, "admin.privacy.export_queued"))


async def ask_erase(update: Update, context: Context, callback: Callback, lang: str) -> None:
    found = await privacy.resident(deps_of(context), user_id(update), callback.int_arg(0))
    rows = [
        [_button(lang, "admin.privacy.erase_button", "erc", found.id)],
        [_button(lang, "admin.audit.back", "res", found.id)],
    ]
    await _answered(update)
    await show(
        update, t(lang, "admin.privacy.erase_ask", name=found.name), InlineKeyboardMarkup(rows)
    )


async def erase(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps, admin_id = deps_of(context), user_id(update)
    done = await privacy.erase(deps, admin_id, callback.int_arg(0))
    ended = await end_flows(deps.db, done)
    await privacy.flows_ended(deps, done, [a for a in ended if a != admin_id])
    await _answered(update)
    text = t(lang, "admin.privacy.erased", name=done.person.name)
    if done.cancelled:
        text = Html(f"{text}\n{t(lang, 'admin.erasure.cancelled', n=len(done.cancelled))}")
    await show(update, text, None)


async def end_flows(db: Database, done: Erased) -> list[int]:
    """End every question flow about the erased senior (someone ordering for her, a
    volunteer's note on her delivery, a registration naming her); who was in one. The
    log is emptied again afterwards, so the ended questions' pages leave the file too."""
    scrubber = Scrubber(done.person, "")
    kept = await flows.everyone(db.reader)
    ended = [flow.account_id for flow in kept if _about(flow, done, scrubber)]
    if ended:
        async with db.transaction() as tx:
            await flows.forget(tx, ended)
        await checkpoint(db.reader)
    return ended


def _about(flow: flows.Kept, done: Erased, scrubber: Scrubber) -> bool:
    values = json.loads(flow.state)
    rid = done.person.resident_id
    if str(values.get("resident")) == str(rid):
        return True
    if values.get("delivery") in done.traces.delivery_ids:
        return True
    texts = [v for v in (*values.values(), *flow.options) if isinstance(v, str)]
    return any(scrubber.names_her(text) for text in texts)


async def family_invite(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    invite = await privacy.family_invite(deps, user_id(update), callback.int_arg(0))
    found = await privacy.resident(deps, user_id(update), callback.int_arg(0))
    text = t(
        lang,
        "admin.privacy.invite",
        name=found.name,
        code=invite.code,
        link=f"https://t.me/{context.bot.username}?start=join_{invite.code}",
        expires=f"{invite.expires_at.astimezone(deps.clock.tz):%Y-%m-%d %H:%M}",
    )
    await _answered(update)
    await tell(update, context, text)


ACTIONS = {
    "res": open_card,
    "aud": history,
    "exp": export,
    "era": ask_erase,
    "erc": erase,
    "fam": family_invite,
}
