"""The review input schema: the validated shape, every bad input named by its path,
each cross-field rule both ways, and the committed JSON Schema."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewdocs import codes
from reviewdocs.errors import InputError
from reviewdocs.intake.schemas import input_paths, json_schema, validate_review

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "review-input.schema.json"
DROP = object()
"""A change that removes the key."""


def changed(raw: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``raw`` with dotted-path changes; list items by index."""
    out = copy.deepcopy(raw)
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node: Any = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is DROP:
            del node[leaf]
        elif isinstance(node, list):
            node[int(leaf)] = value
        else:
            node[leaf] = value
    return out


def errors_of(raw: object) -> dict[str, list[str]]:
    with pytest.raises(InputError) as caught:
        validate_review(raw, source="review.json")
    assert caught.value.exit_code == 1
    return caught.value.errors


CARE_PLAN = {
    "review.plan_type": "care_and_support_plan",
    "review.method": "face_to_face",
    "cared_for": DROP,
}
"""The example turned into a Care and Support Plan review."""

PARTICIPANT = {"name": "Ann Lewis", "role": "family", "consented": True}
RECIPIENT = {"id": "gp", "name": "Dr Shah", "kind": "requested_by_subject", "risk_concern": False}


# --------------------------------------------------------------------------- the valid shape


def test_example_is_valid_and_typed(example_raw: dict[str, Any]) -> None:
    review = validate_review(example_raw)
    assert review["review"]["date"] == dt.date(2026, 11, 12)
    assert review["subject"]["date_of_birth"] == dt.date(1971, 3, 4)
    assert review["review"]["stage"] == "completed"
    assert review["decision"] == {
        "outcome": None,
        "rationale": None,
        "wellbeing_impact": None,
        "change_starts": None,
        "manager_advice_pending": None,
        "information_follow_up_by": None,
        "information_follow_up_who": None,
        "monitoring_review_by": None,
        "next_review_by": None,
    }
    assert review["narrative"] == {"plan_elements": example_raw["narrative"]["plan_elements"]}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="example"),
        pytest.param({"decision": DROP, "sharing": DROP, "narrative": DROP}, id="optional-missing"),
        pytest.param({"decision": None, "sharing": None}, id="optional-null"),
        pytest.param(CARE_PLAN, id="care-plan-without-carer"),
    ],
)
def test_every_input_path_is_present_in_the_validated_review(
    example_raw: dict[str, Any], changes: dict[str, Any]
) -> None:
    """Templates run under StrictUndefined: a key missing here is a crash there."""
    review = validate_review(changed(example_raw, changes))
    for path in input_paths():
        if "[]" in path or path.startswith("narrative."):
            continue
        node: Any = review
        for part in path.split("."):
            assert part in node, path
            node = node[part]
            if node is None:
                break
    assert len(review["decision"]) == 9


def test_missing_optional_values_take_their_empty_form(example_raw: dict[str, Any]) -> None:
    raw = changed(
        example_raw,
        {
            "subject.email": DROP,
            "findings.plan.issues": DROP,
            "review.plan_start_date": DROP,
            "participants": DROP,
        },
    )
    review = validate_review(raw)
    assert review["subject"]["email"] is None
    assert review["findings"]["plan"]["issues"] == []
    assert review["review"]["plan_start_date"] is None
    assert review["participants"] == []
    assert review["advocate"] is None
    assert review["subject"]["appropriate_person"] is None
    assert review["review"]["joint_organisation"] is None
    assert review["subject"]["correspondence_to_representative"] is None


