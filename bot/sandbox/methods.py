"""The Bot API methods the sandbox implements, each a coroutine over the shared state.

Parameters arrive already decoded and validated against the contract; what is left
here is what Telegram checks against its own state (known chats, existing messages,
"message is not modified", blocked users, stale callback queries).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from bot.sandbox.contract import load_contract
from bot.sandbox.entities import parse_text
from bot.sandbox.models import (
    BotMessage,
    CallbackAnswer,
    ChatState,
    Command,
    InlineButton,
    MessageKind,
    StoredFile,
    Upload,
    Version,
)
from bot.sandbox.state import ApiError, SandboxState, Webhook
from bot.sandbox.transcript import BotEvent

Params = dict[str, Any]
Method = Callable[[SandboxState, Params], Awaitable[Any]]
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files on api.telegram.org
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    """Register an implementation under the spec's method name."""

    def register(function: Method) -> Method:
        METHODS[name] = function
        return function

    return register


@method("getMe")
async def get_me(state: SandboxState, p: Params) -> Any:
    """The bot's own User object."""
    return state.bot_user


@method("getUpdates")
async def get_updates(state: SandboxState, p: Params) -> Any:
    """Long poll: return queued updates at once, or wait up to `timeout` seconds."""
    if state.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    return await state.queue.get(p.get("offset", 0), p.get("limit", 100), p.get("timeout", 0))


@method("setWebhook")
async def set_webhook(state: SandboxState, p: Params) -> Any:
    """From now on updates are POSTed to `url` (server.py delivers them), with the secret
    in the X-Telegram-Bot-Api-Secret-Token header when one was given."""
    url = str(p["url"])
    if not url:  # an empty url is Telegram's other way to remove the webhook
        state.webhook = None
        return True
    if not url.startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret is not None and not all(c.isalnum() or c in "_-" for c in str(secret)):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    if p.get("drop_pending_updates"):
        state.queue.drop_all()
    state.webhook = Webhook(url, str(secret) if secret is not None else None)
    state.queue.wake()
    return True


@method("deleteWebhook")
async def delete_webhook(state: SandboxState, p: Params) -> Any:
    """Back to getUpdates; optionally drop what is pending."""
    state.webhook = None
    if p.get("drop_pending_updates"):
        state.queue.drop_all()
    return True


@method("getWebhookInfo")
async def get_webhook_info(state: SandboxState, p: Params) -> Any:
    """The registered URL ("" when polling) and how many updates wait."""
    hook = state.webhook
    return {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.queue.pending),
    }


