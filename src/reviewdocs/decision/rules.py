"""The review decision (spec section 3): pure rules from the procedures, no I/O, no clock.

Input is the validated review (docs/architecture.md "The validated review"). Procedures are
cited by file number: 000 light touch (carers), 001 full review (carers), 002 preparing a
Care and Support Plan review, 003 deciding the outcome and the record, 004 actions and next
steps. Every action and every where-relevant section is one small rule registered below;
``docs/decisions.md`` states each rule in plain words.

Where a procedure can be read two ways, the rule takes the reading that protects the person
and says so in a comment.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reviewdocs import codes
from reviewdocs.dates import long_date
from reviewdocs.errors import InputError

Review = dict[str, Any]

PLAN_CHANGE_REVIEW_DAYS = 56
"""002 "within 6-8 weeks of the service/change commencing": the latest, 8 weeks."""
SHORT_TERM_DEFAULT_DAYS = 42
"""A short-term change with no monitoring date agreed: 6 weeks, inside the 6-8 weeks (002)."""


_SAFEGUARDING_OPTION_WORDS = {
    "continue": "the review continues alongside the safeguarding process",
    "pause": "the review is paused while the safeguarding process takes place",
    "pause_with_interim_support": "the review is paused, with interim support meanwhile",
}
"""000 "There are 3 possible options", in plain words."""

_FORMAT_WORDS = {"large_print": "large print", "easy_read": "easy read", "pdf": "accessible PDF"}

_OUTCOME_WORDS = {
    "no_change": "no change to the plan or budget",
    "plan_change": "a change to the plan but not the budget",
    "plan_and_budget_change": "a change to the plan and the personal budget",
}


# --------------------------------------------------------------------------- findings


def _findings(review: Review) -> dict[str, Any]:
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


def short_term_change(review: Review) -> bool:
    """000/001 "Short term changes in need": a change in need that is short term only AND is
    being met by the existing plan needs no reassessment, only monitoring."""
    needs = _findings(review)["needs"]
    return bool(needs["changed"] and needs["short_term"] and needs["met_by_current_plan"])


def needs_reassessment(review: Review) -> bool:
    """000 "If there has been a change in need the outcome of the review must be to carry out
    a proportionate reassessment of need" (001 "Whenever there has been a change in need"),
    except a short-term change the plan meets (000/001 "Short term changes in need").

    004 "When the information gathered at contact suggests there has been a change in need or
    circumstance, and that a change in the personal budget amount is required any review
    carried out is likely to lead to a proportionate reassessment": changed circumstances
    with a budget that is no longer sufficient also lead to reassessment. Reading "likely" as
    "does" protects the person: the budget is set from assessed needs, so a new amount
    without a reassessment could leave eligible needs unmeasured.
    """
    f = _findings(review)
    if f["needs"]["changed"] and not short_term_change(review):
        return True
    return bool(f["needs"]["circumstances_changed"] and not f["budget"]["sufficient"])


def budget_change_indicated(review: Review) -> bool:
    """003 "Broadly there are 3 possible outcomes", 3: "Changes to the Support Plan and personal
    budget required due to a change in circumstance or need". A change in need goes to
    reassessment, which sets the budget again; a budget that is no longer sufficient (003 item
    7 "Whether the personal budget is still sufficient") needs a new amount."""
    return needs_reassessment(review) or not _findings(review)["budget"]["sufficient"]


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
    f = _findings(review)
    checks = (
        (not f["plan"]["in_place"], "support in the plan is not in place as intended"),
        (not f["plan"]["working"], "support in the plan is not working as intended"),
        (not f["plan"]["everyone_satisfied"], "not everyone involved is satisfied with the plan"),
        (f["outcomes"]["achieved"] != "yes", "outcomes in the plan are not fully achieved"),
        (bool(f["outcomes"]["new_outcomes"]), "there are new outcomes to meet"),
        (not f["outcomes"]["still_important"], "outcomes in the plan are no longer important"),
        (not f["risk"]["managed"], "the plan is not managing risk"),
        (bool(f["risk"]["new_risks"]), "there are new risks"),
        (not f["risk"]["contingency_working"], "the contingency plan is not working"),
        (f["informal_support"]["changed"], "informal support has changed"),
        (not f["informal_support"]["sustainable"], "informal support cannot be sustained"),
        (not f["budget"]["management_working"], "the way the budget is managed is not working"),
        (f["needs"]["circumstances_changed"], "circumstances have changed"),
        (f["urgent_need"], "there is an urgent need to meet"),
    )
    return [reason for applies, reason in checks if applies]


def indicated_outcome(review: Review) -> str:
    """The outcome code the findings indicate (003 "Broadly there are 3 possible outcomes").

    The practitioner's ``decision.outcome`` may differ only with a rationale (schemas).
    """
    if budget_change_indicated(review):
        return "plan_and_budget_change"
    if plan_change_reasons(review):
        return "plan_change"
    return "no_change"


def decision_problems(review: Review) -> dict[str, list[str]]:
    """What the practitioner's recorded decision lacks, by input path.

    003 "The decision you reach may be in line with the views of the carer ... but equally
    it may not be": a decision other than the one the findings indicate stands only with a
    clear rationale. This is checked here, not with the input's own rules, because only the
    decision stage knows which outcome the findings indicate.
    """
    chosen = review["decision"]["outcome"]
    if chosen is None or review["review"].get("stage") == "planned" or not review["findings"]:
        return {}
    indicated = indicated_outcome(review)
    rationale = review["decision"]["rationale"]
    if chosen != indicated and not (rationale and rationale.strip()):
        return {
            "decision.rationale": [
                f"Required because decision.outcome ({chosen}) differs from the outcome "
                f"the findings indicate ({indicated})."
            ]
        }
    return {}


def _subject_lacks_capacity(review: Review) -> bool:
    return review["subject"]["has_capacity"] is False


def _liberty_at_stake(review: Review) -> tuple[bool, bool]:
    """(someone lacks capacity, their liberty may be restricted), for 000 "Deprivation of
    Liberty". In a carer's review that is the cared-for person (001 "The person being cared
    for lacks capacity") with their recorded restrictions; in a Care and Support Plan review,
    the subject. A liberty concern counts as a possible restriction, and in a carer's review
    it may be about the carer too: the protective reading takes either person lacking
    capacity."""
    concern = bool(_findings(review)["liberty"]["concern"])
    cared_for = review.get("cared_for")
    if review["review"]["plan_type"] == "carer_support_plan" and cared_for:
        restricted = bool(cared_for["restrictions_may_deprive_liberty"])
        if cared_for["lacks_capacity"] and (restricted or concern):
            return True, True
        return bool(cared_for["lacks_capacity"] or _subject_lacks_capacity(review)), concern
    return _subject_lacks_capacity(review), concern


def _advocate_involved(review: Review) -> bool:
    return bool(review.get("advocate")) or any(
        p["role"] == "advocate" for p in review.get("participants") or []
    )


def _disagreement(review: Review) -> bool:
    views = _findings(review)["views"]
    return views["subject_agrees_with_outcome"] is False or views["others_agree"] is False


def _outcomes_changed(review: Review) -> bool:
    outcomes = _findings(review)["outcomes"]
    return bool(outcomes["new_outcomes"]) or not outcomes["still_important"]


def significant_changes_likely(review: Review) -> bool:
    """000 "There are likely to need significant changes to the Support Plan": more than the
    "small changes only to how the support ... needs to be provided" a light touch review may
    make. Read as: the budget must change, there is an urgent need, or more than one finding
    says the plan must change (one small adjustment stays light touch)."""
    f = _findings(review)
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
    not (000 "Short term changes in need" allows "another light touch review"). A safeguarding
    concern about the person and an urgent need escalate too: light touch is only for a plan
    known to be "meeting eligible needs" with risks "unchanged and well managed" (000), the
    protective reading of a list that does not name them.
    """
    if review["review"]["review_type"] != "light_touch":
        return []
    f = _findings(review)
    significant = significant_changes_likely(review)
    checks = (
        (not f["plan"]["in_place"], "support in the plan is not in place as intended"),
        (not f["plan"]["working"], "support in the plan is not working as intended"),
        (f["outcomes"]["achieved"] == "no", "the plan is not supporting outcomes as intended"),
        (_outcomes_changed(review) and significant, "outcomes have changed significantly"),
        (not f["risk"]["managed"], "the plan is not keeping the person safe as intended"),
        (
            (not f["risk"]["contingency_working"] or bool(f["risk"]["new_risks"])) and significant,
            "risk or the contingency plan needs significant changes",
        ),
        (
            f["safeguarding"]["concern_about_subject"],
            "there is a safeguarding concern about the person",
        ),
        (f["urgent_need"], "there is an urgent need the plan does not meet"),
        (needs_reassessment(review), "a reassessment of need is required"),
        (not f["budget"]["sufficient"], "the personal budget is no longer sufficient"),
    )
    return [reason for applies, reason in checks if applies]


