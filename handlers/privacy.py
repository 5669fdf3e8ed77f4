"""/audit: find a resident, then their card: history pages, export, erase, family invite."""

from __future__ import annotations

import json
from datetime import tzinfo

from telegram import InlineKeyboardMarkup, Update

from bot.core import callbacks, pager
from bot.core.callbacks import ResidentPage
from bot.core.i18n import Html, t
from bot.services.people import privacy
from bot.services.people.erasure import Erased
from bot.services.people.scrub import Scrubber
from bot.services.reports import audit_view
from data import flows
from data.db import Database
from data.erasure import checkpoint
from data.models import Resident
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.keyboards import inline


def card(lang: str, resident: Resident) -> tuple[Html, InlineKeyboardMarkup | None]:
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
    rows = [[(t(lang, "admin.audit.history"), callbacks.HISTORY.pack(resident.id))]]
    if resident.status != "erased":
        rows.append([(t(lang, "admin.audit.export"), callbacks.EXPORT.pack(resident.id))])
        invite = callbacks.ADMIN_FAMILY_INVITE.pack(resident.id)
        rows.append([(t(lang, "admin.audit.invite"), invite)])
        rows.append([(t(lang, "admin.audit.erase"), callbacks.ERASE_ASK.pack(resident.id))])
    return text, inline(rows)


async def search(update: Update, context: Context) -> None:
    """/audit <name, phone or number>: the matching residents as buttons."""
    lang = await language_of(update, context)
    query = " ".join(context.args or [])
    found = await privacy.search(context.deps, user_id(update), query)
    if not query:
        await tell(update, context, t(lang, "admin.audit.usage"))
    elif not found:
        await tell(update, context, t(lang, "admin.audit.none_found", query=query.strip()[:40]))
    elif len(found) == 1:
        text, markup = card(lang, found[0])
        await tell(update, context, text, reply_markup=markup)
    else:
        rows = [[(f"{r.name} · {r.phone}", callbacks.RESIDENT_CARD.pack(r.id))] for r in found]
        await tell(update, context, t(lang, "admin.audit.choose"), reply_markup=inline(rows))


async def open_card(update: Update, context: Context, tap: callbacks.Resident, lang: str) -> None:
    found = await privacy.resident(context.deps, user_id(update), tap.resident)
    await answer(update)
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
        lambda n: callbacks.HISTORY.pack(resident.id, n),
        fixed=[[(t(lang, "admin.audit.back"), callbacks.RESIDENT_CARD.pack(resident.id))]],
        empty=t(lang, "admin.audit.empty"),
        most=AUDIT_PAGE,
    )


async def history(update: Update, context: Context, tap: ResidentPage, lang: str) -> None:
    """One page of the resident's history, with ◀ / ▶."""
    deps = context.deps
    found = await audit_view.history(deps, user_id(update), tap.resident)
    shown = history_pages(lang, found, deps.clock.tz).page(tap.page)
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


async def export(update: Update, context: Context, tap: callbacks.Resident, lang: str) -> None:
    await privacy.export(context.deps, user_id(update), tap.resident)
    await answer(update, t(lang, "admin.privacy.export_queued"))


async def ask_erase(update: Update, context: Context, tap: callbacks.Resident, lang: str) -> None:
    found = await privacy.resident(context.deps, user_id(update), tap.resident)
    rows = [
        [(t(lang, "admin.privacy.erase_button"), callbacks.ERASE.pack(found.id))],
        [(t(lang, "admin.audit.back"), callbacks.RESIDENT_CARD.pack(found.id))],
    ]
    await answer(update)
    await show(update, t(lang, "admin.privacy.erase_ask", name=found.name), inline(rows))


async def erase(update: Update, context: Context, tap: callbacks.Resident, lang: str) -> None:
    deps, admin_id = context.deps, user_id(update)
    done = await privacy.erase(deps, admin_id, tap.resident)
    ended = await end_flows(deps.db, done)
    await privacy.flows_ended(deps, done, [a for a in ended if a != admin_id])
    await answer(update)
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


async def family_invite(
    update: Update, context: Context, tap: callbacks.Resident, lang: str
) -> None:
    deps = context.deps
    invite = await privacy.family_invite(deps, user_id(update), tap.resident)
    found = await privacy.resident(deps, user_id(update), tap.resident)
    text = t(
        lang,
        "admin.privacy.invite",
        name=found.name,
        code=invite.code,
        link=f"https://t.me/{context.bot.username}?start=join_{invite.code}",
        expires=f"{invite.expires_at.astimezone(deps.clock.tz):%Y-%m-%d %H:%M}",
    )
    await answer(update)
    await tell(update, context, text)


BUTTONS = (
    Button(callbacks.RESIDENT_CARD, open_card),
    Button(callbacks.HISTORY, history),
    Button(callbacks.EXPORT, export),
    Button(callbacks.ERASE_ASK, ask_erase),
    Button(callbacks.ERASE, erase),
    Button(callbacks.ADMIN_FAMILY_INVITE, family_invite),
)
