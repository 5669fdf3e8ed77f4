"""Lists that grow, shown so that every message fits Telegram: one way for every list.

Two shapes. `split` cuts a long HTML text (a kitchen sheet, an alert naming many stops)
into messages at line ends, and mid-line only when a line alone is too long; a tag open
at a cut is closed there and opened again in the next part, so every part parses.
`Pager` shows a list a page at a time: a head, entries (some lines each, with the
buttons that act on them) and fixed buttons under every page. Pages are cut by
characters and by buttons, whichever fills first, and ◀ / ▶ turn them. The turn buttons
carry the list's own callback data (the caller's prefix and version), so a page is read
again, and access checked again, by the same service that drew the first one.

Sizes are counted in UTF-16 code units before HTML parsing: never less than what
Telegram counts (characters after parsing), so a part that fits here fits there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.core.i18n import Html, t

# Telegram takes 4,096 characters a message; the margin leaves room for a page's head.
TEXT_LIMIT = 3800
BUTTON_LIMIT = 100  # inline buttons in one message (Telegram: "reply markup is too long")
ROW_LIMIT = 8  # inline buttons in one row

Button = tuple[str, str]  # (label, callback_data)
OpenTags = tuple[tuple[str, str], ...]  # (name, the opening tag as written), outermost first
Rows = list[list[Button]]

# A tag, an entity, a line end, a run of blanks, or up to 64 other characters: the units
# a text is cut between (64 bounds what a cut inside a very long word can waste).
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n|[^\S\n]+|[^<&\s]{1,64}|.", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_ANY_TAG = re.compile(r"<[^>]*>")


def size(text: str) -> int:
    """Length as Telegram counts it at most (UTF-16 code units)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


@dataclass
class _Cut:
    """Where a part may end: after token `end`, with these tags still open."""

    end: int
    open_tags: OpenTags


def _closing(open_tags: OpenTags) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(open_tags))


def _opening(open_tags: OpenTags) -> str:
    return "".join(tag for _, tag in open_tags)


def _step(open_tags: OpenTags, token: str) -> OpenTags:
    match = _TAG.match(token)
    if match is None:
        return open_tags
    closing, name = match.group(1) == "/", match.group(2).lower()
    if not closing:
        return (*open_tags, (name, token))
    for depth in range(len(open_tags) - 1, -1, -1):
        if open_tags[depth][0] == name:
            return open_tags[:depth] + open_tags[depth + 1 :]
    return open_tags


def split(body: str, limit: int = TEXT_LIMIT) -> list[Html]:
    """`body` as messages of at most `limit`, cut at line ends where possible; nothing lost.

    A part ends at its last line end that fits; a line longer than `limit` on its own is
    cut at its last blank that fits, else anywhere between two tokens.
    """
    parts: list[Html] = []
    lines: list[str] = []  # of the part being filled
    carried: OpenTags = ()  # tags open where it starts
    open_tags: OpenTags = ()  # tags open after its last line
    used = 0
    for line in body.split("\n"):
        after = _tags_after(open_tags, line)
        closing = size(_closing(after)) if after else 0
        length = size(line)
        grown = used + length + (1 if lines else 0)
        if lines and grown + closing > limit:
            parts.append(Html(_opening(carried) + "\n".join(lines) + _closing(open_tags)))
            lines, carried = [], open_tags
            grown = size(_opening(carried)) + length
        if grown + closing <= limit:
            lines.append(line)
            used, open_tags = grown, after
            continue
        if lines:  # what came before on this part goes alone: the line starts a new one
            parts.append(Html(_opening(carried) + "\n".join(lines) + _closing(open_tags)))
            carried = open_tags
        pieces, carried = _cut_line(line, carried, limit)
        parts += pieces[:-1]
        lines, open_tags = [pieces[-1].removeprefix(_opening(carried))], after
        used = size(pieces[-1])
    if any(line.strip() for line in lines) or not parts:
        parts.append(Html(_opening(carried) + "\n".join(lines)))
    return parts


