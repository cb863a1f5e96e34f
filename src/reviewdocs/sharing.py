"""Who gets a copy of the review record, and what is withheld from it.

The rules are 003 "Following the review process the carer must be given a written
record" to the end, and spec section 6. Each rule is a small function; ``plan_sharing``
asks them in turn. A partial copy is made by removing data from the review BEFORE
it is rendered (``redact``): withheld text never reaches the template, so it cannot
survive in the body, headers, footers, properties or file name of the copy.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs import codes
from reviewdocs.errors import InputError, SharingError

WITHHELD_MARK: Final = "[withheld]"
"""What replaces withheld text found inside other free text: it says nothing of what."""

SUBJECT: Final = "subject"
RECORD: Final = "review_record"

SECTION_DATA: Final[Mapping[str, tuple[str, ...]]] = {
    # 003 "The following information must be clearly but proportionately recorded":
    # the structured findings each item is built from, removed with its narrative.
    "plan_elements": ("findings.plan",),
    "needs_and_circumstances": ("findings.needs", "findings.finances"),
    "views_on_changes": (
        "findings.views.subject",
        "findings.views.subject_agrees_with_outcome",
        "participants.*.view",
    ),
    "outcomes": ("findings.outcomes",),
    "risk": ("findings.risk.managed", "findings.risk.new_risks"),
    "contingency": ("findings.risk.contingency_working",),
    "budget_sufficiency": ("findings.budget.sufficient",),
    "budget_management": ("findings.budget.management_working", "findings.budget.direct_payment"),
    "informal_support": ("findings.informal_support",),
    "information_and_advice": ("findings.information_and_advice",),
    "outcome_and_next_steps": (
        "decision.outcome",
        "decision.rationale",
        "decision.monitoring_review_by",
        "decision.next_review_by",
    ),
    # 003 "The following information should be clearly recorded where relevant".
    "changes_and_wellbeing_impact": (),
    "resolution_steps": ("findings.plan.issues",),
    "outcome_support_steps": (),
    "new_outcomes_plan": ("findings.outcomes.new_outcomes",),
    "risk_changes": ("findings.risk.new_risks",),
    "contingency_changes": (),
    "urgent_interim_support": ("findings.urgent_need",),
    "safeguarding": ("findings.safeguarding",),
    "deprivation_of_liberty": ("findings.liberty", "cared_for.restrictions_may_deprive_liberty"),
    "difference_of_views": (
        "findings.views.others_agree",
        "findings.views.subject_agrees_with_outcome",
        "participants.*.view",
    ),
}

SECTION_ACTIONS: Final[Mapping[str, tuple[str, ...]]] = {
    # A next step that names an omitted section's subject would tell the reader it exists.
    "safeguarding": ("safeguarding_decision",),
    "deprivation_of_liberty": ("deprivation_of_liberty_consideration",),
    "urgent_interim_support": ("urgent_interim_support",),
    "difference_of_views": ("record_difference_of_views",),
    "budget_management": ("direct_payment_review",),
    "information_and_advice": ("information_and_advice_follow_up",),
}

COMPANIONS: Final[Mapping[str, tuple[str, ...]]] = {
    # Withholding an address but not its postcode, or a name but not the name the
    # person is known by, would leave the information half there.
    "subject.address": ("subject.postcode",),
    "subject.name": ("subject.preferred_name",),
    "appropriate_person.address": ("appropriate_person.postcode",),
    "advocate.address": ("advocate.postcode",),
}

_NOT_SCRUBBED: Final = ("id", "local_authority", "practitioner")
"""Parts of ``review`` left as they are when withheld text is searched for elsewhere."""

_NOT_WITHHOLDABLE: Final = ("review.id", "review.date", "schema_version")
"""The record's identity: the footer, the heading and the file name need it (spec
section 4: "Every document carries the review id")."""


@dataclass(frozen=True)
class ShareDecision:
    """What the rules allow for one recipient (``recipient`` None: the subject)."""

    recipient_id: str
    recipient_name: str
    recipient: Mapping[str, Any] | None
    allowed: bool
    basis: str
    partial: bool
    omit_sections: tuple[str, ...]
    redact_paths: tuple[str, ...]
    reason: str

    @property
    def is_subject(self) -> bool:
        return self.recipient is None

    @property
    def withheld(self) -> tuple[str, ...]:
        """What the register records as withheld: section codes, then input paths."""
        return self.omit_sections + self.redact_paths


# --- the rules (003) ------------------------------------------------------------------


def _first_name(review: Mapping[str, Any]) -> str:
    subject = review["subject"]
    return str(subject.get("preferred_name") or subject.get("name") or "the person")


def subject_rule(review: Mapping[str, Any]) -> ShareDecision:
    """003 "Following the review process the carer must be given a written record of
    their review": the subject always gets the whole record."""
    return ShareDecision(
        recipient_id=SUBJECT,
        recipient_name=str(review["subject"].get("name") or ""),
        recipient=None,
        allowed=True,
        basis="subject",
        partial=False,
        omit_sections=(),
        redact_paths=(),
        reason="The person whose review it is always gets the written record (003).",
    )


