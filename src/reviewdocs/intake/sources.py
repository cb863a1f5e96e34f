"""The records of a batch source, read one at a time (never the whole source at once).

A source is a folder of ``.json``/``.pdf`` review files (not its sub-folders), a
JSON Lines file (one review per line), a CSV whose header row names dotted input
paths, or a single review file. Each record carries what a worker needs to read
it; nothing is validated here, so one bad record never stops the others.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Final, Literal

from marshmallow import Schema, fields, validate

from reviewdocs.errors import InputError
from reviewdocs.intake.fields import (
    Address,
    _Phone,
    _Postcode,
    date_problem,
    day_first_date,
    phone_problem,
    postcode_problem,
    restored_phone,
    royal_mail_postcode,
)
from reviewdocs.intake.read import MAX_BYTES
from reviewdocs.intake.schemas import validate_review
from reviewdocs.intake.spreadsheet import (
    SAVE_AS,
    Row,
    column_letters,
    column_name,
    rows,
    shown,
    sniff,
)

REVIEW_SUFFIXES: Final = (".json", ".pdf")
JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
CSV_SUFFIXES: Final = (".csv",)

TRUE_WORDS: Final = ("yes", "true", "y", "1")
FALSE_WORDS: Final = ("no", "false", "n", "0")
LIST_SEPARATOR: Final = "|"

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


def _csv_rows(path: Path) -> tuple[list[_Column], Iterator[Row]]:
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
    columns = _columns(header.cells, str(path))
    names.extend(column.name for column in columns)
    return columns, reader


def _csv_count(path: Path) -> int:
    _, reader = _csv_rows(path)
    return sum(1 for row in reader if row.cells is None or any(c.strip() for c in row.cells))


def _csv_records(path: Path, columns: list[_Column], reader: Iterator[Row]) -> Iterator[Record]:
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


def _readable_id(columns: list[_Column], row: Row) -> str:
    """The review id of a broken row, when its cell was read before the stray quote."""
    for number, column in enumerate(columns):
        if column.path == ("review", "id") and number < len(row.readable):
            return row.readable[number].strip()
    return ""


@dataclass(frozen=True)
class _Column:
    path: tuple[str | int, ...]
    kind: str
    name: str = ""
    """The dotted path as messages name it: ``participants.0.name``."""
    letters: str = ""
    """The spreadsheet's column letters: ``U``."""


def _columns(header: list[str], source: str) -> list[_Column]:
    """The header's columns, or ``InputError`` naming every column that is not an input
    path. Names are matched ignoring case and surrounding spaces (``Review.ID``); empty
    columns after the last named one (Excel's ``,,,``) are left out."""
    kinds = field_kinds()
    problems: dict[str, list[str]] = {}
    columns: list[_Column] = []
    seen: dict[tuple[str | int, ...], int] = {}
    header = [name.replace("\ufeff", "").strip() for name in header]
    while header and not header[-1]:
        header.pop()
    for number, typed in enumerate(header, start=1):
        name = ".".join(part.strip().lower() for part in typed.split("."))
        parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in name.split("."))
        kind = kinds.get(".".join("#" if isinstance(p, int) else p for p in parts))
        letters = column_letters(number - 1)
        label = typed or f"column {letters}"
        if not name:
            problems.setdefault(label, []).append(
                f"Column {letters} has no name in the header row, but a named column follows "
                "it: delete the column, or name it."
            )
        elif kind is None:
            problems.setdefault(label, []).append(
                f"Column {letters} is not an input field{_suggestion(name, kinds)}: headers "
                "are dotted input paths such as review.id or subject.address "
                "(see docs/batch.md)."
            )
        elif parts in seen:
            problems.setdefault(label, []).append(
                f"Columns {column_letters(seen[parts] - 1)} and {letters} both name this "
                "field; keep one."
            )
        seen.setdefault(parts, number)
        columns.append(_Column(parts, kind or "text", name, letters))
    if problems:
        raise InputError(problems, source=source)
    return columns