def test_contract_additions_are_accepted(example_raw: dict[str, Any]) -> None:
    raw = changed(
        example_raw,
        {
            "review.document_date": "2026-11-13",
            "review.delay": {
                "reason": "Sickness in the team.",
                "agreed_timeframe": "within 4 weeks",
                "next_contact_by": "2026-11-20",
            },
            "subject.correspondence_to_representative": True,
            "subject.appropriate_person": {
                "name": "Ann Lewis",
                "relationship": "sister",
                "address": "3 Mill Lane\nExampleton",
                "postcode": "EX3 1CC",
                "email": "ann@example.org",
            },
            "advocate": {"name": "Jo Bell", "address": ["Advocacy Hub"], "postcode": "EX1 2BB"},
        },
    )
    review = validate_review(raw)
    assert review["review"]["document_date"] == dt.date(2026, 11, 13)
    assert review["review"]["delay"]["next_contact_by"] == dt.date(2026, 11, 20)
    assert review["subject"]["appropriate_person"]["address"] == ["3 Mill Lane", "Exampleton"]
    assert review["advocate"]["organisation"] is None


# --------------------------------------------------------------------------- bad input

BAD_INPUT = [
    # wrong types
    pytest.param(
        {"review.date": 20261112}, "review.date", "Not a valid date.", id="date-as-number"
    ),
    pytest.param(
        {"subject.has_capacity": "yes"},
        "subject.has_capacity",
        "Not a valid boolean.",
        id="bool-as-text",
    ),
    pytest.param(
        {"findings.urgent_need": 0},
        "findings.urgent_need",
        "Not a valid boolean.",
        id="bool-as-number",
    ),
    pytest.param(
        {"findings.plan.issues": "none"},
        "findings.plan.issues",
        "Not a valid list.",
        id="list-as-text",
    ),
    pytest.param({"subject": []}, "subject", "Must be an object", id="object-as-list"),
    pytest.param({"subject.name": 7}, "subject.name", "Not a valid string.", id="text-as-number"),
    pytest.param({"review.id": None}, "review.id", "Field may not be null.", id="null-required"),
    pytest.param({"schema_version": "1"}, "schema_version", "Must be 1", id="version-text"),
    pytest.param({"schema_version": 2}, "schema_version", "Must be 1", id="version-2"),
    pytest.param({"schema_version": True}, "schema_version", "Must be 1", id="version-true"),
    # unknown fields, at several depths
    pytest.param({"notes": "x"}, "notes", "Unknown field.", id="unknown-top"),
    pytest.param({"review.urgent": True}, "review.urgent", "Unknown field.", id="unknown-review"),
    pytest.param(
        {"review.practitioner.nickname": "Sam"},
        "review.practitioner.nickname",
        "Unknown field.",
        id="unknown-deep",
    ),
    pytest.param(
        {"findings.safeguarding.notes": "x"},
        "findings.safeguarding.notes",
        "Unknown field.",
        id="unknown-findings",
    ),
    pytest.param(
        {"narrative.summary": "x"},
        "narrative.summary",
        "Unknown field.",
        id="unknown-narrative-code",
    ),
    pytest.param(
        {"participants": [{**PARTICIPANT, "age": 40}]},
        "participants.0.age",
        "Unknown field.",
        id="unknown-in-list",
    ),
    # missing fields
    pytest.param(
        {"schema_version": DROP},
        "schema_version",
        "Missing data for required field.",
        id="missing-version",
    ),
    pytest.param(
        {"review.id": DROP}, "review.id", "Missing data for required field.", id="missing-id"
    ),
    pytest.param(
        {"subject.reference": DROP}, "subject.reference", "Missing data", id="missing-reference"
    ),
    pytest.param(
        {"subject.address": DROP}, "subject.address", "Missing data", id="missing-address"
    ),
    pytest.param(
        {"subject.address": []}, "subject.address", "Length must be between 1", id="empty-address"
    ),
    pytest.param(
        {"findings.needs.changed": DROP},
        "findings.needs.changed",
        "Missing data",
        id="missing-finding",
    ),
    pytest.param({"findings.views": DROP}, "findings.views", "Missing data", id="missing-group"),
    pytest.param(
        {"subject.has_capacity": DROP},
        "subject.has_capacity",
        "Missing data",
        id="missing-capacity",
    ),
    pytest.param(
        {"cared_for.lacks_capacity": DROP},
        "cared_for.lacks_capacity",
        "Missing",
        id="missing-cared-for-bool",
    ),
    pytest.param({"subject.name": "  "}, "subject.name", "Must not be blank.", id="blank-name"),
    # impossible dates
    pytest.param({"review.date": "2026-02-30"}, "review.date", "Not a valid date.", id="feb-30"),
    pytest.param({"review.date": "12/11/2026"}, "review.date", "Not a valid date.", id="uk-format"),
    pytest.param({"review.date": "2026-W46-4"}, "review.date", "Not a valid date.", id="week-date"),
    pytest.param(
        {"subject.date_of_birth": "19710304"},
        "subject.date_of_birth",
        "Not a valid date.",
        id="basic-format",
    ),
    pytest.param(
        {"review.date": "2026-11-12T10:00"}, "review.date", "Not a valid date.", id="datetime"
    ),
    # bad enums
    pytest.param(
        {"review.method": "pigeon"},
        "review.method",
        "Must be one of: face_to_face",
        id="bad-method",
    ),
    pytest.param(
        {"findings.outcomes.achieved": "mostly"},
        "findings.outcomes.achieved",
        "yes, partly, no",
        id="bad-achieved",
    ),
    pytest.param(
        {"subject.preferred_format": "braille"},
        "subject.preferred_format",
        "Must be one of",
        id="bad-format",
    ),
    pytest.param(
        {"decision.outcome": "reassess"}, "decision.outcome", "Must be one of", id="bad-outcome"
    ),
    # ids, limits and characters a document cannot hold
    pytest.param({"review.id": "CR 1"}, "review.id", "Use only letters, digits", id="id-space"),
    pytest.param({"review.id": "../etc"}, "review.id", "Use only letters, digits", id="id-dots"),
    pytest.param(
        {"review.id": "A" * 65}, "review.id", "Length must be between 1 and 64.", id="id-long"
    ),
    pytest.param(
        {"subject.name": "M" * 201},
        "subject.name",
        "Longer than maximum length 200.",
        id="name-long",
    ),
    pytest.param(
        {"findings.needs.evidence": "x" * 20001}, "findings.needs.evidence", "20000", id="text-long"
    ),
    pytest.param(
        {"findings.plan.issues": ["x"] * 201}, "findings.plan.issues", "200", id="list-long"
    ),
    pytest.param(
        {"subject.name": "Maria\nLewis"}, "subject.name", "Must be one line.", id="name-two-lines"
    ),
    pytest.param(
        {"findings.views.subject": "ok\x00"},
        "findings.views.subject",
        "control character",
        id="nul-char",
    ),
    pytest.param(
        {"subject.email": "maria at example"},
        "subject.email",
        "Not a valid email address.",
        id="bad-email",
    ),
    # errors inside lists
    pytest.param(
        {"findings.plan.issues": ["ok", 3]},
        "findings.plan.issues.1",
        "Not a valid string.",
        id="list-item-type",
    ),
    pytest.param(
        {"participants": [PARTICIPANT, 3]},
        "participants.1",
        "Must be an object",
        id="list-item-not-object",
    ),
    pytest.param(
        {"participants": [PARTICIPANT, {**PARTICIPANT, "role": "friend"}]},
        "participants.1.role",
        "Must be one of",
        id="list-item-field",
    ),
    pytest.param(
        {"sharing.recipients": [{**RECIPIENT, "omit_sections": ["risk", "diary"]}]},
        "sharing.recipients.0.omit_sections.1",
        "Must be one of: plan_elements",
        id="omit-not-a-section",
    ),
]


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    BAD_INPUT,
)
def test_bad_input_is_named_by_its_path(
    example_raw: dict[str, Any], changes: dict[str, Any], path: str, message: str
) -> None:
    errors = errors_of(changed(example_raw, changes))
    assert path in errors, errors
    assert any(message in m for m in errors[path]), errors[path]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param([], id="list"),
        pytest.param("review", id="text"),
        pytest.param(None, id="null"),
        pytest.param(3, id="number"),
    ],
)
def test_top_level_not_an_object_is_one_clear_error(raw: object) -> None:
    with pytest.raises(InputError) as caught:
        validate_review(raw, source="r.json")
    assert caught.value.messages() == [caught.value.messages()[0]]
    assert "must be a JSON object" in str(caught.value)
    assert str(caught.value).startswith("r.json: ")


