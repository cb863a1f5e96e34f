"""The review input (spec section 2): marshmallow schemas, validation, JSON Schema.

``validate_review`` returns the complete validated dict described in
docs/architecture.md ("The validated review"), or raises ``InputError`` with
every problem at once: field errors from the schemas of ``model`` and the
cross-field rules of ``crossfield`` together.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, Final

from marshmallow import ValidationError

from reviewdocs.errors import InputError
from reviewdocs.intake.crossfield import check_rules
from reviewdocs.intake.fastload import Declined, compile_schema
from reviewdocs.intake.jsonschema import schema_document
from reviewdocs.intake.model import (
    ReviewInputSchema,
    empty_decision,
    empty_sharing,
    input_paths,
)

__all__ = ["ReviewInputSchema", "input_paths", "json_schema", "validate_review"]


_REVIEW_SCHEMA: Final = ReviewInputSchema()
"""One instance for every call: the schemas keep no state between loads, and building
one instantiates every nested schema again (most of a record's validation time)."""

_FAST_LOAD: Final = compile_schema(_REVIEW_SCHEMA)
"""``_REVIEW_SCHEMA.load`` for a valid input, in a quarter of the time; it declines
anything else, which marshmallow then loads and explains (see fastload)."""


def validate_review(raw: object, *, source: str | None = None) -> dict[str, Any]:
    """The validated, complete review, or ``InputError`` listing every problem.

    Field errors and cross-field errors are collected together, each under its
    dotted input path (list items by index: ``participants.0.name``).
    """
    if not isinstance(raw, Mapping):
        raise InputError(
            f"The review must be a JSON object (named fields in {{ }}), not {_json_kind(raw)}.",
            source=source,
        )
    errors: dict[str, list[str]] = {}
    try:
        if _FAST_LOAD is None:
            raise Declined
        review: dict[str, Any] = _FAST_LOAD(raw)
    except Declined:
        try:
            review = _REVIEW_SCHEMA.load(raw)
        except ValidationError as err:
            _flatten(err.messages, "", errors)
            review = err.valid_data if isinstance(err.valid_data, dict) else {}
    # null for these objects means "not given": the shape stays the same for templates.
    if review.get("decision") is None:
        review["decision"] = empty_decision()
    if review.get("sharing") is None:
        review["sharing"] = empty_sharing()
    for path, message in check_rules(review, errors):
        errors.setdefault(path, []).append(message)
    if errors:
        raise InputError(errors, source=source)
    return review


def _flatten(messages: Any, prefix: str, out: dict[str, list[str]]) -> None:
    """marshmallow's nested error dict -> ``{dotted.path: [messages]}``."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema":
                path = prefix or "_schema"
            else:
                path = f"{prefix}.{shown_key(key)}" if prefix else shown_key(key)
            _flatten(value, path, out)
    elif isinstance(messages, list):
        for message in messages:
            _flatten(message, prefix, out)
    else:
        out.setdefault(prefix or "_schema", []).append(str(messages))


def shown_key(key: object, limit: int = 60) -> str:
    """A key of the input as it can be shown on one line of an error message.

    An unknown key is the user's text: a line break or control character in it would
    break the ``path: message`` line, and a huge one would bury every other error.
    """
    text = str(key)
    if not text.isprintable():
        text = json.dumps(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return type(value).__name__


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the review input, generated from ``model``."""
    return schema_document(ReviewInputSchema)


def main() -> None:
    """``python -m reviewdocs.intake.schemas``: print the JSON Schema (``make schema``)."""
    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
