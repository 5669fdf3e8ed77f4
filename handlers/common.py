"""What every handler shares: reaching the services, the user's language, kind replies."""

from __future__ import annotations

from typing import cast

from telegram import Update

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import Html, pick_language, t
from bot.core.ptb import Context
from bot.services.people import accounts

__all__ = ["Context", "deps_of", "language_of", "refuse", "remember_language", "tell", "user_id"]
LANG = "lang"


def deps_of(context: Context) -> Deps:
    """The services' Deps (read `context.deps` in new code)."""
    return context.deps


def user_id(update: Update) -> int:
    """Who acted (every update a handler here takes has a user)."""
    user = update.effective_user
    assert user is not None
    return user.id


async def language_of(update: Update, context: Context) -> str:
    """The language to answer in, cached per user after the first look-up."""
    cache = context.user_data if context.user_data is not None else {}
    if LANG not in cache:
        user = update.effective_user
        stored = None
        if user is not None:
            stored = (await accounts.who(context.deps, user.id)).language
        cache[LANG] = pick_language(stored, user.language_code if user else None)
    return cast(str, cache[LANG])


def remember_language(context: Context, lang: str) -> None:
    if context.user_data is not None:
        context.user_data[LANG] = lang


async def tell(update: Update, context: Context, text: Html, **kwargs: object) -> None:
    """Answer in the chat the update came from (a tap on a button included)."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, **kwargs)  # type: ignore[arg-type]


async def refuse(update: Update, context: Context, error: DomainError) -> None:
    """Say kindly why a rule said no: as a callback answer for a tap, else as a message."""
    lang = await language_of(update, context)
    text = t(lang, error.key, **error.values)
    query = update.callback_query
    if query is not None:
        await query.answer(text[:200], show_alert=True)
    else:
        await tell(update, context, text)