def _tags_after(open_tags: OpenTags, line: str) -> OpenTags:
    """The tags open at the end of `line`, given those open at its start."""
    if "<" not in line:
        return open_tags
    for tag in _ANY_TAG.findall(line):
        open_tags = _step(open_tags, tag)
    return open_tags


def _cut_line(line: str, carried: OpenTags, limit: int) -> tuple[list[Html], OpenTags]:
    """A line too long for one message, in pieces: all whole parts but the last, which
    may share its part with the lines after it; and the tags open where the last starts."""
    tokens = _TOKEN.findall(line)
    pieces: list[Html] = []
    start = 0
    while True:
        cut = _fit(tokens, start, carried, limit)
        text = "".join(tokens[start : cut.end])
        if cut.end >= len(tokens):
            pieces.append(Html(_opening(carried) + text))
            return pieces, carried
        pieces.append(Html(_opening(carried) + text + _closing(cut.open_tags)))
        start, carried = cut.end, cut.open_tags


def _fit(tokens: Sequence[str], start: int, carried: OpenTags, limit: int) -> _Cut:
    """The best place to end a part that begins at token `start`."""
    used = size(_opening(carried))
    open_tags = carried
    line: _Cut | None = None
    blank: _Cut | None = None
    anywhere: _Cut | None = None
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token == "\n":
            line = _Cut(index + 1, open_tags)
        after = _step(open_tags, token)
        if used + size(token) + size(_closing(after)) > limit:
            best = line or blank or anywhere
            return best if best is not None else _Cut(index + 1, after)  # one token: no choice
        used += size(token)
        open_tags = after
        if token.isspace():
            blank = _Cut(index + 1, open_tags)
        if not token.startswith("<"):
            anywhere = _Cut(index + 1, open_tags)
    return _Cut(len(tokens), open_tags)


@dataclass(frozen=True)
class Entry:
    """One item of a list: its lines (HTML) and the buttons that act on it.

    `rows` are the entry's own rows of buttons; `flow` buttons share rows with the
    flow buttons of the entries around them (`Pager.flow_width` to a row), for lists
    of short buttons such as "#12".
    """

    text: str
    rows: Rows = field(default_factory=list)
    flow: tuple[Button, ...] = ()

    @property
    def buttons(self) -> int:
        return sum(len(row) for row in self.rows) + len(self.flow)


@dataclass(frozen=True)
class Page:
    """What one message shows: text and rows of buttons, page `number` (0-based) of `count`."""

    text: Html
    rows: Rows
    number: int
    count: int


