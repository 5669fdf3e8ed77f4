"""What the sandbox remembers: chats, users, the bot's messages, callback answers, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

MessageKind = Literal["text", "location", "document", "photo", "voice"]
VOICE_SECONDS = 3  # how long a voice message of the sandbox lasts


@dataclass(frozen=True, slots=True)
class Upload:
    """A file's name, type and bytes: a multipart part the bot uploaded, or a user's file."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    @property
    def text(self) -> str:
        """The bytes as UTF-8 text (e.g. a CSV export); a BOM is dropped."""
        return self.content.decode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file Telegram keeps: reachable by file_id (getFile) and then by file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    upload: Upload

    @property
    def ids(self) -> dict[str, Any]:
        """The fields every file object shares: ids and size."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.upload.content),
        }

    def to_api(self) -> dict[str, Any]:
        """The File object getFile returns."""
        return self.ids | {"file_path": self.file_path}

    def document(self) -> dict[str, Any]:
        """The Document object of a message carrying this file."""
        return self.ids | {"file_name": self.upload.filename, "mime_type": self.upload.content_type}

    def voice(self) -> dict[str, Any]:
        """The Voice object of a voice message carrying this file."""
        return self.ids | {"duration": VOICE_SECONDS, "mime_type": self.upload.content_type}


class InlineButton(NamedTuple):
    """An inline button as a user sees it: label and callback_data (or url)."""

    text: str
    data: str | None


class Command(NamedTuple):
    """One entry of a setMyCommands list."""

    command: str
    description: str


class ApiRequest(NamedTuple):
    """One request the bot sent: spec method name and decoded parameters."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one of this user's button presses."""

    text: str | None
    show_alert: bool
    url: str | None = None
    query_id: str = ""


@dataclass(slots=True)
class Version:
    """One state of a bot message: what it said and which buttons it had."""

    text: str
    entities: list[dict[str, Any]]
    buttons: list[list[InlineButton]]
    markup: dict[str, Any] | None  # the inline keyboard as sent, for "not modified"
    date: int


@dataclass(slots=True)
class BotMessage:
    """A message the bot sent into a chat, with every edit applied."""

    chat_id: int
    message_id: int
    kind: MessageKind
    versions: list[Version]
    reply_keyboard: list[list[str]] | None = None
    raw_reply_markup: dict[str, Any] | None = None
    document: Upload | None = None
    photo: Upload | None = None
    voice: Upload | None = None
    file: StoredFile | None = None  # where the document, photo or voice is kept, by file_id
    location: tuple[float, float] | None = None
    deleted: bool = False

    @property
    def text(self) -> str:
        """The text (or caption) as the user sees it now, after entity parsing."""
        return self.versions[-1].text

    @property
    def buttons(self) -> list[list[InlineButton]]:
        """Current inline keyboard as rows of (text, callback_data or url)."""
        return self.versions[-1].buttons

    @property
    def edits(self) -> list[Version]:
        """Every edit in order (the original is not an edit)."""
        return self.versions[1:]

    @property
    def history(self) -> list[str]:
        """All texts this message has shown, original first."""
        return [v.text for v in self.versions]

    @property
    def inline_texts(self) -> list[str]:
        """Labels of all inline buttons, row by row."""
        return [b.text for row in self.buttons for b in row]

    def __str__(self) -> str:
        return f"#{self.message_id} {self.kind}: {self.text!r}"


@dataclass(slots=True)
class UserState:
    """A Telegram user the tests act as."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    last_name: str | None = None
    phone: str | None = None
    blocked: bool = False
    callback_answers: list[CallbackAnswer] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        """The User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if (value := getattr(self, key)) is not None:
                user[key] = value
        return user


@dataclass(slots=True)
class ChatState:
    """A private chat or group the bot can talk in."""

    id: int
    type: Literal["private", "group", "supergroup"]
    title: str
    username: str | None = None
    last_message_id: int = 0
    messages: list[BotMessage] = field(default_factory=list)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    reply_keyboard: list[list[dict[str, Any]]] | None = None
    one_time_keyboard: bool = False
    # The bot's own membership in a group: "member", "administrator", "restricted" (may
    # not post) or "left" (removed: Telegram answers "chat not found" to what it sends).
    bot_status: str = "member"

    def next_message_id(self) -> int:
        """Message ids count up per chat, shared by the bot and the users."""
        self.last_message_id += 1
        return self.last_message_id

    def find(self, message_id: int) -> BotMessage | None:
        """The bot's message with this id, if it was not deleted."""
        for message in self.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def to_api(self) -> dict[str, Any]:
        """The Chat object."""
        if self.type == "private":
            chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.title}
            if self.username:
                chat["username"] = self.username
            return chat
        return {"id": self.id, "type": self.type, "title": self.title}