# --------------------------------------------------------------------------- the basis


@dataclass(frozen=True)
class Basis:
    """What every rule may read besides the review: the decided outcome and its kind."""

    outcome: str
    indicated: str
    reassessment: bool
    short_term: bool
    escalate: bool


def _basis(review: Review) -> Basis:
    indicated = indicated_outcome(review)
    chosen = (review.get("decision") or {}).get("outcome")
    return Basis(
        outcome=chosen or indicated,
        indicated=indicated,
        reassessment=needs_reassessment(review),
        short_term=short_term_change(review) and not needs_reassessment(review),
        escalate=bool(escalation_reasons(review)),
    )


# --------------------------------------------------------------------------- registries

ActionRule = Callable[[Review, Basis], "str | None"]
SectionRule = Callable[[Review, Basis], bool]

ACTION_RULES: dict[str, ActionRule] = {}
"""Action code -> rule. A rule returns the one-line reason in plain words when it applies."""
SECTION_RULES: dict[str, SectionRule] = {}
"""Where-relevant section code -> rule: True when the record must contain the section."""


def action_rule(code: str) -> Callable[[ActionRule], ActionRule]:
    """Register the rule of one action code (one rule per code)."""
    if code not in codes.ACTIONS:
        raise ValueError(f"{code!r} is not an action code")

    def register(rule: ActionRule) -> ActionRule:
        if code in ACTION_RULES:
            raise ValueError(f"action {code!r} already has a rule")
        ACTION_RULES[code] = rule
        return rule

    return register