@method("getChatMember")
async def get_chat_member(state: SandboxState, p: Params) -> Any:
    """A member of a group: the bot itself (as the group says) or a known user (a member)."""
    chat = state.chat(p["chat_id"])
    user_id = p["user_id"]
    if user_id == state.bot_user["id"]:
        return _member(state.bot_user, chat.bot_status)
    user = state.users.get(user_id)
    if user is None:
        raise ApiError(400, "Bad Request: user not found")
    return _member(user.to_api(), "member")


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember; a restricted one is given no permission, an administrator every one
    (the flags are the contract's required ones, so they follow the Bot API version)."""
    member: dict[str, Any] = {"status": status, "user": user}
    kind = {"restricted": "ChatMemberRestricted", "administrator": "ChatMemberAdministrator"}
    if status in kind:
        fields = load_contract().types[kind[status]].fields
        flags = [name for name, spec in fields.items() if spec.required and name.startswith("can_")]
        member |= dict.fromkeys(flags, status == "administrator")
        member |= {"is_member": True, "until_date": 0} if status == "restricted" else {}
        member |= {"is_anonymous": False} if status == "administrator" else {}
    return member


@method("sendMessage")
async def send_message(state: SandboxState, p: Params) -> Any:
    """A text message, with any keyboard."""
    chat = state.chat(p["chat_id"], sending=True)
    text, entities = parse_text(p["text"], p.get("parse_mode"))
    return post(state, chat, "text", text.strip(), entities, p.get("reply_markup"))


@method("sendLocation")
async def send_location(state: SandboxState, p: Params) -> Any:
    """A map pin."""
    chat = state.chat(p["chat_id"], sending=True)
    message = new_message(state, chat, "location", "", [], p.get("reply_markup"))
    message.location = (float(p["latitude"]), float(p["longitude"]))
    return publish(state, chat, message)


@method("sendDocument")
async def send_document(state: SandboxState, p: Params) -> Any:
    """A file; the uploaded bytes are kept for the tests."""
    return _send_file(state, p, "document")


@method("sendPhoto")
async def send_photo(state: SandboxState, p: Params) -> Any:
    """A picture; the uploaded bytes are kept for the tests."""
    return _send_file(state, p, "photo")


@method("sendVoice")
async def send_voice(state: SandboxState, p: Params) -> Any:
    """A voice message: a user's voice sent on by its file_id, or an upload."""
    return _send_file(state, p, "voice")


FOLDERS: dict[MessageKind, str] = {"document": "documents", "photo": "photos", "voice": "voice"}


def _send_file(state: SandboxState, p: Params, kind: MessageKind) -> Any:
    chat = state.chat(p["chat_id"], sending=True)
    caption, entities = parse_text(p.get("caption", ""), p.get("parse_mode"))
    stored = _file_to_send(state, p[kind], FOLDERS[kind])
    message = new_message(state, chat, kind, caption.strip(), entities, p.get("reply_markup"))
    setattr(message, kind, stored.upload)
    message.file = stored
    return publish(state, chat, message)


def _file_to_send(state: SandboxState, value: object, folder: str) -> StoredFile:
    """An upload is kept under a new file_id; a known file_id is sent again as it is."""
    if isinstance(value, Upload):
        return state.store_file(value, folder)
    known = state.files.get(str(value))
    if known is not None:
        return known
    if str(value).startswith(("http://", "https://")):  # Telegram would fetch it; we cannot
        return state.store_file(Upload(filename=str(value), content=b""), folder)
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


@method("getFile")
async def get_file(state: SandboxState, p: Params) -> Any:
    """A File whose file_path downloads the bytes from the file URL."""
    stored = state.files.get(p["file_id"])
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if len(stored.upload.content) > MAX_DOWNLOAD:
        raise ApiError(400, "Bad Request: file is too big")
    return stored.to_api()


@method("sendChatAction")
async def send_chat_action(state: SandboxState, p: Params) -> Any:
    """'typing...' and friends: nothing to remember."""
    state.chat(p["chat_id"], sending=True)
    return True


@method("editMessageText")
async def edit_message_text(state: SandboxState, p: Params) -> Any:
    """Replace a message's text (and inline keyboard)."""
    chat, message = _editable(state, p)
    if message.kind != "text":
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    text, entities = parse_text(p["text"], p.get("parse_mode"))
    return edit(state, chat, message, text.strip(), entities, p.get("reply_markup"))


@method("editMessageCaption")
async def edit_message_caption(state: SandboxState, p: Params) -> Any:
    """Replace a file message's caption (and inline keyboard)."""
    chat, message = _editable(state, p)
    if message.kind == "text":
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    caption, entities = parse_text(p.get("caption", ""), p.get("parse_mode"))
    return edit(state, chat, message, caption.strip(), entities, p.get("reply_markup"))


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: SandboxState, p: Params) -> Any:
    """Replace (or remove) a message's inline keyboard."""
    chat, message = _editable(state, p)
    current = message.versions[-1]
    return edit(state, chat, message, current.text, current.entities, p.get("reply_markup"))


def _editable(state: SandboxState, p: Params) -> tuple[ChatState, BotMessage]:
    if "inline_message_id" in p:
        raise ApiError(400, "Bad Request: inline messages are not supported by the sandbox")
    chat = state.chat(p["chat_id"], sending=True)
    message = chat.find(p["message_id"])
    if message is None:
        raise ApiError(400, "Bad Request: message to edit not found")
    return chat, message


