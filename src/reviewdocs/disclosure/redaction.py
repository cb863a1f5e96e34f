"""Redaction: a partial copy's review, with the withheld information gone.

003 "To share the record partially, omitting sections where information could put a
vulnerable adult or child at risk". Information is removed from the data BEFORE a
document is rendered, never hidden by formatting: withheld text never reaches the
template, so it cannot survive in the body, headers, footers, properties or file
name of the copy. ``sharing`` decides who gets a partial copy; this module makes it.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from reviewdocs import codes
from reviewdocs.dates import long_date
from reviewdocs.disclosure._derived import money, phone_parts, streets
from reviewdocs.disclosure._spelling import Needle, needle, replace, spans
from reviewdocs.errors import InputError

WITHHELD_MARK: Final = "[withheld]"
"""What replaces withheld text found inside other free text: it says nothing of what."""

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

REVEALING_VALUES: Final[Mapping[str, tuple[tuple[str, str], ...]]] = {
    # A value elsewhere in the record that would name an omitted section's subject:
    # "Why the review took place: A safeguarding concern" tells what was withheld.
    "safeguarding": (("review.trigger", "safeguarding"),),
}

COMPANIONS: Final[Mapping[str, tuple[str, ...]]] = {
    # Withholding an address but not its postcode, or a name but not the name the
    # person is known by, would leave the information half there.
    "subject.address": ("subject.postcode",),
    "subject.name": ("subject.preferred_name",),
    "subject.appropriate_person.address": ("subject.appropriate_person.postcode",),
    "advocate.address": ("advocate.postcode",),
}

_NOT_SCRUBBED: Final = ("id", "local_authority", "practitioner")
"""Parts of ``review`` left as they are when withheld text is searched for elsewhere."""

_NOT_WITHHOLDABLE: Final = ("review.id", "review.date", "schema_version")
"""The record's identity: the footer, the heading and the file name need it (spec
section 4: "Every document carries the review id")."""


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
        yield long_date(value)
        yield value.strftime("%d/%m/%Y")
        # "July 22, 1939", "22 Jul 1939" and "Jul 22 1939": separators do not count.
        yield f"{value.strftime('%B')} {value.day} {value.year}"
        yield f"{value.day} {value.strftime('%b')} {value.year}"
        yield f"{value.strftime('%b')} {value.day} {value.year}"
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


_NUMBER: Final = re.compile(r"[\d\s().+-]+")


def _number_pattern(text: str) -> re.Pattern[str] | None:
    """A phone number is the same number however it is spaced: "07700 900 456" withheld
    must also go where a narrative wrote "07700900456" or "07700-900-456"."""
    digits = re.sub(r"\D", "", text)
    if not _NUMBER.fullmatch(text) or len(digits) < 6:
        return None
    return re.compile(r"(?<!\d)" + r"[\s().-]*".join(digits) + r"(?!\d)")


_APOSTROPHES: Final = "'\u2018\u2019\u02bc`\u00b4"
_DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _loose(word: str) -> str:
    """``word`` as a pattern in which any apostrophe or dash stands for any other."""
    out = []
    for char in word:
        if char in _APOSTROPHES:
            out.append("[" + re.escape(_APOSTROPHES) + "]")
        elif char in _DASHES:
            out.append("[" + re.escape(_DASHES) + "]")
        else:
            out.append(re.escape(char))
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern[str] | None:
    """The withheld text as typed (spaces and dashes aside): the second of the two
    searches ``scrub`` makes. The first, by key (``_spelling``), finds every spelling of
    the letters and digits; this one finds what has none (a withheld "!!" or "&")."""
    number = _number_pattern(text)
    if number is not None:
        return number
    words = text.split()
    if not words or len("".join(words)) < 2:
        # One character cannot identify anyone, and would be struck from every word.
        return None
    body = r"\s*".join(_loose(w) for w in words)
    # Whole words only: withholding "Al" must not turn "Always" into a marker.
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


# Invisible characters that text pasted from a word processor or a web page carries
# inside words (soft hyphen, zero-width space and joiners, direction marks, BOM, the
# combining grapheme joiner, variation selectors): "Le\u00adwis" shows as "Lewis", so a
# partial copy drops them from every text it shows.
_INVISIBLE: Final = re.compile(
    "[\u00ad\u034f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)


def scrub(value: Any, patterns: Sequence[Needle]) -> Any:
    """``value`` with every withheld text (``withheld_patterns``) replaced by the mark,
    in any spelling (``_spelling``), and as typed."""
    if isinstance(value, str):
        if value in _CODES:
            return value
        value = _INVISIBLE.sub("", value)
        value = replace(value, spans(value, patterns), WITHHELD_MARK)
        for one in patterns:
            literal = None if one.shields else _pattern(one.text)
            if literal is not None:
                value = literal.sub(WITHHELD_MARK, value)
        return value
    if isinstance(value, Mapping):
        return {k: scrub(v, patterns) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, patterns) for v in value]
    return value


def withheld_patterns(
    review: Mapping[str, Any], omit_sections: Sequence[str], redact_paths: Sequence[str]
) -> list[Needle]:
    """Every text a partial copy withholds, longest first, each found in any spelling
    (``Needle.search``; ``scrub`` replaces them)."""
    texts: set[str] = set()
    places: set[str] = set()
    narrative = review.get("narrative") or {}
    for code in omit_sections:
        section = set(_texts(narrative.get(code)))
        for path in SECTION_DATA.get(code, ()):
            for parent, key in _locate(review, _normal_path(path)):
                section.update(_texts(parent[key]))
        texts.update(section)
        texts.update(amount for text in section for amount in money(text))
    for path in _expand(redact_paths):
        parts = _normal_path(path)
        for parent, key in _locate(review, parts):
            texts.update(_texts(parent[key]))
            texts.update(_name_words(parent[key], parts))
            texts.update(streets(parent[key], key))
            texts.update(phone_parts(parent[key], key))
            places.update(_address_lines(parent[key], key))
    texts = {_INVISIBLE.sub("", t).strip() for t in texts if t}
    texts.discard("")
    places = {_INVISIBLE.sub("", t).strip() for t in places} & texts
    organisations = [name for name in _organisations(review) if name not in texts]
    # Longest first, so a sentence goes whole before a word inside it is marked.
    return [
        needle(text, organisations if text in places else ())
        for text in sorted(texts, key=len, reverse=True)
    ]


def _address_lines(value: Any, key: Any) -> Iterator[str]:
    """Withheld address lines without a digit (a town, a street without its number):
    the only withheld texts an organisation's name may shield (issue 11: "Jointly with
    Exampleton Community NHS Trust" keeps its town when the person's address is
    withheld). A line with a number, a postcode, a name or a phone number never is."""
    if key == "address" and isinstance(value, list):
        for line in value:
            if isinstance(line, str) and not any(char.isdigit() for char in line):
                yield line
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _address_lines(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _address_lines(v, None)


def _organisations(review: Mapping[str, Any]) -> Iterator[str]:
    """The names of organisations the record shows: the council, the joint organisation,
    participants' and the advocate's organisations, organisations receiving copies."""
    paths = (
        "review.local_authority.name",
        "review.joint_organisation.name",
        "participants.*.organisation",
        "advocate.organisation",
    )
    for path in paths:
        for parent, key in _locate(review, _normal_path(path)):
            if isinstance(parent[key], str) and parent[key].strip():
                yield parent[key]
    for recipient in (review.get("sharing") or {}).get("recipients") or ():
        if not isinstance(recipient, Mapping) or not isinstance(recipient.get("name"), str):
            continue
        if recipient.get("kind") in _ORGANISATION_KINDS:
            yield recipient["name"]


_ORGANISATION_KINDS: Final = ("joint_organisation", "provider")


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
        # "Smith-Jones" is also written "Smith" or "Jones" alone.
        for word in re.split(r"[\s\u2010-\u2015-]+", name):
            word = word.strip(".,()'\"\u2018\u2019")
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
        for path, value in REVEALING_VALUES.get(code, ()):
            for parent, key in _locate(out, _normal_path(path)):
                if parent[key] == value:
                    parent[key] = None
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
    out = scrub(out, patterns)
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