def section_rule(code: str) -> Callable[[SectionRule], SectionRule]:
    """Register the rule of one where-relevant section code (one rule per code)."""
    if code not in codes.WHERE_RELEVANT_SECTIONS:
        raise ValueError(f"{code!r} is not a where-relevant section code")

    def register(rule: SectionRule) -> SectionRule:
        if code in SECTION_RULES:
            raise ValueError(f"section {code!r} already has a rule")
        SECTION_RULES[code] = rule
        return rule

    return register


# --------------------------------------------------------------------------- action rules


@action_rule("proportionate_reassessment")
def proportionate_reassessment(review: Review, basis: Basis) -> str | None:
    """000/001 "If there has been a change in need the outcome of the review must be to carry
    out a proportionate reassessment of need"; 004 "When the information gathered at contact
    suggests there has been a change in need or circumstance, and that a change in the
    personal budget amount is required"."""
    if not basis.reassessment:
        return None
    if _findings(review)["needs"]["changed"]:
        return "Needs have changed and not only for a short time: a reassessment of need follows."
    return "Circumstances have changed and the budget is no longer enough: reassess needs."


@action_rule("short_term_monitoring")
def short_term_monitoring(review: Review, basis: Basis) -> str | None:
    """000/001 "Short term changes in need": no reassessment while the existing plan meets a
    short-term change, but "agree appropriate arrangements to monitor" and make sure the
    person knows what to do if it becomes long term."""
    if not basis.short_term:
        return None
    return "A short-term change the plan meets: monitor it and say what to do if it lasts."


