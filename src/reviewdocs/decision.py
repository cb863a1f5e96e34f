"""The review decision: pure rules from the procedures, no I/O, no clock.

Input is the validated review (docs/architecture.md "The validated review").
"""

from __future__ import annotations

from typing import Any

Review = dict[str, Any]


def needs_reassessment(review: Review) -> bool:
    """000/001 "If there has been a change in need the outcome of the review must be to carry
    out a proportionate reassessment", unless 000/001 "Short term changes in need": the change
    is short term AND the existing plan meets it."""
    needs = review["findings"]["needs"]
    if not needs["changed"]:
        return False
    return not (needs["short_term"] and needs["met_by_current_plan"])


def budget_change_indicated(review: Review) -> bool:
    """003 "Broadly there are 3 possible outcomes", 3: plan and budget change "due to a change
    in circumstance or need" (a change in need goes to reassessment, which sets a new budget),
    and 003 item 7 "Whether the personal budget is still sufficient"."""
    findings = review["findings"]
    return needs_reassessment(review) or not findings["budget"]["sufficient"]


def plan_change_indicated(review: Review) -> bool:
    """003 outcome 2 "Changes to one or more element of the Support Plan required but not to
    the personal budget (including changes to outcomes and the contingency plan)"."""
    f = review["findings"]
    return any(
        (
            not f["plan"]["in_place"],
            not f["plan"]["working"],
            f["outcomes"]["achieved"] != "yes",
            bool(f["outcomes"]["new_outcomes"]),
            not f["outcomes"]["still_important"],
            not f["risk"]["managed"],
            bool(f["risk"]["new_risks"]),
            not f["risk"]["contingency_working"],
            f["informal_support"]["changed"],
            not f["informal_support"]["sustainable"],
            not f["budget"]["management_working"],
            f["needs"]["circumstances_changed"],
        )
    )


def indicated_outcome(review: Review) -> str:
    """The outcome code the findings indicate (003 "Broadly there are 3 possible outcomes").

    The practitioner's ``decision.outcome`` may differ only with a rationale (schemas).
    """
    if budget_change_indicated(review):
        return "plan_and_budget_change"
    if plan_change_indicated(review):
        return "plan_change"
    return "no_change"