@method("deleteMessage")
async def delete_message(state: SandboxState, p: Params) -> Any:
    """Delete one of the bot's messages (or a user's message in the chat)."""
    chat = state.chat(p["chat_id"])
    message = chat.find(p["message_id"])
    if message is not None:
        message.deleted = True
        state.transcript.append(
            BotEvent(chat.title, "deleted", "", message.message_id, private=chat.type == "private")
        )
        return True
    if chat.user_messages.pop(p["message_id"], None) is not None:
        return True
    raise ApiError(400, "Bad Request: message to delete not found")


@method("answerCallbackQuery")
async def answer_callback_query(state: SandboxState, p: Params) -> Any:
    """Stop the button's spinner, optionally with a toast or alert."""
    query = state.callback_queries.get(p["callback_query_id"])
    if query is None or query.answered:
        raise ApiError(
            400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
    query.answered = True
    answer = CallbackAnswer(
        p.get("text"), bool(p.get("show_alert", False)), p.get("url"), p["callback_query_id"]
    )
    state.users[query.user_id].callback_answers.append(answer)
    if answer.text:
        chat = state.chats[query.chat_id]
        shown = f"(alert) {answer.text}" if answer.show_alert else f"(toast) {answer.text}"
        state.transcript.append(
            BotEvent(chat.title, "answered", shown, private=chat.type == "private")
        )
    return True


@method("setMyCommands")
async def set_my_commands(state: SandboxState, p: Params) -> Any:
    """Record the command list for a scope and language."""
    key = scope_key(state, p.get("scope"), p.get("language_code"))
    state.commands[key] = [Command(c["command"], c["description"]) for c in p["commands"]]
    return True


@method("deleteMyCommands")
async def delete_my_commands(state: SandboxState, p: Params) -> Any:
    """Forget the command list for a scope and language."""
    state.commands.pop(scope_key(state, p.get("scope"), p.get("language_code")), None)
    return True


@method("getMyCommands")
async def get_my_commands(state: SandboxState, p: Params) -> Any:
    """The command list for exactly this scope and language."""
    commands = state.commands.get(scope_key(state, p.get("scope"), p.get("language_code")), [])
    return [c._asdict() for c in commands]


@method("setChatMenuButton")
async def set_chat_menu_button(state: SandboxState, p: Params) -> Any:
    """Record the menu button of a private chat (or the default one)."""
    key = str(state.chat(p["chat_id"]).id) if "chat_id" in p else "default"
    state.menu_buttons[key] = p.get("menu_button", {"type": "default"})
    return True


@method("getChatMenuButton")
async def get_chat_menu_button(state: SandboxState, p: Params) -> Any:
    """The menu button of a private chat (or the default one)."""
    key = str(p["chat_id"]) if "chat_id" in p else "default"
    return state.menu_buttons.get(key, state.menu_buttons.get("default", {"type": "commands"}))


def scope_key(state: SandboxState, scope: dict[str, Any] | None, language: str | None) -> str:
    """'default', 'all_private_chats', 'chat:1001', 'chat_member:-100:1001', plus '@lang'."""
    scope = scope or {"type": "default"}
    parts = [scope["type"]]
    if "chat_id" in scope:
        parts.append(str(state.chat(scope["chat_id"]).id))
    if "user_id" in scope:
        parts.append(str(scope["user_id"]))
    return ":".join(parts) + (f"@{language}" if language else "")


def new_message(
    state: SandboxState,
    chat: ChatState,
    kind: MessageKind,
    text: str,
    entities: list[dict[str, Any]],
    markup: dict[str, Any] | None,
) -> BotMessage:
    """A bot message with its keyboard applied to the chat."""
    inline = markup if markup and "inline_keyboard" in markup else None
    message = BotMessage(
        chat_id=chat.id,
        message_id=chat.next_message_id(),
        kind=kind,
        versions=[Version(text, entities, inline_buttons(inline), inline, state.now())],
        raw_reply_markup=markup,
    )
    if markup and "keyboard" in markup:
        chat.reply_keyboard = [[_button(b) for b in row] for row in markup["keyboard"]]
        chat.one_time_keyboard = bool(markup.get("one_time_keyboard"))
        message.reply_keyboard = [[b["text"] for b in row] for row in chat.reply_keyboard]
    elif markup and markup.get("remove_keyboard"):
        chat.reply_keyboard = None
    return message


def post(
    state: SandboxState,
    chat: ChatState,
    kind: MessageKind,
    text: str,
    entities: list[dict[str, Any]],
    markup: dict[str, Any] | None,
) -> dict[str, Any]:
    """Create, store and describe a new bot message."""
    return publish(state, chat, new_message(state, chat, kind, text, entities, markup))


def publish(state: SandboxState, chat: ChatState, message: BotMessage) -> dict[str, Any]:
    """Store a new bot message, note it in the transcript, return the Message object."""
    chat.messages.append(message)
    _note(state, chat, message, "sent")
    return message_to_api(state, chat, message)


def edit(
    state: SandboxState,
    chat: ChatState,
    message: BotMessage,
    text: str,
    entities: list[dict[str, Any]],
    markup: dict[str, Any] | None,
) -> dict[str, Any]:
    """Apply an edit, refusing one that changes nothing, like Telegram."""
    current = message.versions[-1]
    if (text, entities, markup) == (current.text, current.entities, current.markup):
        raise ApiError(400, NOT_MODIFIED)
    message.versions.append(Version(text, entities, inline_buttons(markup), markup, state.now()))
    _note(state, chat, message, "edited")
    return message_to_api(state, chat, message)


def _note(
    state: SandboxState, chat: ChatState, message: BotMessage, action: Literal["sent", "edited"]
) -> None:
    """Write what the user now sees into the transcript (an edit leaves the keyboard)."""
    keyboard = message.reply_keyboard if action == "sent" else None
    state.transcript.append(
        BotEvent(
            chat.title,
            action,
            describe(message),
            message.message_id,
            buttons=tuple(tuple(b.text for b in row) for row in message.buttons),
            keyboard=tuple(tuple(row) for row in keyboard) if keyboard else None,
            private=chat.type == "private",
        )
    )


def inline_buttons(markup: dict[str, Any] | None) -> list[list[InlineButton]]:
    """Rows of (text, callback_data or url) from an InlineKeyboardMarkup."""
    if not markup:
        return []
    return [
        [InlineButton(b["text"], b.get("callback_data", b.get("url"))) for b in row]
        for row in markup.get("inline_keyboard", [])
    ]


def _button(button: str | dict[str, Any]) -> dict[str, Any]:
    return {"text": button} if isinstance(button, str) else button


def describe(message: BotMessage) -> str:
    """One line for the transcript: the text, or what was attached."""
    if message.location:
        return f"📍 {message.location[0]}, {message.location[1]}"
    attached = message.document or message.photo or message.voice
    if attached:
        icon = "📎" if message.document else "🎤" if message.voice else "🖼"
        return f"{icon} {attached.filename}" + (f"\n{message.text}" if message.text else "")
    return message.text


def message_to_api(state: SandboxState, chat: ChatState, message: BotMessage) -> dict[str, Any]:
    """The Message object Telegram would return for this bot message."""
    current = message.versions[-1]
    api: dict[str, Any] = {
        "message_id": message.message_id,
        "date": message.versions[0].date,
        "chat": chat.to_api(),
        "from": state.bot_user,
    }
    text_key, entities_key = (
        ("text", "entities") if message.kind == "text" else ("caption", "caption_entities")
    )
    if current.text or message.kind == "text":
        api[text_key] = current.text
    if current.entities:
        api[entities_key] = current.entities
    if current.markup:
        api["reply_markup"] = current.markup
    if message.edits:
        api["edit_date"] = current.date
    if message.location:
        api["location"] = {"latitude": message.location[0], "longitude": message.location[1]}
    if message.file and message.document:
        api["document"] = message.file.document()
    if message.file and message.photo:
        api["photo"] = [message.file.ids | {"width": 800, "height": 600}]
    if message.file and message.voice:
        api["voice"] = message.file.voice()
    return api
