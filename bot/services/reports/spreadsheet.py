"""Every CSV and XLSX file the bot writes, made so a spreadsheet program never runs a cell.

Names, notes and dish names are typed by people. A cell that starts with `=`, `+`, `-`,
`@`, a tab or a line break is read as a formula by Excel, LibreOffice and Google Sheets
(OWASP "CSV injection"), so such a cell gets a leading apostrophe. In a workbook every
text cell is also stored as text: openpyxl would otherwise store a string that starts
with `=` as a formula. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r", "\n", "\0"))

Row = Sequence[object]


def inert(value: object) -> object:
    """The value as a cell: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return f"'{value}"
    return value


def csv_bytes(rows: Iterable[Row]) -> bytes:
    """Rows as CSV, UTF-8 with a BOM so spreadsheet programs read Chinese."""
    out = io.StringIO()
    # `inert` written out: the kitchen CSV of a big window has over 100,000 cells
    csv.writer(out).writerows(
        [f"'{v}" if isinstance(v, str) and v[:1] in FORMULA_STARTS else v for v in row]
        for row in rows
    )
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, Iterable[Row]]) -> bytes:
    """A workbook with one sheet per title, in order; text cells are stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    for index, (title, rows) in enumerate(sheets.items()):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str):
                    # control characters cannot be stored in XLSX; a name with one must not
                    # stop the whole report
                    text = inert(ILLEGAL_CHARACTERS_RE.sub("", value))
                    sheet.cell(number, column, text).data_type = "s"
                else:
                    sheet.cell(number, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
