"""A CSV file as Excel and case-management exports really save it, read row by row.

What is accepted (docs/batch.md, "From Excel"):

* the encoding: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode
  Text"), and Windows-1252 (Excel's plain "CSV" on Windows) only when the bytes are
  not valid UTF-8; ``CsvFormat.describe`` says which was used;
* the delimiter, from the header row: comma, semicolon (European Excel) or tab;
* line endings: CRLF, LF or CR alone (old Mac Excel);
* trailing empty columns and cells (Excel writes ``,,,`` after a deleted column).

Rows are numbered as the spreadsheet shows them: the header is row 1, and a cell
holding line breaks does not start a new row. A row whose quotes do not pair up
(``"Person 2 (known as Pat`` with no closing quote) is that row's error, and the
rows after it are read on their own: a stray quote costs one row, never the rest
of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reviewdocs.errors import InputError

CELL_LIMIT: Final = csv.field_size_limit()
"""The csv module's limit on one cell (131,072 characters); the longest text a review
takes is 20,000, so a cell over this is a broken quote or the wrong file."""

DELIMITERS: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES: Final = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16 with BOM",
    "cp1252": "Windows-1252 (the file is not UTF-8: Excel's plain 'CSV')",
}
SAVE_AS: Final = "save the spreadsheet as 'CSV UTF-8 (comma delimited)'"


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file is written: its encoding (a Python codec) and delimiter."""

    encoding: str
    delimiter: str

    def describe(self) -> str:
        return f"read as {_ENCODING_NAMES[self.encoding]}, {DELIMITERS[self.delimiter]}-separated"


def sniff(path: Path) -> CsvFormat:
    """The encoding and delimiter of a CSV file (one pass over its bytes to tell UTF-8
    from Windows-1252, which is decided for the whole file: a row cannot change it)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        encoding = next((name for bom, name in _BOMS if head.startswith(bom)), None)
        if encoding is None:
            fh.seek(0)
            if b"\x00" in fh.read(4096):
                raise InputError(
                    "The file holds NUL bytes, as UTF-16 text without its byte order mark "
                    f"does: {SAVE_AS}.",
                    source=str(path),
                )
            fh.seek(0)
            encoding = "utf-8" if _is_utf8(fh) else "cp1252"
    with _text(path, encoding) as text:
        header = text.readline()
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return CsvFormat(encoding, best if counts[best] else ",")


def _is_utf8(fh: io.BufferedReader) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in iter(lambda: fh.read(1 << 20), b""):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text(path: Path, encoding: str) -> io.TextIOWrapper:
    # newline="": lines end at CRLF, LF or a lone CR, and keep their ending for csv.
    # A byte Windows-1252 has no letter for becomes U+FFFD, refused in its cell.
    return io.TextIOWrapper(
        path.open("rb"), encoding=encoding, errors="replace", newline="", write_through=True
    )


@dataclass(frozen=True)
class Row:
    """One spreadsheet row: ``cells``, or ``problem`` (its quotes do not pair up)."""

    number: int
    cells: list[str] | None
    problem: str = ""
    continued: bool = False
    """A line left over from a broken row (``number``), reported but not read as a row."""
    readable: tuple[str, ...] = ()
    """A broken row's cells before the one whose quotes do not pair up (its id, say)."""
    column: int = -1
    """A broken row's column the problem is in (from 0), or -1 if no one column."""


class _Lines:
    """The file's lines for csv, with the lines of a broken row put back to be read again."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._back: deque[str] = deque()
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.popleft() if self._back else next(self._lines)
        self.taken.append(line)
        return line

    def put_back(self, lines: list[str]) -> None:
        self._back.extendleft(reversed(lines))


def rows(path: Path, fmt: CsvFormat, names: list[str] | None = None) -> Iterator[Row]:
    """Every row of the file, the header (row 1) first. ``names``: the header's column
    names once known, for messages; a row's width is checked against them."""
    with _text(path, fmt.encoding) as text:
        lines = _Lines(iter(text))
        reader = csv.reader(lines, delimiter=fmt.delimiter, strict=True)
        number = 0
        broken = 0  # the row whose quotes did not pair up, while its leftovers follow
        while True:
            lines.taken = []
            error = ""
            try:
                cells: list[str] | None = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                cells, error = None, str(err)
                reader = csv.reader(lines, delimiter=fmt.delimiter, strict=True)
            taken = lines.taken
            if broken and (cells is None or (_misshapen(cells, names) and any(cells))):
                # Rather the rest of the broken row (a cell's second line) than a row:
                # shown, so that nothing is lost unsaid, but not numbered as a row.
                lines.put_back(taken[1:])
                yield Row(broken, None, _leftover(broken), continued=True)
                continue
            number += 1
            broken = 0
            if cells is None or (len(taken) > 1 and _swallowed_rows(cells, taken, fmt, names)):
                # The row is its first line; the lines its quote took are read again.
                lines.put_back(taken[1:])
                broken = number
                problem, column = _broken(taken[0], fmt.delimiter, names or [], error)
                readable = _readable(taken[0], fmt.delimiter)
                yield Row(number, None, problem, readable=readable, column=column)
                continue
            yield Row(number, cells)


