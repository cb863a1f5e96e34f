"""What our review form asks, in the order of the review conversation.

One list drives both the drawing (``_write``) and the reading (``_read``), so a
field can never be drawn under one name and read under another. Field names are
the dotted input paths of spec section 2; list items of objects get numbered
slots (``participants.0.name``).

Labels are questions a practitioner asks or answers; help text quotes the
procedures' simple questions (000 "Simple questions should be used", 001).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Final

from reviewdocs import codes

FORM_ID: Final = "reviewdocs-review-form/1"
"""The marker our form carries (hidden, read-only field ``form.id``) with its version."""
MARKER_FIELD: Final = "form.id"
FORM_ID_PREFIX: Final = "reviewdocs-review-form/"

PARTICIPANT_SLOTS: Final = 6
RECIPIENT_SLOTS: Final = 6

YES, NO = "Yes", "No"


class Kind(Enum):
    TEXT = "text"  # one line
    DATE = "date"  # one line, YYYY-MM-DD as typed (validation checks it)
    NOTE = "note"  # free text over several lines
    LINES = "lines"  # a list of text: one item per line
    BOOL = "bool"  # must be answered: a Yes / No radio group, never assumed No
    RADIO = "radio"  # one of a few codes
    COMBO = "combo"  # one of many codes, a drop-down list
    TICK = "tick"  # opt-in flag: ticked = true, not ticked = absent (the default applies)
    FIXED = "fixed"  # pre-set by the form, read-only (review.plan_type)


@dataclass(frozen=True)
class Field:
    path: str
    kind: Kind
    label: str
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (code, label) for RADIO / COMBO / BOOL
    lines: int = 1  # height of a NOTE / LINES box, in text lines

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.options)


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    fields: tuple[Field, ...]


OPTIONAL_OBJECTS: Final = frozenset(
    {
        "review.joint_organisation",
        "subject.appropriate_person",
        "advocate",
        "carer",
    }
)
"""Objects left out of the input when none of their fields is filled in.