def _suggestion(name: str, kinds: dict[str, str]) -> str:
    known = [path.replace("#", "0") for path in kinds]
    close = difflib.get_close_matches(name.replace(" ", ""), known, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def row_to_raw(
    columns: list[_Column], cells: list[str]
) -> tuple[dict[str, Any], list[str], list[tuple[str, str]]]:
    """A raw review from one CSV row, with notes on what was read differently from how it
    was typed and the cells refused (``(path, message)``, left out of the review).

    Empty cells are missing fields; booleans, lists, dates, postcodes and phone numbers
    are converted; anything else is left as typed for the schema to judge."""
    raw: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[tuple[str, str]] = []
    for column, cell in zip(columns, cells, strict=False):
        if not cell or cell.isspace():
            continue  # an empty cell is a missing field
        try:
            value = _cell_value(cell, column, notes)
        except _Refused as refused:
            problems.append((column.name, str(refused)))
            continue
        if value is not None:
            _put(raw, column.path, value)
    raw.setdefault("schema_version", 1)
    return _lists(raw), notes, problems


def _put(raw: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    # List items are collected in dicts keyed by index, then turned into lists in order.
    node: dict[Any, Any] = raw
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(isinstance(key, int) for key in converted):
        return [converted[key] for key in sorted(converted)]
    return converted


class _Refused(Exception):
    """A cell that cannot be read: its message names the value and the fix."""


def _cell_value(cell: str, column: _Column, notes: list[str]) -> Any:
    kind, name = column.kind, column.name
    text = cell.strip()
    if not text:
        return None
    _check_letters(text)
    if kind == "boolean":
        return _boolean(text, column, notes)
    if kind == "choice":
        return _choice(text, column, notes)
    if kind == "integer":
        return int(text) if text.isdigit() else text
    if kind in ("list", "lines"):
        items = [
            part.strip()
            for part in text.replace("\r", "\n").replace(LIST_SEPARATOR, "\n").split("\n")
        ]
        return [item for item in items if item]
    if kind == "date":
        day = day_first_date(text)
        if day is None:
            raise _Refused(date_problem(text))
        return day
    if kind == "postcode":
        postcode = royal_mail_postcode(text)
        if postcode is None:
            raise _Refused(postcode_problem(text))
        if postcode != text:
            notes.append(f"{name}: {text!r} read as {postcode!r}.")
        return postcode
    if kind == "phone":
        problem = phone_problem(text)
        if problem:
            raise _Refused(problem)
        restored = restored_phone(text)
        if restored:
            notes.append(
                f"{name}: {text!r} read as {restored!r} (a spreadsheet had dropped its leading 0)."
            )
            return restored
    return text


def _boolean(text: str, column: _Column, notes: list[str]) -> bool:
    """TRUE/FALSE as Excel writes them, or yes/no, y/n in any case, or 1/0 (with a note:
    a number read as a yes or no; the words say what they mean, and a note on every
    yes/no cell would bury the notes that matter); anything else refused, naming the
    value and the column (issue 13)."""
    word = text.lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        value = word in TRUE_WORDS
        if word in ("1", "0"):
            notes.append(f"{column.name}: {text!r} read as {'TRUE' if value else 'FALSE'}.")
        return value
    raise _Refused(
        f"Not a valid boolean: got {shown(text)} in column {column.letters}; write TRUE or "
        "FALSE (Yes/No and 1/0 are read too)."
    )


def _choice(text: str, column: _Column, notes: list[str]) -> str:
    """One of a field's codes; typed in another case or with spaces or hyphens for the
    underscores (``Full``, ``large print``) it is read as the code, with a note; anything
    else refused, naming the value, the column and the codes."""
    choices = field_choices()[_kind_path(column.path)]
    if text in choices:
        return text
    code = re.sub(r"[\s_-]+", "_", text.lower())
    if code in choices:
        notes.append(f"{column.name}: {text!r} read as {code!r}.")
        return code
    raise _Refused(
        f"Must be one of: {', '.join(choices)}; got {shown(text)} in column {column.letters}."
    )


def _kind_path(path: tuple[str | int, ...]) -> str:
    return ".".join("#" if isinstance(p, int) else p for p in path)


# Two or three characters that UTF-8 bytes become when read as Windows-1252: a lead
# byte (Ã, Â, â ...) then continuation bytes (0x80-0xBF: « © £ € ™ ...).
_CONTINUATION = re.escape(
    "".join(bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in range(0x80, 0xC0))
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONTINUATION}]"
    f"|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
    f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
)


