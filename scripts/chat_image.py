"""Render a stretch of a sandbox chat transcript to a PNG that looks like the chat.

What is drawn is what the bot sent, as the sandbox recorded it: the person's messages and
taps on the right, the bot's messages on the left with their inline buttons, a tap's
short answer in the middle, and the reply keyboard last shown at the bottom. Chinese
needs a CJK font (Debian: fonts-noto-cjk); emoji come from Noto Color Emoji when it is
installed, else they are left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.sandbox.transcript import BotEvent, Event, UserEvent

WIDTH = 720
MARGIN = 16
PAD = 12
GAP = 10
SIZE = 22
LINE = int(SIZE * 1.45)
BUBBLE = int(WIDTH * 0.8)
BACKGROUND = (214, 226, 236)
BOT = (255, 255, 255)
PERSON = (225, 250, 204)
BUTTON = (236, 243, 250)
KEYBOARD = (246, 247, 248)
KEY = (255, 255, 255)
INK = (20, 24, 28)
BLUE = (36, 110, 180)
GREY = (110, 118, 126)
TOAST = (70, 76, 82)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
TEXT_FONTS = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "wqy-zenhei.ttc")
EMOJI_FONT = "NotoColorEmoji.ttf"
EMOJI_SIZE = 109  # the one size the colour emoji font has
CLOSING = "。，、；：！？）」』”’》.,;:!?)"


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        found = next(folder.rglob(name), None) if folder.is_dir() else None
        if found is not None:
            return found
    return None


@cache
def text_font() -> ImageFont.FreeTypeFont:
    for name in TEXT_FONTS:
        if (path := _find(name)) is not None:
            return ImageFont.truetype(str(path), SIZE)
    raise SystemExit("No CJK font found: install fonts-noto-cjk (Debian, Ubuntu).")


@cache
def emoji(char: str) -> Image.Image | None:
    """One emoji at text size, or None when there is no emoji font."""
    path = _find(EMOJI_FONT)
    if path is None:
        return None
    font = ImageFont.truetype(str(path), EMOJI_SIZE)
    canvas = Image.new("RGBA", (EMOJI_SIZE * 2, EMOJI_SIZE * 2), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((0, 0), char, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None:
        return None
    glyph = canvas.crop(box)
    height = int(SIZE * 1.05)
    return glyph.resize((max(1, glyph.width * height // glyph.height), height))


def is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or (0x2190 <= code <= 0x21FF and unicodedata.category(char) == "So")
        or char in "⏰⏳⌛⏸⏯▶◀"
    )


def _skip(char: str) -> bool:
    return char in "\ufe0f\u200d"


def width_of(text: str) -> float:
    font = text_font()
    total = 0.0
    for char in text:
        if _skip(char):
            continue
        glyph = emoji(char) if is_emoji(char) else None
        total += glyph.width + 2 if glyph is not None else font.getlength(char)
    return total


def draw_text(draw: ImageDraw.ImageDraw, image: Image.Image, at: tuple[float, float],
              text: str, fill: tuple[int, int, int]) -> None:  # fmt: skip
    """Text with emoji pasted from the colour font."""
    x, y = at
    font = text_font()
    run = ""
    for char in text:
        if _skip(char):
            continue
        glyph = emoji(char) if is_emoji(char) else None
        if glyph is None:
            run += char
            continue
        if run:
            draw.text((x, y), run, font=font, fill=fill)
            x += font.getlength(run)
            run = ""
        image.paste(glyph, (int(x), int(y + 2)), glyph)
        x += glyph.width + 2
    if run:
        draw.text((x, y), run, font=font, fill=fill)


def wrap(text: str, limit: float) -> list[str]:
    """Lines no wider than `limit` pixels: at a space when there is one, else anywhere
    (Chinese has no spaces)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            # Closing punctuation never starts a line (Chinese typesetting's rule).
            if width_of(line + char) <= limit or (char in CLOSING and line):
                line += char
                continue
            cut = line.rfind(" ")
            if cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1 :] + char
            else:
                lines.append(line)
                line = char
        lines.append(line)
    return lines


