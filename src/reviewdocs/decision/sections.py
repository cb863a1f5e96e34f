"""The where-relevant section rules (003 "The following information should be clearly
recorded where relevant", 1-10): each returns True when the record must hold the section."""

from __future__ import annotations

from reviewdocs.decision.actions import (
    deprivation_of_liberty_consideration,
    safeguarding_decision,
    urgent_interim_support,
)
from reviewdocs.decision.findings import Review, disagreement, findings_of, risk_not_managed
from reviewdocs.decision.registry import Basis, section_rule


@section_rule("changes_and_wellbeing_impact")
def changes_and_wellbeing_impact(review: Review, basis: Basis) -> bool:
    """003 where relevant 1 "Where the carer's needs or circumstance have changed; what the
    changes are and what the impact is on Wellbeing"."""
    needs = findings_of(review)["needs"]
    return bool(needs["changed"] or needs["circumstances_changed"])


@section_rule("resolution_steps")
def resolution_steps(review: Review, basis: Basis) -> bool:
    """003 where relevant 2 "Where elements of the plan are not working what steps have been
    agreed to resolve any issues". Issues raised or someone not satisfied count too."""
    plan = findings_of(review)["plan"]
    return bool(
        not plan["in_place"]
        or not plan["working"]
        or not plan["everyone_satisfied"]
        or plan["issues"]
    )


@section_rule("outcome_support_steps")
def outcome_support_steps(review: Review, basis: Basis) -> bool:
    """003 where relevant 3 "Where outcomes have not been achieved, steps that are to be taken
    to support the carer to achieve them". Partly achieved is not achieved."""
    return bool(findings_of(review)["outcomes"]["achieved"] != "yes")


@section_rule("new_outcomes_plan")
def new_outcomes_plan(review: Review, basis: Basis) -> bool:
    """003 where relevant 4 "If the carer has new outcomes, how the plan will support them to be
    achieved"."""
    return bool(findings_of(review)["outcomes"]["new_outcomes"])


@section_rule("risk_changes")
def risk_changes(review: Review, basis: Basis) -> bool:
    """003 where relevant 5 "If the plan is not reducing risk, what changes are required to the
    plan"; new risks (003 item 5 "whether there are new risks") need the same."""
    risk = findings_of(review)["risk"]
    return bool(risk_not_managed(review) or risk["new_risks"])


@section_rule("contingency_changes")
def contingency_changes(review: Review, basis: Basis) -> bool:
    """003 where relevant 6 "If the contingency plan is not working, what changes are needed to
    it"."""
    return not findings_of(review)["risk"]["contingency_working"]


@section_rule("urgent_interim_support")
def urgent_interim_support_section(review: Review, basis: Basis) -> bool:
    """003 where relevant 7 "Where the carer's needs have changed; whether urgent or interim
    support needs to be provided"; recorded too whenever urgent or interim support is
    arranged."""
    needs_changed = bool(findings_of(review)["needs"]["changed"])
    return needs_changed or urgent_interim_support(review, basis) is not None


@section_rule("safeguarding")
def safeguarding_section(review: Review, basis: Basis) -> bool:
    """003 where relevant 8 "Any safeguarding concerns that have been raised and action
    taken"."""
    return safeguarding_decision(review, basis) is not None


@section_rule("deprivation_of_liberty")
def deprivation_of_liberty_section(review: Review, basis: Basis) -> bool:
    """003 where relevant 9 "Any Deprivation of Liberty concerns raised and action taken": a
    recorded concern, or the conditions of 000 "Deprivation of Liberty"."""
    if findings_of(review)["liberty"]["concern"]:
        return True
    return deprivation_of_liberty_consideration(review, basis) is not None


@section_rule("difference_of_views")
def difference_of_views(review: Review, basis: Basis) -> bool:
    """003 where relevant 10 "Any difference in views about the outcome of the review"."""
    return disagreement(review)
