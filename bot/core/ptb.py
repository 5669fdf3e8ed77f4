"""Type names for python-telegram-bot's generic Application, spelt once.

Doorstep uses PTB's default context types, so the Application's six type parameters are
left open (`Any`) rather than repeated, or silenced, at every signature.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

App = Application[Any, Any, Any, Any, Any, Any]
