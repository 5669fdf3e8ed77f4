"""The people side: users and groups that talk to the bot the way a person would."""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.entities import command_entities
from bot.sandbox.methods import message_to_api
from bot.sandbox.models import BotMessage, CallbackAnswer, ChatState, Upload, UserState
from bot.sandbox.state import CallbackQueryState, SandboxState
from bot.sandbox.transcript import UserEvent

if TYPE_CHECKING:
    Idle = Callable[[], Awaitable[None]]


class ButtonNotFoundError(LookupError):
    """click() found no button with exactly that text; the message lists what is visible."""


class ChatView:
    """What one chat shows: the bot's messages, newest last, and the reply keyboard."""

    def __init__(self, state: SandboxState, chat_id: int, idle: Idle) -> None:
        self._state = state
        self.chat_id = chat_id
        self._idle = idle

    @property
    def _chat(self) -> ChatState | None:
        return self._state.chats.get(self.chat_id)

    @property
    def title(self) -> str:
        """The group title, or the user's first name for a private chat."""
        chat = self._chat
        return chat.title if chat else str(self.chat_id)

    @property
    def messages(self) -> list[BotMessage]:
        """Every message the bot sent here, in order, edits applied, deleted ones flagged."""
        chat = self._chat
        return list(chat.messages) if chat else []

    @property
    def visible(self) -> list[BotMessage]:
        """The bot's messages that were not deleted."""
        return [m for m in self.messages if not m.deleted]

    @property
    def last(self) -> BotMessage:
        """The newest message the bot sent here that is still visible."""
        if not self.visible:
            raise LookupError(f"the bot has sent nothing (visible) to {self.title}")
        return self.visible[-1]

    @property
    def keyboard(self) -> list[list[str]] | None:
        """The current reply keyboard as rows of button texts, or None."""
        chat = self._chat
        if chat is None or chat.reply_keyboard is None:
            return None
        return [[b["text"] for b in row] for row in chat.reply_keyboard]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.chat_id} {self.title!r}>"


class SandboxChat(ChatView):
    """A group the bot can post to (declared with sandbox.group())."""