def test_every_problem_is_reported_at_once(example_raw: dict[str, Any]) -> None:
    raw = changed(
        example_raw,
        {
            "review.date": "2026-02-30",
            "review.method": "joint",
            "subject.notes": "x",
            "subject.has_capacity": DROP,
            "participants": [PARTICIPANT, {"name": "", "role": "boss", "consented": "yes"}],
            "findings.safeguarding.concern": True,
            "sharing.recipients": [RECIPIENT, {**RECIPIENT, "risk_concern": True}],
        },
    )
    errors = errors_of(raw)
    assert set(errors) == {
        "review.date",
        "review.joint_organisation",
        "subject.notes",
        "subject.has_capacity",
        "participants.1.name",
        "participants.1.role",
        "participants.1.consented",
        "findings.safeguarding.action_taken",
        "sharing.recipients.1.id",
        "sharing.recipients.1.manager_decision",
    }


@pytest.mark.parametrize(
    ("changes", "path", "messages"),
    [
        pytest.param(
            {"subject.name": "M" * 200 + "\n\x07"},
            "subject.name",
            [
                "Longer than maximum length 200.",
                "Contains a control character that a document cannot hold.",
                "Must be one line.",
            ],
            id="name-long-bell-two-lines",
        ),
        pytest.param(
            {"review.id": "C R/" + "1" * 64},
            "review.id",
            [
                "Length must be between 1 and 64.",
                "Use only letters, digits, hyphens, underscores and slashes.",
            ],
            id="id-long-with-space",
        ),
    ],
)
def test_every_problem_of_one_text_is_listed(
    example_raw: dict[str, Any], changes: dict[str, Any], path: str, messages: list[str]
) -> None:
    assert errors_of(changed(example_raw, changes))[path] == messages


