"""Incidents for staff and admins: the card's buttons, the note, and /incidents."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters
from typing_extensions import TypedDict

from bot.core import callbacks
from bot.core.callbacks import IncidentOutcome, IncidentRef, Page
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.incidents import handling, messages
from handlers import conversation
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.conversation import Feature, Flow, Reply
from handlers.keyboards import inline

NOTE_FLOW, NOTE = "incident_note", "note"


class NoteShape(TypedDict):
    incident: int


async def _card(update: Update, context: Context, seen: handling.View, lang: str) -> None:
    deps = context.deps
    body = messages.card(seen, lang, deps.clock.tz)
    await show(update, body, inline(messages.card_buttons(seen, lang)))


async def see(update: Update, context: Context, tap: IncidentRef, lang: str) -> None:
    """The incident's card, with what may be done to it now."""
    seen = await handling.see(context.deps, user_id(update), tap.incident)
    await answer(update)
    await _card(update, context, seen, lang)


async def take(update: Update, context: Context, tap: IncidentRef, lang: str) -> None:
    """ "I'll handle it": this person is responsible now."""
    seen = await handling.take(context.deps, user_id(update), tap.incident)
    await answer(update, t(lang, "incident.taken_done", id=tap.incident))
    await _card(update, context, seen, lang)


async def close_ask(update: Update, context: Context, tap: IncidentRef, lang: str) -> None:
    """Offer the outcomes to close it with."""
    seen = await handling.see(context.deps, user_id(update), tap.incident)
    if seen.incident.closed_at is not None:
        await answer(update, t(lang, "incident.closed_already"))
        await _card(update, context, seen, lang)
        return
    await answer(update)
    body = Html(f"{messages.card(seen, lang, context.deps.clock.tz)}\n\n")
    body = Html(body + t(lang, "incident.close_ask", id=tap.incident))
    await show(update, body, inline(messages.outcome_buttons(tap.incident, lang)))


async def close(update: Update, context: Context, tap: IncidentOutcome, lang: str) -> None:
    """Closed with how it ended; the family hears it."""
    seen = await handling.close(context.deps, user_id(update), tap.incident, tap.outcome)
    await answer(update)
    await _card(update, context, seen, lang)


async def note_ask(update: Update, context: Context, tap: IncidentRef, lang: str) -> None:
    """Ask for the note (the incident must be theirs to see at all)."""
    await handling.see(context.deps, user_id(update), tap.incident)
    await answer(update)
    flow = conversation.begin(context, NOTE_FLOW, NOTE, NoteShape(incident=tap.incident))
    await conversation.ask(update, context, flow, t(lang, "incident.note.ask", id=tap.incident), [])


async def _ask_again(update: Update, context: Context, flow: Flow[NoteShape]) -> None:
    lang = await language_of(update, context)
    key = "incident.note.ask"
    await conversation.ask(update, context, flow, t(lang, key, id=flow.data["incident"]), [])


async def noted(update: Update, context: Context, flow: Flow[NoteShape], reply: Reply) -> None:
    """The note arrived: kept on the incident, and its card shown again."""
    lang = await language_of(update, context)
    incident_id = flow.data["incident"]
    seen = await handling.note(context.deps, user_id(update), incident_id, reply.text)
    await conversation.finish(update, context, t(lang, "incident.note.saved", id=incident_id))
    body = messages.card(seen, lang, context.deps.clock.tz)
    await tell(update, context, body, reply_markup=inline(messages.card_buttons(seen, lang)))


NOTE_FEATURE = Feature(asks={NOTE: _ask_again}, answers={NOTE: noted}, state=NoteShape)


async def listing(update: Update, context: Context) -> None:
    """/incidents: the open ones, oldest first, a page at a time."""
    lang = await language_of(update, context)
    deps = context.deps
    found = await handling.open_list(deps, user_id(update))
    shown = messages.list_pages(found, lang, deps.clock.now()).page(0)
    await tell(update, context, shown.text, reply_markup=inline(shown.rows))


async def page(update: Update, context: Context, tap: Page, lang: str) -> None:
    deps = context.deps
    found = await handling.open_list(deps, user_id(update))
    shown = messages.list_pages(found, lang, deps.clock.now()).page(tap.page)
    await answer(update)
    await show(update, shown.text, inline(shown.rows))


BUTTONS = (
    Button(callbacks.INCIDENT_SEE, see),
    Button(callbacks.INCIDENT_TAKE, take),
    Button(callbacks.INCIDENT_NOTE, note_ask),
    Button(callbacks.INCIDENT_CLOSE, close_ask),
    Button(callbacks.INCIDENT_OUTCOME, close),
    Button(callbacks.INCIDENTS_PAGE, page),
)


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("incidents", listing, filters=private), group=group)
