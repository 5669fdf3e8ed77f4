"""Roster files made to hurt, or exported badly: built here, byte by byte, for the tests and
the bench (`bench/bench_roster_files.py`). Each is small enough to send to the bot.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["name", "phone", "building"]
PEOPLE = [["Wang Fang", "13900000001", "5"], ["Wu Min", "13900000007", "3"]]


def workbook(rows: list[list[object]] | None = None) -> bytes:
    """A plain, honest workbook as Excel would save it (openpyxl writes the same parts)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows if rows is not None else [HEADER, *PEOPLE]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def big_workbook(people: int = 5000) -> bytes:
    """A legitimate roster at the row limit: what a large community really sends."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([*HEADER, "unit", "room", "lives_alone", "delivery", "diet", "age"])
    for n in range(people):
        sheet.append([f"Person {n}", 13900000000 + n, n % 40, 1, 100 + n % 30, "yes", "no", "", 70])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(content: bytes, name: str, write: Callable[[io.BufferedIOBase], None]) -> bytes:
    """The workbook with one part (a file inside the zip) replaced by what `write` streams."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename == name:
                with target.open(name, "w") as part:
                    write(part)  # type: ignore[arg-type]
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def zip_bomb(unpacked: int = 256 * MIB) -> bytes:
    """A workbook whose sheet unpacks to `unpacked` bytes: one cell holding a run of zeros."""

    def write(part: io.BufferedIOBase) -> None:
        part.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>'.encode())
        zeros = b"0" * MIB
        for _ in range(unpacked // MIB):
            part.write(zeros)
        part.write(b"</v></c></row></sheetData></worksheet>")

    return with_part(workbook(), SHEET, write)


def lying_zip_bomb(unpacked: int = 256 * MIB) -> bytes:
    """The zip bomb again, its directory claiming the sheet unpacks to a mere 4 KB."""
    content = bytearray(zip_bomb(unpacked))
    entry = content.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", content, entry + 28)[0]
        name = bytes(content[entry + 46 : entry + 46 + name_length])
        if name == SHEET.encode():
            struct.pack_into("<I", content, entry + 24, 4096)  # uncompressed size
        entry = content.find(b"PK\x01\x02", entry + 4)
    return bytes(content)


def huge_dimension() -> bytes:
    """A 2-person workbook whose sheet claims to span A1:XFD1048576 (17 billion cells)."""
    xml = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        + "".join(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{col}{r}" t="inlineStr"><is><t>{value}</t></is></c>'
                for col, value in zip("ABC", cells, strict=True)
            )
            + "</row>"
            for r, cells in enumerate([HEADER, *PEOPLE], start=1)
        )
        + "</sheetData></worksheet>"
    )
    return with_part(workbook(), SHEET, lambda part: part.write(xml.encode()))


def far_corner() -> bytes:
    """The 2-person workbook with one more cell, in the sheet's last row and column."""
    xml = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    people = huge_dimension()
    sheet = zipfile.ZipFile(io.BytesIO(people)).read(SHEET).decode()
    sheet = sheet.replace("</sheetData>", xml + "</sheetData>")
    return with_part(people, SHEET, lambda part: part.write(sheet.encode()))


def huge_shared_strings(count: int = 1_000_000) -> bytes:
    """A workbook carrying a million shared strings (17 MB unpacked, a few dozen KB packed)."""

    def write(part: io.BufferedIOBase) -> None:
        part.write(f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode())
        chunk = b"<si><t>x</t></si>" * 10_000
        for _ in range(count // 10_000):
            part.write(chunk)
        part.write(b"</sst>")

    content = with_part(workbook(), "[Content_Types].xml", _with_strings_type)
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open(STRINGS, "w") as part:
            write(part)  # type: ignore[arg-type]
    return out.getvalue()


def _with_strings_type(part: io.BufferedIOBase) -> None:
    types = zipfile.ZipFile(io.BytesIO(workbook())).read("[Content_Types].xml").decode()
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    part.write(types.replace("</Types>", override + "</Types>").encode())


def entity_bomb() -> bytes:
    """A sheet whose one cell is a billion 'lol's by nested XML entities."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&a9;</t></is></c></row></sheetData></worksheet>"
    )
    return with_part(workbook(), SHEET, lambda part: part.write(xml.encode()))


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


CHINESE = [["姓名", "电话", "楼栋"], ["王芳", "13900000001", "5"], ["吴敏", "13900000007", "3"]]


def utf16_text() -> bytes:
    """Excel's "Unicode Text": UTF-16 little-endian with its byte-order mark, tab-separated."""
    return codecs.BOM_UTF16_LE + csv_text(CHINESE, "\t").encode("utf-16-le")


def gbk_csv() -> bytes:
    """Excel's "CSV (comma delimited)" on a Chinese Windows: GBK."""
    return csv_text(CHINESE).encode("gbk")


def utf8_bom_csv() -> bytes:
    """Excel's "CSV UTF-8": UTF-8 with its byte-order mark."""
    return codecs.BOM_UTF8 + csv_text(CHINESE).encode("utf-8")


def stray_bytes() -> bytes:
    """A CSV with bytes that are text in no encoding a spreadsheet writes."""
    return csv_text([HEADER]).encode() + b"\x80\xff\xfe\x81,13900000001,5\r\n"
