"""What the findings of a review say: the predicates every other rule reads.

Pure functions of the validated review (docs/architecture.md "The validated review"), no
I/O and no clock. Procedures are cited by file number: 000 light touch (carers), 001 full
review (carers), 002 preparing a Care and Support Plan review, 003 deciding the outcome and
the record, 004 actions and next steps. Where a procedure can be read two ways, the rule
takes the reading that protects the person and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewdocs.errors import InputError

Review = dict[str, Any]


def findings_of(review: Review) -> dict[str, Any]:
    """The findings of a completed review; a planned review has none to decide on."""
    findings: dict[str, Any] | None = review.get("findings")
    if review["review"].get("stage") == "planned" or findings is None:
        raise InputError(
            {
                "findings": [
                    "a planned review has no findings to decide on: the decision is made "
                    "once the review conversation has taken place"
                ]
            }
        )
    return findings


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- needs and budget


def short_term_change(review: Review) -> bool:
    """000/001 "Short term changes in need": a change in need that is short term only AND is
    being met by the existing plan needs no reassessment, only monitoring."""
    needs = findings_of(review)["needs"]
    return bool(needs["changed"] and needs["short_term"] and needs["met_by_current_plan"])


def reassessment_reasons(review: Review) -> list[str]:
    """Why a proportionate reassessment of need is required, in plain words (empty: none).

    000 "If there has been a change in need the outcome of the review must be to carry out
    a proportionate reassessment of need" (001 "Whenever there has been a change in need"),
    except a short-term change the plan meets (000/001 "Short term changes in need").

    004 "When the information gathered at contact suggests there has been a change in need or
    circumstance, and that a change in the personal budget amount is required any review
    carried out is likely to lead to a proportionate reassessment": changed circumstances
    with a budget that is no longer sufficient also lead to reassessment. Reading "likely" as
    "does" protects the person: the budget is set from assessed needs, so a new amount
    without a reassessment could leave eligible needs unmeasured.
    """
    f = findings_of(review)
    reasons = []
    if f["needs"]["changed"] and not short_term_change(review):
        reasons.append("needs have changed, and not only for a short time")
    if f["needs"]["circumstances_changed"] and not f["budget"]["sufficient"]:
        reasons.append("circumstances have changed and the personal budget is no longer enough")
    return reasons


def needs_reassessment(review: Review) -> bool:
    """See :func:`reassessment_reasons`."""
    return bool(reassessment_reasons(review))


def budget_change_reasons(review: Review) -> list[str]:
    """003 "Broadly there are 3 possible outcomes", 3: "Changes to the Support Plan and personal
    budget required due to a change in circumstance or need". A reassessment sets the budget
    again from the reassessed needs; a budget that is no longer sufficient (003 item 7
    "Whether the personal budget is still sufficient") needs a new amount. The reasons are
    the findings that call for it, never a blanket "needs or circumstances have changed"."""
    reasons = list(reassessment_reasons(review))
    if not findings_of(review)["budget"]["sufficient"] and not reasons:
        reasons.append("the personal budget is no longer enough")
    return reasons


def budget_change_indicated(review: Review) -> bool:
    return bool(budget_change_reasons(review))


def plan_change_reasons(review: Review) -> list[str]:
    """003 outcome 2 "Changes to one or more element of the Support Plan required but not to
    the personal budget (including changes to outcomes and the contingency plan)": every
    finding that says an element of the plan must change, in plain words.

    000 "What the conversation must establish" (working and not working) lists what a plan
    that needs no change looks like; each item not met is a reason. Changed circumstances
    count (004 John's new working days change his plan, not his budget). Someone not
    satisfied with the plan and an urgent unmet need count too: indicating a change there
    means a "no change" decision needs a written rationale, which protects the person.
    A change in financial circumstances alone changes the person's contribution, not the
    plan (002 "a financial assessment may need to take place"), so it is not a reason.
    """
    f = findings_of(review)
    checks = (
        (not f["plan"]["in_place"], "support in the plan is not in place as intended"),
        (not f["plan"]["working"], "support in the plan is not working as intended"),
        (not f["plan"]["everyone_satisfied"], "not everyone involved is satisfied with the plan"),
        (f["outcomes"]["achieved"] != "yes", "outcomes in the plan are not fully achieved"),
        (bool(f["outcomes"]["new_outcomes"]), "there are new outcomes to meet"),
        (not f["outcomes"]["still_important"], "outcomes in the plan are no longer important"),
        (risk_not_managed(review), "the plan is not managing risk"),
        (bool(f["risk"]["new_risks"]), "there are new risks"),
        (not f["risk"]["contingency_working"], "the contingency plan is not working"),
        (f["informal_support"]["changed"], "informal support has changed"),
        (not f["informal_support"]["sustainable"], "informal support cannot be sustained"),
        (not f["budget"]["management_working"], "the way the budget is managed is not working"),
        (f["needs"]["circumstances_changed"], "circumstances have changed"),
        (f["urgent_need"], "there is an urgent need to meet"),
        (not_meeting_needs(review), "the plan is not meeting eligible needs"),
    )
    return [reason for applies, reason in checks if applies]


def risk_not_managed(review: Review) -> bool:
    """001 "The plan is reducing any identified risk to the carer or the cared for person":
    either answer "no" means the plan is not managing risk."""
    risk = findings_of(review)["risk"]
    return not risk["managed"] or risk.get("cared_for_managed") is False


def not_meeting_needs(review: Review) -> bool:
    """000 "A light touch review should only be carried out when ... The Support Plan is
    meeting eligible needs"; 001 "When needs are not adequately being met by the support in
    place" is "not working". A plan the review finds not meeting needs that have not changed
    must change (a change in need goes to reassessment instead)."""
    needs = findings_of(review)["needs"]
    return not needs["met_by_current_plan"] and not needs["changed"]


def indicated_outcome(review: Review) -> str:
    """The outcome code the findings indicate (003 "Broadly there are 3 possible outcomes").

    The practitioner's ``decision.outcome`` may differ only with a rationale (schemas).
    """
    if budget_change_indicated(review):
        return "plan_and_budget_change"
    if plan_change_reasons(review):
        return "plan_change"
    return "no_change"


# --------------------------------------------------------------------------- people


def subject_lacks_capacity(review: Review) -> bool:
    return review["subject"]["has_capacity"] is False


def liberty_at_stake(review: Review) -> tuple[bool, bool]:
    """(someone lacks capacity, their liberty may be restricted), for 000 "Deprivation of
    Liberty". In a carer's review that is the cared-for person (001 "The person being cared
    for lacks capacity") with their recorded restrictions; in a Care and Support Plan review,
    the subject. A liberty concern counts as a possible restriction, and in a carer's review
    it may be about the carer too: the protective reading takes either person lacking
    capacity."""
    concern = bool(findings_of(review)["liberty"]["concern"])
    cared_for = review.get("cared_for")
    if review["review"]["plan_type"] == "carer_support_plan" and cared_for:
        restricted = bool(cared_for["restrictions_may_deprive_liberty"])
        if cared_for["lacks_capacity"] and (restricted or concern):
            return True, True
        return bool(cared_for["lacks_capacity"] or subject_lacks_capacity(review)), concern
    return subject_lacks_capacity(review), concern


def advocate_involved(review: Review) -> bool:
    return bool(review.get("advocate")) or any(
        p["role"] == "advocate" for p in review.get("participants") or []
    )


def advocacy_declined(review: Review) -> bool:
    """004 "What to do if the person does not want to use advocacy": an advocate was made
    available and the person decided not to use advocacy. Validation refuses it for a person
    recorded as lacking capacity, and with an advocate named or taking part."""
    return review["subject"].get("advocacy_declined") is True


def appropriate_person_for_advocacy(review: Review) -> bool:
    """004 "An appropriate person for general representation purposes is not the same as an
    appropriate person for independent advocacy under the Care Act": a named appropriate
    person meets the advocacy duty only when recorded as able to support and represent the
    person's involvement (``subject.appropriate_person.supports_involvement: true``).
    Unanswered is read as not able: the protective reading, so the duty is not switched off
    by a name alone."""
    person = review["subject"].get("appropriate_person")
    return bool(person and person.get("supports_involvement") is True)


def advocacy_duty_unmet(review: Review) -> bool:
    """004 "The Advocacy Duty": the person would have substantial difficulty being involved
    (or lacks capacity, 004 "Advocacy for people who lack Capacity"), there is no appropriate
    person for advocacy purposes, and no advocate is involved yet (004 "Once made available
    the duty is met").

    004 "If a person decides that they do not wish to engage in the advocacy support that has
    been made available to them they do not have to do so, but the Local Authority must still
    provide it": an advocate made available and declined (``subject.advocacy_declined``)
    meets the duty, so no referral is asked for again and the review is not held back; the
    documents say the council still provides it (:func:`advocacy_declined`)."""
    subject = review["subject"]
    if appropriate_person_for_advocacy(review) or advocate_involved(review):
        return False
    if advocacy_declined(review):
        return False
    return subject_lacks_capacity(review) or bool(subject["substantial_difficulty"])


def disagreement(review: Review) -> bool:
    views = findings_of(review)["views"]
    return views["subject_agrees_with_outcome"] is False or views["others_agree"] is False


def _outcomes_changed(review: Review) -> bool:
    outcomes = findings_of(review)["outcomes"]
    return bool(outcomes["new_outcomes"]) or not outcomes["still_important"]


# --------------------------------------------------------------------------- the decision recorded


def decision_problems(review: Review) -> dict[str, list[str]]:
    """What the practitioner's recorded decision lacks, by input path.

    003 "The decision you reach may be in line with the views of the carer ... but equally
    it may not be ... This is appropriate as long as you have a clear rationale for your
    decision": a decision other than the one the findings indicate stands only with a
    rationale, and so does any outcome someone involved disagrees with (003 "Where ongoing
    disagreement persists you should ... Ensure the evidence upon which you have based your
    decision is robust"). Checked here, not with the input's own rules, because only the
    decision stage knows which outcome the findings indicate.
    """
    if review["review"].get("stage") == "planned" or not review["findings"]:
        return {}
    decision = review.get("decision") or {}
    chosen = decision.get("outcome")
    rationale = decision.get("rationale")
    if not _blank(rationale):
        return {}
    indicated = indicated_outcome(review)
    if chosen is not None and chosen != indicated:
        return {
            "decision.rationale": [
                f"Required because decision.outcome ({chosen}) differs from the outcome "
                f"the findings indicate ({indicated})."
            ]
        }
    if disagreement(review):
        return {
            "decision.rationale": [
                "Required because the person or someone else involved disagrees with the "
                'outcome: write down the clear rationale for it (003 "as long as you have a '
                'clear rationale for your decision").'
            ]
        }
    return {}


# --------------------------------------------------------------------------- light touch


def significant_changes_likely(review: Review) -> bool:
    """000 "There are likely to need significant changes to the Support Plan": more than the
    "small changes only to how the support ... needs to be provided" a light touch review may
    make. Read as: the budget must change, there is an urgent need, or more than one finding
    says the plan must change (one small adjustment stays light touch)."""
    f = findings_of(review)
    return (
        budget_change_indicated(review)
        or bool(f["urgent_need"])
        or len(plan_change_reasons(review)) > 1
    )


def escalation_reasons(review: Review) -> list[str]:
    """000 "You should refer to the full review procedures if the response identifies that":
    why a light touch review must become a full review (empty for a full review).

    The procedure's lists read "1; or 2; and 3". For keeping safe and meeting outcomes the
    first item alone escalates (the protective reading); a changed outcome or a failing
    contingency escalates with significant changes likely. A change in need (000 "A light
    touch review should only be carried out when the carer is thought or known to have no
    changes in their needs") and a budget that must change (000 "There are no changes
    required to the personal budget") also escalate; a short-term change the plan meets does
    not (000 "Short term changes in need" allows "another light touch review"). Changed
    circumstances alone do not escalate, although 000 lists "no known changes in need or
    circumstances" among the conditions for light touch: 004 "When there is no allocated
    worker" gives John's new working days (a change of circumstance, no change in need or
    budget) as a light touch review, so the change is weighed through the plan-change rules.

    000 "A light touch review should only be carried out when it is known or thought that
    ... The method of managing the personal budget is working" and "Risks to the carer are
    unchanged and well managed": a budget management that fails and any new risk escalate on
    their own, as does informal support that cannot be sustained (000 "There is no risk to
    the Support Plan's stability or sustainability"). A safeguarding concern about the
    person and an urgent need escalate too: light touch is only for a plan known to be
    "meeting eligible needs" (the protective reading of a list that does not name them).
    """
    if review["review"]["review_type"] != "light_touch":
        return []
    f = findings_of(review)
    significant = significant_changes_likely(review)
    checks = (
        (not f["plan"]["in_place"], "support in the plan is not in place as intended"),
        (not f["plan"]["working"], "support in the plan is not working as intended"),
        (f["outcomes"]["achieved"] == "no", "the plan is not supporting outcomes as intended"),
        (_outcomes_changed(review) and significant, "outcomes have changed significantly"),
        (risk_not_managed(review), "the plan is not keeping the person safe as intended"),
        (bool(f["risk"]["new_risks"]), "there are new risks"),
        (
            not f["risk"]["contingency_working"] and significant,
            "the contingency plan needs significant changes",
        ),
        (not f["informal_support"]["sustainable"], "informal support cannot be sustained"),
        (
            not f["budget"]["management_working"],
            "the way the personal budget is managed is not working",
        ),
        (
            f["safeguarding"]["concern_about_subject"],
            "there is a safeguarding concern about the person",
        ),
        (f["urgent_need"], "there is an urgent need the plan does not meet"),
        (not_meeting_needs(review), "the plan is not meeting eligible needs"),
        (needs_reassessment(review), "a reassessment of need is required"),
        (not f["budget"]["sufficient"], "the personal budget is no longer sufficient"),
    )
    return [reason for applies, reason in checks if applies]


# --------------------------------------------------------------------------- the record's items


RECORD_ITEMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "needs_and_circumstances",
        ("needs", "evidence"),
        '003 item 2 "(and the evidence used to determine this)"',
    ),
    (
        "views_on_changes",
        ("views", "subject"),
        '003 item 3 "The carer\'s views about any changes to their needs or circumstance"',
    ),
    (
        "outcomes",
        ("outcomes", "work_education_training_recreation"),
        '003 item 4 "with specific consideration for outcomes regarding work, education, '
        'training and recreation"',
    ),
)
"""Texts an always-recorded item of 003 cannot do without: (section, findings path, quote)."""

STEP_SECTIONS: dict[str, str] = {
    "resolution_steps": '003 where relevant 2 "what steps have been agreed to resolve any issues"',
    "outcome_support_steps": '003 where relevant 3 "steps that are to be taken to support the '
    'carer to achieve them"',
    "new_outcomes_plan": '003 where relevant 4 "how the plan will support them to be achieved"',
    "risk_changes": '003 where relevant 5 "what changes are required to the plan to reduce risk"',
    "contingency_changes": '003 where relevant 6 "what changes are needed to it"',
}
"""Where-relevant sections whose content is what was agreed, typed by the practitioner in
``narrative.<code>``: the findings alone can name the problem, never the steps."""


RECORDED_ALWAYS: dict[str, str] = {
    "changes_and_wellbeing_impact": '003 where relevant 1 "what the changes are and what the '
    'impact is on Wellbeing"',
    "difference_of_views": '003 "Make proportionate records of any conversations you have had '
    'to try and resolve the differences"',
}
"""Where-relevant sections whose narrative the record needs even while the outcome is
provisional: what changed, and the conversations about a difference of views."""


def missing_record_items(
    review: Review, required: Sequence[str], *, provisional: bool = False
) -> list[tuple[str, str, str]]:
    """(input path, section code, quote) of each item the record must hold but the input
    leaves empty: the record says "Not recorded" there, and the decision warns.

    While the outcome is provisional, the steps to agree and the effect of the outcome on
    wellbeing are still to be decided, which the record says instead: they are not missing."""
    f = findings_of(review)
    out = []
    for section, path, quote in RECORD_ITEMS:
        value: Any = f
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if section in required and _blank(value):
            out.append(("findings." + ".".join(path), section, quote))
    if (
        review.get("cared_for")
        and f["needs"]["changed"]
        and "changes_and_wellbeing_impact" in required
        and _blank(f["needs"].get("cared_for_wellbeing"))
    ):
        out.append(
            (
                "findings.needs.cared_for_wellbeing",
                "changes_and_wellbeing_impact",
                '000 "What the impact of the changes are on the cared for person\'s Wellbeing"',
            )
        )
    if (
        review.get("cared_for")
        and f["needs"]["changed"]
        and "changes_and_wellbeing_impact" in required
        and _blank(f["needs"].get("impact_on_support_and_risk"))
    ):
        out.append(
            (
                "findings.needs.impact_on_support_and_risk",
                "changes_and_wellbeing_impact",
                '000 "What the impact of the changes are on support; and ... The impact of the '
                'changes on risk (to the carer, the cared for person and the plan)"',
            )
        )
    narrative = review.get("narrative") or {}
    decision = review.get("decision") or {}
    if provisional:
        return out
    for section, quote in RECORDED_ALWAYS.items():
        if section in required and _blank(narrative.get(section)):
            out.append((f"narrative.{section}", section, quote))
    for section, quote in STEP_SECTIONS.items():
        if needs_reassessment(review):
            break  # what changes is agreed through the reassessment (000)
        if section in required and _blank(narrative.get(section)):
            out.append((f"narrative.{section}", section, quote))
    own = narrative.get("changes_and_wellbeing_impact")
    if _blank(decision.get("wellbeing_impact")) and (
        "changes_and_wellbeing_impact" not in required or _blank(own)
    ):
        out.append(
            (
                "decision.wellbeing_impact",
                "outcome_and_next_steps",
                "003 \"you must give regard to ... The impact of the outcome on the carer's "
                'Wellbeing"',
            )
        )
    return out
