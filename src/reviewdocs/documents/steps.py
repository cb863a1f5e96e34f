"""Next steps in plain words: one sentence per action code, and the easy read steps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reviewdocs.dates import long_date
from reviewdocs.documents.wording import Voice
from reviewdocs.documents.wording import get as _get

# --- next steps: one sentence per action code ----------------------------------------


def action_sentence(code: str, voice: Voice, review: Mapping[str, Any], *, letter: bool) -> str:
    """The next step an action means, in plain words, or "" when a reader needs none.

    In letters the safeguarding step is worded without the word "safeguarding":
    000 "Where the safeguarding is in respect of the carer ... (for example if the
    cared for person is causing harm to the carer)" means a letter may be opened by
    the person causing harm, so it must not reveal the concern. The record, which
    is handled as a confidential file, says it plainly.
    """
    say = _Say(
        p=voice.poss,
        o=voice.obj,
        practitioner=_get(review, "review", "practitioner", "name") or "Your practitioner",
        joint=_get(review, "review", "joint_organisation", "name") or "the organisation",
        advocate=_get(review, "advocate", "name") or "the advocate",
        carer=_get(review, "carer", "name") or "the carer",
        fmt_words=_FORMAT_WORDS.get(_get(review, "subject", "preferred_format") or "standard"),
        letter=letter,
        safeguarding_option=_get(review, "findings", "safeguarding", "review_option") or "",
        about_subject=bool(_get(review, "findings", "safeguarding", "concern_about_subject")),
        follow_up_by=long_date(_get(review, "decision", "information_follow_up_by")) or "",
        follow_up_who=_get(review, "decision", "information_follow_up_who") or "",
    )
    # Only the sentence asked for is written (a record's next steps ask for a few).
    sentence = _SENTENCES.get(code)
    return sentence(say) if sentence is not None else ""


@dataclass(frozen=True)
class _Say:
    """What a next-step sentence may name."""

    p: str
    o: str
    practitioner: str
    joint: str
    advocate: str
    carer: str
    fmt_words: str | None
    letter: bool
    safeguarding_option: str = ""
    about_subject: bool = False
    follow_up_by: str = ""
    follow_up_who: str = ""


_FORMAT_WORDS = {"large_print": "large print", "easy_read": "easy read", "pdf": "PDF"}

_SENTENCES: dict[str, Callable[[_Say], str]] = {
    "proportionate_reassessment": lambda w: (
        f"We will reassess {w.p} needs, in proportion to what has changed. "
        f"We will use what we learned at this review, so {w.o} will not need to repeat it."
    ),
    "short_term_monitoring": lambda w: (
        f"We will keep in touch to check on {w.p} needs while the change is expected to be "
        "short term. If it lasts longer, or the plan stops meeting needs, please contact "
        "us straight away."
    ),
    "escalate_to_full_review": lambda w: (
        f"We will carry out a full review of {w.p} plan, to look in more detail at what is "
        "not working and what needs to change."
    ),
    "urgent_interim_support": lambda w: (
        f"We will arrange urgent or interim support so that {w.p} needs are met while the "
        "next steps are taken."
    ),
    "safeguarding_decision": lambda w: (
        f"{w.practitioner} will contact {w.o} to agree the next steps for the review."
        if w.letter
        else _safeguarding_record_step(w)
    ),
    "deprivation_of_liberty_consideration": lambda w: (
        "We will check whether the restrictions in the care provided need legal "
        "authorisation (a Deprivation of Liberty authorisation), and act on it."
    ),
    "advocacy_referral": lambda w: (
        f"We will refer {w.o} to an independent advocate, who can help {w.o} take part and "
        "make sure the views expressed are heard."
    ),
    "financial_assessment_notice": lambda w: (
        "A financial assessment may be needed after this review. It will decide whether "
        f"there is any change to {w.p} financial contribution."
    ),
    "carers_leave_information": lambda w: (
        "We have given information about unpaid carer's leave under the Carers Leave Act 2023."
    ),
    "right_to_complain": lambda w: (
        "If there is disagreement with the decision, there is a right to complain. "
        "The details are in this document."
    ),
    "record_difference_of_views": lambda w: (
        "The difference of views is written in the review record."
        if w.letter
        else "The difference of views is recorded in this record."
    ),
    "telephone_follow_up_letter": lambda w: (
        "We will send a letter confirming the telephone conversation and its outcome, as "
        "the formal record of it."
    ),
    "face_to_face_review_required": lambda w: "The next review will be carried out face to face.",
    "information_and_advice_follow_up": lambda w: (
        "We will follow up the information and advice given at the review, to check it helped"
        + (f", by {w.follow_up_by}" if w.follow_up_by else "")
        + (f" ({w.follow_up_who} will do this)" if w.follow_up_who else "")
        + "."
    ),
    "share_with_joint_organisation": lambda w: (
        f"We will share a copy of the review record with {w.joint}, who carried out the "
        "review with us."
    ),
    "direct_payment_review": lambda w: "We will review how the direct payment is working.",
    "combined_carer_review": lambda w: (
        f"{w.carer} has a support plan of their own: we will offer to review it at the same "
        f"time as the next review of {w.p} plan."
    ),
    # Standard print chosen, but communication needs recorded: no format to name.
    "accessible_format": lambda w: (
        f"We will send {w.p} documents in {w.fmt_words}, as asked."
        if w.fmt_words
        else f"We will keep to {w.p} communication needs in our letters and contact."
    ),
    "inform_advocate": lambda w: (
        f"We will let {w.advocate} know that the review record has been sent, so that they "
        f"can help {w.o} understand it."
    ),
}


def _safeguarding_record_step(w: _Say) -> str:
    """000 "Any decision should involve the person carrying out the review, the person who will
    be carrying out any safeguarding process and the carer": the record states the decision
    taken (the option is required when the concern is about the person), never "will be
    made" beside a decision already recorded."""
    if not w.about_subject:
        return "The safeguarding concern has been raised, and the action taken is recorded."
    return {
        "continue": "The review continues alongside the safeguarding process, as decided with "
        f"the person leading it and with {w.o}.",
        "pause": "The review is paused while the safeguarding process takes place, as decided "
        f"with the person leading it and with {w.o}. It resumes when that process allows.",
        "pause_with_interim_support": "The review is paused while the safeguarding process "
        f"takes place, with urgent interim support meanwhile, as decided with {w.o} and the "
        "person leading it. It resumes when that process allows.",
    }.get(
        w.safeguarding_option,
        "A decision will be made with the person leading the safeguarding process, and with "
        f"{w.o}, on whether the review continues or is paused.",
    )