def _readable(line: str, delimiter: str) -> tuple[str, ...]:
    """The cells of a broken row's first line before the last one (which took in the
    rest of the line from its stray quote): read leniently, for its id only."""
    try:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, strict=False), [])
    except csv.Error:  # a cell over the field limit: no id read, the error says why
        return ()
    return tuple(cells[:-1])


def _misshapen(cells: list[str], names: list[str] | None) -> bool:
    """Fewer cells than the header names, or a value beyond its last named column."""
    if not names:
        return False
    width = len(names)
    return len(cells) < width or any(cell.strip() for cell in cells[width:])


def _leftover(row: int) -> str:
    return (
        f"This line belongs to row {row}, whose double quotes do not pair up: it was not "
        f"read as a row of its own. Fix row {row} and run the batch again."
    )


def _swallowed_rows(
    cells: list[str], taken: list[str], fmt: CsvFormat, names: list[str] | None
) -> bool:
    """Whether a row spanning several lines took rows into a cell: a quote left open
    makes the row too short (the rest went into one cell) or too long, or a line it
    took has as many delimiters as a row of its own."""
    if not names:
        return False
    if _misshapen(cells, names):
        return True
    width = len(names)
    return width >= 4 and any(line.count(fmt.delimiter) >= width - 1 for line in taken[1:])


def _broken(line: str, delimiter: str, names: list[str], error: str) -> tuple[str, int]:
    """What is wrong with a row whose quotes do not pair up, naming its column and value
    (the cell as typed, up to the next delimiter); and that column (-1 if none)."""
    text = line.rstrip("\r\n")
    column, start = 0, 0
    while start <= len(text):
        stop = text.find(delimiter, start)
        stop = len(text) if stop == -1 else stop
        if text.startswith('"', start):
            end = _closing_quote(text, start)
            if end == -1 or (end + 1 < len(text) and text[end + 1] != delimiter):
                return (
                    f"{column_name(names, column)}: the cell's double quotes do not pair up: "
                    f"got {shown(text[start:stop])}. Delete the stray quote, or type it twice "
                    '("") to keep it; the rows after this one were read on their own.'
                ), column
            stop = end + 1
        if stop - start > CELL_LIMIT:
            return too_long(names, column, text[start:stop]), column
        column, start = column + 1, stop + 1
    if "field larger" in error:
        return (
            f"A cell of this row is longer than {CELL_LIMIT:,} characters (the longest text "
            "a review takes is 20,000): is a double quote missing its pair?"
        ), -1
    return (
        f"The row's double quotes do not pair up ({error or 'a cell took in other rows'}): "
        "check its quotes; the rows after this one were read on their own."
    ), -1


def _closing_quote(text: str, start: int) -> int:
    """The quote that closes the quoted cell opening at ``start`` (``""`` is a quote
    inside it), or -1 when the line ends first."""
    end = start + 1
    while True:
        end = text.find('"', end)
        if end == -1 or not text.startswith('"', end + 1):
            return end
        end += 2


def too_long(names: list[str], column: int, value: str) -> str:
    return (
        f"{column_name(names, column)}: the cell is {len(value):,} characters long, over "
        f"the {CELL_LIMIT:,} a spreadsheet cell can hold here (the longest text a review "
        f"takes is 20,000): got {shown(value)}. Shorten it, or check for a stray double quote."
    )


def column_letters(index: int) -> str:
    """A 0-based column index as the spreadsheet names it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_name(names: list[str], index: int) -> str:
    """A column as a message names it: its header and its letters, ``subject.name (column U)``."""
    where = f"column {column_letters(index)}"
    if index < len(names) and names[index]:
        return f"{names[index]} ({where})"
    return where[0].upper() + where[1:]


def shown(value: str, limit: int = 60) -> str:
    """A cell's value as a message shows it: quoted, on one line, cut short when long."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\u21b5")
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return repr(text)
