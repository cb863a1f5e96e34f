"""Plain words for codes, findings and actions: the sentences letters and records print.

Everything a reader sees that is not typed by a practitioner is written here, once,
so the record, the letters and their easy read copies say the same thing the same
way. Sentences take a :class:`Voice`, so a letter to the subject says "your" and a
letter to their representative (or the record) says "Maria's".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Voice:
    """How a document refers to the subject: "you" in a letter to them, the name otherwise."""

    poss: str  # "your" / "Maria's"
    obj: str  # "you" / "Maria"
    direct: bool

    @property
    def Poss(self) -> str:
        return self.poss[:1].upper() + self.poss[1:]


def voice_for(subject: Mapping[str, Any], *, direct: bool) -> Voice:
    if direct:
        return Voice("your", "you", True)
    name = first_name(subject)
    return Voice(possessive(name), name, False)


def first_name(subject: Mapping[str, Any]) -> str:
    return str(subject.get("preferred_name") or subject.get("name") or "the person")


def possessive(name: str) -> str:
    return f"{name}'s"


def yes_no(value: Any) -> str | None:
    if value is None:
        return None
    return "Yes" if value else "No"


NONE = "None"
"""The answer for an empty list ("New risks: None")."""


def join_list(items: Sequence[str] | None, empty: str = NONE) -> str | None:
    if items is None:
        return None
    return "\n".join(str(i) for i in items) if items else empty


_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’"}


def is_verbatim(text: str) -> bool:
    """The practitioner wrote the person's words in quotation marks (000: "word for word").

    Only then does the record call them the person's own words: a practitioner's
    summary shown as a quotation would put words in the person's mouth.
    """
    core = text.strip()
    return len(core) > 1 and _QUOTE_PAIRS.get(core[0]) == core[-1]


def quoted(text: str) -> str:
    """The subject's words inside curly quotes, once (000: "record this word for word")."""
    core = text.strip().strip('"“”').strip()
    return f"“{core}”"


PLAN_NAMES = {
    "carer_support_plan": "support plan",
    "care_and_support_plan": "care and support plan",
}
REVIEW_TYPES = {"light_touch": "Light touch review", "full": "Full review"}
TRIGGERS = {
    "scheduled_6_8_week": "The planned review 6 to 8 weeks after the plan started",
    "scheduled_annual": "The planned yearly review",
    "requested_change": "A change was asked for",
    "change_in_circumstances": "Circumstances changed",
    "safeguarding": "A safeguarding concern",
    "other": "Another reason",
}
METHODS = {
    "face_to_face": "Face to face",
    "telephone": "By telephone",
    "online": "Online, by video call",
    "combined": "Combined with the review of another person's plan",
    "joint": "Jointly with another organisation",
    "supported_self": "A supported self review",
    "delegated": "Carried out on the council's behalf by another organisation",
}
ROLES = {
    "family": "Family member",
    "provider": "Support provider",
    "health": "Health professional",
    "advocate": "Advocate",
    "other": "Other",
}
ACHIEVED = {"yes": "Yes", "partly": "Partly", "no": "No"}
SAFEGUARDING_OPTIONS = {
    "continue": "The review continues alongside the safeguarding process.",
    "pause": "The review is paused while the safeguarding process takes place.",
    "pause_with_interim_support": (
        "The review is paused while the safeguarding process takes place, "
        "with urgent interim support arranged so that needs are met."
    ),
}

OUTCOMES = {
    "no_change": "No changes are needed to the {plan} or the personal budget.",
    "plan_change": (
        "Some parts of the {plan} need to change, but the personal budget stays the same."
    ),
    "plan_and_budget_change": (
        "The {plan} and the personal budget need to change, because needs or "
        "circumstances have changed."
    ),
}
"""003 "Broadly there are 3 possible outcomes following review", in plain words."""

EASY_OUTCOMES = {
    "no_change": "{Poss} plan stays the same.",
    "plan_change": (
        "We will change some parts of {poss} plan. The money for support stays the same."
    ),
    "plan_and_budget_change": (
        "We will change {poss} plan. We will also change the money for support."
    ),
}

