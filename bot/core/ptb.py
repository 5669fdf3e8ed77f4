"""Type names for python-telegram-bot, spelt once: the Application and the context.

Every handler and job receives a `Context`: PTB's own, with the services' `Deps` typed
(`context.deps`). The Application's six type parameters are left open (`Any`) rather
than repeated, or silenced, at every signature.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.core.deps import Deps

App = Application[Any, Any, Any, Any, Any, Any]
DEPS = "deps"  # where post_init keeps the Deps in bot_data


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with the store, clock and settings of this bot as `deps`."""

    @property
    def deps(self) -> Deps:
        found = self.bot_data.get(DEPS)
        if not isinstance(found, Deps):
            raise RuntimeError("Deps are opened in post_init, before the first update")
        return found


CONTEXT_TYPES = ContextTypes(context=Context)
