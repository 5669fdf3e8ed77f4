"""A chronological, readable record of a conversation, for the demo and for failing tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class UserEvent:
    """A user did something in a chat: said text, pressed a button, shared or sent something."""

    chat: str
    user: str
    action: Literal["said", "pressed", "shared", "sent"]
    text: str
    private: bool = True


@dataclass(frozen=True, slots=True)
class BotEvent:
    """The bot sent, edited or deleted a message, or answered a button press."""

    chat: str
    action: Literal["sent", "edited", "deleted", "answered"]
    text: str
    message_id: int = 0
    buttons: tuple[tuple[str, ...], ...] = ()
    keyboard: tuple[tuple[str, ...], ...] | None = None
    private: bool = True


Event = UserEvent | BotEvent
MARKS = {
    "said": "▸",
    "pressed": "⊙",
    "shared": "⇪",
    "sent": "▸",
    "edited": "✎",
    "deleted": "✗",
    "answered": "↩",
}


def format_transcript(events: Iterable[Event], width: int = 10) -> str:
    """Render events for a terminal: 'Alice      ▸ /start', '  bot ▸ Welcome', '[ Order ]'.

    A bot message to a private chat other than the one of the person who acted last is
    marked with its recipient ('bot → Bob ▸'), so notifications read unambiguously.
    """
    lines: list[str] = []
    speaker = ""
    for event in events:
        where = "" if event.private else f"[{event.chat}] "
        mark = MARKS[event.action]
        if isinstance(event, UserEvent):
            speaker = event.chat
            label = f"[ {event.text} ]" if event.action == "pressed" else event.text
            lines.append(f"{where}{event.user:<{width}} {mark} {label}")
            continue
        bot = "bot" if not event.private or event.chat == speaker else f"bot → {event.chat}"
        head = f"{where}{bot:>{width}} {mark} "
        if event.action == "deleted":
            lines.append(f"{head}(deleted message #{event.message_id})")
            continue
        prefix = "(edited) " if event.action == "edited" else ""
        body = (prefix + event.text).splitlines() or [""]
        lines.append(head + body[0])
        pad = " " * len(head)
        lines.extend(pad + line for line in body[1:])
        for row in event.buttons:
            lines.append(pad + " ".join(f"[ {label} ]" for label in row))
        for row in event.keyboard or ():
            lines.append(pad + " ".join(f"⟦ {label} ⟧" for label in row))
    return "\n".join(lines)
