"""Reading one record of a batch source: the raw review and its input hash (in the
worker), and the id it will claim when the parent can tell cheaply (``id_hint``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from reviewdocs.errors import InputError
from reviewdocs.files import safe_id, sha256_file
from reviewdocs.intake.sources import Record


def read_record(record: Record) -> tuple[dict[str, Any], str]:
    """The raw review and the hash of the bytes it came from."""
    if record.kind == "error":
        raise InputError(str(record.payload))
    if record.kind == "raw":
        return record.payload, record.input_sha256
    if record.kind == "json":
        from reviewdocs.intake.read import parse_json

        return parse_json(record.payload, record.source), record.input_sha256
    from reviewdocs.intake.read import read_input

    path = Path(record.payload)
    # Hashed before reading: if the file changes in between, the register holds the
    # older hash and the next run produces again, rather than skipping a stale letter.
    try:
        digest = sha256_file(path)
    except OSError:
        digest = ""  # read_input explains the problem in plain words
    return read_input(path), digest


def raw_id(raw: Mapping[str, Any]) -> str:
    review = raw.get("review")
    value = review.get("id") if isinstance(review, Mapping) else None
    return value if isinstance(value, str) else ""


_LEADING_ID: Final = re.compile(
    rb'\{[ \t\r\n]*(?:"schema_version"[ \t\r\n]*:[ \t\r\n]*[0-9]+[ \t\r\n]*,[ \t\r\n]*)?'
    rb'"review"[ \t\r\n]*:[ \t\r\n]*\{[ \t\r\n]*"id"[ \t\r\n]*:[ \t\r\n]*"([A-Za-z0-9_/-]{1,64})"'
    rb"[ \t\r\n]*[,}]"
)
"""A JSON line that opens with its review's id, as exports and the contract's example
(tests/data/example-carer-light-touch.json) write it:
``{"schema_version": 1, "review": {"id": "CR-1", ...``."""
_HEAD_BYTES: Final = 512
"""Enough of a JSON file for ``_LEADING_ID`` however it is indented."""


def id_hint(record: Record) -> str | None:
    """The id key the record will claim if it claims at all, when the parent can tell
    cheaply (a JSON line, a CSV row, a JSON file that opens with its id); None when it
    cannot (a PDF form, unreadable JSON).

    A record claims only after it validated, and validation keeps an id exactly as
    given (letters, digits, - _ /) and refuses duplicate keys, so a valid record's id
    is the one any JSON parser reads from its line. A line that opens with its id
    (``_LEADING_ID``: the top-level object's first member is ``review``, after at most
    ``schema_version``, and its first member is an id of those characters, which JSON
    cannot escape) is read without parsing the rest: a tenth of a record's time in
    the parent. If such a line is not valid JSON, or repeats a key, the record fails
    before it claims anything, and the id held for it is freed. A file is read again
    by its worker: if it changed in between and claims another id, the held one is
    freed when that claim is asked (``OrderedClaims.asked``).
    """
    raw: Any
    if record.kind == "raw":
        raw = record.payload
    elif record.kind == "json":
        leading = _LEADING_ID.match(record.payload)
        if leading is not None:
            return safe_id(leading.group(1).decode("ascii"))
        try:
            raw = json.loads(record.payload)
        except (ValueError, RecursionError):
            return None
    elif record.kind == "file" and str(record.payload).lower().endswith(".json"):
        # Only the opening: without it the record's claim waits for every earlier
        # record to be validated (a fifth fewer letters a second from a folder).
        try:
            with open(record.payload, "rb") as fh:
                leading = _LEADING_ID.match(fh.read(_HEAD_BYTES))
        except OSError:
            return None  # the worker explains
        return safe_id(leading.group(1).decode("ascii")) if leading else None
    else:
        return None
    review = raw.get("review") if isinstance(raw, dict) else None
    value = review.get("id") if isinstance(review, dict) else None
    return safe_id(value) if isinstance(value, str) else None
