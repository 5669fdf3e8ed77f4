"""The fake Telegram world: chats, users, the update queue, and what the bot did."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sandbox.models import ApiRequest, ChatState, Command, StoredFile, Upload, UserState
from bot.sandbox.transcript import Event


class ApiError(Exception):
    """An error answer: `{"ok": false, "error_code": code, "description": ...}`."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


class UpdateQueue:
    """Telegram's update queue: kept until confirmed by offset, long-polled by getUpdates."""

    def __init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._next_id = 1
        self._fetched_up_to = 0
        self._wakeup = asyncio.Event()
        self._closed = False
        self._generation = 0
        self.last_fetch = 0.0  # loop time of the last getUpdates that returned updates
        self.last_confirm = 0.0  # loop time of the last offset that confirmed updates

    def put(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (update_id assigned here) and wake a waiting getUpdates."""
        update = {"update_id": self._next_id, **update}
        self._next_id += 1
        self._updates.append(update)
        self._wake()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue an update again with its old update_id, as Telegram does when the bot
        did not confirm it before going away."""
        self._updates = sorted([*self._updates, update], key=lambda u: int(u["update_id"]))
        self._fetched_up_to = min(self._fetched_up_to, int(update["update_id"]) - 1)
        self._wake()

    @property
    def unfetched(self) -> int:
        """Updates no getUpdates call has returned yet."""
        return sum(1 for u in self._updates if u["update_id"] > self._fetched_up_to)

    @property
    def unconfirmed(self) -> int:
        """Updates a getUpdates call returned that no later offset has confirmed yet.

        PTB's Updater hands fetched updates to the Application before it polls again
        with the next offset, so until then the updates are in the bot's hands."""
        return sum(1 for u in self._updates if u["update_id"] <= self._fetched_up_to)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a later offset."""
        return list(self._updates)

    def confirm(self, offset: int) -> None:
        """Forget updates before offset; a negative offset keeps only the last -offset."""
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def drop_all(self) -> None:
        """Forget every pending update (deleteWebhook with drop_pending_updates)."""
        self._updates.clear()

    async def get(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """Return pending updates at once, or wait up to `wait` seconds for the first one."""
        self._generation += 1
        generation = self._generation
        self._wake()  # an older waiting call now ends with 409, as on Telegram
        loop = asyncio.get_running_loop()
        before = len(self._updates)
        self.confirm(offset)
        if len(self._updates) < before:
            self.last_confirm = loop.time()
        deadline = loop.time() + wait
        while not self._updates and not self._closed and loop.time() < deadline:
            try:  # asyncio.timeout, as wait_for on 3.11 may swallow a cancel
                async with asyncio.timeout_at(deadline):
                    await self._wakeup.wait()
            except TimeoutError:
                break
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        batch = self._updates[:limit]
        if batch:
            self._fetched_up_to = max(self._fetched_up_to, batch[-1]["update_id"])
            self.last_fetch = loop.time()
        return batch

    def take(self) -> dict[str, Any] | None:
        """The oldest pending update, handed out for a webhook delivery (None: nothing new)."""
        batch = [u for u in self._updates if u["update_id"] > self._fetched_up_to]
        if not batch:
            return None
        self._fetched_up_to = batch[0]["update_id"]
        self.last_fetch = asyncio.get_running_loop().time()
        return batch[0]

    def delivered(self, update_id: int) -> None:
        """The webhook answered 2xx: the update is the bot's now."""
        self._updates = [u for u in self._updates if u["update_id"] != update_id]
        self.last_confirm = asyncio.get_running_loop().time()

    def undelivered(self, update_id: int) -> None:
        """The webhook failed: the update is delivered again, as Telegram retries."""
        self._fetched_up_to = min(self._fetched_up_to, update_id - 1)

    async def changed(self, wait: float) -> None:
        """Return when an update is queued (or the queue closes), or after `wait` seconds."""
        if self._closed:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._wakeup.wait()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Release any waiting getUpdates (it returns an empty list)."""
        self._closed = True
        self._wake()

    def wake(self) -> None:
        """Wake whoever waits for updates (a long poll, the webhook delivery)."""
        self._wake()

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()


@dataclass(slots=True)
class Webhook:
    """What setWebhook registered: updates are POSTed there instead of waiting for getUpdates."""

    url: str
    secret_token: str | None = None
    # The HTTP status of each delivery attempt, in order (0: no answer at all).
    answers: list[int] = field(default_factory=list)


@dataclass(slots=True)
class CallbackQueryState:
    """A button press awaiting answerCallbackQuery."""

    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


@dataclass(slots=True)
class SandboxState:
    """Everything the server and the client side share."""

    bot_user: dict[str, Any]
    clock: Callable[[], float] = time.time
    users: dict[int, UserState] = field(default_factory=dict)
    chats: dict[int, ChatState] = field(default_factory=dict)
    queue: UpdateQueue = field(default_factory=UpdateQueue)
    callback_queries: dict[str, CallbackQueryState] = field(default_factory=dict)
    commands: dict[str, list[Command]] = field(default_factory=dict)
    menu_buttons: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[ApiRequest] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    transcript: list[Event] = field(default_factory=list)
    files: dict[str, StoredFile] = field(default_factory=dict)
    next_query_id: int = 1
    webhook: Webhook | None = None

    def now(self) -> int:
        """Unix time for message dates."""
        return int(self.clock())

    def chat(self, chat_id: object, *, sending: bool = False) -> ChatState:
        """A chat the bot may use, or Telegram's error for an unknown or blocked one."""
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if isinstance(chat_id, str):
            groups = (c for c in self.chats.values() if c.type != "private")
            chat = next((c for c in groups if f"@{c.username}" == chat_id), None)
        if chat is None and sending and chat_id in self.users:  # a user who never pressed Start
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat is None or chat.bot_status == "left":
            raise ApiError(400, "Bad Request: chat not found")
        if sending and chat.bot_status == "restricted":
            raise ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
        user = self.users.get(chat.id)
        if sending and chat.type == "private" and user is not None and user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def store_file(self, upload: Upload, folder: str) -> StoredFile:
        """Keep a file under a new file_id, with a path like Telegram's 'documents/file_3.csv'."""
        number = len(self.files) + 1
        # Telegram re-encodes photos as JPEG; documents keep their extension.
        suffix = ".jpg" if folder == "photos" else Path(upload.filename).suffix
        stored = StoredFile(
            file_id=f"sandbox-file-{number}",
            file_unique_id=f"sandbox-unique-{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            upload=upload,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_at(self, file_path: str) -> StoredFile | None:
        """The file a download URL's path names, if any."""
        return next((f for f in self.files.values() if f.file_path == file_path), None)
