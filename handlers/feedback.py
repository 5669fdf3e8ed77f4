"""How the meal was: the senior's or family's one tap, the reasons and a note."""

from __future__ import annotations

from telegram import Update
from typing_extensions import TypedDict

from bot.core import callbacks
from bot.core.callbacks import Order, OrderWord
from bot.core.i18n import t
from bot.services.feedback import messages, rating
from data.feedback import Feedback
from handlers import conversation
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, user_id
from handlers.conversation import Feature, Flow, Reply
from handlers.keyboards import inline

NOTE_FLOW, NOTE = "feedback_note", "note"


class NoteShape(TypedDict):
    order: int


async def _shown(update: Update, found: Feedback, lang: str) -> None:
    await show(
        update, messages.after_rating(found, lang), inline(messages.reason_buttons(found, lang))
    )


async def rate(update: Update, context: Context, tap: OrderWord, lang: str) -> None:
    """One tap: good, so-so or not good."""
    found = await rating.rate(context.deps, user_id(update), tap.order, tap.word)
    await answer(update)
    await _shown(update, found, lang)


async def reason(update: Update, context: Context, tap: OrderWord, lang: str) -> None:
    """Tick a reason (or untick it)."""
    found = await rating.reason(context.deps, user_id(update), tap.order, tap.word)
    await answer(update)
    await _shown(update, found, lang)


async def note_ask(update: Update, context: Context, tap: Order, lang: str) -> None:
    await answer(update)
    flow = conversation.begin(context, NOTE_FLOW, NOTE, NoteShape(order=tap.order))
    await conversation.ask(update, context, flow, t(lang, "feedback.note_ask"), [])


async def _ask_again(update: Update, context: Context, flow: Flow[NoteShape]) -> None:
    lang = await language_of(update, context)
    await conversation.ask(update, context, flow, t(lang, "feedback.note_ask"), [])


async def noted(update: Update, context: Context, flow: Flow[NoteShape], reply: Reply) -> None:
    """The note arrived: kept with the rating."""
    lang = await language_of(update, context)
    found = await rating.note(context.deps, user_id(update), flow.data["order"], reply.text)
    await conversation.finish(update, context, messages.after_rating(found, lang))


NOTE_FEATURE = Feature(asks={NOTE: _ask_again}, answers={NOTE: noted}, state=NoteShape)

BUTTONS = (
    Button(callbacks.FEEDBACK_RATE, rate),
    Button(callbacks.FEEDBACK_REASON, reason),
    Button(callbacks.FEEDBACK_NOTE, note_ask),
)
