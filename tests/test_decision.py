"""The decision (spec section 3): each rule both ways, the procedures' worked examples,
next review dates, and every sample."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, ROOT, SAMPLES, SPEC_DECISION_KEYS, with_changes
from reviewdocs import codes
from reviewdocs.decision import rules as decision
from reviewdocs.decision.rules import decide, explain, indicated_outcome
from reviewdocs.errors import InputError
from reviewdocs.intake.schemas import validate_review

DECISIONS_DOC = ROOT / "docs" / "decisions.md"


def carer(**changes: Any) -> dict[str, Any]:
    """The spec's carer light touch review (stable, telephone, large print, in work, Direct
    Payment, advice given), validated, with dotted changes (``findings__needs__changed``)."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return validate_review(with_changes(raw, **changes))


def person(**changes: Any) -> dict[str, Any]:
    """The same review as a Care and Support Plan review of the person, face to face,
    standard print, no Direct Payment and no advice: a plain baseline with no actions."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del raw["cared_for"]
    raw["review"].update(plan_type="care_and_support_plan", method="face_to_face")
    raw["subject"].update(preferred_format="standard", communication_needs="", in_work=False)
    raw["findings"]["budget"]["direct_payment"] = False
    raw["findings"]["information_and_advice"] = []
    return validate_review(with_changes(raw, **changes))


def baseline_actions(review: dict[str, Any]) -> list[str]:
    return decide(review)["actions"]


# --------------------------------------------------------------------------- registries


def test_every_action_code_has_exactly_one_rule() -> None:
    assert sorted(decision.ACTION_RULES) == sorted(codes.ACTIONS)


def test_every_where_relevant_section_has_exactly_one_rule() -> None:
    assert sorted(decision.SECTION_RULES) == sorted(codes.WHERE_RELEVANT_SECTIONS)


@pytest.mark.parametrize(
    "code, rule",
    [*decision.ACTION_RULES.items(), *decision.SECTION_RULES.items()],
    ids=[*decision.ACTION_RULES, *(f"section-{c}" for c in decision.SECTION_RULES)],
)
def test_every_rule_cites_its_procedure(code: str, rule: Any) -> None:
    doc = inspect.getdoc(rule) or ""
    assert re.search(r"\b00[0-4]\b", doc), f"{code}: no procedure number in the docstring"
    assert '"' in doc, f"{code}: no quoted heading or first words in the docstring"


def test_registering_a_second_rule_for_a_code_is_refused() -> None:
    with pytest.raises(ValueError, match="already has a rule"):
        decision.action_rule("right_to_complain")(lambda review, basis: None)


def test_registering_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not an action code"):
        decision.action_rule("make_tea")


@pytest.mark.parametrize("code", [*codes.ACTIONS, *codes.WHERE_RELEVANT_SECTIONS])
def test_every_code_is_written_down_in_decisions_md(code: str) -> None:
    rows = DECISIONS_DOC.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"| `{code}` |") for line in rows), code


# --------------------------------------------------------------------------- shape


def test_decision_has_exactly_the_keys_and_types_of_spec_section_3() -> None:
    out = decide(carer())
    assert list(out) == list(SPEC_DECISION_KEYS)
    assert out["review_id"] == "CR-2026-0417"
    assert out["outcome"] in codes.OUTCOMES
    assert out["outcome_number"] == codes.OUTCOME_NUMBER[out["outcome"]]
    assert isinstance(out["reassessment_required"], bool)
    assert isinstance(out["escalate_to_full_review"], bool)
    assert all(
        isinstance(item, str)
        for key in ("required_sections", "actions", "warnings")
        for item in out[key]
    )
    assert isinstance(out["next_review_by"], str)
    dt.date.fromisoformat(out["next_review_by"])
    json.dumps(out)  # what `decide --json` prints


def test_actions_are_sorted_and_sections_are_in_record_order() -> None:
    out = decide(
        carer(
            findings__views__others_agree=False,
            findings__risk__contingency_working=False,
            findings__needs__changed=True,
            decision__rationale="The evidence shows needs have changed.",
        )
    )
    assert out["actions"] == sorted(out["actions"])
    assert out["required_sections"] == [c for c in codes.SECTIONS if c in out["required_sections"]]
    assert out["required_sections"][:11] == list(codes.ALWAYS_SECTIONS)


def test_decide_does_not_change_the_review_and_gives_the_same_answer_twice() -> None:
    review = carer(findings__needs__changed=True)
    before = copy.deepcopy(review)
    assert decide(review) == decide(review)
    assert review == before


def test_a_planned_review_has_no_findings_to_decide_on() -> None:
    raw = json.loads((SAMPLES / "11-planned-information-letter-delay.json").read_text("utf-8"))
    review = validate_review(raw)
    with pytest.raises(InputError) as err:
        decide(review)
    assert "a planned review has no findings to decide on" in err.value.errors["findings"][0]


# --------------------------------------------------------------------------- outcome

OUTCOME_CASES = [
    ("all-working", {}, "no_change", False),
    ("not-in-place", {"findings__plan__in_place": False}, "plan_change", False),
    ("not-working", {"findings__plan__working": False}, "plan_change", False),
    ("not-everyone-satisfied", {"findings__plan__everyone_satisfied": False}, "plan_change", False),
    ("outcomes-partly", {"findings__outcomes__achieved": "partly"}, "plan_change", False),
    ("outcomes-no", {"findings__outcomes__achieved": "no"}, "plan_change", False),
    (
        "new-outcomes",
        {"findings__outcomes__new_outcomes": ["Return to college"]},
        "plan_change",
        False,
    ),
    (
        "outcome-no-longer-important",
        {"findings__outcomes__still_important": False},
        "plan_change",
        False,
    ),
    ("risk-not-managed", {"findings__risk__managed": False}, "plan_change", False),
    ("new-risk", {"findings__risk__new_risks": ["Falls at night"]}, "plan_change", False),
    ("contingency-failing", {"findings__risk__contingency_working": False}, "plan_change", False),
    (
        "informal-support-changed",
        {"findings__informal_support__changed": True},
        "plan_change",
        False,
    ),
    (
        "informal-support-unsustainable",
        {"findings__informal_support__sustainable": False},
        "plan_change",
        False,
    ),
    (
        "budget-management-failing",
        {"findings__budget__management_working": False},
        "plan_change",
        False,
    ),
    (
        "circumstances-changed",
        {"findings__needs__circumstances_changed": True},
        "plan_change",
        False,
    ),
    ("urgent-need", {"findings__urgent_need": True}, "plan_change", False),
    (
        "finances-changed-only",
        {"findings__finances__circumstances_changed": True},
        "no_change",
        False,
    ),
    (
        "budget-insufficient",
        {"findings__budget__sufficient": False},
        "plan_and_budget_change",
        False,
    ),
    (
        "needs-changed",
        {"findings__needs__changed": True, "findings__needs__met_by_current_plan": False},
        "plan_and_budget_change",
        True,
    ),
    (
        "needs-changed-though-plan-meets-them",
        {"findings__needs__changed": True},
        "plan_and_budget_change",
        True,
    ),
    (
        "short-term-met-by-plan",
        {"findings__needs__changed": True, "findings__needs__short_term": True},
        "no_change",
        False,
    ),
    (
        "short-term-not-met",
        {
            "findings__needs__changed": True,
            "findings__needs__short_term": True,
            "findings__needs__met_by_current_plan": False,
        },
        "plan_and_budget_change",
        True,
    ),
    (
        "circumstances-and-budget",
        {"findings__needs__circumstances_changed": True, "findings__budget__sufficient": False},
        "plan_and_budget_change",
        True,
    ),
]


@pytest.mark.parametrize(
    "changes, outcome, reassessment",
    [case[1:] for case in OUTCOME_CASES],
    ids=[case[0] for case in OUTCOME_CASES],
)
def test_outcome_and_reassessment_follow_the_findings(
    changes: dict[str, Any], outcome: str, reassessment: bool
) -> None:
    review = carer(**changes)
    out = decide(review)
    assert indicated_outcome(review) == outcome
    assert (out["outcome"], out["reassessment_required"]) == (outcome, reassessment)
    assert out["outcome_number"] == codes.OUTCOMES.index(outcome) + 1
    assert ("proportionate_reassessment" in out["actions"]) is reassessment


def test_practitioners_outcome_stands_with_a_warning_when_it_differs() -> None:
    review = carer(
        findings__plan__everyone_satisfied=False,
        decision={
            "outcome": "no_change",
            "rationale": "The carer is satisfied; her son's wish is noted.",
        },
    )
    out = decide(review)
    assert out["outcome"] == "no_change"
    assert out["outcome_number"] == 1
    assert any("differs from what the findings indicate" in w for w in out["warnings"])


def test_practitioners_outcome_that_agrees_gives_no_warning() -> None:
    out = decide(
        carer(
            decision={
                "outcome": "no_change",
                "wellbeing_impact": "Keeps her breaks going.",
                "information_follow_up_by": "2026-12-12",
            }
        )
    )
    assert out["warnings"] == []


def test_reassessment_stays_required_when_the_practitioner_records_no_change() -> None:
    review = carer(
        findings__needs__changed=True,
        decision={"outcome": "no_change", "rationale": "Manager agreed to wait for the GP letter."},
    )
    out = decide(review)
    assert out["outcome"] == "no_change"
    assert out["reassessment_required"] is True
    assert any("reassessment is required whatever the outcome" in w for w in out["warnings"])


# --------------------------------------------------------------------------- escalation

ESCALATION_CASES = [
    ("stable", {}, False),
    ("not-in-place", {"findings__plan__in_place": False}, True),
    ("not-working", {"findings__plan__working": False}, True),
    ("outcomes-not-achieved", {"findings__outcomes__achieved": "no"}, True),
    ("outcomes-partly-small-change", {"findings__outcomes__achieved": "partly"}, False),
    ("new-outcome-small-change", {"findings__outcomes__new_outcomes": ["Swim again"]}, False),
    (
        "new-outcome-significant",
        {
            "findings__outcomes__new_outcomes": ["Swim again"],
            "findings__informal_support__changed": True,
        },
        True,
    ),
    ("not-kept-safe", {"findings__risk__managed": False}, True),
    ("contingency-small-change", {"findings__risk__contingency_working": False}, False),
    (
        "contingency-significant",
        {
            "findings__risk__contingency_working": False,
            "findings__informal_support__sustainable": False,
        },
        True,
    ),
    (
        "contingency-with-urgent-need",
        {"findings__risk__contingency_working": False, "findings__urgent_need": True},
        True,
    ),
    ("needs-changed", {"findings__needs__changed": True}, True),
    (
        "short-term-change-met",
        {"findings__needs__changed": True, "findings__needs__short_term": True},
        False,
    ),
    ("budget-insufficient", {"findings__budget__sufficient": False}, True),
    ("urgent-need", {"findings__urgent_need": True}, True),
    (
        "safeguarding-about-subject",
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Raised",
                "review_option": "continue",
            }
        },
        True,
    ),
    (
        "safeguarding-about-another",
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": False,
                "action_taken": "Raised about a neighbour",
            }
        },
        False,
    ),
    ("circumstances-changed-only", {"findings__needs__circumstances_changed": True}, False),
    (
        "full-review-never-escalates",
        {"review__review_type": "full", "findings__plan__working": False},
        False,
    ),
]


@pytest.mark.parametrize(
    "changes, escalate",
    [case[1:] for case in ESCALATION_CASES],
    ids=[case[0] for case in ESCALATION_CASES],
)
def test_light_touch_escalates_to_full_review(changes: dict[str, Any], escalate: bool) -> None:
    out = decide(carer(**changes))
    assert out["escalate_to_full_review"] is escalate
    assert ("escalate_to_full_review" in out["actions"]) is escalate


# --------------------------------------------------------------------------- actions

ACTION_CASES: list[tuple[str, str, Any, dict[str, Any], bool]] = [
    # (id, action, baseline builder, changes, expected)
    ("telephone", "telephone_follow_up_letter", person, {"review__method": "telephone"}, True),
    ("face-to-face", "telephone_follow_up_letter", person, {}, False),
    ("online", "telephone_follow_up_letter", person, {"review__method": "online"}, False),
    (
        "finances-changed",
        "financial_assessment_notice",
        person,
        {"findings__finances__circumstances_changed": True},
        True,
    ),
    (
        "services-change",
        "financial_assessment_notice",
        person,
        {"findings__risk__contingency_working": False},
        True,
    ),
    ("nothing-changes", "financial_assessment_notice", person, {}, False),
    ("carer-in-work", "carers_leave_information", carer, {}, True),
    ("carer-not-in-work", "carers_leave_information", carer, {"subject__in_work": False}, False),
    (
        "person-in-work-is-not-a-carer",
        "carers_leave_information",
        person,
        {"subject__in_work": True},
        False,
    ),
    (
        "substantial-difficulty-alone",
        "advocacy_referral",
        person,
        {"subject__substantial_difficulty": True},
        True,
    ),
    ("lacks-capacity-alone", "advocacy_referral", person, {"subject__has_capacity": False}, True),
    (
        "difficulty-with-appropriate-person",
        "advocacy_referral",
        person,
        {
            "subject__substantial_difficulty": True,
            "subject__appropriate_person": {
                "name": "Ann Lee",
                "relationship": "sister",
                "supports_involvement": True,
            },
        },
        False,
    ),
    (
        # 004 "An appropriate person for general representation purposes is not the same as
        # an appropriate person for independent advocacy": a name alone is not enough.
        "difficulty-with-general-appropriate-person",
        "advocacy_referral",
        person,
        {
            "subject__substantial_difficulty": True,
            "subject__appropriate_person": {"name": "Ann Lee", "relationship": "sister"},
        },
        True,
    ),
    (
        "difficulty-with-appropriate-person-who-cannot-represent",
        "advocacy_referral",
        person,
        {
            "subject__substantial_difficulty": True,
            "subject__appropriate_person": {"name": "Ann Lee", "supports_involvement": False},
        },
        True,
    ),
    (
        "difficulty-with-advocate",
        "advocacy_referral",
        person,
        {
            "subject__substantial_difficulty": True,
            "advocate": {"name": "Femi Adeyemi", "organisation": "Advocacy Hub"},
        },
        False,
    ),
    (
        "difficulty-with-advocate-taking-part",
        "advocacy_referral",
        person,
        {
            "subject__substantial_difficulty": True,
            "participants": [{"name": "Jo Bell", "role": "advocate", "consented": True}],
        },
        False,
    ),
    ("no-difficulty", "advocacy_referral", person, {}, False),
    (
        "carer-lacks-capacity-liberty-concern",
        "deprivation_of_liberty_consideration",
        carer,
        {
            "subject__has_capacity": False,
            "findings__liberty": {"concern": True, "action_taken": "Referred"},
        },
        True,
    ),
    (
        "advocate-named",
        "inform_advocate",
        person,
        {"advocate": {"name": "Femi Adeyemi", "organisation": "Advocacy Hub"}},
        True,
    ),
    (
        "advocate-took-part",
        "inform_advocate",
        person,
        {"participants": [{"name": "Jo Bell", "role": "advocate", "consented": True}]},
        True,
    ),
    ("no-advocate", "inform_advocate", person, {}, False),
    (
        "concern-about-subject",
        "safeguarding_decision",
        person,
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Raised",
                "review_option": "continue",
            }
        },
        True,
    ),
    (
        "concern-about-another",
        "safeguarding_decision",
        person,
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": False,
                "action_taken": "Raised about a grandchild",
            }
        },
        True,
    ),
    ("no-concern", "safeguarding_decision", person, {}, False),
    (
        "cared-for-lacks-capacity-restricted",
        "deprivation_of_liberty_consideration",
        carer,
        {"cared_for__lacks_capacity": True, "cared_for__restrictions_may_deprive_liberty": True},
        True,
    ),
    (
        "cared-for-lacks-capacity-concern",
        "deprivation_of_liberty_consideration",
        carer,
        {
            "cared_for__lacks_capacity": True,
            "findings__liberty": {"concern": True, "action_taken": "Manager consulted"},
        },
        True,
    ),
    (
        "cared-for-lacks-capacity-no-restriction",
        "deprivation_of_liberty_consideration",
        carer,
        {"cared_for__lacks_capacity": True},
        False,
    ),
    (
        "restricted-but-has-capacity",
        "deprivation_of_liberty_consideration",
        carer,
        {"cared_for__restrictions_may_deprive_liberty": True},
        False,
    ),
    (
        "person-lacks-capacity-concern",
        "deprivation_of_liberty_consideration",
        person,
        {
            "subject__has_capacity": False,
            "findings__liberty": {"concern": True, "action_taken": "DoLS referral"},
        },
        True,
    ),
    ("urgent-need", "urgent_interim_support", person, {"findings__urgent_need": True}, True),
    (
        "paused-with-interim-support",
        "urgent_interim_support",
        person,
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Raised",
                "review_option": "pause_with_interim_support",
            }
        },
        True,
    ),
    (
        "paused-without-support",
        "urgent_interim_support",
        person,
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": True,
                "action_taken": "Raised",
                "review_option": "pause",
            }
        },
        False,
    ),
    (
        "subject-disagrees",
        "right_to_complain",
        person,
        {
            "findings__views__subject_agrees_with_outcome": False,
            "decision__rationale": "The evidence supports it; the difference is recorded.",
        },
        True,
    ),
    (
        "others-disagree",
        "right_to_complain",
        person,
        {
            "findings__views__others_agree": False,
            "decision__rationale": "The evidence supports it; the difference is recorded.",
        },
        True,
    ),
    ("all-agree", "right_to_complain", person, {}, False),
    (
        "subject-disagrees",
        "record_difference_of_views",
        person,
        {
            "findings__views__subject_agrees_with_outcome": False,
            "decision__rationale": "The evidence supports it; the difference is recorded.",
        },
        True,
    ),
    (
        "others-disagree",
        "record_difference_of_views",
        person,
        {
            "findings__views__others_agree": False,
            "decision__rationale": "The evidence supports it; the difference is recorded.",
        },
        True,
    ),
    ("all-agree", "record_difference_of_views", person, {}, False),
    (
        "difficulty-by-telephone",
        "face_to_face_review_required",
        person,
        {"subject__substantial_difficulty": True, "review__method": "telephone"},
        True,
    ),
    (
        "carer-lacks-capacity-online",
        "face_to_face_review_required",
        carer,
        {"subject__has_capacity": False, "review__method": "online"},
        True,
    ),
    (
        "difficulty-face-to-face",
        "face_to_face_review_required",
        person,
        {"subject__substantial_difficulty": True},
        False,
    ),
    (
        "telephone-no-difficulty",
        "face_to_face_review_required",
        person,
        {"review__method": "telephone"},
        False,
    ),
    (
        "joint-method",
        "share_with_joint_organisation",
        person,
        {"review__method": "joint", "review__joint_organisation": {"name": "Exampleton NHS Trust"}},
        True,
    ),
    ("not-joint", "share_with_joint_organisation", person, {}, False),
    (
        "direct-payment",
        "direct_payment_review",
        person,
        {"findings__budget__direct_payment": True},
        True,
    ),
    ("no-direct-payment", "direct_payment_review", person, {}, False),
    (
        "carer-with-plan",
        "combined_carer_review",
        person,
        {"carer": {"name": "Nasreen Rahman", "relationship": "mother", "has_support_plan": True}},
        True,
    ),
    (
        "carer-without-plan",
        "combined_carer_review",
        person,
        {"carer": {"name": "Nasreen Rahman", "relationship": "mother", "has_support_plan": False}},
        False,
    ),
    (
        "large-print",
        "accessible_format",
        person,
        {"subject__preferred_format": "large_print"},
        True,
    ),
    ("easy-read", "accessible_format", person, {"subject__preferred_format": "easy_read"}, True),
    ("tagged-pdf", "accessible_format", person, {"subject__preferred_format": "pdf"}, True),
    (
        "communication-needs",
        "accessible_format",
        person,
        {"subject__communication_needs": "Uses BSL; needs an interpreter."},
        True,
    ),
    ("standard-no-needs", "accessible_format", person, {}, False),
    (
        "advice-given",
        "information_and_advice_follow_up",
        person,
        {"findings__information_and_advice": ["Falls prevention leaflet"]},
        True,
    ),
    ("no-advice", "information_and_advice_follow_up", person, {}, False),
    (
        "short-term-met",
        "short_term_monitoring",
        person,
        {"findings__needs__changed": True, "findings__needs__short_term": True},
        True,
    ),
    (
        "long-term-change",
        "short_term_monitoring",
        person,
        {"findings__needs__changed": True},
        False,
    ),
    ("no-change", "short_term_monitoring", person, {}, False),
]


@pytest.mark.parametrize(
    "action, build, changes, expected",
    [case[1:] for case in ACTION_CASES],
    ids=[f"{case[1]}-{case[0]}" for case in ACTION_CASES],
)
def test_action_rule(action: str, build: Any, changes: dict[str, Any], expected: bool) -> None:
    assert (action in decide(build(**changes))["actions"]) is expected


def test_every_format_but_standard_is_named_in_plain_words() -> None:
    assert set(decision._FORMAT_WORDS) == set(codes.PREFERRED_FORMATS) - {"standard"}


def test_the_plain_baseline_has_no_actions() -> None:
    assert baseline_actions(person()) == []


def test_advocacy_referral_warns_that_nothing_goes_ahead_without_the_advocate() -> None:
    out = decide(person(subject__substantial_difficulty=True))
    assert any(
        "advocate must be in place before any Care and Support process" in w
        for w in out["warnings"]
    )


def test_a_safeguarding_pause_makes_the_outcome_provisional() -> None:
    review = person(
        findings__safeguarding={
            "concern": True,
            "concern_about_subject": True,
            "action_taken": "Raised",
            "review_option": "pause",
        }
    )
    assert any("paused while a safeguarding enquiry" in w for w in decide(review)["warnings"])


def test_a_liberty_concern_without_lack_of_capacity_asks_to_check_capacity() -> None:
    review = carer(findings__liberty={"concern": True, "action_taken": "Discussed with manager"})
    out = decide(review)
    assert "deprivation_of_liberty_consideration" not in out["actions"]
    assert "deprivation_of_liberty" in out["required_sections"]
    assert any("check capacity" in w for w in out["warnings"])


# --------------------------------------------------------------------------- sections

SECTION_CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("needs-changed", "changes_and_wellbeing_impact", {"findings__needs__changed": True}, True),
    (
        "circumstances-changed",
        "changes_and_wellbeing_impact",
        {"findings__needs__circumstances_changed": True},
        True,
    ),
    ("nothing-changed", "changes_and_wellbeing_impact", {}, False),
    ("not-working", "resolution_steps", {"findings__plan__working": False}, True),
    ("issue-raised", "resolution_steps", {"findings__plan__issues": ["Visits late"]}, True),
    ("working", "resolution_steps", {}, False),
    ("outcomes-partly", "outcome_support_steps", {"findings__outcomes__achieved": "partly"}, True),
    ("outcomes-achieved", "outcome_support_steps", {}, False),
    (
        "new-outcome",
        "new_outcomes_plan",
        {"findings__outcomes__new_outcomes": ["Join a choir"]},
        True,
    ),
    ("no-new-outcome", "new_outcomes_plan", {}, False),
    ("risk-not-managed", "risk_changes", {"findings__risk__managed": False}, True),
    ("new-risk", "risk_changes", {"findings__risk__new_risks": ["Wandering at night"]}, True),
    ("risk-managed", "risk_changes", {}, False),
    (
        "contingency-failing",
        "contingency_changes",
        {"findings__risk__contingency_working": False},
        True,
    ),
    ("contingency-working", "contingency_changes", {}, False),
    ("needs-changed", "urgent_interim_support", {"findings__needs__changed": True}, True),
    ("urgent-need", "urgent_interim_support", {"findings__urgent_need": True}, True),
    ("no-need", "urgent_interim_support", {}, False),
    (
        "concern",
        "safeguarding",
        {
            "findings__safeguarding": {
                "concern": True,
                "concern_about_subject": False,
                "action_taken": "Raised",
            }
        },
        True,
    ),
    ("no-concern", "safeguarding", {}, False),
    (
        "liberty-concern",
        "deprivation_of_liberty",
        {"findings__liberty": {"concern": True, "action_taken": "Referred"}},
        True,
    ),
    (
        "lacks-capacity-restricted",
        "deprivation_of_liberty",
        {"cared_for__lacks_capacity": True, "cared_for__restrictions_may_deprive_liberty": True},
        True,
    ),
    ("no-liberty-issue", "deprivation_of_liberty", {}, False),
    (
        "disagreement",
        "difference_of_views",
        {
            "findings__views__others_agree": False,
            "decision__rationale": "The evidence supports it; the difference is recorded.",
        },
        True,
    ),
    ("agreement", "difference_of_views", {}, False),
]


@pytest.mark.parametrize(
    "section, changes, expected",
    [case[1:] for case in SECTION_CASES],
    ids=[f"{case[1]}-{case[0]}" for case in SECTION_CASES],
)
def test_where_relevant_section_rule(section: str, changes: dict[str, Any], expected: bool) -> None:
    out = decide(carer(**changes))
    assert (section in out["required_sections"]) is expected


def test_a_stable_review_records_only_the_eleven_sections() -> None:
    assert decide(carer())["required_sections"] == list(codes.ALWAYS_SECTIONS)


# --------------------------------------------------------------------------- next review

NEXT_REVIEW_CASES = [
    ("stable-12-months", {}, "2027-11-12", None),
    (
        "stable-from-29-february",
        {"review__date": "2028-02-29", "review__plan_start_date": "2027-02-01"},
        "2029-02-28",
        None,
    ),
    (
        "plan-change-8-weeks-from-the-review-without-a-start",
        {"findings__risk__contingency_working": False},
        "2027-01-07",
        "No start date for the change to the plan is recorded",
    ),
    (
        # 002 "within 6-8 weeks of the service/change commencing": from when the change starts.
        "plan-change-8-weeks-from-the-start",
        {"findings__risk__contingency_working": False, "decision": {"change_starts": "2026-11-30"}},
        "2027-01-25",
        None,
    ),
    (
        "practitioners-date-before-the-change-starts",
        {
            "findings__risk__contingency_working": False,
            "decision": {"change_starts": "2026-12-20", "next_review_by": "2026-12-01"},
        },
        "2026-12-01",
        "is before the change starts on 20 December 2026",
    ),
    (
        "budget-change-full-review-8-weeks",
        {
            "review__review_type": "full",
            "findings__budget__sufficient": False,
            "decision": {"change_starts": "2026-11-12"},
        },
        "2027-01-07",
        None,
    ),
    (
        # An escalated light touch review decides nothing final: no date until the full review.
        "escalated-light-touch-none",
        {"findings__budget__sufficient": False, "decision": {"next_review_by": "2027-01-01"}},
        None,
        "The next review date the practitioner gave is not used",
    ),
    (
        "short-term-monitoring-date",
        {
            "findings__needs__changed": True,
            "findings__needs__short_term": True,
            "decision": {"monitoring_review_by": "2026-12-03"},
        },
        "2026-12-03",
        None,
    ),
    (
        "short-term-no-date-6-weeks",
        {"findings__needs__changed": True, "findings__needs__short_term": True},
        "2026-12-24",
        "No monitoring date was agreed",
    ),
    (
        "reassessment-none",
        {"findings__needs__changed": True, "review__review_type": "full"},
        None,
        "a reassessment of need is pending",
    ),
    (
        "reassessment-ignores-practitioners-date",
        {
            "findings__needs__changed": True,
            "review__review_type": "full",
            "decision": {"next_review_by": "2027-01-10"},
        },
        None,
        "The date the practitioner gave is not used",
    ),
    (
        "short-term-next-review-date-counts-as-agreed",
        {
            "findings__needs__changed": True,
            "findings__needs__short_term": True,
            "decision": {"next_review_by": "2026-12-10"},
        },
        "2026-12-10",
        None,
    ),
    (
        "monitoring-date-without-short-term-change",
        {"decision": {"monitoring_review_by": "2027-02-01"}},
        "2027-02-01",
        None,
    ),
    (
        "earlier-of-the-practitioners-dates",
        {"decision": {"monitoring_review_by": "2027-03-01", "next_review_by": "2027-02-01"}},
        "2027-02-01",
        None,
    ),
    (
        "practitioners-date-within-limit",
        {"decision": {"next_review_by": "2027-05-01"}},
        "2027-05-01",
        None,
    ),
    (
        "practitioners-date-too-late-stable",
        {"decision": {"next_review_by": "2028-01-10"}},
        "2028-01-10",
        "later than the procedure's limit of 12 November 2027",
    ),
    (
        "practitioners-date-too-late-after-change",
        {
            "findings__plan__working": False,
            "review__review_type": "full",
            "decision": {"next_review_by": "2027-02-01"},
        },
        "2027-02-01",
        "later than the procedure's limit of 7 January 2027",
    ),
    (
        "monitoring-date-too-late",
        {
            "findings__needs__changed": True,
            "findings__needs__short_term": True,
            "decision": {"monitoring_review_by": "2027-03-01"},
        },
        "2027-03-01",
        "later than the procedure's limit",
    ),
]


@pytest.mark.parametrize(
    "changes, expected, warning",
    [case[1:] for case in NEXT_REVIEW_CASES],
    ids=[case[0] for case in NEXT_REVIEW_CASES],
)
def test_next_review_date(
    changes: dict[str, Any], expected: str | None, warning: str | None
) -> None:
    out = decide(carer(**changes))
    assert out["next_review_by"] == expected
    # Items left unrecorded are warned about too (003); only the date's warnings count here.
    dated = [w for w in out["warnings"] if not w.startswith("Not recorded:")]
    if warning:
        assert any(warning in w for w in dated), dated
    else:
        assert dated == []


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 48, dt.date(2032, 2, 29)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 11, 12), 2, dt.date(2027, 1, 12)),
    ],
    ids=["leap-day-to-28-feb", "leap-day-to-leap-day", "31st-to-short-month", "over-new-year"],
)
def test_add_months_never_passes_the_limit(day: dt.date, months: int, expected: dt.date) -> None:
    assert decision.add_months(day, months) == expected


# --------------------------------------------------------------------------- worked examples


def test_julie_and_peter_reassessment_though_julie_says_all_is_well() -> None:
    """003 example: Julie says the plan works; her brother reports a sharp deterioration in
    Peter; the practitioner decides on a proportionate reassessment."""
    review = carer(
        review__review_type="full",
        review__method="face_to_face",
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        findings__informal_support__sustainable=False,
        findings__views__subject_agrees_with_outcome=False,
        decision__rationale="The evidence shows Julie's needs have changed.",
        participants=[
            {
                "name": "Graham Marsh",
                "role": "family",
                "consented": True,
                "view": "Peter has deteriorated sharply; Julie cannot sustain this.",
            }
        ],
    )
    out = decide(review)
    assert out["reassessment_required"] is True
    assert out["outcome"] == "plan_and_budget_change"
    assert {"proportionate_reassessment", "record_difference_of_views", "right_to_complain"} <= set(
        out["actions"]
    )
    assert "difference_of_views" in out["required_sections"]
    assert out["next_review_by"] is None


def test_ahmed_combined_review_equipment_not_a_bigger_budget() -> None:
    """003 example: Ahmed's needs are unchanged; his mother's shoulder injury is a new risk;
    equipment, not homecare, is the proportionate response; Ahmed disagrees."""
    review = person(
        review__review_type="full",
        review__method="combined",
        carer={"name": "Nasreen Rahman", "relationship": "mother", "has_support_plan": True},
        findings__risk__managed=False,
        findings__risk__new_risks=["Injury to his mother during transfers"],
        findings__informal_support__changed=True,
        findings__views__subject_agrees_with_outcome=False,
        decision__rationale="Equipment is the proportionate response to the risk.",
    )
    out = decide(review)
    assert (out["outcome"], out["reassessment_required"]) == ("plan_change", False)
    assert {"right_to_complain", "record_difference_of_views"} <= set(out["actions"])
    # The review was combined with Nasreen's: her review is not "offered" after it took place.
    assert "combined_carer_review" not in out["actions"]
    assert {"risk_changes", "difference_of_views"} <= set(out["required_sections"])
    assert out["next_review_by"] == "2027-01-07"


def test_john_working_days_stays_a_light_touch_plan_change() -> None:
    """004 example: John's working days change; his needs and budget do not, so a light touch
    review without allocation changes the plan only."""
    review = person(
        review__review_type="light_touch",
        review__method="telephone",
        subject__in_work=True,
        findings__needs__circumstances_changed=True,
    )
    out = decide(review)
    assert out["outcome"] == "plan_change"
    assert out["reassessment_required"] is False
    assert out["escalate_to_full_review"] is False
    assert "telephone_follow_up_letter" in out["actions"]
    assert "carers_leave_information" not in out["actions"]
    assert "changes_and_wellbeing_impact" in out["required_sections"]


def test_john_deterioration_leads_to_reassessment() -> None:
    """004 example: John's health has deteriorated, he needs evening support and meals: a
    change in need and in the budget amount, so a proportionate reassessment."""
    review = person(
        review__review_type="light_touch",
        subject__in_work=True,
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        findings__needs__circumstances_changed=True,
        findings__budget__sufficient=False,
    )
    out = decide(review)
    assert out["outcome"] == "plan_and_budget_change"
    assert out["reassessment_required"] is True
    assert out["escalate_to_full_review"] is True
    assert out["next_review_by"] is None


def test_pritesh_and_ash_carer_involved_without_a_disagreement() -> None:
    """002 example: Ash, with capacity, keeps a private matter from his carer Pritesh; his
    review itself is stable and nobody disagrees, so nothing about views is recorded."""
    review = person(
        carer={"name": "Pritesh Patel", "relationship": "brother", "has_support_plan": True},
        participants=[{"name": "Pritesh Patel", "role": "family", "consented": True}],
    )
    out = decide(review)
    assert out["outcome"] == "no_change"
    assert out["actions"] == ["combined_carer_review"]
    assert "difference_of_views" not in out["required_sections"]


# --------------------------------------------------------------------------- explain


def test_explain_gives_one_plain_line_per_action_in_order() -> None:
    review = carer(
        findings__views__others_agree=False,
        findings__urgent_need=True,
        decision__rationale="Urgent support first.",
    )
    out = decide(review)
    lines = explain(review, out)
    assert [code for code, _ in lines] == out["actions"]
    for code, reason in lines:
        assert reason and "\n" not in reason and "_" not in reason, (code, reason)


def test_explain_names_why_a_light_touch_review_escalates() -> None:
    review = carer(findings__plan__in_place=False)
    reasons = dict(explain(review, decide(review)))
    assert "not in place" in reasons["escalate_to_full_review"]


# --------------------------------------------------------------------------- samples

SAMPLE_OUTCOMES = {
    "01-carer-light-touch-no-change": ("no_change", False, False),
    "02-carer-short-term-change": ("no_change", False, False),
    "03-julie-and-peter-reassessment": ("plan_and_budget_change", True, False),
    "04-ahmed-combined-review-disagreement": ("plan_change", False, False),
    "05-john-working-days": ("plan_change", False, False),
    "06-john-deterioration-reassessment": ("plan_and_budget_change", True, False),
    "07-carer-safeguarding-pause": ("plan_change", False, False),
    "08-carer-liberty-cared-for-lacks-capacity": ("plan_change", False, False),
    "09-advocacy-needed": ("plan_change", False, False),
    "10-joint-review-health-sharing": ("plan_and_budget_change", False, False),
    "12-carer-light-touch-escalated": ("plan_and_budget_change", False, True),
    "13-carer-practitioner-outcome-differs": ("no_change", False, False),
}
"""Sample -> (outcome, reassessment_required, escalate_to_full_review) it is meant to show."""

SAMPLE_ACTIONS = {
    "02-carer-short-term-change": "short_term_monitoring",
    "03-julie-and-peter-reassessment": "record_difference_of_views",
    "04-ahmed-combined-review-disagreement": "record_difference_of_views",
    "05-john-working-days": "telephone_follow_up_letter",
    "06-john-deterioration-reassessment": "proportionate_reassessment",
    "07-carer-safeguarding-pause": "urgent_interim_support",
    "08-carer-liberty-cared-for-lacks-capacity": "deprivation_of_liberty_consideration",
    "09-advocacy-needed": "advocacy_referral",
    "10-joint-review-health-sharing": "share_with_joint_organisation",
    "12-carer-light-touch-escalated": "escalate_to_full_review",
}
"""Sample -> the action it exists to show."""

PLANNED_SAMPLES = {"11-planned-information-letter-delay"}


def _load(name: str) -> dict[str, Any]:
    return validate_review(json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def test_every_sample_is_in_a_table() -> None:
    names = {p.stem for p in SAMPLES.glob("*.json")}
    assert names == set(SAMPLE_OUTCOMES) | PLANNED_SAMPLES
    assert len(names) >= 11


@pytest.mark.parametrize("name", sorted(SAMPLE_OUTCOMES))
def test_sample_decides_as_intended(name: str) -> None:
    review = _load(name)
    out = decide(review)
    assert (out["outcome"], out["reassessment_required"], out["escalate_to_full_review"]) == (
        SAMPLE_OUTCOMES[name]
    )
    if name in SAMPLE_ACTIONS:
        assert SAMPLE_ACTIONS[name] in out["actions"]
    assert len(explain(review, out)) == len(out["actions"])


def test_samples_cover_every_outcome_both_plan_types_and_both_review_types() -> None:
    reviews = [_load(name) for name in SAMPLE_OUTCOMES]
    assert {decide(r)["outcome"] for r in reviews} == set(codes.OUTCOMES)
    assert {r["review"]["plan_type"] for r in reviews} == set(codes.PLAN_TYPES)
    assert {r["review"]["review_type"] for r in reviews} == set(codes.REVIEW_TYPES)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: Path(p).stem)
def test_sample_uses_only_example_contacts(path: Path) -> None:
    """Samples are fictional: e-mails at example domains, 01632 96x or 07700 900 phones."""
    text = path.read_text(encoding="utf-8")
    for email in re.findall(r"[\w.+-]+@([\w.-]+)", text):
        assert email.endswith(("example.gov.uk", "example.org")), email
    for phone in re.findall(r'"phone": "([^"]+)"', text):
        assert phone.startswith(("01632 96", "07700 900")), phone


@pytest.mark.parametrize(
    ("decision_fields", "problem"),
    [
        pytest.param(
            {"outcome": "plan_change"},
            "decision.rationale: Required because decision.outcome (plan_change) differs from "
            "the outcome the findings indicate (no_change).",
            id="other-outcome-no-rationale",
        ),
        pytest.param(
            {"outcome": "plan_change", "rationale": " "},
            "decision.rationale: Required because decision.outcome (plan_change) differs from "
            "the outcome the findings indicate (no_change).",
            id="other-outcome-blank-rationale",
        ),
        pytest.param(
            {"outcome": "plan_change", "rationale": "Maria asked to change the sitting day."},
            None,
            id="other-outcome-with-rationale",
        ),
        pytest.param({"outcome": "no_change"}, None, id="same-outcome-no-rationale"),
    ],
)
def test_a_decision_other_than_the_findings_indicate_needs_a_rationale(
    example_raw: dict[str, Any], decision_fields: dict[str, Any], problem: str | None
) -> None:
    """003 "The decision you reach may be in line with the views of the carer ... but
    equally it may not be": it stands only with a clear rationale."""
    raw = copy.deepcopy(example_raw)
    raw["decision"] = {**(raw.get("decision") or {}), **decision_fields}
    review = validate_review(raw)
    if problem is None:
        assert decide(review)["outcome"] == decision_fields["outcome"]
        return
    with pytest.raises(InputError) as raised:
        decide(review)
    assert raised.value.messages() == [problem]


def test_validate_names_a_missing_rationale(
    runner: Any, example_raw: dict[str, Any], tmp_path: Path
) -> None:
    from reviewdocs.cli import main

    raw = copy.deepcopy(example_raw)
    raw["decision"] = {**(raw.get("decision") or {}), "outcome": "plan_change"}
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "decision.rationale: Required because decision.outcome (plan_change)" in result.output


def test_a_recorded_pause_is_provisional_whoever_the_concern_is_about() -> None:
    """000 "Safeguarding and Deprivation of Liberty", the protective reading: a carer's review
    paused with interim support stays paused when the concern is not about the carer; it must
    not print outcome 2 with a next review date beside "The review is paused"."""
    raw = json.loads((SAMPLES / "07-carer-safeguarding-pause.json").read_text(encoding="utf-8"))
    raw["findings"]["safeguarding"]["concern_about_subject"] = False
    review = validate_review(raw)
    result = decide(review)
    assert result["next_review_by"] is None
    assert any("The review is paused while a safeguarding enquiry" in w for w in result["warnings"])
