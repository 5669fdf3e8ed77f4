"""Telegram's HTML formatting: plain text plus MessageEntity objects, or the error Telegram gives.

Only what Telegram accepts is accepted: the documented tags, the four named character
references (plus numeric ones), and properly nested, closed tags. A bare ``<`` is an
error, exactly like the real Bot API ("Unsupported start tag"), so a bot that forgets
to escape user input fails here first. MarkdownV2 and Markdown are passed through
unparsed (the bot uses HTML); their text is measured as sent.
"""

from __future__ import annotations

import re
from typing import Any

TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
ATTRIBUTE = re.compile(r"""([a-zA-Z_-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


class EntityParseError(ValueError):
    """The text cannot be parsed with the given parse_mode; the message is Telegram's."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The text a user sees and its entities, for any parse_mode the Bot API knows."""
    if parse_mode is None or parse_mode == "":
        return text, []
    if parse_mode.lower() == "html":
        return parse_html(text)
    if parse_mode.lower() in ("markdown", "markdownv2"):
        return text, []
    raise EntityParseError("unsupported parse_mode")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities (offsets in UTF-16 units)."""
    parser = _HtmlParser(source)
    parser.run()
    return "".join(parser.out), sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity a Telegram client adds to a message starting with /command."""
    match = COMMAND.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.position = 0  # in UTF-16 units of the output
        self.stack: list[tuple[str, str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, reason: str, index: int) -> EntityParseError:
        offset = len(self.source[:index].encode("utf-8"))
        return EntityParseError(f"can't parse entities: {reason} at byte offset {offset}")

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.position += utf16_len(text)

    def run(self) -> None:
        i = 0
        while i < len(self.source):
            char = self.source[i]
            if char == "<":
                i = self.tag(i)
            elif char == "&" and (match := REFERENCE.match(self.source, i)):
                self.emit(self.reference(match))
                i = match.end()
            else:
                self.emit(char)
                i += 1
        if self.stack:
            name = self.stack[-1][0]
            raise EntityParseError(
                f"can't parse entities: Can't find end tag corresponding to start tag \"{name}\""
            )

    def reference(self, match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if decimal or hexadecimal:
            code = int(decimal) if decimal else int(hexadecimal, 16)
            return chr(code) if 0 < code <= 0x10FFFF else match.group(0)
        return NAMED_REFERENCES.get(name.lower(), match.group(0))

    def tag(self, start: int) -> int:
        end = self.source.find(">", start)
        if end < 0:
            raise self.fail("Unclosed start tag", start)
        inner = self.source[start + 1 : end]
        if inner.startswith("/"):
            self.close(inner[1:].strip().lower(), start)
        else:
            self.open(inner, start)
        return end + 1

    def open(self, inner: str, start: int) -> None:
        name, _, rest = inner.strip().partition(" ")
        name = name.lower()
        if name not in TAG_ENTITIES:
            raise self.fail(f'Unsupported start tag "{name}"', start)
        attributes = {
            key.lower(): self.reference_free(value.strip("\"'")) if value else ""
            for key, value in ATTRIBUTE.findall(rest)
        }
        kind, extra = _entity_kind(name, attributes)
        if kind is None:
            raise self.fail(f'Tag "{name}" must have class "tg-spoiler"', start)
        self.stack.append((name, kind, self.position, extra))

    def close(self, name: str, start: int) -> None:
        if not self.stack:
            raise self.fail(f'Unexpected end tag "{name}"', start)
        open_name, kind, offset, extra = self.stack.pop()
        if name != open_name:
            raise self.fail(
                f'Unmatched end tag, expected "</{open_name}>", found "</{name}>"', start
            )
        if self.position > offset and kind:
            self.entities.append(
                {"type": kind, "offset": offset, "length": self.position - offset, **extra}
            )

    def reference_free(self, value: str) -> str:
        return REFERENCE.sub(lambda m: self.reference(m), value)


def _entity_kind(name: str, attributes: dict[str, str]) -> tuple[str | None, dict[str, Any]]:
    """The entity type and extra fields for an opening tag (None: the tag is not allowed)."""
    kind = TAG_ENTITIES[name]
    if name == "span" and attributes.get("class") != "tg-spoiler":
        return None, {}
    if name == "a":
        href = attributes.get("href", "")
        return ("text_link", {"url": href}) if href else ("", {})
    if name == "blockquote" and "expandable" in attributes:
        return "expandable_blockquote", {}
    if name == "tg-emoji":
        return kind, {"custom_emoji_id": attributes.get("emoji-id", "")}
    return kind, {}