@action_rule("escalate_to_full_review")
def escalate_to_full_review(review: Review, basis: Basis) -> str | None:
    """000 "You should refer to the full review procedures if the response identifies that"
    (see ``escalation_reasons``)."""
    reasons = escalation_reasons(review)
    if not reasons:
        return None
    return "This light touch review must become a full review: " + "; ".join(reasons) + "."


@action_rule("urgent_interim_support")
def urgent_interim_support(review: Review, basis: Basis) -> str | None:
    """000/001 "Urgent and interim support" (needs met while the plan is resolved, revised or
    reassessed) and 000 safeguarding option 3 "The review is paused but urgent interim
    support is arranged"."""
    f = _findings(review)
    if f["urgent_need"]:
        return "There is an urgent need: arrange urgent or interim support now."
    if f["safeguarding"]["review_option"] == "pause_with_interim_support":
        return "The review is paused for safeguarding: arrange interim support meanwhile."
    return None


@action_rule("safeguarding_decision")
def safeguarding_decision(review: Review, basis: Basis) -> str | None:
    """000/001 "Safeguarding": respond to any concern that an adult or child is at risk of
    abuse or neglect (004 "Safeguarding Concern": "by raising a concern"); where it is about the
    person reviewed, decide whether to continue or pause the review (the 3 options).

    A concern about the subject with ``concern`` left false still counts: the protective
    reading of an inconsistent answer."""
    sg = _findings(review)["safeguarding"]
    if sg["concern_about_subject"]:
        option = _SAFEGUARDING_OPTION_WORDS.get(sg["review_option"], "decide whether to pause")
        return f"A safeguarding concern about the person reviewed: {option}."
    if sg["concern"]:
        return "A safeguarding concern was raised: respond by raising it with safeguarding."
    return None


@action_rule("deprivation_of_liberty_consideration")
def deprivation_of_liberty_consideration(review: Review, basis: Basis) -> str | None:
    """000 "Deprivation of Liberty" (001 the same for the person cared for): "consider any
    appropriate action required to authorise deprivations of liberty whenever" the person
    lacks capacity AND restrictions are, or after reassessment are likely to be, depriving
    them of their liberty (see ``_liberty_at_stake`` for whose)."""
    lacks_capacity, restricted = _liberty_at_stake(review)
    if lacks_capacity and restricted:
        return "Lacks capacity and may be deprived of liberty: consider seeking authorisation."
    return None


@action_rule("advocacy_referral")
def advocacy_referral(review: Review, basis: Basis) -> str | None:
    """004 "The Advocacy Duty": an independent advocate when there is no appropriate person to
    support and represent them and they would have substantial difficulty being involved;
    004 "Advocacy for people who lack Capacity": lacking capacity counts too. An advocate
    already involved, named or taking part, meets the duty (004 "Once made available the
    duty is met")."""
    subject = review["subject"]
    if subject["appropriate_person"] or _advocate_involved(review):
        return None
    if _subject_lacks_capacity(review):
        return "Lacks capacity and has no appropriate person or advocate: refer for one now."
    if subject["substantial_difficulty"]:
        return "Substantial difficulty and no appropriate person: refer for an advocate now."
    return None


@action_rule("financial_assessment_notice")
def financial_assessment_notice(review: Review, basis: Basis) -> str | None:
    """002 "You must inform the person ... that a financial assessment may need to take place
    following the review if": their financial circumstances changed, or "There is a change
    to the Care and Support services provided" (any plan change or reassessment)."""
    if _findings(review)["finances"]["circumstances_changed"]:
        return "Financial circumstances have changed: say a financial assessment may follow."
    if basis.reassessment:
        return "A reassessment may change services: say a financial assessment may follow."
    if basis.outcome != "no_change":
        return "The plan changes: say a financial assessment may follow and may change charges."
    return None


@action_rule("carers_leave_information")
def carers_leave_information(review: Review, basis: Basis) -> str | None:
    """000 "If the carer works, always check that they are aware of their right to unpaid
    leave under the Carers Leave Act 2023"."""
    if review["review"]["plan_type"] == "carer_support_plan" and review["subject"]["in_work"]:
        return "The carer works: check they know their right to unpaid carer's leave."
    return None