def test_error_lines_are_path_colon_message(example_raw: dict[str, Any]) -> None:
    raw = changed(example_raw, {"findings.needs.changed": DROP})
    with pytest.raises(InputError) as caught:
        validate_review(raw, source="in.json")
    assert caught.value.lines() == [
        "in.json: findings.needs.changed: Missing data for required field."
    ]


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        pytest.param("two\nlines", 'subject."two\\nlines"', id="line-break"),
        pytest.param("nul\x00", 'subject."nul\\u0000"', id="control-character"),
        pytest.param("k" * 5000, "subject." + "k" * 57 + "...", id="huge"),
    ],
)
def test_an_unknown_key_is_shown_on_one_short_line(
    example_raw: dict[str, Any], key: str, shown: str
) -> None:
    example_raw["subject"][key] = 1
    with pytest.raises(InputError) as caught:
        validate_review(example_raw)
    assert caught.value.lines() == [f"{shown}: Unknown field."]


def test_a_broken_object_is_not_also_reported_missing(example_raw: dict[str, Any]) -> None:
    """``cared_for: Must be an object`` says it all; ``Missing data`` would contradict it."""
    errors = errors_of(changed(example_raw, {"cared_for": "Tom"}))
    assert errors == {"cared_for": ["Must be an object (named fields in { })."]}


# --------------------------------------------------------------------------- cross-field rules