class SandboxUser(ChatView):
    """A Telegram user; their private chat with the bot has chat id == user id."""

    def __init__(
        self, state: SandboxState, user: UserState, idle: Idle, location: tuple[float, float]
    ) -> None:
        super().__init__(state, user.id, idle)
        self.user = user
        self.location = location

    @property
    def id(self) -> int:
        """The user id (and private chat id)."""
        return self.user.id

    @property
    def name(self) -> str:
        """The user's first name."""
        return self.user.first_name

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this user's button presses, in order."""
        return self.user.callback_answers

    def block(self) -> None:
        """Block the bot: sending here now fails with 403; the bot gets my_chat_member."""
        self.user.blocked = True
        self._member_update("member", "kicked")

    def unblock(self) -> None:
        """Unblock the bot (like pressing Restart)."""
        self.user.blocked = False
        self._member_update("kicked", "member")

    async def add_bot_to(self, group: ChatView, *, wait: bool = True) -> None:
        """Add the bot to a group (declared with `bot_status="left"`): it becomes a member
        and gets my_chat_member, from this user."""
        chat = self._target(group)
        old, chat.bot_status = chat.bot_status, "member"
        member = {
            "chat": chat.to_api(),
            "from": self.user.to_api(),
            "date": self._state.now(),
            "old_chat_member": {"status": old, "user": self._state.bot_user},
            "new_chat_member": {"status": "member", "user": self._state.bot_user},
        }
        self._state.queue.put({"my_chat_member": member})
        if wait:
            await self._idle()

    async def send(
        self, text: str, *, chat: ChatView | None = None, wait: bool = True
    ) -> dict[str, Any]:
        """Type a message (commands get their bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        return await self._say(content, text, "said", chat, wait)

    async def share_contact(self, phone: str | None = None, *, wait: bool = True) -> dict[str, Any]:
        """Share this user's own phone number, like a request_contact button does."""
        phone = phone or self.user.phone or f"+86138{self.id % 10**8:08d}"
        contact = {"phone_number": phone, "first_name": self.name, "user_id": self.id}
        return await self._say({"contact": contact}, f"📞 {phone}", "shared", None, wait)

    async def share_location(
        self, latitude: float | None = None, longitude: float | None = None, *, wait: bool = True
    ) -> dict[str, Any]:
        """Share a location (default: this user's location)."""
        lat = self.location[0] if latitude is None else latitude
        lon = self.location[1] if longitude is None else longitude
        content = {"location": {"latitude": lat, "longitude": lon}}
        return await self._say(content, f"📍 {lat}, {lon}", "shared", None, wait)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        wait: bool = True,
    ) -> dict[str, Any]:
        """Send a file; the bot can fetch its bytes with getFile and the file URL."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._state.store_file(Upload(filename, content, mime_type), "documents")
        message: dict[str, Any] = {"document": stored.document()}
        if caption:
            message["caption"] = caption
        shown = f"📎 {filename}" + (f" — {caption}" if caption else "")
        return await self._say(message, shown, "sent", None, wait)

    async def send_photo(
        self, content: bytes, *, caption: str | None = None, wait: bool = True
    ) -> dict[str, Any]:
        """Send a picture; the bot gets it as Telegram sends one (a PhotoSize list)."""
        stored = self._state.store_file(Upload("photo.jpg", content, "image/jpeg"), "photos")
        message: dict[str, Any] = {"photo": [stored.ids | {"width": 800, "height": 600}]}
        if caption:
            message["caption"] = caption
        shown = "🖼 photo" + (f" — {caption}" if caption else "")
        return await self._say(message, shown, "sent", None, wait)

    async def send_voice(
        self, content: bytes = b"OggS voice", *, caption: str | None = None, wait: bool = True
    ) -> dict[str, Any]:
        """Record and send a voice message (Ogg/Opus, as Telegram's apps send them)."""
        stored = self._state.store_file(Upload("voice.ogg", content, "audio/ogg"), "voice")
        message: dict[str, Any] = {"voice": stored.voice()}
        if caption:
            message["caption"] = caption
        return await self._say(message, f"🎤 {stored.file_id}", "sent", None, wait)

    async def click(
        self,
        text: str,
        *,
        message: BotMessage | None = None,
        chat: ChatView | None = None,
        wait: bool = True,
    ) -> dict[str, Any]:
        """Tap the reply-keyboard button with exactly this text, else the inline button."""
        target = self._target(chat)
        for row in (target.reply_keyboard or []) if message is None else []:
            for button in row:
                if button["text"] == text:
                    return await self._tap_reply_button(target, button, chat, wait)
        candidates = (
            [message] if message else [m for m in reversed(target.messages) if not m.deleted]
        )
        for candidate in candidates:
            for raw in (candidate.versions[-1].markup or {}).get("inline_keyboard", []):
                for button in (b for b in raw if b["text"] == text):
                    if "callback_data" not in button:
                        raise ButtonNotFoundError(f"{text!r} is not a callback button: {button}")
                    return await self.press(
                        button["callback_data"],
                        candidate.message_id,
                        chat=chat,
                        wait=wait,
                        label=text,
                    )
        raise ButtonNotFoundError(
            f"no button {text!r} in {target.title}; "
            f"visible: {self._visible_buttons(target, candidates)}"
        )

    async def press(
        self,
        callback_data: str,
        message_id: int | None = None,
        *,
        chat: ChatView | None = None,
        wait: bool = True,
        label: str | None = None,
    ) -> dict[str, Any]:
        """Send a callback query (possibly forged) for a bot message (default: the newest)."""
        target = self._target(chat)
        message = self._message_for(target, message_id)
        query_id = str(self._state.next_query_id)
        self._state.next_query_id += 1
        self._state.callback_queries[query_id] = CallbackQueryState(
            self.id, target.id, message.message_id, callback_data
        )
        api_message = (
            {"chat": target.to_api(), "message_id": message.message_id, "date": 0}
            if message.deleted
            else message_to_api(self._state, target, message)
        )
        query = {
            "id": query_id,
            "from": self.user.to_api(),
            "message": api_message,
            "chat_instance": str(target.id),
            "data": callback_data,
        }
        self._record(target, "pressed", label or f"data={callback_data}")
        return await self.send_update({"callback_query": query}, wait=wait)

    async def send_update(self, update: dict[str, Any], *, wait: bool = True) -> dict[str, Any]:
        """Queue any update as this client would send it (update_id is added)."""
        self._private_chat()
        queued = self._state.queue.put(update)
        if wait:
            await self._idle()
        return queued

    async def _tap_reply_button(
        self, target: ChatState, button: dict[str, Any], chat: ChatView | None, wait: bool
    ) -> dict[str, Any]:
        if button.get("request_contact"):
            return await self.share_contact(wait=wait)
        if button.get("request_location"):
            return await self.share_location(wait=wait)
        if target.one_time_keyboard:
            target.reply_keyboard = None
        return await self.send(button["text"], chat=chat, wait=wait)

    async def _say(
        self, content: dict[str, Any], shown: str, action: Any, chat: ChatView | None, wait: bool
    ) -> dict[str, Any]:
        target = self._target(chat)
        message = {
            "message_id": target.next_message_id(),
            "date": self._state.now(),
            "chat": target.to_api(),
            "from": self.user.to_api(),
            **content,
        }
        target.user_messages[message["message_id"]] = message
        self._record(target, action, shown)
        return await self.send_update({"message": message}, wait=wait)

    def _record(self, target: ChatState, action: Any, text: str) -> None:
        self._state.transcript.append(
            UserEvent(target.title, self.name, action, text, private=target.type == "private")
        )

    def _target(self, chat: ChatView | None) -> ChatState:
        if chat is None:
            return self._private_chat()
        state = self._state.chats.get(chat.chat_id)
        if state is None:
            raise LookupError(f"unknown chat {chat.chat_id}; declare it with sandbox.group()")
        return state

    def _private_chat(self) -> ChatState:
        """The private chat, which becomes known to the bot on the user's first update."""
        chat = self._state.chats.get(self.id)
        if chat is None:
            chat = ChatState(self.id, "private", self.name, username=self.user.username)
            self._state.chats[self.id] = chat
        return chat

    def _message_for(self, chat: ChatState, message_id: int | None) -> BotMessage:
        for message in reversed(chat.messages):
            if (message_id is None and not message.deleted) or message.message_id == message_id:
                return message
        raise LookupError(f"no bot message {message_id or ''} in {chat.title} to press on")

    def _member_update(self, old: str, new: str) -> None:
        chat = self._state.chats.get(self.id)
        if chat is None:
            return
        new_member: dict[str, Any] = {"status": new, "user": self._state.bot_user}
        if new == "kicked":
            new_member["until_date"] = 0
        member = {
            "chat": chat.to_api(),
            "from": self.user.to_api(),
            "date": self._state.now(),
            "old_chat_member": {"status": old, "user": self._state.bot_user},
            "new_chat_member": new_member,
        }
        self._state.queue.put({"my_chat_member": member})

    @staticmethod
    def _visible_buttons(chat: ChatState, messages: list[BotMessage]) -> str:
        keyboard = [b["text"] for row in chat.reply_keyboard or [] for b in row]
        parts = [f"reply keyboard {keyboard}"] if keyboard else []
        parts += [f"#{m.message_id} {m.inline_texts}" for m in messages if m.inline_texts]
        return "; ".join(parts) or "no buttons at all"