@dataclass
class Block:
    """One drawn thing: its height, and how to draw it at a y."""

    height: int
    event: Event
    lines: list[str]


def _buttons_height(rows: Sequence[Sequence[str]]) -> int:
    return sum(LINE + 2 * 6 + 6 for _ in rows)


def _layout(event: Event) -> Block | None:
    if isinstance(event, UserEvent):
        text = f"👆 {event.text}" if event.action == "pressed" else event.text
        lines = wrap(text, BUBBLE - 2 * PAD)
        return Block(len(lines) * LINE + 2 * PAD, event, lines)
    if event.action == "deleted":
        return None
    if event.action == "answered":
        lines = wrap(event.text, BUBBLE - 2 * PAD) if event.text else []
        return Block(len(lines) * LINE + 2 * PAD, event, lines) if lines else None
    lines = wrap(event.text, BUBBLE - 2 * PAD)
    if event.action == "edited":
        lines = ["✎", *lines]
    height = len(lines) * LINE + 2 * PAD + _buttons_height(event.buttons)
    return Block(height, event, lines)


def _draw_buttons(draw: ImageDraw.ImageDraw, image: Image.Image, rows: Sequence[Sequence[str]],
                  left: int, right: int, y: int, fill: tuple[int, int, int]) -> int:  # fmt: skip
    for row in rows:
        cell = (right - left - 6 * (len(row) - 1)) / max(1, len(row))
        for n, label in enumerate(row):
            x0 = left + n * (cell + 6)
            draw.rounded_rectangle((x0, y, x0 + cell, y + LINE + 12), 10, fill=fill)
            shown = label
            while width_of(shown) > cell - 12 and len(shown) > 2:
                shown = shown[:-2] + "…"
            draw_text(draw, image, (x0 + (cell - width_of(shown)) / 2, y + 4), shown, BLUE)
        y += LINE + 18
    return y


def render(events: Sequence[Event], path: Path, keyboard: Sequence[Sequence[str]] | None) -> None:
    """Draw `events` (one chat's) and the reply keyboard under them into `path`."""
    blocks = [block for event in events if (block := _layout(event)) is not None]
    keys = list(keyboard or [])
    key_height = len(keys) * (LINE + 24) + 2 * GAP if keys else 0
    height = MARGIN * 2 + sum(b.height + GAP for b in blocks) + key_height
    image = Image.new("RGB", (WIDTH, max(height, 120)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for block in blocks:
        event = block.event
        wide = max([width_of(line) for line in block.lines] + [0]) + 2 * PAD
        if isinstance(event, BotEvent) and event.buttons:
            wide = BUBBLE
        if isinstance(event, UserEvent):
            right = WIDTH - MARGIN
            box = (right - wide, y, right, y + block.height)
            draw.rounded_rectangle(box, 14, fill=PERSON)
            for n, line in enumerate(block.lines):
                draw_text(draw, image, (box[0] + PAD, y + PAD + n * LINE), line, INK)
        elif event.action == "answered":
            left = (WIDTH - wide) / 2
            draw.rounded_rectangle((left, y, left + wide, y + block.height), 14, fill=TOAST)
            for n, line in enumerate(block.lines):
                draw_text(draw, image, (left + PAD, y + PAD + n * LINE), line, (255, 255, 255))
        else:
            text_height = len(block.lines) * LINE + 2 * PAD
            box = (MARGIN, y, MARGIN + wide, y + text_height)
            draw.rounded_rectangle(box, 14, fill=BOT)
            for n, line in enumerate(block.lines):
                colour = GREY if line == "✎" else INK
                draw_text(draw, image, (MARGIN + PAD, y + PAD + n * LINE), line, colour)
            _draw_buttons(draw, image, event.buttons, MARGIN, MARGIN + int(wide),
                          y + text_height + 6, BUTTON)  # fmt: skip
        y += block.height + GAP
    if keys:
        draw.rectangle((0, y, WIDTH, height), fill=KEYBOARD)
        _draw_buttons(draw, image, keys, MARGIN, WIDTH - MARGIN, y + GAP, KEY)
    # 256 colours hold a chat (flat colours, text, small emoji) at a third of the bytes.
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