SECTION_HEADINGS = {
    "plan_elements": "Whether the support in the plan is in place and working",
    "needs_and_circumstances": "Whether {poss} needs or circumstances have changed",
    "views_on_changes": "{Poss} views about any changes",
    "outcomes": "Whether the outcomes in the plan have been achieved, and any new outcomes",
    "risk": "Whether the plan is reducing risk, and any new risks",
    "contingency": "Whether the contingency plan is working",
    "budget_sufficiency": "Whether the personal budget is still enough",
    "budget_management": "Whether the way the personal budget is managed is working",
    "informal_support": "Changes to support from family, friends and others",
    "information_and_advice": "Information and advice given",
    "outcome_and_next_steps": "The outcome of the review and next steps",
    "changes_and_wellbeing_impact": "What has changed, and the effect on {poss} wellbeing",
    "resolution_steps": "Steps agreed to sort out what is not working",
    "outcome_support_steps": "Steps to support the outcomes not yet achieved",
    "new_outcomes_plan": "How the plan will support the new outcomes",
    "risk_changes": "Changes needed to the plan to reduce risk",
    "contingency_changes": "Changes needed to the contingency plan",
    "urgent_interim_support": "Whether urgent or interim support is needed",
    "safeguarding": "Safeguarding concerns and action taken",
    "deprivation_of_liberty": "Deprivation of Liberty concerns and action taken",
    "difference_of_views": "Difference of views about the outcome",
}
"""003's 11 always-recorded items and 10 where-relevant items, as plain headings."""


def section_heading(code: str, voice: Voice) -> str:
    return SECTION_HEADINGS[code].format(poss=voice.poss, Poss=voice.Poss)


# --- structured findings, one question list per section (003) -------------------------

Question = tuple[str, str | None]


def _get(data: Mapping[str, Any] | None, *path: str) -> Any:
    node: Any = data
    for part in path:
        # type() first: isinstance against the Mapping ABC costs ten times more, and a
        # loaded review is plain dicts.
        if type(node) is not dict and not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def section_questions(
    code: str,
    review: Mapping[str, Any],
    voice: Voice,
    extra: Mapping[str, str],
    *,
    withheld: bool = False,
) -> list[dict[str, str]]:
    """The questions a section answers, each with its answer in plain words.

    A question whose answer is absent (``None``: not recorded, or removed from a
    shared copy) is left out entirely, so a redacted value leaves no trace. In a copy
    with information withheld, an empty list may be one that was emptied, so it is
    left out too rather than answered "None": a copy must never claim there were no
    new risks when they were withheld.
    """
    f = review.get("findings") or {}
    pairs = _QUESTIONS[code](f, review, voice, extra)
    blank = {None, ""} | ({NONE} if withheld else set())
    return [{"question": q, "answer": a} for q, a in pairs if a is not None and a not in blank]


def _plan_elements(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        ("Is the support in the plan in place?", yes_no(_get(f, "plan", "in_place"))),
        ("Is the support working as intended?", yes_no(_get(f, "plan", "working"))),
        (
            "Is everyone involved satisfied with the plan?",
            yes_no(_get(f, "plan", "everyone_satisfied")),
        ),
        ("Issues raised:", join_list(_get(f, "plan", "issues"))),
    ]


def _needs(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    changed = _get(f, "needs", "changed")
    out: list[Question] = [(f"Have {v.poss} needs changed?", yes_no(changed))]
    if changed:
        out.append(
            ("Is the change likely to be short term?", yes_no(_get(f, "needs", "short_term")))
        )
    out += [
        (
            "Are the needs met by the current plan?",
            yes_no(_get(f, "needs", "met_by_current_plan")),
        ),
        (
            f"Have {v.poss} circumstances changed?",
            yes_no(_get(f, "needs", "circumstances_changed")),
        ),
        ("Evidence used:", _get(f, "needs", "evidence")),
    ]
    return out


def _views(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    words = _get(f, "views", "subject")
    view: Question = (
        (f"In {v.poss} own words:", quoted(words))
        if words and is_verbatim(words)
        else (f"What {v.obj} told us:", words)
    )
    return [
        view,
        (
            f"Does {v.obj} agree with the outcome?",
            yes_no(_get(f, "views", "subject_agrees_with_outcome")),
        ),
    ]


def _outcomes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    achieved = _get(f, "outcomes", "achieved")
    return [
        ("Have the outcomes in the plan been achieved?", ACHIEVED.get(achieved or "")),
        (
            f"Are these outcomes still important to {v.obj}?",
            yes_no(_get(f, "outcomes", "still_important")),
        ),
        ("New outcomes:", join_list(_get(f, "outcomes", "new_outcomes"))),
        (
            "Work, education, training and recreation:",
            _get(f, "outcomes", "work_education_training_recreation"),
        ),
    ]


def _risk(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        ("Is the plan managing risk well?", yes_no(_get(f, "risk", "managed"))),
        ("New risks:", join_list(_get(f, "risk", "new_risks"))),
    ]


def _contingency(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Is the contingency plan working?", yes_no(_get(f, "risk", "contingency_working")))]


def _budget_sufficiency(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            f"Is the personal budget still enough to meet {v.poss} needs and outcomes?",
            yes_no(_get(f, "budget", "sufficient")),
        )
    ]


def _budget_management(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Is the way the personal budget is managed working?",
            yes_no(_get(f, "budget", "management_working")),
        ),
        ("Is it paid as a direct payment?", yes_no(_get(f, "budget", "direct_payment"))),
    ]


def _informal(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Has support from family, friends or others changed?",
            yes_no(_get(f, "informal_support", "changed")),
        ),
        ("Can that support carry on?", yes_no(_get(f, "informal_support", "sustainable"))),
    ]


