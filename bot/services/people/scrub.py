"""Finding an erased senior in text and files, and writing them again without her.

Pure functions, no store and no Telegram. A `Scrubber` knows what identifies her in
text (her name, her phone, her address as messages print it) and removes it at one of
two strengths:

- line by line, for what someone will still read (a message waiting in the outbox, a
  kitchen sheet): her name goes wherever it is; her phone, address and allergies only on
  the lines or table rows that name her, so a spouse at the same door or another
  senior's allergy on the same sheet stays readable;
- `whole`, for what nobody reads again (a message already sent, a note, an audit
  detail): her phone and address go everywhere too.

Her name becomes a label ("Erased resident #12"); everything else becomes a dash.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.errors import DomainError
from bot.services.people import roster_reader
from data.models import Resident

GONE = "—"
MIN_NAME = 2  # a one-letter "name" would eat every word it appears in
MIN_ADDRESS = 4
MIN_PHONE_DIGITS = 5

Row = list[str]
FixRow = Callable[[Row], Row | None]  # the row rewritten, or None to leave it out


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def address_of(resident: Resident) -> str:
    """The address as every message prints it: building, unit and room."""
    return " ".join(part for part in (resident.building, resident.unit, resident.room) if part)


def _bounded(token: str) -> str:
    """The token as a regex that does not match inside a longer word or number."""
    left = r"(?<![0-9A-Za-z])" if token[0].isascii() and token[0].isalnum() else ""
    right = r"(?![0-9A-Za-z])" if token[-1].isascii() and token[-1].isalnum() else ""
    return f"{left}{re.escape(token)}{right}"


def _pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    found = sorted({token for token in tokens if token}, key=len, reverse=True)
    return re.compile("|".join(_bounded(token) for token in found)) if found else None


def _spellings(text: str) -> set[str]:
    """The ways a piece of text is stored: as typed, HTML-escaped, JSON-escaped."""
    return {
        text,
        html.escape(text, quote=False),
        html.escape(text),
        json.dumps(text)[1:-1],
        json.dumps(text, ensure_ascii=False)[1:-1],
    }


def _phones(phone: str) -> set[str]:
    found = set(_spellings(phone)) if phone else set()
    number = digits(phone)
    if len(number) >= MIN_PHONE_DIGITS:
        found.add(number)
        if number.startswith("86") and len(number) > 11:
            found.add(number[2:])
        if len(number) == 11 and number.startswith("1"):  # a mainland mobile, written +86
            found.add(f"86{number}")
    return {p for p in found if len(digits(p)) >= MIN_PHONE_DIGITS}


@dataclass(frozen=True)
class Person:
    """What identifies one senior in text, read before her row is blanked."""

    resident_id: int
    name: str
    phone: str
    address: str
    building: str
    unit: str
    room: str
    allergies: str
    lat: float | None
    lon: float | None

    @classmethod
    def of(cls, resident: Resident) -> Person:
        return cls(
            resident.id,
            resident.name.strip(),
            resident.phone.strip(),
            address_of(resident),
            resident.building.strip(),
            resident.unit.strip(),
            resident.room.strip(),
            resident.allergies.strip(),
            resident.lat,
            resident.lon,
        )

    def needles(self) -> list[str]:
        """Substrings whose presence means a text may name her (to find candidate rows)."""
        names = _spellings(self.name) if len(self.name) >= MIN_NAME else set()
        return sorted(names | _phones(self.phone))


class Scrubber:
    """Removes one senior from text, table rows and files; `label` replaces her name."""

    def __init__(self, person: Person, label: str) -> None:
        self.person = person
        self.label = label
        name = person.name if len(person.name) >= MIN_NAME else ""
        self._name = _pattern(_spellings(name) if name else ())
        self._phone = _pattern(_phones(person.phone))
        address = person.address if len(person.address) >= MIN_ADDRESS else ""
        self._address = _pattern(_spellings(address) if address else ())
        allergies = person.allergies if len(person.allergies) >= MIN_NAME else ""
        self._allergies = _pattern(_spellings(allergies) if allergies else ())
        # In a table row that names her, a cell holding exactly one of these goes.
        self._cells = {
            value
            for value in (
                person.phone,
                digits(person.phone),
                person.address,
                person.building,
                person.unit,
                person.room,
                person.allergies,
            )
            if value
        }

    def names_her(self, text: str) -> bool:
        return any(p is not None and p.search(text) for p in (self._name, self._phone))

    def text(self, text: str, *, whole: bool = False) -> str:
        """The text without her: her lines cleared, and with `whole` every trace."""
        if not text:
            return text
        lines = [self._line(line) if self.names_her(line) else line for line in text.split("\n")]
        out = "\n".join(lines)
        if whole:
            out = self._sub(self._address, GONE, self._sub(self._phone, GONE, out))
        return out

    def _line(self, line: str) -> str:
        line = self._sub(self._name, self.label, line)
        for pattern in (self._phone, self._address, self._allergies):
            line = self._sub(pattern, GONE, line)
        return line

    @staticmethod
    def _sub(pattern: re.Pattern[str] | None, by: str, text: str) -> str:
        return pattern.sub(lambda _: by, text) if pattern is not None else text

    def names_her_in_row(self, cells: Row) -> bool:
        number = digits(self.person.phone)
        return any(
            self.names_her(cell)
            or (len(number) >= MIN_PHONE_DIGITS and digits(cell) == number)
            or (len(self.person.name) >= MIN_NAME and cell.strip() == self.person.name)
            for cell in cells
        )

    def row(self, cells: Row) -> Row:
        """A table row: when it names her, her name is the label and her other cells go."""
        if not self.names_her_in_row(cells):
            return cells
        number = digits(self.person.phone)
        fixed = []
        for cell in cells:
            value = cell.strip()
            if value == self.person.name:
                fixed.append(self.label)
            elif value in self._cells or (
                len(number) >= MIN_PHONE_DIGITS and digits(value) == number
            ):
                fixed.append("")
            else:
                fixed.append(self._line(cell))
        return fixed

    def leave_out(self, cells: Row) -> Row | None:
        """A roster row: the rows that name her are left out, the others kept as they are."""
        return None if self.names_her_in_row(cells) else cells

    def in_file(self, content: bytes) -> bool:
        """The file (text, or a zip such as a workbook) names her somewhere."""
        return any(self.names_her(text) for text in readable(content))


def readable(content: bytes) -> list[str]:
    """The text a file holds: each member of a zip (a workbook's XML), else the bytes
    read as UTF-8 and as GB18030 (what Chinese spreadsheet apps save CSV in)."""
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [
                archive.read(info).decode("utf-8", errors="replace")
                for info in archive.infolist()
                if not info.is_dir()
            ]
    return [content.decode("utf-8", errors="replace"), content.decode("gb18030", errors="replace")]


def is_table(filename: str) -> bool:
    return filename.lower().endswith((".csv", ".xlsx"))


def rewrite_table(filename: str, content: bytes, fix: FixRow) -> bytes:
    """A CSV or workbook with every row passed through `fix` (a None leaves it out).

    A workbook is changed in place, so its sheets, styles and widths stay; a CSV is
    written back as UTF-8 with a BOM, which is what the bot writes and reads first.
    Raises ValueError when the file cannot be read as a table.
    """
    if filename.lower().endswith(".xlsx"):
        return _rewrite_workbook(content, fix)
    try:
        text = roster_reader.decode(content)  # the encodings a roster is read in
    except DomainError as error:
        raise ValueError(f"not a table in a known encoding: {filename}") from error
    out = io.StringIO()
    writer = csv.writer(out)
    for cells in csv.reader(io.StringIO(text)):
        fixed = fix(cells)
        if fixed is not None:
            writer.writerow(fixed)
    return out.getvalue().encode("utf-8-sig")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def _rewrite_workbook(content: bytes, fix: FixRow) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    try:
        book = load_workbook(io.BytesIO(content))
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValueError("not a workbook") from error
    for sheet in book.worksheets:
        for index in range(sheet.max_row, 0, -1):  # bottom up, so deleting keeps the indexes
            cells = list(sheet[index])
            fixed = fix([_cell_text(cell.value) for cell in cells])
            if fixed is None:
                sheet.delete_rows(index)
                continue
            for cell, value in zip(cells, fixed, strict=False):
                if value != _cell_text(cell.value) and not isinstance(cell, MergedCell):
                    cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
