"""The review decision (spec section 3): pure rules from the procedures, no I/O, no clock.

Input is the validated review (docs/architecture.md "The validated review"). The rules
live by concern: ``findings`` (what the findings say), ``provisional`` (outcomes that
cannot be final yet), ``actions`` and ``sections`` (one registered rule per code),
``schedule`` (the next review and timely recording). This module puts them together.
``docs/decisions.md`` states each rule in plain words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reviewdocs import codes
from reviewdocs.decision import sections as _sections  # registers the section rules
from reviewdocs.decision.actions import _FORMAT_WORDS
from reviewdocs.decision.findings import (
    Review,
    advocacy_duty_unmet,
    decision_problems,
    findings_of,
    indicated_outcome,
    liberty_at_stake,
    missing_record_items,
    risk_not_managed,
)
from reviewdocs.decision.provisional import provisional_states
from reviewdocs.decision.registry import (
    ACTION_RULES,
    SECTION_RULES,
    Basis,
    action_rule,
    basis_of,
    section_rule,
)
from reviewdocs.decision.schedule import (
    add_months,
    next_review,
    overdue_warning,
    recording_warning,
)
from reviewdocs.errors import InputError

__all__ = [
    "ACTION_RULES",
    "SECTION_RULES",
    "_FORMAT_WORDS",
    "action_rule",
    "add_months",
    "decide",
    "decision_problems",
    "document_warnings",
    "explain",
    "indicated_outcome",
    "planned_warnings",
    "section_rule",
    "warnings_for",
]

_REGISTERED = (_sections.safeguarding_section, SECTION_RULES)

_OUTCOME_WORDS = {
    "no_change": "no change to the plan or budget",
    "plan_change": "a change to the plan but not the budget",
    "plan_and_budget_change": "a change to the plan and the personal budget",
}


def _warnings(review: Review, basis: Basis, required: Sequence[str], dated: list[str]) -> list[str]:
    warnings: list[str] = []
    if basis.outcome != basis.indicated:
        warnings.append(
            f"The practitioner's outcome ({_OUTCOME_WORDS[basis.outcome]}) differs from what the "
            f"findings indicate ({_OUTCOME_WORDS[basis.indicated]}); it stands on the recorded "
            "rationale."
        )
    if basis.reassessment and basis.outcome == "no_change":
        warnings.append(
            "Needs have changed, so a reassessment is required whatever the outcome recorded."
        )
    warnings += [state.warning for state in provisional_states(review)]
    lacks_capacity, _ = liberty_at_stake(review)
    if findings_of(review)["liberty"]["concern"] and not lacks_capacity:
        warnings.append(
            "A liberty concern is recorded but the person is not recorded as lacking capacity: "
            "check capacity, since authorising a deprivation of liberty depends on it."
        )
    f = findings_of(review)
    if risk_not_managed(review) or f["risk"]["new_risks"]:
        warnings.append(
            "Risk is not well managed or there are new risks: consider whether a formal risk "
            'assessment is needed (001 "Depending on the level of risk a formal risk '
            'assessment may need to be carried out").'
        )
    warnings += involvement_warnings(review)
    if review["subject"]["has_capacity"] is not False:
        for person in review.get("participants") or []:
            if person["consented"] is False and person["role"] != "advocate":
                warnings.append(
                    f"{person['name']} is recorded as taking part without the person's consent: "
                    '002 "you are only permitted to consult with those people that the person '
                    'has consented to" (unless they lack capacity). Check before the record is '
                    "shared."
                )
    decision = review.get("decision") or {}
    if f["information_and_advice"] and not decision.get("information_follow_up_by"):
        warnings.append(
            'Not recorded: decision.information_follow_up_by (004 "when information and advice '
            'has been provided you should agree appropriate arrangements to follow up"). '
            "The next step gives no date."
        )
    for path, _section, quote in missing_record_items(
        review, required, provisional=bool(basis.provisional)
    ):
        warnings.append(f"Not recorded: {path} ({quote}). The record says it was not recorded.")
    late = recording_warning(review, review["review"].get("document_date"))
    if late:
        warnings.append(late)
    return warnings + dated


def involvement_warnings(review: Review) -> list[str]:
    """Who had to agree to, or take part in, a completed review, where it is not recorded.

    002 "Both the person and the carer agree to a combined review process and the sharing of
    information; or ... lacks capacity to agree but a best interest decision is made": a
    combined review without ``review.combined_agreement`` is warned about, and so is a best
    interests decision where nobody in the record is recorded as lacking capacity (the other
    person of a combined review may be; the practitioner checks).

    002 "The person has a carer (carer's must be involved in the person's review)": a Care
    and Support Plan review with a carer must record whether the carer took part or was
    consulted separately (``carer.involvement``). Reading: unanswered is warned about like
    ``not_involved`` (never assumed to have happened), and the record says which.
    """
    out: list[str] = []
    r = review["review"]
    agreement = r.get("combined_agreement")
    if r["method"] == "combined" and agreement is None:
        out.append(
            "Not recorded: review.combined_agreement. A combined review needs both people's "
            "agreement to it and to sharing information, or a best interests decision "
            '(002 "Both the person and the carer agree to a combined review process and the '
            'sharing of information"). The record says it was not recorded.'
        )
    elif agreement == "best_interests_decision" and not _someone_lacks_capacity(review):
        out.append(
            "A best interests decision to combine the reviews is recorded, but no one in this "
            "record is recorded as lacking capacity: check that the other person lacks capacity "
            'to agree (002 "lacks capacity to agree but a best interest decision is made").'
        )
    carer = review.get("carer")
    if r["plan_type"] == "care_and_support_plan" and carer:
        involvement = carer.get("involvement")
        if involvement is None:
            out.append(
                f"Not recorded: carer.involvement. {carer['name']} is the person's carer and "
                "must be involved in the review (002 \"carer's must be involved in the "
                "person's review\"): record whether they took part or were consulted "
                "separately. The record says it was not recorded."
            )
        elif involvement == "not_involved":
            out.append(
                f"{carer['name']} (carer) was not involved in the review: 002 \"carer's must "
                "be involved in the person's review\". Consult them before the outcome is "
                "final, or record why not in the rationale."
            )
    return out


def _someone_lacks_capacity(review: Review) -> bool:
    cared_for = review.get("cared_for") or {}
    return review["subject"]["has_capacity"] is False or cared_for.get("lacks_capacity") is True


def decide(review: Review) -> dict[str, Any]:
    """The decision of spec section 3 for a validated, completed review.

    Raises ``InputError`` for a planned review (it has no findings yet), and for a decision
    that departs from the findings, or that someone disagrees with, without a rationale
    (``decision_problems``).
    """
    findings_of(review)
    problems = decision_problems(review)
    if problems:
        raise InputError(problems)
    basis = basis_of(review)
    actions = sorted(code for code, rule in ACTION_RULES.items() if rule(review, basis))
    relevant = {code for code, rule in SECTION_RULES.items() if rule(review, basis)}
    sections = [c for c in codes.SECTIONS if c in codes.ALWAYS_SECTIONS or c in relevant]
    next_by, date_warnings = next_review(review, basis)
    overdue = overdue_warning(next_by, review["review"].get("document_date") or dt.date.today())
    if overdue:
        date_warnings.append(overdue)
    return {
        "review_id": review["review"]["id"],
        "outcome": basis.outcome,
        "outcome_number": codes.OUTCOME_NUMBER[basis.outcome],
        "reassessment_required": basis.reassessment,
        "escalate_to_full_review": basis.escalate,
        "required_sections": sections,
        "actions": actions,
        "next_review_by": next_by.isoformat() if next_by else None,
        "warnings": _warnings(review, basis, sections, date_warnings),
    }


def planned_warnings(review: Review) -> list[str]:
    """Warnings for a planned review, before any findings: 002 "As soon as this is
    established you must consider whether the duty to make independent advocacy applies and,
    if so make the necessary arrangements"."""
    out = []
    if advocacy_duty_unmet(review):
        out.append(
            "An independent advocate must be arranged before the review: the person has "
            "substantial difficulty or lacks capacity and has no appropriate person or advocate "
            '(002, 004 "The advocacy referral can be made at any time and should be made '
            'without delay as soon as the duty applies").'
        )
    r = review["review"]
    if r["method"] == "combined" and r.get("combined_agreement") is None:
        # 002 "can be carried out ... as a combined review ... so long as ... Both the person
        # and the carer agree": the agreement comes before the combined review, not after.
        out.append(
            "Not recorded: review.combined_agreement. Before a combined review, both people "
            "agree to it and to sharing information, or a best interests decision is made "
            '(002 "Both the person and the carer agree to a combined review process and the '
            'sharing of information").'
        )
    if not r.get("date") and not r.get("expected_start") and not r.get("delay"):
        # A delay letter carries its own agreed timeframe (002 "agree a timeframe").
        out.append(
            "Not recorded: review.date or review.expected_start. The information letter "
            'cannot say when the review will begin (002 "The indicative timeframe for review '
            '(when will it begin and how long is it likely to take)").'
        )
    return out