EASY_STEPS = {
    "proportionate_reassessment": "We will look at {poss} needs again.",
    "short_term_monitoring": "We will keep in touch. Tell us if things get worse.",
    "escalate_to_full_review": "We will do a longer review of {poss} plan.",
    "urgent_interim_support": "We will get {obj} extra help quickly.",
    "safeguarding_decision": "{practitioner} will call {obj} about what happens next.",
    "deprivation_of_liberty_consideration": "We will check the care is fair and legal.",
    "advocacy_referral": "We will find an advocate to help {obj}.",
    "face_to_face_review_required": "Next time we will meet {obj} in person.",
    "information_and_advice_follow_up": "We will check the information we gave helped.",
    "direct_payment_review": "We will check how the direct payment is working.",
    "accessible_format": "We will send {poss} letters in the way {obj} asked.",
    "inform_advocate": "We will tell {poss} advocate about this letter.",
}
"""Easy read next steps (issue 6): one short idea each. Codes with no step for the
reader (``record_difference_of_views``) or with their own section (money, work,
complaints) are left out."""


def easy_step(code: str, voice: Voice, review: Mapping[str, Any]) -> str:
    text = EASY_STEPS.get(code)
    if not text:
        return ""
    practitioner = _get(review, "review", "practitioner", "name") or "Your worker"
    out = text.format(poss=voice.poss, obj=voice.obj, practitioner=practitioner)
    return out[:1].upper() + out[1:]