@dataclass(frozen=True)
class Pager:
    """A list cut into pages that each fit one message.

    `turn(n)` is the callback data that shows page n again (the list's own prefix and
    arguments); `fixed` rows go under every page (or `fixed(n)` under page n, for buttons
    that stay on their page), `foot` under every page's entries, `empty` instead of none.
    """

    lang: str
    head: str
    entries: Sequence[Entry]
    turn: Callable[[int], str]
    foot: str = ""
    fixed: Rows | Callable[[int], Rows] = field(default_factory=list)
    empty: str = ""
    flow_width: int = 3
    most: int = 0  # entries a page shows at most, for reading; 0: as many as fit
    text_limit: int = TEXT_LIMIT
    button_limit: int = BUTTON_LIMIT

    @cached_property
    def _pieces(self) -> list[tuple[int, Entry]]:
        """(entry index, piece): an entry too long for a page alone is split, its buttons
        on its last piece; one with more buttons than a page holds, its rows spread."""
        room = self.text_limit - self._reserved_text()
        pieces: list[tuple[int, Entry]] = []
        for index, entry in enumerate(self.entries):
            parts = [entry.text] if size(entry.text) <= room else split(entry.text, room)
            pieces += [(index, Entry(part)) for part in parts[:-1]]
            last = Entry(parts[-1], entry.rows, entry.flow)
            if last.buttons <= self._button_room:
                pieces.append((index, last))
                continue
            rows = entry.rows + rows_of(entry.flow, self.flow_width)
            chunk = max(1, self._button_room // ROW_LIMIT)  # rows a page surely holds
            for start in range(0, len(rows), chunk):
                pieces.append(
                    (index, Entry(parts[-1] if start == 0 else "", rows[start : start + chunk]))
                )
        return pieces

    def _fixed(self, number: int) -> Rows:
        return self.fixed(number) if callable(self.fixed) else self.fixed

    @cached_property
    def _button_room(self) -> int:
        """Buttons a page has for its entries: the limit less the fixed rows and ◀ ▶
        (`fixed(n)` holds as many buttons on every page)."""
        return self.button_limit - sum(len(row) for row in self._fixed(0)) - 2

    def _reserved_text(self) -> int:
        marker = size(t(self.lang, "core.pager.page", page=9999, pages=9999))
        return size(self.head) + size(self.foot) + marker + 3  # the line ends around them

    @cached_property
    def _cuts(self) -> list[range]:
        """Which pieces each page holds: as many as fit in characters and in buttons."""
        text_room = self.text_limit - self._reserved_text()
        button_room = self._button_room
        cuts: list[range] = []
        first, used_text, used_buttons, shown = 0, 0, 0, 0
        for index, (entry, piece) in enumerate(self._pieces):
            grows_text = size(piece.text) + 1
            starts = index == 0 or self._pieces[index - 1][0] != entry  # a new entry
            if index > first and (
                used_text + grows_text > text_room
                or used_buttons + piece.buttons > button_room
                or (starts and 0 < self.most <= shown)
            ):
                cuts.append(range(first, index))
                first, used_text, used_buttons, shown = index, 0, 0, 0
            used_text += grows_text
            used_buttons += piece.buttons
            shown += 1 if starts or index == first else 0
        cuts.append(range(first, len(self._pieces)))
        return cuts

    @property
    def count(self) -> int:
        return len(self._cuts)

    def page_with(self, index: int) -> int:
        """The page that shows entry `index` with its buttons; 0 when there is no such entry."""
        found = 0
        for number, cut in enumerate(self._cuts):
            if any(self._pieces[i][0] == index for i in cut):
                found = number
        return found

    def page(self, number: int) -> Page:
        """Page `number`, kept within the pages there are (a list may have shrunk)."""
        number = min(max(number, 0), self.count - 1)
        shown = [self._pieces[i][1] for i in self._cuts[number]]
        lines = [self.head]
        if self.count > 1:
            lines.append(t(self.lang, "core.pager.page", page=number + 1, pages=self.count))
        lines += [piece.text for piece in shown]
        if not self.entries and self.empty:
            lines.append(self.empty)
        if self.foot:
            lines.append(self.foot)
        rows = self._layout(shown)
        if self.count > 1:
            rows.append(self._turns(number))
        rows += self._fixed(number)
        return Page(Html("\n".join(line for line in lines if line)), rows, number, self.count)

    def _layout(self, shown: Sequence[Entry]) -> Rows:
        """The entries' rows in order, their flow buttons filling rows between them."""
        rows: Rows = []
        flowing: list[Button] = []
        for piece in shown:
            if piece.rows:
                rows += rows_of(flowing, self.flow_width)
                flowing = []
                rows += piece.rows
            flowing += piece.flow
        return rows + rows_of(flowing, self.flow_width)

    def _turns(self, number: int) -> list[Button]:
        turns: list[Button] = []
        if number > 0:
            turns.append((t(self.lang, "core.pager.previous", page=number), self.turn(number - 1)))
        if number + 1 < self.count:
            turns.append((t(self.lang, "core.pager.next", page=number + 2), self.turn(number + 1)))
        return turns


def rows_of(buttons: Sequence[Button], per_row: int = 3) -> Rows:
    """Buttons laid out `per_row` to a row (at most Telegram's eight)."""
    width = min(per_row, ROW_LIMIT)
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
