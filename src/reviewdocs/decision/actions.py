"""The action rules (spec section 3 action codes): each returns its one-line reason in
plain words when it applies, citing its procedure.

004 "Actions and Next Steps (Review Teams)" says "It should not be used when the contact or
review request was in regard to a carer"; its carers' version is not one of our five
procedures. Its advocacy, safeguarding and information follow-up rules are applied to
carers' reviews too: the reading that protects the person, since the Care Act duties they
come from (advocacy, safeguarding, information and advice) apply to carers as well."""

from __future__ import annotations

from reviewdocs import codes
from reviewdocs.decision.findings import (
    Review,
    advocacy_duty_unmet,
    advocate_involved,
    disagreement,
    escalation_reasons,
    findings_of,
    liberty_at_stake,
    subject_lacks_capacity,
)
from reviewdocs.decision.registry import Basis, action_rule

_SAFEGUARDING_OPTION_WORDS = {
    "continue": "the review continues alongside the safeguarding process",
    "pause": "the review is paused while the safeguarding process takes place",
    "pause_with_interim_support": "the review is paused, with interim support meanwhile",
}
"""000 "There are 3 possible options", in plain words."""

_FORMAT_WORDS = {"large_print": "large print", "easy_read": "easy read", "pdf": "accessible PDF"}


@action_rule("proportionate_reassessment")
def proportionate_reassessment(review: Review, basis: Basis) -> str | None:
    """000/001 "If there has been a change in need the outcome of the review must be to carry
    out a proportionate reassessment of need"; 004 "When the information gathered at contact
    suggests there has been a change in need or circumstance, and that a change in the
    personal budget amount is required"."""
    if not basis.reassessment:
        return None
    if findings_of(review)["needs"]["changed"]:
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
    f = findings_of(review)
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
    sg = findings_of(review)["safeguarding"]
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
    lacks_capacity, restricted = liberty_at_stake(review)
    if lacks_capacity and restricted:
        return "Lacks capacity and may be deprived of liberty: consider seeking authorisation."
    return None


@action_rule("advocacy_referral")
def advocacy_referral(review: Review, basis: Basis) -> str | None:
    """004 "The Advocacy Duty": an independent advocate when there is no appropriate person to
    support and represent them and they would have substantial difficulty being involved;
    004 "Advocacy for people who lack Capacity": lacking capacity counts too. An advocate
    already involved, named or taking part, meets the duty (004 "Once made available the
    duty is met"); an appropriate person meets it only when recorded as able to support the
    person's involvement (004 "An appropriate person for general representation purposes is
    not the same")."""
    if not advocacy_duty_unmet(review):
        return None
    if subject_lacks_capacity(review):
        return "Lacks capacity and has no appropriate person or advocate: refer for one now."
    return "Substantial difficulty and no appropriate person: refer for an advocate now."


@action_rule("financial_assessment_notice")
def financial_assessment_notice(review: Review, basis: Basis) -> str | None:
    """002 "You must inform the person ... that a financial assessment may need to take place
    following the review if": their financial circumstances changed, or "There is a change
    to the Care and Support services provided" (any plan change or reassessment)."""
    if findings_of(review)["finances"]["circumstances_changed"]:
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
    if disagreement(review):
        return "Someone disagrees with the outcome: tell the person of their right to complain."
    return None


@action_rule("record_difference_of_views")
def record_difference_of_views(review: Review, basis: Basis) -> str | None:
    """003 "Where ongoing disagreement persists you should ... Make a record of any difference
    of opinion in the formal record of the review"."""
    if disagreement(review):
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
    if subject_lacks_capacity(review):
        return "The person lacks capacity: the review must be face to face."
    if review["subject"]["substantial_difficulty"]:
        return "The person has substantial difficulty: a face to face review is likely needed."
    return None


@action_rule("information_and_advice_follow_up")
def information_and_advice_follow_up(review: Review, basis: Basis) -> str | None:
    """004 "Following up on Information and Advice": "when information and advice has been
    provided you should agree appropriate arrangements to follow up" on its effectiveness."""
    if findings_of(review)["information_and_advice"]:
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
    if findings_of(review)["budget"]["direct_payment"]:
        return "A Direct Payment is in place: consider a Direct Payment review alongside."
    return None


@action_rule("combined_carer_review")
def combined_carer_review(review: Review, basis: Basis) -> str | None:
    """002 "Whenever the person with Care and Support needs has a carer with a Carers Support
    Plan you should consider carrying out a review of the carers Support Plan at the same
    time"."""
    carer = review.get("carer")
    plan_type = review["review"]["plan_type"]
    if review["review"]["method"] == "combined":
        # The review was itself combined (002 "Combined review (with a carer or another
        # person ...)"): it cannot be "offered" after it took place.
        return None
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
    if advocate_involved(review):
        return "An advocate took part: tell them when the record is sent."
    return None