PASSES = None
RULES = [
    # cared_for / carer follow the plan type
    pytest.param({"cared_for": DROP}, "cared_for", "Missing data", id="carer-plan-needs-cared-for"),
    pytest.param({}, "cared_for", PASSES, id="carer-plan-has-cared-for"),
    pytest.param(
        {
            **CARE_PLAN,
            "cared_for": {
                "name": "x",
                "lacks_capacity": False,
                "restrictions_may_deprive_liberty": False,
            },
        },
        "cared_for",
        "Only for a carer_support_plan",
        id="care-plan-refuses-cared-for",
    ),
    pytest.param(CARE_PLAN, "cared_for", PASSES, id="care-plan-without-cared-for"),
    pytest.param(
        {**CARE_PLAN, "carer": {"name": "Tom", "has_support_plan": True}},
        "carer",
        PASSES,
        id="care-plan-takes-carer",
    ),
    pytest.param(
        {"carer": {"name": "Tom", "has_support_plan": True}},
        "carer",
        "Only for a care_and_support_plan",
        id="carer-plan-refuses-carer",
    ),
    pytest.param(
        {"subject.in_work": DROP}, "subject.in_work", "Missing data", id="carer-in-work-unknown"
    ),
    pytest.param(
        {**CARE_PLAN, "subject.in_work": DROP},
        "subject.in_work",
        PASSES,
        id="person-in-work-unknown",
    ),
    # joint review
    pytest.param(
        {"review.method": "joint"},
        "review.joint_organisation",
        "Required when review.method is joint.",
        id="joint-without-organisation",
    ),
    pytest.param(
        {"review.method": "joint", "review.joint_organisation": {"name": "NHS Exampleton"}},
        "review.joint_organisation",
        PASSES,
        id="joint-with-organisation",
    ),
    # capacity and method
    pytest.param(
        {**CARE_PLAN, "subject.has_capacity": False, "review.method": "telephone"},
        "review.method",
        "must be face to face, not telephone",
        id="lacks-capacity-by-phone",
    ),
    pytest.param(
        {**CARE_PLAN, "subject.has_capacity": False, "review.method": "online"},
        "review.method",
        "face to face",
        id="lacks-capacity-online",
    ),
    pytest.param(
        {**CARE_PLAN, "subject.has_capacity": False, "review.method": "supported_self"},
        "review.method",
        "face to face",
        id="lacks-capacity-self",
    ),
    pytest.param(
        {**CARE_PLAN, "subject.has_capacity": False},
        "review.method",
        PASSES,
        id="lacks-capacity-in-person",
    ),
    # Combined and delegated reviews can be held in person: the decision flags them
    # for the practitioner instead (decision.face_to_face_review_required).
    pytest.param(
        {**CARE_PLAN, "subject.has_capacity": False, "review.method": "delegated"},
        "review.method",
        PASSES,
        id="lacks-capacity-delegated",
    ),
    # 002's rule is about "the person with Care and Support needs", not the carer.
    pytest.param(
        {"subject.has_capacity": False},
        "review.method",
        PASSES,
        id="carer-lacks-capacity-by-phone",
    ),
    pytest.param(
        {**CARE_PLAN, "review.method": "telephone"},
        "review.method",
        PASSES,
        id="has-capacity-by-phone",
    ),
    # safeguarding and liberty
    pytest.param(
        {
            "findings.safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Referred.",
            }
        },
        "findings.safeguarding.review_option",
        "Required when the concern is about the subject",
        id="about-subject-no-option",
    ),
    pytest.param(
        {
            "findings.safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Referred.",
                "review_option": "pause",
            }
        },
        "findings.safeguarding.review_option",
        PASSES,
        id="about-subject-with-option",
    ),
    pytest.param(
        {"findings.safeguarding.concern_about_subject": True},
        "findings.safeguarding.concern",
        "Must be true",
        id="about-subject-but-no-concern",
    ),
    pytest.param(
        {"findings.safeguarding.concern": True},
        "findings.safeguarding.action_taken",
        "Required when there is a safeguarding concern.",
        id="concern-no-action",
    ),
    pytest.param(
        {
            "findings.safeguarding.concern": True,
            "findings.safeguarding.action_taken": "Concern raised with the safeguarding team.",
        },
        "findings.safeguarding.action_taken",
        PASSES,
        id="concern-with-action",
    ),
    pytest.param(
        {"findings.liberty.concern": True},
        "findings.liberty.action_taken",
        "Deprivation of Liberty",
        id="liberty-no-action",
    ),
    pytest.param(
        {"findings.liberty": {"concern": True, "action_taken": "DoLS referral made."}},
        "findings.liberty.action_taken",
        PASSES,
        id="liberty-with-action",
    ),
    # sharing
    pytest.param(
        {"sharing.recipients": [{**RECIPIENT, "risk_concern": True}]},
        "sharing.recipients.0.manager_decision",
        "Required when risk_concern is true.",
        id="risk-no-manager-decision",
    ),
    pytest.param(
        {
            "sharing.recipients": [
                {**RECIPIENT, "risk_concern": True, "manager_decision": "decline"}
            ]
        },
        "sharing.recipients.0.manager_decision",
        PASSES,
        id="risk-manager-decided",
    ),
    pytest.param(
        {
            "sharing.recipients": [
                {**RECIPIENT, "risk_concern": True, "manager_decision": "partial"}
            ]
        },
        "sharing.recipients.0.omit_sections",
        "must withhold something",
        id="partial-withholds-nothing",
    ),
    pytest.param(
        {
            "sharing.recipients": [
                {
                    **RECIPIENT,
                    "risk_concern": True,
                    "manager_decision": "partial",
                    "omit_sections": ["safeguarding"],
                }
            ]
        },
        "sharing.recipients.0.omit_sections",
        PASSES,
        id="partial-omits-section",
    ),
    pytest.param(
        {"sharing.recipients": [RECIPIENT, {**RECIPIENT, "name": "Dr Jones"}]},
        "sharing.recipients.1.id",
        "Already used by sharing.recipients.0.",
        id="duplicate-recipient-id",
    ),
    pytest.param(
        {"sharing.recipients": [RECIPIENT, {**RECIPIENT, "id": "gp2"}]},
        "sharing.recipients.1.id",
        PASSES,
        id="distinct-recipient-ids",
    ),
    pytest.param(
        {"sharing.recipients": [{**RECIPIENT, "redact": ["subject.address", "subject.home"]}]},
        "sharing.recipients.0.redact.1",
        "'subject.home' is not an input path",
        id="redact-unknown-path",
    ),
    pytest.param(
        {
            "sharing.recipients": [
                {
                    **RECIPIENT,
                    "redact": [
                        "subject.address",
                        "subject.appropriate_person",
                        "participants.0.view",
                        "participants[].name",
                        "narrative.risk",
                    ],
                }
            ]
        },
        "sharing.recipients.0.redact",
        PASSES,
        id="redact-leaf-object-and-item",
    ),
    pytest.param(
        {"sharing.recipients": [{**RECIPIENT, "redact": ["participants.0.secret"]}]},
        "sharing.recipients.0.redact.0",
        "not an input path",
        id="redact-bad-item-field",
    ),
    # dates that cannot be true
    pytest.param(
        {"review.plan_start_date": "2026-12-01"},
        "review.date",
        "Is before review.plan_start_date (2026-12-01).",
        id="review-before-plan",
    ),
    pytest.param(
        {"review.plan_start_date": "2026-11-12"}, "review.date", PASSES, id="review-on-plan-start"
    ),
    pytest.param(
        {"subject.date_of_birth": "2027-01-01"},
        "subject.date_of_birth",
        "Is after the review date (2026-11-12).",
        id="born-after-review",
    ),
    pytest.param(
        {"decision.next_review_by": "2026-11-01"},
        "decision.next_review_by",
        "Is before the review date",
        id="next-review-before-review",
    ),
    pytest.param(
        {"decision.monitoring_review_by": "2026-10-01"},
        "decision.monitoring_review_by",
        "Is before the review date",
        id="monitoring-before-review",
    ),
    pytest.param(
        {"decision.next_review_by": "2027-11-01"},
        "decision.next_review_by",
        PASSES,
        id="next-review-after-review",
    ),
    pytest.param(
        {"review.document_date": "2026-11-11"},
        "review.document_date",
        "Is before the review date",
        id="record-dated-before-review",
    ),
    # planned or completed
    pytest.param(
        {"findings": DROP},
        "findings",
        "Missing data for required field.",
        id="completed-without-findings",
    ),
    pytest.param(
        {"review.date": DROP},
        "review.date",
        "Missing data for required field.",
        id="completed-without-date",
    ),
    pytest.param(
        {"review.stage": "planned"},
        "findings",
        "Must be left out of a planned review",
        id="planned-with-findings",
    ),
    pytest.param(
        {"review.stage": "planned", "decision.outcome": "plan_change"},
        "decision.outcome",
        "Must be left out",
        id="planned-with-findings-and-outcome",
    ),
    pytest.param(
        {"review.stage": "planned", "findings": DROP},
        "narrative",
        "Must be left out",
        id="planned-with-narrative",
    ),
    pytest.param(
        {
            "review.stage": "planned",
            "findings": DROP,
            "narrative": DROP,
            "decision.outcome": "no_change",
        },
        "decision.outcome",
        "Must be left out",
        id="planned-with-decision",
    ),
    pytest.param(
        {"review.stage": "planned", "review.date": DROP, "findings": DROP, "narrative": DROP},
        "findings",
        PASSES,
        id="planned-bare",
    ),
    # letters to a representative
    pytest.param(
        {"subject.correspondence_to_representative": True},
        "subject.appropriate_person",
        "letters go to this person",
        id="representative-missing",
    ),
    pytest.param(
        {
            "subject.correspondence_to_representative": True,
            "subject.appropriate_person": {"name": "Ann"},
        },
        "subject.appropriate_person.address",
        "Give an address or an email",
        id="representative-no-address",
    ),
    pytest.param(
        {
            "subject.correspondence_to_representative": True,
            "subject.appropriate_person": {"name": "Ann", "email": "ann@example.org"},
        },
        "subject.appropriate_person",
        PASSES,
        id="representative-with-email",
    ),
]


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    RULES,
)
def test_cross_field_rule(
    example_raw: dict[str, Any], changes: dict[str, Any], path: str, message: str | None
) -> None:
    raw = changed(example_raw, changes)
    if message is PASSES:
        validate_review(raw)
        return
    errors = errors_of(raw)
    assert path in errors, errors
    assert any(message in m for m in errors[path]), errors[path]