def _check_letters(text: str) -> None:
    """Refuse text garbled by a change of encoding (a UTF-8 file opened as ANSI and saved
    again: ``ZoÃ« BrontÃ«``), which would be printed as it is, and a byte the file's
    encoding has no letter for."""
    if text.isascii():
        return
    if "\ufffd" in text:
        raise _Refused(
            f"A character of {shown(text)} is not a letter in the file's encoding: {SAVE_AS}."
        )
    mended = _MOJIBAKE.sub(_mend, text)
    if mended != text:
        raise _Refused(
            f"The text looks garbled by a change of encoding: got {shown(text)}, probably "
            f"{shown(mended)}. Open the original file again and save it as "
            "'CSV UTF-8 (comma delimited)', or retype the text."
        )


def _mend(match: re.Match[str]) -> str:
    garbled = match.group()
    try:
        raw = b"".join(
            ch.encode("cp1252") if ord(ch) > 0xFF else bytes([ord(ch)]) for ch in garbled
        )
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return garbled


@cache
def field_kinds() -> dict[str, str]:
    """Every input path (list items as ``#``) and its cell kind: ``boolean``, ``integer``,
    ``list`` (of text), ``lines`` (an address: list or text), ``date``, ``postcode``,
    ``phone`` or ``text``."""
    from reviewdocs.intake.schemas import ReviewInputSchema

    kinds: dict[str, str] = {}
    _walk(ReviewInputSchema(), "", kinds, {})
    return kinds


@cache
def field_choices() -> dict[str, tuple[str, ...]]:
    """The codes of every ``choice`` input path (list items as ``#``)."""
    from reviewdocs.intake.schemas import ReviewInputSchema

    choices: dict[str, tuple[str, ...]] = {}
    _walk(ReviewInputSchema(), "", {}, choices)
    return choices


def _walk(
    schema: Schema, prefix: str, kinds: dict[str, str], choices: dict[str, tuple[str, ...]]
) -> None:
    for name, field in schema.fields.items():
        path = f"{prefix}{name}"
        if isinstance(field, fields.Nested):
            _walk(field.schema, path + ".", kinds, choices)
        elif isinstance(field, Address):
            kinds[path] = "lines"
        elif isinstance(field, fields.List):
            inner = field.inner
            if isinstance(inner, fields.Nested):
                _walk(inner.schema, path + ".#.", kinds, choices)
            else:
                kinds[path] = "list"
        else:
            kinds[path] = _leaf_kind(field)
            if kinds[path] == "choice":
                choices[path] = _codes(field)


def _codes(field: fields.Field) -> tuple[str, ...]:
    checks = field.validators
    return next(
        tuple(str(c) for c in check.choices)
        for check in checks
        if isinstance(check, validate.OneOf)
    )


def _leaf_kind(field: fields.Field) -> str:
    if isinstance(field, fields.Boolean):
        return "boolean"
    if isinstance(field, fields.String) and any(
        isinstance(check, validate.OneOf) and all(isinstance(c, str) for c in check.choices)
        for check in field.validators
    ):
        return "choice"
    if isinstance(field, fields.Integer):
        return "integer"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, _Postcode):
        return "postcode"
    if isinstance(field, _Phone):
        return "phone"
    return "text"
