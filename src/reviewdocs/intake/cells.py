"""A spreadsheet row's cells to the review's fields: each column's name matched to an
input path (ignoring case and spaces), each cell converted or refused as the field
needs (postcodes, phone numbers, day-first dates, codes, yes/no), with a note for
every value it changed and the column named in every refusal."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

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
from reviewdocs.intake.spreadsheet import (
    SAVE_AS,
    column_letters,
    shown,
)

TRUE_WORDS: Final = ("yes", "true", "y", "1")
FALSE_WORDS: Final = ("no", "false", "n", "0")
LIST_SEPARATOR: Final = "|"


@dataclass(frozen=True)
class Column:
    path: tuple[str | int, ...]
    kind: str
    name: str = ""
    """The dotted path as messages name it: ``participants.0.name``."""
    letters: str = ""
    """The spreadsheet's column letters: ``U``."""


def columns_of(header: list[str], source: str) -> list[Column]:
    """The header's columns, or ``InputError`` naming every column that is not an input
    path. Names are matched ignoring case and surrounding spaces (``Review.ID``); empty
    columns after the last named one (Excel's ``,,,``) are left out."""
    kinds = field_kinds()
    problems: dict[str, list[str]] = {}
    columns: list[Column] = []
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
        columns.append(Column(parts, kind or "text", name, letters))
    if problems:
        raise InputError(problems, source=source)
    return columns


def _suggestion(name: str, kinds: dict[str, str]) -> str:
    known = [path.replace("#", "0") for path in kinds]
    close = difflib.get_close_matches(name.replace(" ", ""), known, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def row_to_raw(
    columns: list[Column], cells: list[str]
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


def _cell_value(cell: str, column: Column, notes: list[str]) -> Any:
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


def _boolean(text: str, column: Column, notes: list[str]) -> bool:
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


def _choice(text: str, column: Column, notes: list[str]) -> str:
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
