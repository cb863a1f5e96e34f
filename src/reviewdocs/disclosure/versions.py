"""Versions of a review record: the amendment request's shape, and version N of the
record rebuilt from the input and the amendments stored in the register (spec section 5).

Sharing reads the current version from here, and ``amendments`` makes the next one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from marshmallow import ValidationError, fields, validates

from reviewdocs import codes
from reviewdocs.errors import InputError
from reviewdocs.intake.fields import Bool, Choice, Date, Line, StrictSchema, Text

RECORD: Final = "review_record"


class AmendmentSchema(StrictSchema):
    """The amendment file (spec section 5)."""

    requested_by = Line(required=True)
    date = Date(required=True)
    sections = fields.Dict(keys=fields.String(), values=Text(required=True), required=True)
    reason = Text(required=True)
    # 003 "Review any evidence or information you have which may support or refute the
    # request": the decision must show what it rested on, even if that is "none".
    evidence = Text(required=True)
    decision = Choice(("accept", "decline"), required=True)
    # 003 "If you reach a decision not to amend the record you should be clear about
    # your reasons": required both ways, as the log of an accepted one records why too.
    decision_reason = Text(required=True)
    # 003 "The amended record should be circulated to the same people as the original
    # record, unless the carer requests otherwise": false when they do.
    circulate = Bool(load_default=True)
    # 003 "If the carer whose review it is has not made the request, consult with them":
    # whether they were; the letter states consultation only when this is true.
    subject_consulted = Bool(load_default=None)

    @validates("sections")
    def _known_sections(self, value: Mapping[str, Any], **_: Any) -> None:
        if not value:
            raise ValidationError("Name at least one section to change (section code: text).")
        unknown = {
            str(code): [f"Unknown section code; one of: {', '.join(codes.SECTIONS)}."]
            for code in value
            if code not in codes.SECTIONS
        }
        if unknown:
            raise ValidationError(unknown)


def validate_amendment(raw: object, *, source: str | None = None) -> dict[str, Any]:
    """The validated amendment, or ``InputError`` naming every problem by its path."""
    from reviewdocs.intake.schemas import _flatten

    if not isinstance(raw, Mapping):
        raise InputError(
            "The amendment must be a JSON object (named fields in { }).", source=source
        )
    try:
        loaded: dict[str, Any] = AmendmentSchema().load(raw)
    except ValidationError as err:
        errors: dict[str, list[str]] = {}
        _flatten(err.messages, "", errors)
        raise InputError(errors, source=source) from None
    return loaded


def load_amendment(path: Path) -> dict[str, Any]:
    """Read and validate an amendment JSON file."""
    from reviewdocs.intake.read import _read_bytes, parse_json

    return validate_amendment(parse_json(_read_bytes(path), str(path)), source=str(path))


# --- the record as it stands ----------------------------------------------------------


@dataclass(frozen=True)
class RecordState:
    """Version ``version`` of the record: its content and how it came to be."""

    review: dict[str, Any]
    decision: dict[str, Any]
    version: int
    amendment: dict[str, Any] | None
    """The accepted amendment that made this version (with ``history``); None for v1."""
    previous: dict[str, Any] | None
    """``{"version", "produced"}`` of the version this one superseded; None for v1."""
    produced_on: date


def apply_amendment(
    review: Mapping[str, Any], amendment: Mapping[str, Any], version: int
) -> dict[str, Any]:
    """The review with the amendment's text in place of the old narrative, each changed
    section marked with the version that changed it (003 "it must be clear which the
    amended version is": a reader sees what changed, not only that something did)."""
    out = dict(review)
    marked = {
        code: f"{text}\n{changed_mark(version)}" for code, text in amendment["sections"].items()
    }
    out["narrative"] = {**(review.get("narrative") or {}), **marked}
    return out


def changed_mark(version: int) -> str:
    return f"(This section was amended in version {version}.)"


def with_sections(decision: Mapping[str, Any], added: Sequence[str]) -> dict[str, Any]:
    """The decision with the amended sections recorded, in record order: an amendment
    adding missing information (003 "They feel that there is information missing") to a
    where-relevant section makes that section part of the record."""
    wanted = set(decision["required_sections"]) | set(added)
    out = dict(decision)
    out["required_sections"] = [c for c in codes.SECTIONS if c in wanted]
    return out


def version_date(register: Any, review: Mapping[str, Any], version: int) -> date:
    """When ``version`` of the record was first given to the subject (first produced if
    not registered for them; for version 1 never registered, the record's own date)."""
    entries = register.recipients_of(review["review"]["id"], RECORD, version)
    dated = [e.produced_on for e in entries if e.recipient_id is None] or [
        e.produced_on for e in entries
    ]
    if dated:
        return min(dated)
    from reviewdocs.disclosure.production import production_date

    fallback = review["review"].get("document_date") or review["review"].get("date")
    return fallback if isinstance(fallback, date) else production_date(review, None)


def current_record(review: Mapping[str, Any], register: Any) -> RecordState:
    """The latest version of the record, rebuilt from the input and stored amendments."""
    from reviewdocs.decision.rules import decide

    review_id = review["review"]["id"]
    stored = register.amendments(review_id)
    # An amendment still pending is not part of the record yet: the command holding
    # the review's lock finishes it (``amendments.resume_pending``) before reading.
    pending = {a.version for a in stored if a.state != "done" and a.version is not None}
    accepted = [a for a in stored if a.version is not None and a.state == "done"]
    accepted.sort(key=lambda a: a.version)
    content: dict[str, Any] = dict(review)
    decision = decide(dict(review))
    history: list[dict[str, Any]] = []
    last: dict[str, Any] | None = None
    for stored in accepted:
        amendment = validate_amendment(stored.amendment)
        content = apply_amendment(content, amendment, stored.version)
        decision = with_sections(decision, list(amendment["sections"]))
        last = {**amendment, "history": list(history)}
        history.append(amendment)
    registered = register.latest_version(review_id, RECORD) or 1
    version = max(
        1 if registered in pending else registered, accepted[-1].version if accepted else 1
    )
    previous = None
    if version > 1:
        previous = {"version": version - 1, "produced": version_date(register, review, version - 1)}
    return RecordState(
        review=content,
        decision=decision,
        version=version,
        amendment=last,
        previous=previous,
        produced_on=version_date(register, review, version),
    )