def test_planned_review_validates_to_the_same_shape(example_raw: dict[str, Any]) -> None:
    raw = changed(
        example_raw,
        {"review.stage": "planned", "review.date": DROP, "findings": DROP, "narrative": DROP},
    )
    review = validate_review(raw)
    assert review["findings"] is None
    assert review["review"]["date"] is None
    assert review["narrative"] == {}
    assert review["decision"]["outcome"] is None


def test_cross_field_errors_come_with_field_errors(example_raw: dict[str, Any]) -> None:
    """A practitioner fixes a record in one pass: the joint-review rule still speaks when
    another field is broken."""
    errors = errors_of(changed(example_raw, {"review.method": "joint", "subject.name": 1}))
    assert set(errors) == {"review.joint_organisation", "subject.name"}


# --------------------------------------------------------------------------- JSON Schema


def test_committed_json_schema_is_current() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "run `make schema` and commit schemas/review-input.schema.json"
    )


def test_module_prints_the_schema() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reviewdocs.intake.schemas"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert json.loads(done.stdout) == json_schema()


def _conforms(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """A small structural check of the keywords our generated schema uses."""
    if "anyOf" in schema:
        if all(_conforms(value, option, path) for option in schema["anyOf"]):
            return [f"{path}: matches no option"]
        return []
    types = schema.get("type")
    names = types if isinstance(types, list) else [types] if types else []
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "integer": int,
        "null": type(None),
    }
    if names and not any(isinstance(value, kinds[n]) for n in names):
        return [f"{path}: not {names}"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: not in enum")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{path}: not the const")
    if isinstance(value, str):
        patterns = [schema.get("pattern")] + [p["pattern"] for p in schema.get("allOf", [])]
        for pattern in filter(None, patterns):
            if not re.search(pattern, value):
                problems.append(f"{path}: does not match {pattern}")
        if len(value) > schema.get("maxLength", len(value)):
            problems.append(f"{path}: too long")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{path}.{key}: required")
        for key, item in value.items():
            if key not in schema.get("properties", {}):
                problems.append(f"{path}.{key}: not allowed")
            else:
                problems += _conforms(item, schema["properties"][key], f"{path}.{key}")
    if isinstance(value, list):
        for n, item in enumerate(value):
            problems += _conforms(item, schema["items"], f"{path}.{n}")
    return problems