def joint_organisation_rule(review: Mapping[str, Any], r: Mapping[str, Any]) -> ShareDecision:
    """003 "Where the review was carried out jointly with another organisation ... a
    copy of the review must be made available to the other person that carried it out".

    Protective readings: a recipient recorded as a joint organisation when the review
    records none is treated as "other" (003 "In all other cases ... only with the
    carer's consent"); and where a manager decided, because of a risk concern, to
    share partially or not at all, that decision stands: the duty to make the record
    available does not outweigh a risk of abuse or neglect, and a manager must settle it.
    """
    if not review["review"].get("joint_organisation"):
        return _with_consent(
            review,
            r,
            because=(
                f"the review does not record that it was carried out jointly with {r['name']}, "
                "so the joint-organisation rule does not apply"
            ),
        )
    if r.get("risk_concern"):
        return _manager_decides(review, r)
    return _allow(
        r,
        basis="joint_organisation",
        reason=f"{r['name']} carried out the review jointly, so must have a copy (003).",
    )


def provider_rule(review: Mapping[str, Any], r: Mapping[str, Any]) -> ShareDecision:
    """003 "If the carer consents a copy of the review should be shared with any service
    provider who was involved in the review and is responsible for providing Support".

    Protective reading: a provider that was not involved, or is not responsible for
    support, gets no copy even with the general consent to share, because the consent
    recorded is to share with the providers 003 names. If the person wants that
    provider to have a copy, record it as a recipient they requested.
    """
    name = _first_name(review)
    missing = []
    if r.get("involved_in_review") is not True:
        missing.append("was not recorded as involved in the review")
    if r.get("responsible_for_support") is not True:
        missing.append(f"is not recorded as responsible for {name}'s support")
    if missing:
        return _refuse(
            r,
            f"No copy for {r['name']}: the provider {' and '.join(missing)}. A provider gets "
            f"a copy only when it took part in the review and provides {name}'s support, and "
            f"{name} consents (003). If {name} asks for {r['name']} to have a copy, record "
            "them as requested by the person.",
        )
    return _with_consent(review, r, because=None, cite=_PROVIDER_CITE)


def requested_rule(review: Mapping[str, Any], r: Mapping[str, Any]) -> ShareDecision:
    """003 "A copy must also be shared with anyone that the carer requests you share a
    copy with" ... "unless you are concerned that doing so could put the carer, the
    person they care for or another vulnerable adult or child at risk"."""
    if r.get("risk_concern"):
        return _manager_decides(review, r)
    return _allow(
        r,
        basis="request",
        reason=f"{_first_name(review)} asked for {r['name']} to have a copy (003).",
    )


def other_rule(review: Mapping[str, Any], r: Mapping[str, Any]) -> ShareDecision:
    """003 "In all other cases a copy of the record can only be shared with any other
    person with the carer's consent"."""
    return _with_consent(review, r, because=None)


