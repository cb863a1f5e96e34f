"""The records of a batch source, read one at a time (never the whole source at once).

A source is a folder of ``.json``/``.pdf`` review files (not its sub-folders), a
JSON Lines file (one review per line), a CSV whose header row names dotted input
paths, or a single review file. Each record carries what a worker needs to read
it; nothing is validated here, so one bad record never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Literal

from reviewdocs.errors import InputError
from reviewdocs.intake.cells import Column, columns_of, row_to_raw
from reviewdocs.intake.read import MAX_BYTES
from reviewdocs.intake.schemas import validate_review
from reviewdocs.intake.spreadsheet import (
    Row,
    column_name,
    rows,
    shown,
    sniff,
)

REVIEW_SUFFIXES: Final = (".json", ".pdf")
JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
CSV_SUFFIXES: Final = (".csv",)

Kind = Literal["file", "json", "raw", "error"]


@dataclass(frozen=True)
class Record:
    """One record of the source.

    ``payload``: the file's path (``file``), the line's bytes (``json``), the raw
    review built from a CSV row (``raw``), or the problem in plain words (``error``).
    ``input_sha256`` is known for ``json`` and ``raw`` records; a file is hashed
    when the worker reads it. A CSV row also carries ``notes`` (what was read
    differently from how it was typed: ``ex24bb`` as ``EX2 4BB``) and ``problems``
    (cells refused, as ``(path, message)``: see ``validate_record``).
    """

    source: str
    kind: Kind
    payload: Any
    input_sha256: str = ""
    notes: tuple[str, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()
    review_id: str = ""
    """An ``error`` record's id, when it can be read (a CSV row whose quotes do not
    pair up after its id cell), for the report's id column."""
    column: str = ""
    """An ``error`` record's column (its input path), when the problem is in one."""


def source_kind(source: Path) -> str:
    """``folder``, ``jsonl``, ``csv`` or ``file``; ``InputError`` for anything else."""
    if source.is_dir():
        return "folder"
    if not source.exists():
        raise InputError("No such file or folder.", source=str(source))
    suffix = source.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in REVIEW_SUFFIXES:
        return "file"
    raise InputError(
        "A batch reads a folder of .json/.pdf reviews, a JSON Lines file (.jsonl) or a "
        "CSV file (.csv).",
        source=str(source),
    )


def count_records(source: Path) -> int | None:
    """How many records the source holds (a quick pass, for the progress bar)."""
    kind = source_kind(source)
    if kind == "folder":
        return len(_folder_names(source))
    if kind == "file":
        return 1
    if kind == "jsonl":
        with source.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    return _csv_count(source)


def iter_records(source: Path) -> Iterator[Record]:
    """Every record of the source, in order. A broken CSV header raises ``InputError``
    before the first record: no row of that file could be read correctly."""
    kind = source_kind(source)
    if kind == "folder":
        return (
            Record(str(source / name), "file", str(source / name)) for name in _folder_names(source)
        )
    if kind == "file":
        return iter([Record(str(source), "file", str(source))])
    if kind == "jsonl":
        return _jsonl_records(source)
    # The header is read now: a broken one stops the batch before it starts.
    columns, reader = _csv_rows(source)
    return _csv_records(source, columns, reader)


def validate_record(record: Record, raw: dict[str, Any]) -> dict[str, Any]:
    """``validate_review`` for a record: a CSV row's refused cells are among its problems,
    in place of what the schema says of the cells they left empty."""
    if not record.problems:
        return validate_review(raw, source=record.source)
    errors: dict[str, list[str]] = {}
    try:
        validate_review(raw, source=record.source)
    except InputError as err:
        errors = err.errors
    refused = {path for path, _ in record.problems}
    errors = {path: messages for path, messages in errors.items() if path not in refused}
    for path, message in record.problems:
        errors.setdefault(path, []).append(message)
    raise InputError(errors, source=record.source)