@action_rule("right_to_complain")
def right_to_complain(review: Review, basis: Basis) -> str | None:
    """003 "There may be times when the carer or another person involved disagrees": "You must
    also make the carer aware of their right to complain about the decision". Disagreement by
    anyone involved counts, not only the person's own (protective reading)."""
    if _disagreement(review):
        return "Someone disagrees with the outcome: tell the person of their right to complain."
    return None


@action_rule("record_difference_of_views")
def record_difference_of_views(review: Review, basis: Basis) -> str | None:
    """003 "Where ongoing disagreement persists you should ... Make a record of any difference
    of opinion in the formal record of the review"."""
    if _disagreement(review):
        return "Views differ on the outcome: record the difference in the formal record."
    return None


@action_rule("telephone_follow_up_letter")
def telephone_follow_up_letter(review: Review, basis: Basis) -> str | None:
    """002 "In all cases where communication has been provided by telephone a follow up letter
    confirming the conversation and outcome should be sent to the person as a formal
    record"."""
    if review["review"]["method"] == "telephone":
        return "The review was by telephone: send a letter confirming it and its outcome."
    return None


@action_rule("face_to_face_review_required")
def face_to_face_review_required(review: Review, basis: Basis) -> str | None:
    """002 "Whenever the person with Care and Support needs is known to lack capacity a face to
    face review must be arranged"; 002 substantial difficulty: the review "is likely to be
    face to face". Flagged for the methods that cannot meet the person (telephone, online,
    supported self review); combined, joint and delegated reviews can be held in person.
    For substantial difficulty the exception ("unless the person's difficulty arises when
    engaging in face to face communication") is left to the practitioner to confirm."""
    if review["review"]["method"] not in codes.REMOTE_METHODS:
        return None
    if _subject_lacks_capacity(review):
        return "The person lacks capacity: the review must be face to face."
    if review["subject"]["substantial_difficulty"]:
        return "The person has substantial difficulty: a face to face review is likely needed."
    return None


@action_rule("information_and_advice_follow_up")
def information_and_advice_follow_up(review: Review, basis: Basis) -> str | None:
    """004 "Following up on Information and Advice": "when information and advice has been
    provided you should agree appropriate arrangements to follow up" on its effectiveness."""
    if _findings(review)["information_and_advice"]:
        return "Information and advice was given: agree when to check it helped."
    return None


@action_rule("share_with_joint_organisation")
def share_with_joint_organisation(review: Review, basis: Basis) -> str | None:
    """003 "Where the review was carried out jointly with another organisation ... a copy of
    the review must be made available to the other person that carried it out with you"."""
    joint = review["review"].get("joint_organisation")
    if review["review"]["method"] == "joint" or joint:
        name = joint["name"] if joint else "the joint organisation"
        return f"A joint review: a copy of the record must go to {name}."
    return None


@action_rule("direct_payment_review")
def direct_payment_review(review: Review, basis: Basis) -> str | None:
    """002 "Whenever a person is receiving a Direct Payment you should consider carrying out a
    Direct Payment review"."""
    if _findings(review)["budget"]["direct_payment"]:
        return "A Direct Payment is in place: consider a Direct Payment review alongside."
    return None


@action_rule("combined_carer_review")
def combined_carer_review(review: Review, basis: Basis) -> str | None:
    """002 "Whenever the person with Care and Support needs has a carer with a Carers Support
    Plan you should consider carrying out a review of the carers Support Plan at the same
    time"."""
    carer = review.get("carer")
    plan_type = review["review"]["plan_type"]
    if plan_type == "care_and_support_plan" and carer and carer["has_support_plan"]:
        return f"{carer['name']} has a Carer's Support Plan: review it at the same time."
    return None


@action_rule("accessible_format")
def accessible_format(review: Review, basis: Basis) -> str | None:
    """003 "It is important that the carer understands their review ... it should be provided
    in a format that is accessible to them"; 002 "The method of communication should reflect
    ... any specific communication needs they may have"."""
    subject = review["subject"]
    if subject["preferred_format"] in _FORMAT_WORDS:
        fmt = _FORMAT_WORDS[subject["preferred_format"]]
        return f"Send the record and letters in {fmt}, as the person prefers."
    if (subject.get("communication_needs") or "").strip():
        return "The person has communication needs: make the record and letters accessible."
    return None


