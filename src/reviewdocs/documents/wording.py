"""Plain words for codes: the base every other wording module builds on.

Everything a reader sees that is not typed by a practitioner is written in the
documents' wording modules, once, so the record, the letters and their easy read copies
say the same thing the same way: this one (codes, headings, the voice),
``record_findings`` (the record's questions and the evidence), ``steps`` (next steps)
and ``asking`` (the information letter's questions). Sentences take a :class:`Voice`,
so a letter to the subject says "your" and a letter to their representative (or the
record) says "Maria's".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    "plan_and_budget_change": "The {plan} and the personal budget need to change.",
}
"""003 "Broadly there are 3 possible outcomes following review", in plain words. The
reasons are never part of the outcome's words: they come from the findings
(``context.outcome_words``), so no document says "because needs have changed" where
they have not."""

REASSESSMENT_OUTCOME = (
    "A proportionate reassessment of {p} needs will establish what has changed, and what "
    "support and personal budget are needed."
)
"""003's Julie example: "the outcome of the review should be a proportionate reassessment to
establish what has changed and what additional support Julie may need". A reassessment
does not yet say that the budget changes: it finds out."""

NOT_RECORDED = "Not recorded."
"""What the record says where an item it must hold was left empty (003 "must be clearly but
proportionately recorded in all cases"): never a silently missing item."""

STILL_TO_DECIDE = "Still to be decided: the outcome of the review is not final yet."
"""What a step or effect the outcome decides says while the outcome is provisional."""

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


def get(data: Mapping[str, Any] | None, *path: str) -> Any:
    node: Any = data
    for part in path:
        # type() first: isinstance against the Mapping ABC costs ten times more, and a
        # loaded review is plain dicts.
        if type(node) is not dict and not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def join_clauses(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """The first letter in capitals (names and quoted text are otherwise as typed)."""
    return text[:1].upper() + text[1:]


def plan_name(review: Mapping[str, Any]) -> str:
    return PLAN_NAMES.get(review["review"].get("plan_type") or "", "support plan")


_get = get
