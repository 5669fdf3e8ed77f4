"""Reading an uploaded roster file into rows of text: within limits, in a process of its own.

A roster comes from outside, so it is read as if it meant harm. Before openpyxl sees a
workbook, its zip directory is checked (how many parts, how much they unpack to: Python's
zipfile never unpacks more than a part declares, so a part that lies fails its checksum)
and its shared strings are counted with a streaming parser. The sheet is then read
ignoring the size it declares for itself (`<dimension>`), so a 5 KB file claiming 17
billion cells costs what it really holds, and at most MAX_COLUMNS cells of a row are kept.
The standard library's XML parser (expat 2.4 and later) refuses entity expansion bombs.

The reading runs in a child process (`python -m bot.services.people.roster_reader`) with a wall
clock, CPU and memory limit, and is killed when it runs over. A thread would not do: it
shares the interpreter lock with the event loop (`bench/bench_roster_files.py`: another
chat's answers while a file is read, p50 64-97 ms and worst 289 ms in a thread, against
23-59 ms and 141 ms with the child), it cannot be stopped, and it cannot be held to a
memory limit. Starting the child costs about half a second, once per upload.

Text files are tried as UTF-16 (when they start with its byte-order mark, as Excel's
"Unicode Text" does), then UTF-8 (with or without a mark), then GB18030 (which covers GBK,
Excel's CSV on a Chinese Windows). These are the encodings spreadsheets write; a text that
is none of them is refused, never decoded with replacement characters. A detector
(charset-normalizer) would instead guess some 8-bit code page and hand garbled names on.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import csv
import io
import json
import logging
import os
import signal
import sys
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers.expat import ExpatError, ParserCreate

from bot.core.errors import DomainError

log = logging.getLogger("doorstep.roster")

MIB = 1024 * 1024
MAX_ROWS = 5000  # people in one file: rows with something in them, after the header
MAX_COLUMNS = 64  # cells kept of each row; a roster needs eleven
LAST_ROW = 1_048_576  # Excel's last row: a sheet that goes further is not a spreadsheet's
MAX_PARTS = 200  # files inside an .xlsx (Excel writes about a dozen)
MAX_UNPACKED = 32 * MIB  # what those files unpack to, together
MAX_SHARED_STRINGS = 200_000  # distinct texts in a workbook: eleven columns of 5,000 people
CPU_SECONDS = 20  # processor time for the reading process: what bounds a hostile file
# Its wall clock, longer: at a lower priority on a busy machine, 5,000 honest rows (2 s of
# processor time) were measured running past 20 s.
SECONDS = 60.0
MEMORY = 512 * MIB  # its address space
NICENESS = 10  # its priority below the bot's, so chats are answered first on a busy machine
TEXT_SUFFIXES = (".csv", ".txt")
DELIMITERS = (",", "\t", ";")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS, SHARED_STRING = f"{MAIN} sst", f"{MAIN} si"  # as expat names them
CHUNK = 64 * 1024

Rows = list[tuple[int, list[str]]]  # (row number as in the file, its cells)


async def read(filename: str, content: bytes) -> Rows:
    """The file's rows as text, the header first, read by a child process within limits."""
    _kind(filename)  # a wrong kind of file is refused without starting a process
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        filename,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(SECONDS):
            out, err = await process.communicate(content)
    except TimeoutError:
        raise DomainError("admin.roster_file.too_slow", seconds=int(SECONDS)) from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return _answer(process.returncode, out, err)