def _folder_names(folder: Path) -> list[str]:
    # Only the names are held (about 100 bytes each), sorted so that a batch and
    # its report always run in the same order.
    with os.scandir(folder) as entries:
        return sorted(
            entry.name
            for entry in entries
            if not entry.name.startswith(".")
            and entry.name.lower().endswith(REVIEW_SUFFIXES)
            and entry.is_file()
        )


# -- JSON Lines ---------------------------------------------------------------------------


def _jsonl_records(path: Path) -> Iterator[Record]:
    # A large buffer: a limited readline refills an 8 KB one every two or three lines.
    with path.open("rb", buffering=1 << 20) as fh:
        number = 0
        while True:
            line = fh.readline(MAX_BYTES + 1)
            if not line:
                return
            number += 1
            where = f"{path} line {number}"
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                _skip_rest_of_line(fh)
                yield Record(
                    where,
                    "error",
                    f"The line is longer than {MAX_BYTES // 1024 // 1024} MB; "
                    "a review is a few kilobytes: is this the right file?",
                )
                continue
            data = line.strip()
            if not data:
                continue
            yield Record(where, "json", data, hashlib.sha256(data).hexdigest())


def _skip_rest_of_line(fh: IO[bytes]) -> None:
    while True:
        chunk = fh.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


# -- CSV ------------------------------------------------------------------------------------


def describe_source(source: Path) -> str:
    """How a CSV source was read (``read as UTF-8, comma-separated``); empty otherwise."""
    return sniff(source).describe() if source_kind(source) == "csv" else ""


def _csv_rows(path: Path) -> tuple[list[Column], Iterator[Row]]:
    """The header's columns and the rows after it; ``InputError`` for a broken header."""
    fmt = sniff(path)
    names: list[str] = []  # filled once the header is read: rows() checks widths with it
    reader = rows(path, fmt, names)
    header = next(reader, None)
    if header is None:
        raise InputError(
            "The CSV file is empty: its first row must name the columns.", source=str(path)
        )
    if header.cells is None:
        raise InputError(f"The header row (row 1): {header.problem}", source=str(path))
    columns = columns_of(header.cells, str(path))
    names.extend(column.name for column in columns)
    return columns, reader


def _csv_count(path: Path) -> int:
    _, reader = _csv_rows(path)
    return sum(1 for row in reader if row.cells is None or any(c.strip() for c in row.cells))


def _csv_records(path: Path, columns: list[Column], reader: Iterator[Row]) -> Iterator[Record]:
    names = [column.name for column in columns]
    for row in reader:
        where = f"{path} row {row.number}" + (" (continued)" if row.continued else "")
        if row.cells is None:
            column = columns[row.column].name if 0 <= row.column < len(columns) else ""
            yield Record(
                where, "error", row.problem, review_id=_readable_id(columns, row), column=column
            )
            continue
        cells = row.cells
        if not any(cell.strip() for cell in cells):
            continue
        beyond = next((n for n in range(len(columns), len(cells)) if cells[n].strip()), None)
        if beyond is not None:
            yield Record(
                where,
                "error",
                f"{column_name(names, beyond)} holds {shown(cells[beyond].strip())}, beyond the "
                f"last named column ({column_name(names, len(columns) - 1)}): is a comma "
                "missing from quotes? Put the value under a named column or delete it.",
            )
            continue
        raw, notes, problems = row_to_raw(columns, cells)
        canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
        yield Record(
            where,
            "raw",
            raw,
            hashlib.sha256(canonical).hexdigest(),
            notes=tuple(notes),
            problems=tuple(problems),
        )


def _readable_id(columns: list[Column], row: Row) -> str:
    """The review id of a broken row, when its cell was read before the stray quote."""
    for number, column in enumerate(columns):
        if column.path == ("review", "id") and number < len(row.readable):
            return row.readable[number].strip()
    return ""