@action_rule("inform_advocate")
def inform_advocate(review: Review, basis: Basis) -> str | None:
    """003 "If an advocate is already involved they should be informed when the review has
    been provided to the carer so that they can support them to understand it". An advocate
    taking part in the review counts as involved."""
    if review.get("advocate"):
        return f"Tell {review['advocate']['name']} (advocate) when the record is sent."
    if _advocate_involved(review):
        return "An advocate took part: tell them when the record is sent."
    return None


# --------------------------------------------------------------------------- section rules


@section_rule("changes_and_wellbeing_impact")
def changes_and_wellbeing_impact(review: Review, basis: Basis) -> bool:
    """003 where relevant 1 "Where the carer's needs or circumstance have changed; what the
    changes are and what the impact is on Wellbeing"."""
    needs = _findings(review)["needs"]
    return bool(needs["changed"] or needs["circumstances_changed"])


@section_rule("resolution_steps")
def resolution_steps(review: Review, basis: Basis) -> bool:
    """003 where relevant 2 "Where elements of the plan are not working what steps have been
    agreed to resolve any issues". Issues raised or someone not satisfied count too."""
    plan = _findings(review)["plan"]
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
    return bool(_findings(review)["outcomes"]["achieved"] != "yes")


@section_rule("new_outcomes_plan")
def new_outcomes_plan(review: Review, basis: Basis) -> bool:
    """003 where relevant 4 "If the carer has new outcomes, how the plan will support them to be
    achieved"."""
    return bool(_findings(review)["outcomes"]["new_outcomes"])


@section_rule("risk_changes")
def risk_changes(review: Review, basis: Basis) -> bool:
    """003 where relevant 5 "If the plan is not reducing risk, what changes are required to the
    plan"; new risks (003 item 5 "whether there are new risks") need the same."""
    risk = _findings(review)["risk"]
    return bool(not risk["managed"] or risk["new_risks"])


@section_rule("contingency_changes")
def contingency_changes(review: Review, basis: Basis) -> bool:
    """003 where relevant 6 "If the contingency plan is not working, what changes are needed to
    it"."""
    return not _findings(review)["risk"]["contingency_working"]


@section_rule("urgent_interim_support")
def urgent_interim_support_section(review: Review, basis: Basis) -> bool:
    """003 where relevant 7 "Where the carer's needs have changed; whether urgent or interim
    support needs to be provided"; recorded too whenever urgent or interim support is
    arranged."""
    needs_changed = bool(_findings(review)["needs"]["changed"])
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
    if _findings(review)["liberty"]["concern"]:
        return True
    return deprivation_of_liberty_consideration(review, basis) is not None


@section_rule("difference_of_views")
def difference_of_views(review: Review, basis: Basis) -> bool:
    """003 where relevant 10 "Any difference in views about the outcome of the review"."""
    return _disagreement(review)


# --------------------------------------------------------------------------- next review


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day the target month lacks (29 Feb, 31st) becomes that
    month's last day, which keeps the date within the limit rather than past it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fmt(day: dt.date) -> str:
    return long_date(day)