RULES: Final[Mapping[str, Callable[[Mapping[str, Any], Mapping[str, Any]], ShareDecision]]] = {
    "joint_organisation": joint_organisation_rule,
    "provider": provider_rule,
    "requested_by_subject": requested_rule,
    "other": other_rule,
}


_OTHERS_CITE: Final = (
    '003 "In all other cases a copy of the record can only be shared with any other person '
    "with the carer's consent\""
)
_PROVIDER_CITE: Final = '003 "If the carer consents a copy of the review should be shared"'


def _with_consent(
    review: Mapping[str, Any],
    r: Mapping[str, Any],
    *,
    because: str | None,
    cite: str = _OTHERS_CITE,
) -> ShareDecision:
    name = _first_name(review)
    if review["sharing"].get("consent_to_share") is not True:
        # A consent not recorded is no consent: a copy sent cannot be taken back.
        why = f"{because}, and " if because else ""
        return _refuse(
            r,
            f"No copy for {r['name']}: {why}{name} has not consented to the record being "
            f"shared ({cite}).",
        )
    if r.get("risk_concern"):
        # Consent is necessary, not sufficient: a risk concern still needs the manager
        # (003 "Concerns about a request" read protectively for every recipient).
        return _manager_decides(review, r)
    return _allow(r, basis="consent", reason=f"{name} consented to sharing with {r['name']} (003).")


def _manager_decides(review: Mapping[str, Any], r: Mapping[str, Any]) -> ShareDecision:
    """003 "Concerns about a request": the manager decides full, partial or decline.

    Without a recorded decision (the schema refuses this; a review built another way
    might not) the protective answer is no copy.
    """
    name = _first_name(review)
    decision = r.get("manager_decision")
    if decision == "full":
        return _allow(
            r,
            basis="manager_decision",
            reason=f"A manager decided {r['name']} may have the full record despite the "
            'concern recorded (003 "Concerns about a request").',
            withhold=False,
        )
    if decision == "partial":
        return _allow(
            r,
            basis="manager_decision",
            reason=f"A manager decided {r['name']} may have the record with some information "
            'withheld (003 "Concerns about a request").',
        )
    if decision == "decline":
        return _refuse(
            r,
            f"No copy for {r['name']}: a manager decided not to provide a copy, because of a "
            f'concern that it could put {name} or someone else at risk (003 "Concerns about '
            f'a request"). {name} can still choose to share their own copy.',
        )
    return _refuse(
        r,
        f"No copy for {r['name']}: a concern about risk is recorded and no manager has "
        "decided yet whether to share the record in full, in part, or not at all (003).",
    )


def _allow(
    r: Mapping[str, Any], *, basis: str, reason: str, withhold: bool = True
) -> ShareDecision:
    # Sections and paths listed for a recipient are withheld whatever the basis:
    # someone decided this recipient should not see them. A manager's "full" is the
    # one exception, and the schema refuses lists alongside it.
    omit = tuple(r.get("omit_sections") or ()) if withhold else ()
    paths = tuple(r.get("redact") or ()) if withhold else ()
    return ShareDecision(
        recipient_id=str(r["id"]),
        recipient_name=str(r["name"]),
        recipient=r,
        allowed=True,
        basis=basis,
        partial=bool(omit or paths),
        omit_sections=omit,
        redact_paths=paths,
        reason=reason,
    )


def _refuse(r: Mapping[str, Any], reason: str) -> ShareDecision:
    return ShareDecision(
        recipient_id=str(r["id"]),
        recipient_name=str(r["name"]),
        recipient=r,
        allowed=False,
        basis="",
        partial=False,
        omit_sections=(),
        redact_paths=(),
        reason=reason,
    )


