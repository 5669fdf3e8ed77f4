"""A local Telegram Bot API for tests and the demo: server, users, validation, transcript.

sandbox = Sandbox(token="123456:TEST-TOKEN", bot_username="doorstep_bot")
await sandbox.start()
app = (
    ApplicationBuilder().token(sandbox.token)
    .base_url(sandbox.base_url).base_file_url(sandbox.base_file_url)  # getFile downloads
    .build()
)
alice = sandbox.user(1001, "Alice")
await alice.send("/start")
assert alice.last.text == "..."
await alice.send_document("roster.csv", b"name,phone\n...")  # the bot can get_file it
"""

from bot.sandbox.client import ButtonNotFoundError, ChatView, SandboxChat, SandboxUser
from bot.sandbox.faults import Fault, FaultPolicy, RandomFaults, RateLimits
from bot.sandbox.models import ApiRequest, BotMessage, CallbackAnswer, Command, InlineButton, Upload
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.transcript import BotEvent, Event, UserEvent, format_transcript

__all__ = [
    "ApiRequest",
    "BotEvent",
    "BotMessage",
    "ButtonNotFoundError",
    "CallbackAnswer",
    "ChatView",
    "Command",
    "Event",
    "Fault",
    "FaultPolicy",
    "InlineButton",
    "RandomFaults",
    "RateLimits",
    "Sandbox",
    "SandboxChat",
    "SandboxUser",
    "Upload",
    "UserEvent",
    "format_transcript",
]