def test_json_schema_accepts_the_example(example_raw: dict[str, Any]) -> None:
    assert _conforms(example_raw, json_schema()) == []


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        pytest.param({"review.extra": 1}, ".review.extra", id="unknown-field"),
        pytest.param({"review.method": "pigeon"}, ".review.method", id="bad-enum"),
        pytest.param({"findings.needs.changed": DROP}, ".findings.needs.changed", id="missing"),
        pytest.param({"review.id": "a b"}, ".review.id", id="bad-id"),
        pytest.param({"subject.name": "a\nb"}, ".subject.name", id="two-lines"),
    ],
)
def test_json_schema_refuses_what_validation_refuses(
    example_raw: dict[str, Any], changes: dict[str, Any], path: str
) -> None:
    problems = _conforms(changed(example_raw, changes), json_schema())
    assert any(p.startswith(path) for p in problems), problems


def test_json_schema_is_draft_2020_12_and_closed() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["review"]["additionalProperties"] is False


# --------------------------------------------------------------------------- input paths


def test_input_paths_name_every_leaf_of_the_contract() -> None:
    paths = input_paths()
    for expected in (
        "schema_version",
        "review.id",
        "review.joint_organisation.name",
        "subject.address",
        "subject.appropriate_person.email",
        "participants[].name",
        "findings.safeguarding.review_option",
        "findings.information_and_advice",
        "decision.next_review_by",
        "sharing.recipients[].redact",
    ):
        assert expected in paths
    assert {f"narrative.{code}" for code in codes.SECTIONS} <= paths
    assert not any(p.endswith(".") or p == "review.practitioner" for p in paths)


# --------------------------------------------------------------------------- hostile input

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _all_paths(node: Any, prefix: str = "") -> list[str]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _all_paths(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += _all_paths(value, f"{prefix}.{n}")
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_gives_a_review_or_an_input_error(data: st.DataObject) -> None:
    """Whatever a file holds, the user sees a validated review or path-named messages,
    never a traceback."""
    example_raw = json.loads(
        (ROOT / "tests" / "data" / "example-carer-light-touch.json").read_text()
    )
    paths = _all_paths(example_raw)
    changes = data.draw(
        st.dictionaries(st.sampled_from(paths), JSON_VALUES | st.just(DROP), max_size=4)
    )
    try:
        raw = changed(example_raw, changes)
    except (
        AttributeError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
    ):  # an earlier change broke the parent
        return
    try:
        validate_review(raw)
    except InputError as err:
        assert err.messages()


def test_a_review_id_with_a_trailing_newline_is_refused(example_raw: dict[str, Any]) -> None:
    """Python's ``$`` matches before a final newline: the id check must not."""
    example_raw["review"]["id"] = "CR-2026-0417\n"
    with pytest.raises(InputError) as caught:
        validate_review(example_raw)
    assert "review.id" in caught.value.errors