def recipients(review: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The recipients to decide for: those listed, plus the joint organisation.

    003 "a copy of the review must be made available to the other person that carried
    it out with you": a joint review's organisation is a recipient even when nobody
    listed it, so the duty cannot be missed.
    """
    listed = list(review["sharing"].get("recipients") or [])
    joint = review["review"].get("joint_organisation")
    if joint and not any(r.get("kind") == "joint_organisation" for r in listed):
        ids = {r.get("id") for r in listed}
        rid = "joint_organisation"
        while rid in ids:
            rid += "_"
        listed.append(
            {
                "id": rid,
                "name": joint.get("name"),
                "kind": "joint_organisation",
                "involved_in_review": True,
                "responsible_for_support": None,
                "address": joint.get("address"),
                "email": None,
                "risk_concern": False,
                "manager_decision": None,
                "omit_sections": [],
                "redact": [],
            }
        )
    return listed


def plan_sharing(
    review: Mapping[str, Any], decision: Mapping[str, Any] | None = None
) -> list[ShareDecision]:
    """Who may have a copy, on what basis, with what withheld: the subject first.

    ``decision`` is accepted for symmetry with the other stages; the sharing rules of
    003 depend on who the recipient is, not on the outcome.
    """
    plans = [subject_rule(review)]
    for r in recipients(review):
        rule = RULES.get(str(r.get("kind")), other_rule)
        plans.append(rule(review, r))
    return plans


# --- redaction ------------------------------------------------------------------------


def _normal_path(path: str) -> list[str]:
    """``participants[0].view`` / ``participants[].view`` -> ``participants.0.view`` / ``.*``."""
    path = re.sub(r"\[(\d+)\]", r".\1", path)
    path = path.replace("[]", ".*")
    return [part for part in path.split(".") if part]


def _locate(node: Any, parts: Sequence[str]) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) the path names; nothing where the review has no such value."""
    if not parts:
        return
    head, rest = parts[0], parts[1:]
    if isinstance(node, Mapping):
        keys: list[Any] = [head] if head in node else []
    elif isinstance(node, list):
        if head == "*":
            keys = list(range(len(node)))
        elif head.isdigit() and int(head) < len(node):
            keys = [int(head)]
        else:
            keys = []
    else:
        keys = []
    for key in keys:
        if rest:
            yield from _locate(node[key], rest)
        else:
            yield node, key


def _blank(value: Any) -> Any:
    """The same shape with nothing in it: text empty, lists empty, answers unknown."""
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    if isinstance(value, Mapping):
        return {k: _blank(v) for k, v in value.items()}
    return None


def _texts(value: Any) -> Iterator[str]:
    """Every piece of text in a value, as another part of the record could quote it."""
    if isinstance(value, str):
        yield value
        yield from value.splitlines()
    elif isinstance(value, date):
        yield value.isoformat()
        yield f"{value.day} {value:%B %Y}"
        yield value.strftime("%d/%m/%Y")
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


_CODES: Final = frozenset(
    value
    for name in dir(codes)
    if name.isupper()
    for value in getattr(codes, name) or ()
    if isinstance(value, str)
)


def _pattern(text: str) -> re.Pattern[str] | None:
    words = text.split()
    if not words or len("".join(words)) < 2:
        # One character cannot identify anyone, and would be struck from every word.
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    # Whole words only: withholding "Al" must not turn "Always" into a marker.
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def _scrub(value: Any, patterns: Sequence[re.Pattern[str]]) -> Any:
    if isinstance(value, str):
        if value in _CODES:
            return value
        for pattern in patterns:
            value = pattern.sub(WITHHELD_MARK, value)
        return value
    if isinstance(value, Mapping):
        return {k: _scrub(v, patterns) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, patterns) for v in value]
    return value


def withheld_patterns(
    review: Mapping[str, Any], omit_sections: Sequence[str], redact_paths: Sequence[str]
) -> list[re.Pattern[str]]:
    """Patterns for every text a partial copy withholds, longest first."""
    texts: set[str] = set()
    narrative = review.get("narrative") or {}
    for code in omit_sections:
        texts.update(_texts(narrative.get(code)))
        for path in SECTION_DATA.get(code, ()):
            for parent, key in _locate(review, _normal_path(path)):
                texts.update(_texts(parent[key]))
    for path in _expand(redact_paths):
        parts = _normal_path(path)
        for parent, key in _locate(review, parts):
            texts.update(_texts(parent[key]))
            texts.update(_name_words(parent[key], parts))
    texts = {t.strip() for t in texts if t and t.strip()}
    # Longest first, so a sentence goes whole before a word inside it is marked.
    patterns = [_pattern(t) for t in sorted(texts, key=len, reverse=True)]
    return [p for p in patterns if p is not None]


