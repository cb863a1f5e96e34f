"""Reading a review input file: JSON or our completed PDF form, decided by content.

Every failure is one ``InputError`` line naming the file and what to do, never a
traceback: a missing file, a folder, an empty or oversized file, text that is not
UTF-8 or not JSON, and JSON that repeats a key (the first value would be silently
lost, and a silently dropped value is a wrong record).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from reviewdocs.errors import InputError
from reviewdocs.intake.schemas import shown_key, validate_review

MAX_BYTES = 10 * 1024 * 1024
"""A review is a few kilobytes; anything this big is the wrong file or hostile."""

_PDF_MAGIC = b"%PDF-"
_UTF8_BOM = b"\xef\xbb\xbf"


class _RefusedJSONError(ValueError):
    pass


def read_input(path: Path) -> dict[str, Any]:
    """The raw review (a plain dict, not yet validated) from a JSON file or a PDF form."""
    return _parse(path, _read_bytes(path))


def load_review(path: Path) -> dict[str, Any]:
    """Read and validate: the complete validated review, or ``InputError``."""
    return validate_review(read_input(path), source=str(path))


def load_review_with_hash(path: Path) -> tuple[dict[str, Any], str]:
    """``load_review`` and the SHA-256 of the bytes it was read from (one read), so a
    batch can tell an unchanged input from a changed one."""
    data = _read_bytes(path)
    review = validate_review(_parse(path, data), source=str(path))
    return review, hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes:
    source = str(path)
    try:
        if path.is_dir():
            raise InputError("Is a folder, not a review file.", source=source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(_too_big(size), source=source)
        with path.open("rb") as handle:
            # Read at most one byte past the limit: the file may have grown since stat().
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("No such file.", source=source) from None
    except PermissionError:
        raise InputError("Permission denied: cannot read this file.", source=source) from None
    except OSError as err:
        raise InputError(f"Cannot read this file: {err.strerror or err}.", source=source) from None
    if len(data) > MAX_BYTES:
        raise InputError(_too_big(len(data)), source=source)
    return data


def _too_big(size: int) -> str:
    return (
        f"File is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB "
        "(a review is a few kilobytes: is this the right file?)."
    )


def _parse(path: Path, data: bytes) -> dict[str, Any]:
    source = str(path)
    if not data.strip():
        raise InputError("File is empty.", source=source)
    if data.lstrip().startswith(_PDF_MAGIC):
        return _read_pdf(path, data)
    return parse_json(data, source)


def _read_pdf(path: Path, data: bytes) -> dict[str, Any]:
    # The bytes already read (within the size limit) are parsed; the file is not read twice.
    from reviewdocs.intake.form import read_form_bytes

    try:
        return read_form_bytes(data, source=str(path))
    except InputError as err:
        if err.source is None:
            raise InputError(err.errors, source=str(path)) from None
        raise


def parse_json(data: bytes, source: str) -> dict[str, Any]:
    """One review's JSON bytes as a dict (not yet validated), or ``InputError`` in plain
    words: not UTF-8, not JSON, a repeated key, NaN, not an object. ``source`` names
    the file or line in the message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("File is UTF-16 text; save it as UTF-8.", source=source)
    data = data.removeprefix(_UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - data.rfind(b"\n", 0, err.start)
        raise InputError(
            f"Not UTF-8 text: byte 0x{data[err.start]:02x} at line {line}, column {column}; "
            "save the file as UTF-8.",
            source=source,
        ) from None
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise InputError(_json_problem(text, err), source=source) from None
    except _RefusedJSONError as err:
        raise InputError(str(err), source=source) from None
    except RecursionError:
        raise InputError("Not valid JSON: nested too deeply.", source=source) from None
    except ValueError as err:  # e.g. a number with more digits than Python will convert
        raise InputError(f"Not valid JSON: {err}.", source=source) from None
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else "a single value"
        raise InputError(
            f"The top level must be a JSON object (named fields in {{ }}), not {kind}.",
            source=source,
        )
    return raw


def _json_problem(text: str, err: json.JSONDecodeError) -> str:
    """The decoder's complaint in plain words, the same on every Python: a comma before a
    closing bracket (what a hand-edited file most often has) is named as such, at the
    comma, where Python 3.11 blamed the bracket and 3.13 the comma."""
    comma = _trailing_comma(text, err.pos)
    if comma is None:
        return f"Not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}."
    line = text.count("\n", 0, comma) + 1
    column = comma - text.rfind("\n", 0, comma)
    return (
        f"Not valid JSON: a comma before a closing bracket at line {line}, column {column}; "
        "remove the comma."
    )


def _trailing_comma(text: str, pos: int) -> int | None:
    """Where the comma is, when the error is a comma followed only by space and a closing
    ``}`` or ``]``."""
    if pos < len(text) and text[pos] == ",":
        after = text[pos + 1 :].lstrip()
        return pos if after[:1] in ("}", "]") and after else None
    if pos < len(text) and text[pos] in "}]":
        before = text[:pos].rstrip()
        return len(before) - 1 if before.endswith(",") else None
    return None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RefusedJSONError(
                f"The field {shown_key(json.dumps(key, ensure_ascii=False))} appears twice in one "
                "object; keep one: reviewdocs will not guess which value is right."
            )
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise _RefusedJSONError(f"Not valid JSON: {name} is not a JSON number.")