def warnings_for(
    review: Review, decision: Mapping[str, Any], recorded_on: dt.date | None = None
) -> list[str]:
    """The warnings a practitioner must see when documents are produced: the decision's own,
    and the timely-recording warning for the date the documents are dated (003 "recorded in
    a timely way"). ``render`` prints these and batch puts them in its report."""
    out = list(decision.get("warnings") or [])
    late = recording_warning(review, recorded_on)
    if late and late not in out:
        out.append(late)
    overdue = overdue_warning(decision.get("next_review_by"), recorded_on)
    if overdue and overdue not in out:
        out.append(overdue)
    return out


def document_warnings(review: Review, recorded_on: dt.date | None) -> list[str]:
    """What a practitioner must see when a review's documents are produced, dated
    ``recorded_on``: for a planned review :func:`planned_warnings`, otherwise the decision's
    warnings with the timely-recording check (:func:`warnings_for`). ``render`` prints these;
    batch can put them in its report as they are."""
    if review["review"].get("stage") == "planned":
        return planned_warnings(review)
    return warnings_for(review, decide(review), recorded_on)


def explain(review: Review, decision: dict[str, Any]) -> list[tuple[str, str]]:
    """(action code, one-line reason in plain words) for each action of ``decision``."""
    basis = basis_of(review)
    out = []
    for code in decision["actions"]:
        reason = ACTION_RULES[code](review, basis)
        out.append((code, reason or "Recorded by the decision."))
    return out