def _information(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Information and advice given:", join_list(f.get("information_and_advice")))]


def _outcome_and_next_steps(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Outcome:", x.get("outcome")), ("Reasons:", x.get("rationale"))]


def _changes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return _needs(f, r, v, x)[:-1]


def _resolution(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("What is not working:", join_list(_get(f, "plan", "issues"), "See below."))]


def _outcome_support(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return _outcomes(f, r, v, x)[:2]


def _new_outcomes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("New outcomes:", join_list(_get(f, "outcomes", "new_outcomes")))]


def _risk_changes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return _risk(f, r, v, x)


def _urgent(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Is urgent or interim support needed?", yes_no(f.get("urgent_need")))]


def _safeguarding(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    option = _get(f, "safeguarding", "review_option")
    return [
        ("Has a safeguarding concern been raised?", yes_no(_get(f, "safeguarding", "concern"))),
        (
            f"Is the concern about {v.obj}?",
            yes_no(_get(f, "safeguarding", "concern_about_subject")),
        ),
        ("Action taken:", _get(f, "safeguarding", "action_taken")),
        ("What happens to the review:", SAFEGUARDING_OPTIONS.get(option or "")),
    ]


def _liberty(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Has a Deprivation of Liberty concern been raised?",
            yes_no(_get(f, "liberty", "concern")),
        ),
        ("Action taken:", _get(f, "liberty", "action_taken")),
    ]


def _difference(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    out: list[Question] = [
        (
            f"Does {v.obj} agree with the outcome?",
            yes_no(_get(f, "views", "subject_agrees_with_outcome")),
        ),
        ("Do the others involved agree?", yes_no(_get(f, "views", "others_agree"))),
    ]
    for person in r.get("participants") or []:
        if person.get("view"):
            role = ROLES.get(person.get("role") or "", "")
            out.append((f"View of {person.get('name')} ({role.lower()}):", person["view"]))
    return out


_QUESTIONS: dict[str, Callable[[Any, Any, Voice, Any], list[Question]]] = {
    "plan_elements": _plan_elements,
    "needs_and_circumstances": _needs,
    "views_on_changes": _views,
    "outcomes": _outcomes,
    "risk": _risk,
    "contingency": _contingency,
    "budget_sufficiency": _budget_sufficiency,
    "budget_management": _budget_management,
    "informal_support": _informal,
    "information_and_advice": _information,
    "outcome_and_next_steps": _outcome_and_next_steps,
    "changes_and_wellbeing_impact": _changes,
    "resolution_steps": _resolution,
    "outcome_support_steps": _outcome_support,
    "new_outcomes_plan": _new_outcomes,
    "risk_changes": _risk_changes,
    "contingency_changes": _contingency,
    "urgent_interim_support": _urgent,
    "safeguarding": _safeguarding,
    "deprivation_of_liberty": _liberty,
    "difference_of_views": _difference,
}


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
        f"We will carry out a full review of {w.p} plan, to look in more detail at what has "
        "changed."
    ),
    "urgent_interim_support": lambda w: (
        f"We will arrange urgent or interim support so that {w.p} needs are met while the "
        "next steps are taken."
    ),
    "safeguarding_decision": lambda w: (
        f"{w.practitioner} will contact {w.o} to agree the next steps for the review."
        if w.letter
        else "A decision will be made with the person leading the safeguarding process, "
        f"and with {w.o}, on whether the review continues or is paused."
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
        "We will follow up the information and advice given at the review, to check it helped."
    ),
    "share_with_joint_organisation": lambda w: (
        f"We will share a copy of the review record with {w.joint}, who carried out the "
        "review with us."
    ),
    "direct_payment_review": lambda w: "We will review how the direct payment is working.",
    "combined_carer_review": lambda w: (
        f"We will offer {w.carer} a review of their own support plan at the same time."
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


# --- the questions for the information letter (002: "a list of any questions") ----------

LIGHT_TOUCH_QUESTIONS: list[tuple[str, list[str]]] = [
    (
        "Your support plan",
        [
            "Is everything in your support plan in place as intended?",
            "Is all the support you receive working well for you?",
            "Does anything need to change about your plan or the way you are supported?",
            "Does anything need to change about the way you manage the personal budget?",
        ],
    ),
    (
        "What matters to you",
        [
            "How have you been able to work towards the outcomes in your plan?",
            "Have there been any changes to the things that are important to you to achieve, "
            "change or maintain?",
            "Do you think there needs to be any changes to the plan to work towards your outcomes?",
        ],
    ),
    ("Your needs", ["Has there been any change to your needs?"]),
    (
        "Keeping safe",
        [
            "Are the things in the support plan keeping you safe?",
            "Is there a chance that your plan could stop working well?",
        ],
    ),
]
"""000's simple questions ("Simple questions should be used to confirm")."""

FULL_QUESTIONS: list[tuple[str, list[str]]] = [
    (
        "What is working and what is not",
        [
            "Is all the support in your plan in place as intended?",
            "What works well about the support you have? Who does that for you?",
            "Is anything not working as you expected? Why do you think that is?",
            "Is the way you manage your personal budget still the best way for you?",
            "Has anything changed in your circumstances?",
            "Is everybody involved in your plan satisfied with it?",
        ],
    ),
    (
        "Your strengths",
        [
            "Tell me about a time when things were going well for you.",
            "What did you learn about your strengths at that time?",
            "What is it that you value most in your life now?",
            "What small changes would make the most difference?",
        ],
    ),
    (
        "What matters to you",
        [
            "How have you been able to work towards the outcomes in your plan?",
            "Have there been any changes to the things that are important to you to achieve, "
            "change or maintain?",
            "Do you think there needs to be any changes to the plan to support you to work "
            "towards your outcomes?",
            "Are you able to work, learn, train or take part in the activities you enjoy?",
        ],
    ),
    (
        "Your needs",
        [
            "Has there been any change to your needs?",
            "If so, what has changed, and how has it affected you and anyone you care for?",
        ],
    ),
    (
        "Keeping safe",
        [
            "Are the things in the support plan keeping you safe?",
            "Is there a chance that your plan could stop working well?",
            "Is the support you get from family, friends or others likely to carry on?",
        ],
    ),
]
"""001's fuller conversation: what is working and not working, strengths (powerful
questions and appreciative enquiry), outcomes, needs and risk."""

EASY_QUESTIONS = [
    "Is your support in place?",
    "Is your support working well?",
    "Does anything need to change?",
    "Has anything changed for you?",
    "Do you feel safe?",
    "What is important to you now?",
]


# --- the evidence for an outcome (003 "evidence based and robust") -------------------

_EVIDENCE: tuple[tuple[str, tuple[str, ...], Any, str, str], ...] = (
    # (section, finding path, the value that means "working", good words, bad words)
    (
        "plan_elements",
        ("plan", "in_place"),
        True,
        "the support in the plan is in place",
        "some support in the plan is not in place",
    ),
    (
        "plan_elements",
        ("plan", "working"),
        True,
        "the support is working as intended",
        "some support is not working as intended",
    ),
    (
        "needs_and_circumstances",
        ("needs", "changed"),
        False,
        "{p} needs have not changed",
        "{p} needs have changed",
    ),
    (
        "needs_and_circumstances",
        ("needs", "circumstances_changed"),
        False,
        "{p} circumstances have not changed",
        "{p} circumstances have changed",
    ),
    (
        "outcomes",
        ("outcomes", "achieved"),
        "yes",
        "the outcomes in the plan are being achieved",
        "some outcomes in the plan are not yet achieved",
    ),
    (
        "outcomes",
        ("outcomes", "new_outcomes"),
        [],
        "there are no new outcomes",
        "there are new outcomes to work towards",
    ),
    (
        "risk",
        ("risk", "managed"),
        True,
        "risks are well managed",
        "the plan is not managing risk well",
    ),
    (
        "contingency",
        ("risk", "contingency_working"),
        True,
        "the contingency plan is working",
        "the contingency plan is not working",
    ),
    (
        "budget_sufficiency",
        ("budget", "sufficient"),
        True,
        "the personal budget is still enough",
        "the personal budget is no longer enough",
    ),
    (
        "budget_management",
        ("budget", "management_working"),
        True,
        "the way the budget is managed is working",
        "the way the budget is managed is not working",
    ),
    (
        "informal_support",
        ("informal_support", "changed"),
        False,
        "support from family and friends has not changed",
        "support from family and friends has changed",
    ),
)


def evidence(
    f: Mapping[str, Any], voice: Voice, required: Sequence[str], *, withheld: bool = False
) -> list[tuple[bool, str]]:
    """(working?, clause) for each finding of the sections in ``required``; absent
    findings, and in a copy with information withheld empty lists, are left out."""
    out = []
    for section, path, working, good, bad in _EVIDENCE:
        value = _get(f, *path)
        if section not in required or value is None or (withheld and value == []):
            continue
        ok = value == working
        out.append((ok, (good if ok else bad).format(p=voice.poss)))
    return out


def join_clauses(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """The first letter in capitals (names and quoted text are otherwise as typed)."""
    return text[:1].upper() + text[1:]


def plan_name(review: Mapping[str, Any]) -> str:
    return PLAN_NAMES.get(review["review"].get("plan_type") or "", "support plan")
