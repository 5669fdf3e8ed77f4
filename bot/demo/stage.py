"""The demo's stage: people who tap buttons by their label, and chapters of transcript."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from bot.core.i18n import catalogue
from bot.sandbox import BotMessage, Sandbox, SandboxUser, format_transcript


class NoSuchButtonError(LookupError):
    """The script asked for a button the bot did not show: the demo stops and says so."""


def _matches(label: str, wanted: str) -> bool:
    return label == wanted or label.startswith(wanted)


async def tap(user: SandboxUser, wanted: str, *, message: BotMessage | None = None) -> None:
    """Tap the button whose label is, or starts with, `wanted`: the reply keyboard first,
    then the inline buttons of the newest message that has one."""
    if message is None:
        for row in user.keyboard or []:
            for label in row:
                if _matches(label, wanted):
                    await user.click(label)
                    return
    candidates = [message] if message else list(reversed(user.visible))
    for candidate in candidates:
        for label in candidate.inline_texts:
            if _matches(label, wanted):
                await user.click(label, message=candidate)
                return
    shown = user.visible[-1] if user.visible else None
    raise NoSuchButtonError(
        f"{user.name}: no button starting with {wanted!r}; last message"
        f" {shown.text if shown else ''!r} with {shown.inline_texts if shown else []},"
        f" keyboard {user.keyboard}"
    )


def label(lang: str, key: str, **values: object) -> str:
    """A button's label from the catalogue. When a placeholder has no value here (the meals
    on a claim button, say), the label up to it: `tap` matches a label by its beginning."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(catalogue(lang)[key]):
        parts.append(literal)
        if name is None:
            continue
        if name not in values:
            return "".join(parts).rstrip()
        parts.append(str(values[name]))
    return "".join(parts)


def newest(user: SandboxUser, needle: str) -> BotMessage:
    """The newest message to `user` that contains `needle`."""
    for message in reversed(user.visible):
        if needle in message.text:
            return message
    raise LookupError(f"{user.name} never got a message with {needle!r}")


def invite_code(message: BotMessage) -> str:
    found = re.search(r"join_([A-Z0-9]+)", message.text)
    if found is None:
        raise LookupError(f"no invite link in {message.text!r}")
    return found.group(1)


@dataclass
class Book:
    """The transcript cut into chapters; quiet chapters show one line instead."""

    sandbox: Sandbox
    chapters: list[str] = field(default_factory=list)
    _mark: int = 0

    def begin(self) -> None:
        self._mark = len(self.sandbox.transcript)

    def end(self, clock: str, title: str, *, quiet: str | None = None) -> None:
        events = self.sandbox.transcript[self._mark :]
        heading = f"\n━━ {clock}  {title}"
        if quiet is not None:
            actions = sum(1 for event in events if type(event).__name__ == "UserEvent")
            self.chapters.append(f"{heading}\n   ({quiet}; {actions} taps and messages)")
        else:
            self.chapters.append(f"{heading}\n{format_transcript(events)}")
        self.begin()