_PEOPLE: Final = ("subject", "cared_for", "carer", "appropriate_person", "advocate", "participants")
_NAME_KEYS: Final = ("name", "preferred_name")
_TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})


def _name_words(value: Any, parts: Sequence[str]) -> Iterator[str]:
    """Each word of a withheld person's name: a narrative says "Tom's GP", not "Tom
    Lewis's GP". Protective: the surname goes too, even where the person shares it."""
    if not parts or parts[0] not in _PEOPLE:
        return
    names: list[Any] = []
    if parts[-1] in _NAME_KEYS:
        names.append(value)
    for person in value if isinstance(value, list) else [value]:
        if isinstance(person, Mapping):
            names.extend(person.get(k) for k in _NAME_KEYS)
    for name in names:
        if not isinstance(name, str):
            continue
        for word in name.split():
            word = word.strip(".,()'\"")
            if len(word) >= 2 and word.lower() not in _TITLES:
                yield word


def _expand(redact_paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for path in redact_paths:
        normal = ".".join(_normal_path(path))
        out.append(path)
        out.extend(COMPANIONS.get(normal, ()))
    return out


def check_withholdable(
    omit_sections: Sequence[str], redact_paths: Sequence[str], *, prefix: str = ""
) -> None:
    """Refuse what cannot be withheld, naming every problem (paths under ``prefix``)."""
    problems: dict[str, list[str]] = {}
    for i, code in enumerate(omit_sections):
        if code not in codes.SECTIONS:
            problems[f"{prefix}omit_sections.{i}"] = [f"Unknown section code {code!r}."]
    for i, path in enumerate(redact_paths):
        normal = ".".join(_normal_path(path))
        if not normal:
            problems[f"{prefix}redact.{i}"] = ["An empty path names nothing to withhold."]
        elif normal in _NOT_WITHHOLDABLE:
            problems[f"{prefix}redact.{i}"] = [
                f"{path!r} identifies the record and cannot be withheld."
            ]
    if problems:
        raise InputError(problems)


def check_plans(review: Mapping[str, Any], plans: Sequence[ShareDecision]) -> None:
    """Every partial copy asked for can be made, checked before any file is written."""
    listed = list(review["sharing"].get("recipients") or [])
    problems: dict[str, list[str]] = {}
    for plan in plans:
        if not (plan.allowed and plan.partial):
            continue
        index = next((i for i, r in enumerate(listed) if r.get("id") == plan.recipient_id), 0)
        try:
            check_withholdable(
                plan.omit_sections, plan.redact_paths, prefix=f"sharing.recipients.{index}."
            )
        except InputError as err:
            problems.update(err.errors)
    if problems:
        raise InputError(problems)
    for plan in plans:
        check_file_name(plan, review)


def redact(
    review: Mapping[str, Any],
    omit_sections: Sequence[str] = (),
    redact_paths: Sequence[str] = (),
) -> dict[str, Any]:
    """A copy of the review with the withheld information gone (003 "To share the
    record partially, omitting sections where information could put a vulnerable
    adult or child at risk").

    * an omitted section's narrative and the structured findings it is built from
      (``SECTION_DATA``) are emptied, so no other part of the record can show them;
    * the value at each redact path (``subject.address``, ``participants[0].view``,
      ``participants[].view``), and its companions (``COMPANIONS``), are emptied;
    * every withheld text found anywhere else in the review (a name quoted in a
      narrative, an address in a participant's view) is replaced by ``[withheld]``;
    * the sharing block is emptied: a copy never tells its reader who else has one,
      or about whom a concern is recorded.

    The input is not changed. Use ``withhold_from_decision`` on the decision too.
    """
    check_withholdable(omit_sections, redact_paths)
    patterns = withheld_patterns(review, omit_sections, redact_paths)
    out: dict[str, Any] = copy.deepcopy(dict(review))
    narrative = out.get("narrative")
    for code in omit_sections:
        if isinstance(narrative, dict):
            narrative.pop(code, None)
        for path in SECTION_DATA.get(code, ()):
            for parent, key in _locate(out, _normal_path(path)):
                parent[key] = _blank(parent[key])
    removed: list[tuple[list[Any], int]] = []
    for path in _expand(redact_paths):
        for parent, key in _locate(out, _normal_path(path)):
            if isinstance(parent, list) and isinstance(parent[key], Mapping):
                removed.append((parent, key))
            elif isinstance(parent, dict) and key in _OPTIONAL_OBJECTS:
                parent[key] = None
            else:
                parent[key] = _blank(parent[key])
    _remove_items(removed)
    # The council's own name, address and staff are not about the person: a town
    # shared with the person's address must not vanish from the complaints contact.
    kept = {key: out["review"].get(key) for key in _NOT_SCRUBBED}
    out = _scrub(out, patterns)
    out["review"].update(kept)
    out["sharing"] = {"consent_to_share": None, "recipients": []}
    return out


_OPTIONAL_OBJECTS: Final = (
    "appropriate_person",
    "advocate",
    "carer",
    "cared_for",
    "joint_organisation",
)
"""Whole people or organisations that a review may leave out: withheld, they are absent,
as if never recorded, rather than present with empty fields (an empty "Advocate:" line
would tell the reader there is one)."""


def _remove_items(removed: Sequence[tuple[list[Any], int]]) -> None:
    """Withheld list items (a participant) go entirely, not as an empty row. Removed
    highest index first, so the other indexes named still point where they did."""
    unique = {(id(items), index): (items, index) for items, index in removed}
    for items, index in sorted(unique.values(), key=lambda pair: pair[1], reverse=True):
        del items[index]


def without_sharing(review: Mapping[str, Any]) -> dict[str, Any]:
    """A full copy's review: everything but the list of who else gets a copy."""
    out = dict(review)
    out["sharing"] = {"consent_to_share": None, "recipients": []}
    return out


def withhold_from_decision(
    decision: Mapping[str, Any], omit_sections: Sequence[str]
) -> dict[str, Any]:
    """The decision as a partial copy shows it: omitted sections are not required, the
    next steps that would name them are gone, and the practitioner's warnings (never
    meant for a recipient) are dropped."""
    omitted = set(omit_sections)
    hidden_actions = {a for code in omitted for a in SECTION_ACTIONS.get(code, ())}
    out = dict(decision)
    out["required_sections"] = [c for c in decision["required_sections"] if c not in omitted]
    out["actions"] = [a for a in decision["actions"] if a not in hidden_actions]
    out["warnings"] = []
    if "outcome_and_next_steps" in omitted:
        # The outcome, its steps and the next review date are that section's content.
        out.update(
            outcome=None,
            outcome_number=None,
            reassessment_required=False,
            escalate_to_full_review=False,
            next_review_by=None,
            actions=[a for a in out["actions"] if a == "right_to_complain"],
        )
    return out


def recipient_for_copy(recipient: Mapping[str, Any]) -> dict[str, Any]:
    """The recipient as their own copy may describe them: the concern, the manager's
    decision and what is withheld stay off the page (a reader told they are a risk
    concern could be provoked by it)."""
    out = dict(recipient)
    out.update(risk_concern=False, manager_decision=None, omit_sections=[], redact=[])
    return out


def check_file_name(plan: ShareDecision, review: Mapping[str, Any]) -> None:
    """The copy's file name carries the recipient id: it must not carry withheld text."""
    if not plan.partial:
        return
    for pattern in withheld_patterns(review, plan.omit_sections, plan.redact_paths):
        if pattern.search(plan.recipient_id.replace("_", " ").replace("-", " ")) or pattern.search(
            plan.recipient_id
        ):
            raise SharingError(
                f"The recipient id {plan.recipient_id!r} contains information withheld from "
                "their copy, and would appear in the file name: give the recipient another id."
            )


# --- producing the copies -------------------------------------------------------------


@dataclass
class ShareResult:
    """What ``share`` did: the files made, who got nothing and why, who to tell."""

    review_id: str
    version: int
    produced: list[Any] = field(default_factory=list)
    shared: list[ShareDecision] = field(default_factory=list)
    refused: list[ShareDecision] = field(default_factory=list)
    subject_already_had: bool = False
    already_had: list[ShareDecision] = field(default_factory=list)
    advocate_note: str = ""

    def summary(self) -> str:
        lines = [f"Review {self.review_id}, record version {self.version}:"]
        for plan in self.shared:
            who = "the person (subject)" if plan.is_subject else plan.recipient_name
            part = " (some information withheld)" if plan.partial else ""
            lines.append(f"  copy for {who}{part}: {plan.reason}")
        if self.subject_already_had:
            lines.append("  the person already has this version of the record.")
        for plan in self.already_had:
            lines.append(
                f"  {plan.recipient_name} already has this version (name them with "
                "--recipient to send it again)."
            )
        for plan in self.refused:
            lines.append(f"  {plan.reason}")
        if self.advocate_note:
            lines.append(f"  {self.advocate_note}")
        for item in self.produced:
            lines.append(f"  wrote {item.relpath}")
        return "\n".join(lines)


def advocate_note(review: Mapping[str, Any]) -> str:
    """003 "If an advocate is already involved they should be informed when the review
    has been provided to the carer so that they can support them to understand it"."""
    advocate = review.get("advocate")
    if not advocate:
        return ""
    org = f" ({advocate['organisation']})" if advocate.get("organisation") else ""
    how = f" at {advocate['email']}" if advocate.get("email") else ""
    return (
        f"Tell {advocate.get('name')}{org}{how}, the advocate, that {_first_name(review)} "
        "has been given the review record, so they can help them understand it (003)."
    )


def select(plans: Sequence[ShareDecision], wanted: Sequence[str] | None) -> list[ShareDecision]:
    """The plans for the recipient ids asked for (all when none); unknown ids refused."""
    if not wanted:
        return list(plans)
    known = {p.recipient_id: p for p in plans if not p.is_subject}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise SharingError(
            f"Unknown recipient {', '.join(repr(u) for u in unknown)}: the review's "
            f"recipients are {listed}."
        )
    return [known[w] for w in dict.fromkeys(wanted)]


def share(
    review_or_path: Mapping[str, Any] | Path | str,
    out_dir: Path,
    *,
    recipients: Sequence[str] | None = None,
    register: Any,
    produced: date | None = None,
    input_sha256: str = "",
    fmt: str | None = None,
) -> ShareResult:
    """Produce the record copies and cover letters the sharing rules allow.

    Without ``recipients``: the subject and every listed recipient, except those the
    register shows already have the latest version; naming a recipient issues their
    copy again. Each allowed recipient gets ``review_record-<id>`` and
    ``sharing_cover_letter-<id>`` (DOCX unless ``fmt`` says otherwise: the subject's
    preferred format is theirs, not the recipient's); each refusal is stated in plain
    words and recorded in the register. The copies are of the latest version of the
    record in the register (amendments applied).
    """
    from reviewdocs import amend as amend_mod
    from reviewdocs.pipeline import produce, production_date

    review = _load(review_or_path)
    if review["review"].get("stage") == "planned" or not review.get("findings"):
        raise SharingError("The review is planned, not completed: there is no record to share yet.")
    current = amend_mod.current_record(review, register)
    content, decision = current.review, current.decision
    plans = select(plan_sharing(content, decision), recipients)
    check_plans(content, plans)
    on = production_date(review, produced)
    review_id = review["review"]["id"]
    result = ShareResult(review_id=review_id, version=current.version)
    holders = {e.recipient_id for e in register.recipients_of(review_id, RECORD, current.version)}
    for plan in plans:
        if plan.is_subject:
            if None in holders:
                result.subject_already_had = True
                continue
            result.produced += produce(
                content,
                out_dir,
                decision=decision,
                documents=["review_record"],
                fmt=fmt,
                produced=on,
                register=register,
                input_sha256=input_sha256,
                basis="subject",
                version=current.version,
                amendment=current.amendment,
                previous=current.previous,
            )
            result.shared.append(plan)
            result.advocate_note = advocate_note(content)
        elif not plan.allowed:
            register.add_refusal(review_id, plan.recipient_id, plan.recipient_name, plan.reason, on)
            result.refused.append(plan)
        elif not recipients and plan.recipient_id in holders:
            result.already_had.append(plan)
        else:
            result.produced += produce_copy(
                content,
                decision,
                plan,
                out_dir,
                register=register,
                produced=on,
                input_sha256=input_sha256,
                version=current.version,
                amendment=current.amendment,
                previous=current.previous,
                fmt=fmt or "docx",
            )
            result.shared.append(plan)
    return result


def produce_copy(
    review: Mapping[str, Any],
    decision: Mapping[str, Any],
    plan: ShareDecision,
    out_dir: Path,
    *,
    register: Any,
    produced: date,
    input_sha256: str = "",
    version: int = 1,
    amendment: Mapping[str, Any] | None = None,
    previous: Mapping[str, Any] | None = None,
    basis: str | None = None,
    fmt: str | None = None,
) -> list[Any]:
    """One recipient's record copy and cover letter, withheld information removed first."""
    from reviewdocs.pipeline import produce

    assert plan.recipient is not None and plan.allowed
    if plan.partial:
        check_file_name(plan, review)
        copy_review = redact(review, plan.omit_sections, plan.redact_paths)
        copy_decision = withhold_from_decision(decision, plan.omit_sections)
        if amendment:
            amendment = _amendment_for_copy(review, amendment, plan)
    else:
        copy_review, copy_decision = without_sharing(review), dict(decision)
    return produce(
        copy_review,
        out_dir,
        decision=copy_decision,
        documents=["review_record", "sharing_cover_letter"],
        fmt=fmt,
        variant="standard",
        produced=produced,
        register=register,
        input_sha256=input_sha256,
        recipient=recipient_for_copy(plan.recipient),
        basis=basis or plan.basis,
        withheld=plan.withheld,
        version=version,
        amendment=amendment,
        previous=previous,
    )


def _amendment_for_copy(
    review: Mapping[str, Any], amendment: Mapping[str, Any], plan: ShareDecision
) -> dict[str, Any]:
    """An amendment as a partial copy may describe it: only changes to sections the copy
    shows, and no reasons or evidence when it touched a withheld section (they would
    describe what was withheld). Earlier amendments in its ``history`` likewise: their
    text for a withheld section is no longer in the record, so nothing else removes it."""
    patterns = withheld_patterns(review, plan.omit_sections, plan.redact_paths)

    def visible(one: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in one.items() if k != "history"}
        changed = dict(one.get("sections") or {})
        out["sections"] = {c: t for c, t in changed.items() if c not in plan.omit_sections}
        if any(code in plan.omit_sections for code in changed):
            out.update(reason="", evidence="", decision_reason="")
        scrubbed: dict[str, Any] = _scrub(out, patterns)
        return scrubbed

    result = visible(amendment)
    if "history" in amendment:
        result["history"] = [visible(earlier) for earlier in amendment["history"]]
    return result


def _load(review_or_path: Mapping[str, Any] | Path | str) -> Mapping[str, Any]:
    if isinstance(review_or_path, Mapping):
        return review_or_path
    from reviewdocs.inputs import load_review

    loaded: Mapping[str, Any] = load_review(Path(review_or_path))
    return loaded