def _answer(code: int | None, out: bytes, err: bytes) -> Rows:
    try:
        answer: dict[str, Any] = json.loads(out)
    except ValueError:
        # Killed by its limits (a signal), or crashed. Only the kind of error is logged:
        # its message could quote the file.
        kind = err.decode("utf-8", "replace").strip().rsplit("\n", 1)[-1].split(":", 1)[0]
        log.warning("roster reader ended with code %s (%s)", code, kind or "no message")
        if code == -signal.SIGXCPU:
            raise DomainError("admin.roster_file.too_slow", seconds=CPU_SECONDS) from None
        if code is not None and code < 0:
            raise DomainError("admin.roster_file.too_big", megabytes=MAX_UNPACKED // MIB) from None
        raise DomainError("admin.roster_file.broken") from None
    if "error" in answer:
        raise DomainError(answer["error"], **answer.get("values", {}))
    return [(number, cells) for number, cells in answer["rows"]]


def rows(filename: str, content: bytes) -> Rows:
    """The file's rows as text cells with their numbers, the header first, blank rows left out."""
    found = _xlsx_rows(content) if _kind(filename) == "xlsx" else _text_rows(decode(content))
    kept: Rows = []
    for number, cells in found:
        if not any(cells):
            continue
        if len(kept) > MAX_ROWS:  # the header and MAX_ROWS people are already kept
            raise DomainError("admin.roster.too_many", limit=MAX_ROWS)
        kept.append((number, cells))
    return kept


def _kind(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    raise DomainError("admin.roster.bad_file")


def decode(content: bytes) -> str:
    """The text of a CSV in one of the encodings spreadsheets write, or a refusal."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tries: tuple[str, ...] = ("utf-16",)
    else:
        tries = ("utf-8-sig", "gb18030")
    for encoding in tries:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # UTF-16 without its mark reads as text full of NULs
            return text
    raise DomainError("admin.roster_file.bad_encoding")


def _text_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            yield number, [cell_text(cell) for cell in row[:MAX_COLUMNS]]
    except csv.Error as error:  # a field over csv's limit (128 KB), a stray quote
        raise DomainError("admin.roster_file.broken") from error


def cell_text(value: Any) -> str:
    """A cell as one line of text: whole numbers without '.0', spaces collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise DomainError("admin.roster_file.broken") from error
    with archive:
        _check_parts(archive.infolist())
        _check_shared_strings(archive)
    yield from _sheet_rows(content)


def _check_parts(parts: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise DomainError("admin.roster_file.too_big", megabytes=MAX_UNPACKED // MIB)


def _check_shared_strings(archive: zipfile.ZipFile) -> None:
    """Count the shared strings of every part that holds them, stopping at the limit.

    Found by what a part holds (its first element), not by its name, so a renamed part
    is counted too. Expat's callbacks, not element trees: a million strings cost 0.3 s.
    """
    for part in archive.infolist():
        if part.filename.endswith(".xml"):
            try:
                with archive.open(part) as stream:
                    _count_strings(stream)
            except (ExpatError, zipfile.BadZipFile, EOFError, OSError) as error:
                raise DomainError("admin.roster_file.broken") from error


class _OtherPartError(Exception):
    """The part's first element says it holds something else."""


def _count_strings(stream: IO[bytes]) -> None:
    parser = ParserCreate(namespace_separator=" ")
    count = -1  # the root is not a string

    def start(name: str, _: object) -> None:
        nonlocal count
        if count < 0 and name != SHARED_STRINGS:
            raise _OtherPartError
        if count < 0 or name == SHARED_STRING:
            count += 1
        if count > MAX_SHARED_STRINGS:
            raise DomainError("admin.roster_file.too_many_texts", limit=MAX_SHARED_STRINGS)

    parser.StartElementHandler = start
    with contextlib.suppress(_OtherPartError):
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _sheet_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError("admin.roster_file.broken") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never pad rows out to what the sheet claims
        for number, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            if number > LAST_ROW:
                raise DomainError("admin.roster_file.broken")
            if values.count(None) == len(values):
                continue  # a blank row, or one of a gap the reader fills in: skipped cheaply
            cells = [cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            yield number, cells
    except (DomainError, MemoryError):
        raise
    except Exception as error:  # a part that lied about its size fails its checksum here
        raise DomainError("admin.roster_file.broken") from error
    finally:
        book.close()


def _limit_this_process() -> None:
    """Memory and processor time capped, and the bot's own process served first."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
        os.nice(NICENESS)


def main() -> None:
    """The child: the file on stdin, its name as the argument, JSON rows or a refusal out."""
    _limit_this_process()
    content = sys.stdin.buffer.read()
    try:
        answer: dict[str, Any] = {"rows": rows(sys.argv[1], content)}
    except DomainError as error:
        answer = {"error": error.key, "values": error.values}
    except MemoryError:
        answer = {
            "error": "admin.roster_file.too_big",
            "values": {"megabytes": MAX_UNPACKED // MIB},
        }
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    main()
