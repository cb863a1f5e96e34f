"""The records of a batch source, read one at a time (never the whole source at once).

A source is a folder of ``.json``/``.pdf`` review files (not its sub-folders), a
JSON Lines file (one review per line), a CSV whose header row names dotted input
paths, or a single review file. Each record carries what a worker needs to read
it; nothing is validated here, so one bad record never stops the others.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Final, Literal

from reviewdocs.errors import InputError
from reviewdocs.intake.read import MAX_BYTES

REVIEW_SUFFIXES: Final = (".json", ".pdf")
JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
CSV_SUFFIXES: Final = (".csv",)

TRUE_WORDS: Final = ("yes", "true", "y")
FALSE_WORDS: Final = ("no", "false", "n")
LIST_SEPARATOR: Final = "|"

Kind = Literal["file", "json", "raw", "error"]


@dataclass(frozen=True)
class Record:
    """One record of the source.

    ``payload``: the file's path (``file``), the line's bytes (``json``), the raw
    review built from a CSV row (``raw``), or the problem in plain words (``error``).
    ``input_sha256`` is known for ``json`` and ``raw`` records; a file is hashed
    when the worker reads it.
    """

    source: str
    kind: Kind
    payload: Any
    input_sha256: str = ""


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
    with source.open("rb") as fh:
        reader = csv.reader(_decoded_lines(fh, set()))
        rows = sum(1 for row in reader if any(cell.strip() for cell in row))
    return max(rows - 1, 0)


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
    columns = _csv_header(source)  # read now: a broken header stops the batch before it starts
    return _csv_records(source, columns)


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


def _decoded_lines(fh: IO[bytes], bad_lines: set[int]) -> Iterator[str]:
    """The file's lines as text; a line that is not UTF-8 is noted in ``bad_lines`` (and
    decoded with replacement characters) so that only its row fails."""
    for number, line in enumerate(fh, start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" starts with a BOM
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(number)
            yield line.decode("utf-8", errors="replace")


def _csv_header(path: Path) -> list[_Column]:
    with path.open("rb") as fh:
        bad_lines: set[int] = set()
        header = next(csv.reader(_decoded_lines(fh, bad_lines)), None)
    if header is None:
        raise InputError(
            "The CSV file is empty: its first row must name the columns.", source=str(path)
        )
    if bad_lines:
        raise InputError(_not_utf8(1), source=str(path))
    return _columns(header, str(path))


def _csv_records(path: Path, columns: list[_Column]) -> Iterator[Record]:
    with path.open("rb") as fh:
        bad_lines: set[int] = set()
        reader = csv.reader(_decoded_lines(fh, bad_lines))
        next(reader, None)
        previous_end = reader.line_num
        # Numbered as a spreadsheet shows them: the header is row 1, a cell holding
        # line breaks does not start a new row.
        for row_number, cells in enumerate(reader, start=2):
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            where = f"{path} row {row_number}"
            bad = sorted(n for n in bad_lines if start <= n <= reader.line_num)
            bad_lines.clear()
            if bad:
                yield Record(where, "error", _not_utf8(bad[0]))
            elif len(cells) > len(columns):
                yield Record(
                    where,
                    "error",
                    f"The row has {len(cells)} cells but the header names {len(columns)} "
                    "columns: is a comma missing from quotes?",
                )
            else:
                raw = row_to_raw(columns, cells)
                canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
                yield Record(where, "raw", raw, hashlib.sha256(canonical).hexdigest())


def _not_utf8(line: int) -> str:
    return f"Not UTF-8 text on line {line}: save the spreadsheet as 'CSV UTF-8 (comma delimited)'."


@dataclass(frozen=True)
class _Column:
    path: tuple[str | int, ...]
    kind: str


def _columns(header: list[str], source: str) -> list[_Column]:
    """The header's columns, or ``InputError`` naming every column that is not an input path."""
    kinds = field_kinds()
    problems: dict[str, list[str]] = {}
    columns: list[_Column] = []
    seen: dict[tuple[str | int, ...], int] = {}
    for number, name in enumerate(header, start=1):
        name = name.strip()
        parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in name.split("."))
        kind = kinds.get(".".join("#" if isinstance(p, int) else p for p in parts))
        label = name or f"column {number}"
        if not name:
            problems.setdefault(label, []).append("The column has no name in the header row.")
        elif kind is None:
            problems.setdefault(label, []).append(
                f"Column {number} is not an input field: headers are dotted input paths such as "
                "review.id or subject.address (see docs/batch.md)."
            )
        elif parts in seen:
            problems.setdefault(label, []).append(
                f"Columns {seen[parts]} and {number} both name this field; keep one."
            )
        seen.setdefault(parts, number)
        columns.append(_Column(parts, kind or "text"))
    if problems:
        raise InputError(problems, source=source)
    return columns


def row_to_raw(columns: list[_Column], cells: list[str]) -> dict[str, Any]:
    """A raw review from one CSV row: empty cells are missing fields, booleans and lists
    are converted, anything else is left as typed for the schema to judge."""
    raw: dict[str, Any] = {}
    for column, cell in zip(columns, cells, strict=False):
        value = _cell_value(cell, column.kind)
        if value is not None:
            _put(raw, column.path, value)
    raw.setdefault("schema_version", 1)
    return _lists(raw)


def _cell_value(cell: str, kind: str) -> Any:
    text = cell.strip()
    if not text:
        return None
    if kind == "boolean":
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return text  # the schema names the field: "Not a valid boolean."
    if kind == "integer":
        return int(text) if text.isdigit() else text
    if kind in ("list", "lines"):
        items = [
            part.strip()
            for part in text.replace("\r", "\n").replace(LIST_SEPARATOR, "\n").split("\n")
        ]
        return [item for item in items if item]
    return text


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


@cache
def field_kinds() -> dict[str, str]:
    """Every input path (list items as ``#``) and its cell kind: ``boolean``, ``integer``,
    ``list`` (of text), ``lines`` (an address: list or text) or ``text``."""
    from reviewdocs.intake.schemas import json_schema

    kinds: dict[str, str] = {}
    _walk(json_schema(), "", kinds)
    return kinds


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def _walk(schema: dict[str, Any], prefix: str, kinds: dict[str, str]) -> None:
    if "anyOf" in schema:
        kinds[prefix] = "lines"
        return
    types = _types(schema)
    if "object" in types and "properties" in schema:
        for name, sub in schema["properties"].items():
            _walk(sub, f"{prefix}.{name}" if prefix else name, kinds)
    elif "array" in types:
        items = schema.get("items", {})
        if "object" in _types(items):
            _walk(items, f"{prefix}.#", kinds)
        else:
            kinds[prefix] = "list"
    elif "boolean" in types:
        kinds[prefix] = "boolean"
    elif "integer" in types:
        kinds[prefix] = "integer"
    else:
        kinds[prefix] = "text"