def next_review(review: Review, basis: Basis) -> tuple[dt.date | None, list[str]]:
    """002 "the statutory guidance does expect the Local Authority to endeavour to carry out a
    Care and Support Plan review as follows": within 6-8 weeks of a new plan or a change
    (at most 56 days from the review), within 12 months for a stable plan, as required to
    monitor a short-term change (000/001 "Short term changes in need"), and none while a
    reassessment is pending (the reassessed plan starts its own 6-8 week review).

    Returns the date and the warnings about it. The earliest date the practitioner agreed
    (``next_review_by`` or ``monitoring_review_by``) stands, so a contact promised to the
    person is never dropped; one later than the procedure's limit is kept but warned about.
    """
    decision = review.get("decision") or {}
    chosen: dt.date | None = decision.get("next_review_by")
    monitoring: dt.date | None = decision.get("monitoring_review_by")
    held = review["review"]["date"]
    if basis.reassessment:
        note = (
            "No next review date: a reassessment of need is pending, and the plan that follows "
            "it is reviewed within 6-8 weeks of starting."
        )
        if chosen or monitoring:
            note += " The date the practitioner gave is not used."
        return None, [note]
    warnings: list[str] = []
    if basis.short_term:
        limit = held + dt.timedelta(days=PLAN_CHANGE_REVIEW_DAYS)
        why = "8 weeks to monitor a short-term change"
        if monitoring is None and chosen is None:
            monitoring = held + dt.timedelta(days=SHORT_TERM_DEFAULT_DAYS)
            warnings.append(
                "No monitoring date was agreed for the short-term change: the review is set "
                f"6 weeks after the review, by {_fmt(monitoring)}. Agree a date with the person."
            )
    elif basis.outcome == "no_change":
        limit, why = add_months(held, 12), "12 months for a stable plan"
    else:
        limit = held + dt.timedelta(days=PLAN_CHANGE_REVIEW_DAYS)
        why = "8 weeks after a change to the plan"
    agreed = [day for day in (chosen, monitoring) if day is not None]
    result = min(agreed) if agreed else limit
    if result > limit:
        warnings.append(
            f"The next review date {_fmt(result)} is later than the procedure's limit of "
            f"{_fmt(limit)} ({why}, 002)."
        )
    return result, warnings


# --------------------------------------------------------------------------- warnings


def _warnings(review: Review, basis: Basis, decision_warnings: list[str]) -> list[str]:
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
    option = _findings(review)["safeguarding"]["review_option"]
    if option in ("pause", "pause_with_interim_support"):
        warnings.append(
            "The review is paused while a safeguarding enquiry takes place: the outcome and "
            "dates here are provisional until it resumes."
        )
    if advocacy_referral(review, basis) is not None:
        warnings.append(
            "An independent advocate must be in place before any Care and Support process goes "
            "ahead (reassessment, plan changes); only urgent interim measures may be agreed "
            'without one (004 "What to do if Independent Advocacy is not available").'
        )
    lacks_capacity, _ = _liberty_at_stake(review)
    if _findings(review)["liberty"]["concern"] and not lacks_capacity:
        warnings.append(
            "A liberty concern is recorded but the person is not recorded as lacking capacity: "
            "check capacity, since authorising a deprivation of liberty depends on it."
        )
    return warnings + decision_warnings


# --------------------------------------------------------------------------- public


def decide(review: Review) -> dict[str, Any]:
    """The decision of spec section 3 for a validated, completed review.

    Raises ``InputError`` for a planned review (it has no findings yet), and for a decision
    that departs from the findings without a rationale (``decision_problems``).
    """
    _findings(review)
    problems = decision_problems(review)
    if problems:
        raise InputError(problems)
    basis = _basis(review)
    actions = sorted(code for code, rule in ACTION_RULES.items() if rule(review, basis))
    relevant = {code for code, rule in SECTION_RULES.items() if rule(review, basis)}
    sections = [c for c in codes.SECTIONS if c in codes.ALWAYS_SECTIONS or c in relevant]
    next_by, date_warnings = next_review(review, basis)
    return {
        "review_id": review["review"]["id"],
        "outcome": basis.outcome,
        "outcome_number": codes.OUTCOME_NUMBER[basis.outcome],
        "reassessment_required": basis.reassessment,
        "escalate_to_full_review": basis.escalate,
        "required_sections": sections,
        "actions": actions,
        "next_review_by": next_by.isoformat() if next_by else None,
        "warnings": _warnings(review, basis, date_warnings),
    }


def explain(review: Review, decision: dict[str, Any]) -> list[tuple[str, str]]:
    """(action code, one-line reason in plain words) for each action of ``decision``."""
    basis = _basis(review)
    out = []
    for code in decision["actions"]:
        reason = ACTION_RULES[code](review, basis)
        out.append((code, reason or "Recorded by the decision."))
    return out