Every other object is always present, so an unanswered question inside it is
reported by validation under its own path (``findings.needs.changed``).
"""

LIST_OF_OBJECTS: Final = {"participants": PARTICIPANT_SLOTS, "sharing.recipients": RECIPIENT_SLOTS}

_YES_NO = ((YES, "Yes"), (NO, "No"))

_PLAN_NAMES = {
    "carer_support_plan": "Carer's Support Plan",
    "care_and_support_plan": "Care and Support Plan",
}


def plan_name(plan_type: str) -> str:
    return _PLAN_NAMES[plan_type]


def _labelled(values: tuple[str, ...], labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((code, labels[code]) for code in values)


_REVIEW_TYPES = _labelled(
    codes.REVIEW_TYPES, {"light_touch": "Light touch (000)", "full": "Full review (001)"}
)
_TRIGGERS = _labelled(
    codes.TRIGGERS,
    {
        "scheduled_6_8_week": "Scheduled: 6-8 weeks after a new plan or change",
        "scheduled_annual": "Scheduled: annual review",
        "requested_change": "A change was requested",
        "change_in_circumstances": "A change in needs or circumstances",
        "safeguarding": "A safeguarding concern",
        "other": "Other",
    },
)
_METHODS = _labelled(
    codes.METHODS,
    {
        "face_to_face": "Face to face",
        "telephone": "Telephone",
        "online": "Online (video)",
        "combined": "Combined with a carer's or another person's review",
        "joint": "Joint, with another organisation",
        "supported_self": "Supported self-review",
        "delegated": "Delegated to another organisation",
    },
)
_COMBINED_AGREEMENTS = _labelled(
    codes.COMBINED_AGREEMENTS,
    {
        "both_agreed": "Both people agreed to it and to sharing information",
        "best_interests_decision": "A best interests decision (someone lacks capacity to agree)",
    },
)
_CARER_INVOLVEMENT = _labelled(
    codes.CARER_INVOLVEMENT,
    {
        "took_part": "Took part in the review",
        "consulted_separately": "Consulted separately",
        "not_involved": "Not involved",
    },
)
_FORMATS = _labelled(
    codes.PREFERRED_FORMATS,
    {"standard": "Standard", "large_print": "Large print", "easy_read": "Easy read", "pdf": "PDF"},
)
_ROLES = _labelled(
    codes.PARTICIPANT_ROLES,
    {
        "family": "Family or friend",
        "provider": "Support provider",
        "health": "Health professional",
        "advocate": "Advocate",
        "other": "Other",
    },
)
_ACHIEVED = _labelled(codes.ACHIEVED, {"yes": "Yes", "partly": "Partly", "no": "No"})
_SAFEGUARDING_OPTIONS = _labelled(
    codes.SAFEGUARDING_OPTIONS,
    {
        "continue": "The review continues alongside the safeguarding process",
        "pause": "The review is paused while the safeguarding process takes place",
        "pause_with_interim_support": "The review is paused, with urgent interim support arranged",
    },
)
_OUTCOMES = _labelled(
    codes.OUTCOMES,
    {
        "no_change": "1. No change to the plan or the personal budget",
        "plan_change": "2. Changes to the plan, not to the personal budget",
        "plan_and_budget_change": "3. Changes to the plan and the personal budget",
    },
)
_KINDS = _labelled(
    codes.RECIPIENT_KINDS,
    {
        "joint_organisation": "Joint organisation",
        "provider": "Support provider",
        "requested_by_subject": "Someone the person asked to have a copy",
        "other": "Other",
    },
)
_MANAGER = _labelled(
    codes.MANAGER_DECISIONS,
    {"full": "Full copy", "partial": "Partial copy", "decline": "Declined"},
)

NARRATIVE_LABELS: Final = {
    "plan_elements": "Whether the elements of the plan are in place and working as intended",
    "needs_and_circumstances": "Whether needs or circumstances have changed, and the evidence",
    "views_on_changes": "{Who}'s views about any changes to needs or circumstances",
    "outcomes": "Whether outcomes were achieved; new outcomes (incl. work, education, "
    "training and recreation)",
    "risk": "Whether the plan is reducing risk; any new risks",
    "contingency": "Whether the contingency plan is working",
    "budget_sufficiency": "Whether the personal budget is still sufficient",
    "budget_management": "Whether the way the budget is managed is working and still the best",
    "informal_support": "Changes to informal support that affect the plan",
    "information_and_advice": "Information and advice given to prevent, reduce or delay needs",
    "outcome_and_next_steps": "The outcome of the review, its rationale, next steps and "
    "the next review",
    "changes_and_wellbeing_impact": "Where needs or circumstances changed: the changes and "
    "their impact on wellbeing",
    "resolution_steps": "Where parts of the plan are not working: the steps agreed to resolve them",
    "outcome_support_steps": "Where outcomes were not achieved: the steps to support them",
    "new_outcomes_plan": "New outcomes: how the plan will support them",
    "risk_changes": "If the plan is not reducing risk: the changes needed",
    "contingency_changes": "If the contingency plan is not working: the changes needed",
    "urgent_interim_support": "Where needs changed: whether urgent or interim support is needed",
    "safeguarding": "Safeguarding concerns raised and action taken",
    "deprivation_of_liberty": "Deprivation of Liberty concerns raised and action taken",
    "difference_of_views": "Any difference in views about the outcome of the review",
}
"""003 "must be clearly but proportionately recorded in all cases" (1-11) and
"should be clearly recorded where relevant" (1-10), shortened."""


def _words(plan_type: str) -> dict[str, str]:
    if plan_type == "carer_support_plan":
        return {"who": "the carer", "Who": "The carer", "other": "the person they care for"}
    return {"who": "the person", "Who": "The person", "other": "their carer"}


def sections(plan_type: str) -> tuple[Section, ...]:
    """The form for one plan type, section by section in conversation order."""
    if plan_type not in codes.PLAN_TYPES:
        raise ValueError(f"unknown plan type {plan_type!r}")
    w = _words(plan_type)
    carer_plan = plan_type == "carer_support_plan"
    built = (
        _review_details(),
        _subject(w, carer_plan),
        _cared_for() if carer_plan else _carer(),
        _advocate(),
        _participants(),
        _working(w),
        _outcomes(w),
        _needs(w),
        _risk(w),
        _budget(),
        _informal_and_finances(w),
        _information(w, carer_plan),
        _safeguarding(w, carer_plan),
        _views(w),
        _narrative(w),
        _decision(),
        _sharing(w),
    )
    return tuple(s for s in built if s.fields)


def fields(plan_type: str) -> tuple[Field, ...]:
    """Every field of the form for ``plan_type``, in drawing order."""
    return tuple(f for s in sections(plan_type) for f in s.fields)


@cache
def all_fields() -> Mapping[str, Field]:
    """Every field either form may carry, by path (what a completed form is read against)."""
    out: dict[str, Field] = {}
    for plan_type in codes.PLAN_TYPES:
        for f in fields(plan_type):
            out.setdefault(f.path, f)
    return out


def _f(path: str, kind: Kind, label: str, help: str = "", **kw: object) -> Field:
    if kind is Kind.BOOL:
        kw.setdefault("options", _YES_NO)
    return Field(path, kind, label, help, **kw)  # type: ignore[arg-type]


def _review_details() -> Section:
    r = "review."
    p = "review.practitioner."
    la = "review.local_authority."
    jo = "review.joint_organisation."
    return Section(
        "1. Review details",
        "About this review and who is carrying it out.",
        (
            _f(r + "id", Kind.TEXT, "Review reference", "Letters, digits, - _ / only."),
            _f(r + "plan_type", Kind.FIXED, "Plan being reviewed"),
            _f(
                r + "review_type",
                Kind.RADIO,
                "Type of review",
                "Light touch only when nothing is known to have changed in needs, "
                "circumstances, the plan or the budget (000 section 1).",
                options=_REVIEW_TYPES,
            ),
            _f(r + "trigger", Kind.COMBO, "Why is the review taking place?", options=_TRIGGERS),
            _f(r + "method", Kind.COMBO, "How was the review carried out?", options=_METHODS),
            _f(
                r + "combined_agreement",
                Kind.RADIO,
                "Combined review only: how was it agreed?",
                "Both people agree to a combined review and to sharing information, or a best "
                "interests decision is made (002).",
                options=_COMBINED_AGREEMENTS,
            ),
            _f(r + "date", Kind.DATE, "Date of the review conversation", "YYYY-MM-DD"),
            _f(
                r + "expected_start",
                Kind.DATE,
                "No date yet: when is the review expected to begin?",
                "YYYY-MM-DD. The information letter gives it as the indicative start (002).",
            ),
            _f(
                r + "plan_start_date",
                Kind.DATE,
                "When did the current plan, or its last change, start?",
                "YYYY-MM-DD. Used for the next review date (002).",
            ),
            _f(
                r + "subject_took_part",
                Kind.BOOL,
                "Did they take part in the review?",
                "No: the review was carried out on the information available (002).",
            ),
            _f(
                r + "document_date",
                Kind.DATE,
                "Date to put on the letters and the record (optional)",
                "YYYY-MM-DD. Leave empty to use the day they are produced.",
            ),
            _f(p + "name", Kind.TEXT, "Practitioner: name"),
            _f(p + "job_title", Kind.TEXT, "Practitioner: job title"),
            _f(p + "team", Kind.TEXT, "Practitioner: team"),
            _f(p + "phone", Kind.TEXT, "Practitioner: phone"),
            _f(p + "email", Kind.TEXT, "Practitioner: email"),
            _f(la + "name", Kind.TEXT, "Local authority: name"),
            _f(
                la + "address",
                Kind.LINES,
                "Local authority: address",
                "One line per line.",
                lines=4,
            ),
            _f(la + "phone", Kind.TEXT, "Local authority: phone"),
            _f(la + "email", Kind.TEXT, "Local authority: email"),
            _f(
                la + "complaints_contact",
                Kind.TEXT,
                "Local authority: who to contact to complain",
            ),
            _f(
                jo + "name",
                Kind.TEXT,
                "Joint review: the other organisation's name",
                "Only for a joint review; they receive a copy of the record (003).",
            ),
            _f(jo + "contact", Kind.TEXT, "Joint review: contact person"),
            _f(jo + "address", Kind.LINES, "Joint review: address", "One line per line.", lines=3),
        ),
    )


def _subject(w: dict[str, str], carer_plan: bool) -> Section:
    s = "subject."
    ap = "subject.appropriate_person."
    title = "2. The carer" if carer_plan else "2. The person"
    work_help = (
        "If Yes, check they know their right to unpaid leave under the Carers Leave Act 2023 "
        "(000 section 8)."
        if carer_plan
        else ""
    )
    return Section(
        title,
        f"{w['Who']} whose {'Support Plan' if carer_plan else 'Care and Support Plan'} "
        "is being reviewed.",
        (
            _f(s + "name", Kind.TEXT, "Full name"),
            _f(s + "preferred_name", Kind.TEXT, "Preferred name"),
            _f(s + "reference", Kind.TEXT, "Reference number"),
            _f(s + "date_of_birth", Kind.DATE, "Date of birth", "YYYY-MM-DD"),
            _f(
                s + "address",
                Kind.LINES,
                "Address",
                "One line per line, without the postcode.",
                lines=4,
            ),
            _f(s + "postcode", Kind.TEXT, "Postcode"),
            _f(s + "email", Kind.TEXT, "Email"),
            _f(s + "phone", Kind.TEXT, "Phone"),
            _f(
                s + "preferred_format",
                Kind.RADIO,
                "In what format should letters and the record be sent?",
                "The record must be accessible to them (003).",
                options=_FORMATS,
            ),
            _f(s + "communication_needs", Kind.NOTE, "Communication needs", lines=2),
            _f(
                s + "has_capacity",
                Kind.BOOL,
                f"Does {w['who']} have capacity to take part in the review?",
                "If No, the review is carried out face to face (002).",
            ),
            _f(
                s + "capacity_concern",
                Kind.TICK,
                "Tick if there is a concern about their capacity for a decision to be made",
                "The review must then be face to face (002).",
            ),
            _f(
                s + "substantial_difficulty",
                Kind.BOOL,
                f"Would {w['who']} have substantial difficulty being involved?",
                "Understanding, retaining, weighing information or communicating. If Yes and "
                "nobody appropriate can support them, an independent advocate is needed "
                "(002, 004).",
            ),
            _f(s + "in_work", Kind.BOOL, f"Is {w['who']} in paid work?", work_help),
            _f(
                s + "correspondence_to_representative",
                Kind.TICK,
                "Tick if they asked that letters go to their representative",
                "Leave blank and letters go to them (002).",
            ),
            _f(
                ap + "name",
                Kind.TEXT,
                "Appropriate person or representative: name",
                "Someone appropriate to support their involvement, if there is one (002).",
            ),
            _f(ap + "relationship", Kind.TEXT, "Representative: relationship"),
            _f(
                ap + "address", Kind.LINES, "Representative: address", "One line per line.", lines=3
            ),
            _f(ap + "postcode", Kind.TEXT, "Representative: postcode"),
            _f(ap + "email", Kind.TEXT, "Representative: email"),
            _f(
                ap + "supports_involvement",
                Kind.TICK,
                "Tick if this person can support and represent their involvement",
                "An appropriate person for general purposes is not the same as one for "
                "independent advocacy (004). Not ticked: the advocacy duty still applies.",
            ),
        ),
    )


def _cared_for() -> Section:
    c = "cared_for."
    return Section(
        "3. The person cared for",
        "The person the carer looks after.",
        (
            _f(c + "name", Kind.TEXT, "Name"),
            _f(c + "relationship", Kind.TEXT, "Relationship to the carer", "For example: husband."),
            _f(
                c + "lacks_capacity",
                Kind.BOOL,
                "Does the person cared for lack capacity to make decisions about their care "
                "and support?",
            ),
            _f(
                c + "restrictions_may_deprive_liberty",
                Kind.BOOL,
                "Could the restrictions on them (now, or after a reassessment) deprive them of "
                "their liberty?",
                "With a lack of capacity, action to authorise it must be considered "
                "(000 section 9).",
            ),
        ),
    )


def _carer() -> Section:
    c = "carer."
    return Section(
        "3. The person's carer",
        "Only if the person has a carer. Carers are involved in the review (002).",
        (
            _f(c + "name", Kind.TEXT, "Carer's name"),
            _f(c + "relationship", Kind.TEXT, "Relationship to the person"),
            _f(
                c + "has_support_plan",
                Kind.BOOL,
                "Does the carer have their own Support Plan?",
                "If Yes, consider reviewing both plans together (002).",
            ),
            _f(
                c + "involvement",
                Kind.RADIO,
                "Was the carer involved in this review?",
                "Carers must be involved in the person's review (002).",
                options=_CARER_INVOLVEMENT,
            ),
        ),
    )


def _advocate() -> Section:
    a = "advocate."
    return Section(
        "4. Independent advocate",
        "Only if an advocate supports them in this review.",
        (
            _f(a + "name", Kind.TEXT, "Advocate's name"),
            _f(a + "organisation", Kind.TEXT, "Advocacy organisation"),
            _f(a + "email", Kind.TEXT, "Advocate's email"),
            _f(a + "address", Kind.LINES, "Advocate's address", "One line per line.", lines=3),
            _f(a + "postcode", Kind.TEXT, "Advocate's postcode"),
            _f(
                "subject.advocacy_declined",
                Kind.TICK,
                "Tick if an advocate was made available and they decided not to use one",
                "Then leave the advocate's details empty. The council still provides advocacy "
                "if they change their mind (004).",
            ),
        ),
    )


def _participants() -> Section:
    out: list[Field] = []
    for i in range(PARTICIPANT_SLOTS):
        p = f"participants.{i}."
        n = i + 1
        out += [
            _f(p + "name", Kind.TEXT, f"Person {n}: name"),
            _f(p + "role", Kind.COMBO, f"Person {n}: role", options=_ROLES),
            _f(p + "organisation", Kind.TEXT, f"Person {n}: organisation"),
            _f(
                p + "consented",
                Kind.BOOL,
                f"Person {n}: did the person reviewed consent to their involvement?",
            ),
            _f(p + "view", Kind.NOTE, f"Person {n}: their view", lines=2),
        ]
    return Section(
        "5. Who else took part",
        "Family, providers, health and others involved, with consent (000 section 2). "
        "Leave unused slots empty.",
        tuple(out),
    )


def _working(w: dict[str, str]) -> Section:
    p = "findings.plan."
    return Section(
        "6. What is working and what is not",
        "Refer to the plan to confirm what support should be in place (000 section 3).",
        (
            _f(
                p + "in_place",
                Kind.BOOL,
                "Is all the support in the plan in place as intended?",
                'Ask: "Is everything in the Support Plan in place as intended?"',
            ),
            _f(
                p + "working",
                Kind.BOOL,
                f"Is the support working well and meeting {w['who']}'s needs?",
                'Ask: "Is all the support you receive working well for you?"',
            ),
            _f(
                p + "everyone_satisfied",
                Kind.BOOL,
                "Is everybody involved in the plan satisfied with it?",
            ),
            _f(
                p + "issues",
                Kind.LINES,
                "What is not working? One issue per line; leave empty if nothing.",
                'Ask: "Does anything need to change about your plan or the way you are supported?"',
                lines=4,
            ),
        ),
    )


def _outcomes(w: dict[str, str]) -> Section:
    o = "findings.outcomes."
    return Section(
        "7. Outcomes",
        "Refer to the plan to confirm what the outcomes were (000 section 5).",
        (
            _f(
                o + "achieved",
                Kind.RADIO,
                "Have the outcomes in the plan been achieved?",
                'Ask: "How have you been able to work towards the outcomes in your plan?"',
                options=_ACHIEVED,
            ),
            _f(
                o + "still_important",
                Kind.BOOL,
                f"Are the outcomes in the plan still important to {w['who']}?",
                'Ask: "Have there been any changes to the things that are important to you to '
                'achieve, change or maintain?"',
            ),
            _f(
                o + "new_outcomes",
                Kind.LINES,
                f"New outcomes {w['who']} wants to meet. One per line; leave empty if none.",
                'Ask: "Do you think there needs to be any changes to the plan to work towards '
                'your outcomes?"',
                lines=3,
            ),
            _f(
                o + "work_education_training_recreation",
                Kind.NOTE,
                "Work, education, training and recreation: are these outcomes met, or changed?",
                "Always confirm these specifically (000 section 5).",
                lines=3,
            ),
        ),
    )


def _needs(w: dict[str, str]) -> Section:
    n = "findings.needs."
    return Section(
        "8. Needs and circumstances",
        "Refer to the assessment to confirm what the assessed needs were (000 section 6).",
        (
            _f(
                n + "changed",
                Kind.BOOL,
                f"Have {w['who']}'s needs changed since the assessment?",
                'Ask: "Has there been any change to your needs?" A change in need means a '
                "proportionate reassessment after the review.",
            ),
            _f(
                n + "short_term",
                Kind.BOOL,
                "Is the change in need likely to be short term only?",
                "Answer No if needs have not changed. Short term needs met by the current plan "
                "need monitoring, not a reassessment (000).",
            ),
            _f(
                n + "met_by_current_plan",
                Kind.BOOL,
                "Are the needs being met by the current plan?",
            ),
            _f(
                n + "circumstances_changed",
                Kind.BOOL,
                f"Has anything changed about {w['who']}'s circumstances that may mean the plan "
                "should change?",
            ),
            _f(
                n + "evidence",
                Kind.NOTE,
                "The evidence used to decide whether needs have changed",
                "Be open about the evidence you relied on, especially where views differ (000).",
                lines=3,
            ),
            _f(
                n + "cared_for_wellbeing",
                Kind.NOTE,
                "Carer's review, if needs changed: the effect on the cared-for person's wellbeing",
                "000: explore the impact of the changes on the cared for person's Wellbeing.",
                lines=2,
            ),
            _f(
                n + "impact_on_support_and_risk",
                Kind.NOTE,
                "Carer's review, if needs changed: the effect on the support, and on risk",
                "000: the impact of the changes on support, and on risk to the carer, the "
                "cared for person and the plan.",
                lines=2,
            ),
            _f(
                "findings.urgent_need",
                Kind.BOOL,
                "Is urgent or interim support needed while other steps are taken?",
                "For example while issues are resolved, the plan revised, or a reassessment or "
                "safeguarding enquiry takes place (000, 001).",
            ),
        ),
    )


def _risk(w: dict[str, str]) -> Section:
    r = "findings.risk."
    return Section(
        "9. Risk and contingency",
        "Refer to the plan to confirm the contingency plan and the risks managed (000 section 7).",
        (
            _f(
                r + "managed",
                Kind.BOOL,
                f"Is the plan keeping {w['who']} and {w['other']} safe, with risks well managed?",
                'Ask: "Are the things in the Support Plan keeping you safe?"',
            ),
            _f(
                r + "cared_for_managed",
                Kind.BOOL,
                "Carer's review only: is the plan keeping the person cared for safe?",
                "Answer it on its own if the two differ (003 item 5); leave blank otherwise, and "
                "the question above answers for both.",
            ),
            _f(
                r + "contingency_working",
                Kind.BOOL,
                "Is the contingency plan working?",
                'Ask: "Is there a chance that your plan could stop working well?"',
            ),
            _f(
                r + "new_risks",
                Kind.LINES,
                "New risks. One per line; leave empty if none.",
                f"To {w['who']}, {w['other']} or the plan, including abuse or neglect (003).",
                lines=3,
            ),
        ),
    )


def _budget() -> Section:
    b = "findings.budget."
    return Section(
        "10. Personal budget",
        "",
        (
            _f(
                b + "sufficient",
                Kind.BOOL,
                "Is the personal budget still enough to meet needs and outcomes?",
            ),
            _f(
                b + "management_working",
                Kind.BOOL,
                "Is the way the budget is managed still working, and still the best way?",
                'Ask: "Does anything need to change about the way you manage the personal budget?"',
            ),
            _f(b + "direct_payment", Kind.BOOL, "Is the budget (or part of it) a Direct Payment?"),
        ),
    )


def _informal_and_finances(w: dict[str, str]) -> Section:
    return Section(
        "11. Informal support and finances",
        "",
        (
            _f(
                "findings.informal_support.changed",
                Kind.BOOL,
                "Has support from family, friends or the community changed in a way that "
                "affects the plan?",
            ),
            _f(
                "findings.informal_support.sustainable",
                Kind.BOOL,
                "Can that informal support be sustained?",
            ),
            _f(
                "findings.finances.circumstances_changed",
                Kind.BOOL,
                f"Have {w['who']}'s financial circumstances changed?",
                "If so, a financial assessment may be needed (002).",
            ),
        ),
    )


def _information(w: dict[str, str], carer_plan: bool) -> Section:
    help_text = "Including signposting, and ways to prevent, reduce or delay needs (000 section 8)."
    if carer_plan:
        help_text += " If the carer works: their right to unpaid Carer's Leave."
    return Section(
        "12. Information and advice",
        "",
        (
            _f(
                "findings.information_and_advice",
                Kind.LINES,
                f"Information and advice given to {w['who']}. One item per line.",
                help_text,
                lines=4,
            ),
        ),
    )


def _safeguarding(w: dict[str, str], carer_plan: bool) -> Section:
    s = "findings.safeguarding."
    lib = "findings.liberty."
    liberty_who = "the person cared for" if carer_plan else "the person"
    return Section(
        "13. Safeguarding and Deprivation of Liberty",
        "If anyone is in imminent danger or a crime has taken place, call the police on 999.",
        (
            _f(
                s + "concern",
                Kind.BOOL,
                "Is there a concern that an adult or a child is experiencing, or at risk of, "
                "abuse or neglect?",
            ),
            _f(
                s + "concern_about_subject",
                Kind.BOOL,
                f"Is the concern about {w['who']} whose plan is being reviewed?",
                "For example the person cared for causing harm to the carer (000 section 9). "
                "Answer No if there is no concern.",
            ),
            _f(s + "action_taken", Kind.NOTE, "Safeguarding action taken", lines=2),
            _f(
                s + "review_option",
                Kind.RADIO,
                f"If the concern is about {w['who']}: what happens to the review?",
                "Decided with them and whoever carries out the safeguarding process (000).",
                options=_SAFEGUARDING_OPTIONS,
            ),
            _f(
                lib + "concern",
                Kind.BOOL,
                f"Is there a concern that {liberty_who} is, or may be, deprived of their liberty?",
                "Consider when they lack capacity and the restrictions may deprive them of "
                "their liberty (000 section 9).",
            ),
            _f(lib + "action_taken", Kind.NOTE, "Deprivation of Liberty: action taken", lines=2),
        ),
    )


def _views(w: dict[str, str]) -> Section:
    v = "findings.views."
    return Section(
        "14. Views",
        "",
        (
            _f(
                v + "subject",
                Kind.NOTE,
                f"{w['Who']}'s views",
                "Record powerful phrases word for word (000 section 10).",
                lines=3,
            ),
            _f(
                v + "subject_agrees_with_outcome",
                Kind.BOOL,
                f"Does {w['who']} agree with the outcome of the review?",
            ),
            _f(
                v + "others_agree",
                Kind.BOOL,
                "Do the others involved agree with the outcome?",
                "Any difference in views is recorded (003).",
            ),
        ),
    )


def _narrative(w: dict[str, str]) -> Section:
    return Section(
        "15. The record, section by section",
        "What the formal record says under each heading (003). The first 11 are always "
        "recorded; the rest where relevant. Leave a heading empty if it does not apply.",
        tuple(
            _f(
                f"narrative.{code}",
                Kind.NOTE,
                NARRATIVE_LABELS[code].format(**w),
                f"Section code: {code}",
                lines=3 if code in codes.ALWAYS_SECTIONS else 2,
            )
            for code in codes.SECTIONS
        ),
    )


def _decision() -> Section:
    d = "decision."
    return Section(
        "16. Your decision",
        "Optional: the outcome follows from the findings. If you decide differently, give "
        "your rationale (003).",
        (
            _f(d + "outcome", Kind.RADIO, "Outcome of the review", options=_OUTCOMES),
            _f(d + "rationale", Kind.NOTE, "Rationale for the outcome", lines=3),
            _f(
                d + "wellbeing_impact",
                Kind.NOTE,
                "The effect of the outcome on their wellbeing",
                "003: you must give regard to the impact of the outcome on Wellbeing.",
                lines=2,
            ),
            _f(
                d + "change_starts",
                Kind.DATE,
                "If the plan changes: the date the change starts",
                "YYYY-MM-DD. The 6-8 week review is counted from it (002).",
            ),
            _f(
                d + "manager_advice_pending",
                Kind.TICK,
                "Tick if you are waiting for your line manager's advice on the outcome",
                "The outcome is then provisional (003).",
            ),
            _f(
                d + "monitoring_review_by",
                Kind.DATE,
                "Short term change: monitoring review by",
                "YYYY-MM-DD",
            ),
            _f(d + "next_review_by", Kind.DATE, "Next review by", "YYYY-MM-DD"),
            _f(
                d + "information_follow_up_by",
                Kind.DATE,
                "Information and advice given: follow up by",
                "YYYY-MM-DD. Check that it helped, as the risk and circumstances need (004).",
            ),
            _f(
                d + "information_follow_up_who",
                Kind.TEXT,
                "Who follows it up, if not you",
            ),
        ),
    )


def _sharing(w: dict[str, str]) -> Section:
    out: list[Field] = [
        _f(
            "sharing.consent_to_share",
            Kind.BOOL,
            f"Has {w['who']} consented to the record being shared?",
            f"{w['Who']} always gets the record; a joint organisation always gets a copy (003).",
        )
    ]
    for i in range(RECIPIENT_SLOTS):
        r = f"sharing.recipients.{i}."
        n = i + 1
        out += [
            _f(r + "id", Kind.TEXT, f"Recipient {n}: short id", "Letters, digits, - _ only."),
            _f(r + "name", Kind.TEXT, f"Recipient {n}: name"),
            _f(r + "kind", Kind.COMBO, f"Recipient {n}: who they are", options=_KINDS),
            _f(r + "involved_in_review", Kind.BOOL, f"Recipient {n}: involved in the review?"),
            _f(
                r + "responsible_for_support",
                Kind.BOOL,
                f"Recipient {n}: responsible for providing support?",
            ),
            _f(r + "address", Kind.LINES, f"Recipient {n}: address", "One line per line.", lines=3),
            _f(r + "email", Kind.TEXT, f"Recipient {n}: email"),
            _f(
                r + "risk_concern",
                Kind.BOOL,
                f"Recipient {n}: is there a concern about risk in sharing with them?",
            ),
            _f(
                r + "manager_decision",
                Kind.RADIO,
                f"Recipient {n}: manager's decision (when there is a risk concern)",
                options=_MANAGER,
            ),
            _f(
                r + "omit_sections",
                Kind.LINES,
                f"Recipient {n}: sections to withhold (partial copy), one section code per line",
                "The section codes shown in part 15, e.g. safeguarding.",
                lines=2,
            ),
            _f(
                r + "redact",
                Kind.LINES,
                f"Recipient {n}: details to remove, one input path per line",
                "For example: subject.address",
                lines=2,
            ),
        ]
    return Section(
        "17. Sharing the record",
        "Who else receives a copy. Leave unused slots empty.",
        tuple(out),
    )


def field_values(raw: Mapping[str, Any]) -> dict[str, str | bool]:
    """A review input (JSON shape) as form field values: what filling the form means.

    Yes/No questions give ``"Yes"``/``"No"`` (the on-states our radio groups use), a
    ticked box ``True``, lists one item per line. Used to pre-fill a form and by the
    tests and sample tools that fill our form with other PDF libraries.
    """
    out: dict[str, str | bool] = {}
    ticks = frozenset(path for path, f in all_fields().items() if f.kind is Kind.TICK)
    _flatten(raw, "", out, ticks)
    out.pop("schema_version", None)
    return out


def _flatten(value: Any, path: str, out: dict[str, str | bool], ticks: frozenset[str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out, ticks)
    elif isinstance(value, list) and any(isinstance(item, Mapping) for item in value):
        for i, item in enumerate(value):
            _flatten(item, f"{path}.{i}", out, ticks)
    elif isinstance(value, list):
        if value:
            out[path] = "\n".join(str(item) for item in value)
    elif isinstance(value, bool):
        out[path] = value if path in ticks else (YES if value else NO)
    elif value is not None and value != "":
        out[path] = str(value)
