"""The one place a template's context is built: the validated review plus plain words.

Templates see the validated review's own fields as they are (``subject.name``,
``review.id``, ``findings.plan.in_place``...) so admin staff can add any of them in
Word, and the derived content below (``letter``, ``sections``, ``next_steps``...),
already in plain words. Every derived key is always present (``None``, ``""`` or
``[]`` when it does not apply), because templates run with StrictUndefined: a
missing field must be an error, never a silent blank in a legal letter.

Content that repeats a section of the record (the subject's own words, the views of
others) is only shown when that section is in ``decision["required_sections"]``, so
a shared copy that omits a section (003 "To share the record partially, omitting
sections") carries no trace of it anywhere else in the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

from reviewdocs.dates import long_date
from reviewdocs.documents import letters, wording
from reviewdocs.documents.addressing import addressee, letter_block
from reviewdocs.documents.easy_read import easy
from reviewdocs.documents.letters import previous_date
from reviewdocs.documents.notices import notices
from reviewdocs.documents.reasons import (
    involvement,
    next_review,
    next_steps,
    outcome_words,
    own_words,
    people,
    people_intro,
    rationale_words,
    regard,
    sections,
)
from reviewdocs.documents.wording import plan_name, voice_for

TITLES = {
    "review_information_letter": "Information about the review",
    "review_delay_letter": "Delay to the review",
    "telephone_follow_up_letter": "Telephone review follow-up letter",
    "review_record": "Review record",
    "outcome_letter": "Outcome of the review",
    "amendment_decision_letter": "Decision on a request to change the review record",
    "sharing_cover_letter": "Review record shared",
}
"""Document titles (Word and PDF properties, read out by screen readers): neutral,
because a letter may go to the person or to their representative."""

WITHHELD_NOTICE = "Some information has been withheld from this copy."
"""003 "To share the record partially": the copy says so, and says nothing of what."""

# Every derived field a template may use, besides the review's own (schemas.input_paths()):
# ``templates check`` accepts exactly these. tests/test_documents.py keeps it in step
# with what build_context really returns.
CONTEXT_EXTRA_PATHS: frozenset[str] = frozenset(
    {
        "amendment",
        "amendment.accepted",
        "amendment.decision_reason",
        "amendment.decision_text",
        "amendment.evidence",
        "amendment.new_version",
        "amendment.opening",
        "amendment.reason",
        "amendment.requested",
        "amendment.requested[]",
        "amendment.requested_by",
        "amendment.title",
        "amendment_log",
        "amendment_log[]",
        "decided.actions",
        "decided.actions[]",
        "decided.escalate_to_full_review",
        "decided.next_review_by",
        "decided.outcome",
        "decided.outcome_number",
        "decided.reassessment_required",
        "decided.required_sections",
        "decided.required_sections[]",
        "decided.review_id",
        "decided.warnings",
        "decided.warnings[]",
        "delay",
        "delay.if_things_change",
        "delay.next_contact",
        "delay.opening",
        "delay.reason",
        "delay.timeframe",
        "easy.complain",
        "easy.complain[]",
        "easy.contact",
        "easy.contact[]",
        "easy.correction",
        "easy.correction[]",
        "easy.now",
        "easy.now[]",
        "easy.info.about",
        "easy.info.about[]",
        "easy.info.help",
        "easy.info.help[]",
        "easy.info.purpose",
        "easy.info.purpose[]",
        "easy.info.questions",
        "easy.info.questions[]",
        "easy.info.when",
        "easy.money",
        "easy.money[]",
        "easy.money_general",
        "easy.money_general[]",
        "easy.next_review",
        "easy.next_steps",
        "easy.next_steps[]",
        "easy.outcome",
        "easy.outcome_more",
        "easy.outcome_more[]",
        "easy.record.about",
        "easy.record.about[]",
        "easy.record.found",
        "easy.record.found[]",
        "easy.work",
        "easy.work[]",
        "facts.cared_for",
        "facts.cared_for_label",
        "facts.method",
        "facts.plan",
        "facts.review_type",
        "facts.trigger",
        "info.format",
        "info.opening",
        "info.purpose",
        "info.questions",
        "info.questions[].heading",
        "info.questions[].questions",
        "info.questions[].questions[]",
        "info.questions_intro",
        "info.timeframe",
        "info.what_to_expect",
        "info.what_to_expect[]",
        "letter.Your",
        "letter.about",
        "letter.address",
        "letter.addressee_name",
        "letter.advocate_note",
        "letter.copy_to",
        "letter.salutation",
        "letter.sender_address",
        "letter.to_representative",
        "letter.your",
        "meta.amended",
        "meta.amendment_notice",
        "meta.copy_for",
        "meta.document",
        "meta.produced",
        "meta.title",
        "meta.version",
        "meta.withheld",
        "meta.withheld_notice",
        "next_review.date",
        "next_review.text",
        "next_steps",
        "next_steps[]",
        "notices.advocacy",
        "notices.carers_leave",
        "notices.financial_assessment",
        "notices.financial_assessment_general",
        "notices.right_to_complain",
        "notices.show_complaints",
        "outcome.code",
        "outcome.differs",
        "outcome.headline",
        "outcome.now",
        "outcome.now[]",
        "outcome.number",
        "outcome.provisional",
        "outcome.reasons_label",
        "outcome.reassessment",
        "outcome.text",
        "outcome.to_decide",
        "outcome.to_decide[]",
        "outcome_letter.opening",
        "outcome_letter.record_enclosed",
        "own_words",
        "own_words.heading",
        "own_words.text",
        "own_words.whose",
        "people",
        "people[].consented",
        "people[].name",
        "people[].organisation",
        "people[].role",
        "people_intro",
        "involvement",
        "involvement[]",
        "plan.name",
        "rationale",
        "regard",
        "regard[].heading",
        "regard[].text",
        "sections",
        "sections[].code",
        "sections[].heading",
        "sections[].narrative",
        "sections[].questions",
        "sections[].questions[].answer",
        "sections[].questions[].question",
        "shared_copy",
        "shared_copy.basis",
        "shared_copy.confidential",
        "shared_copy.confidential[]",
        "shared_copy.opening",
        "telephone.corrections",
        "telephone.formal_record",
        "telephone.opening",
        "telephone.summary",
        "telephone.summary[]",
    }
)


def build_context(
    review: Mapping[str, Any],
    decision: Mapping[str, Any] | None,
    *,
    document: str,
    produced: dt.date,
    version: int = 1,
    recipient: Mapping[str, Any] | None = None,
    withheld: bool = False,
    amendment: Mapping[str, Any] | None = None,
    previous: Mapping[str, Any] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """Everything a template may print, from the validated review and the decision.

    ``decision`` is spec section 3's dict (``None`` for a planned review, which has
    no findings yet). ``recipient`` is the sharing recipient a copy is made for;
    ``amendment`` and ``previous`` (``{"version", "produced"}`` of the record being
    replaced) describe an amendment (spec section 5). ``only``: the top-level names a
    template reads; the derived ones it does not read are not built (a batch letter
    need not pay for the easy read summary), and ``meta`` always is.
    """
    decided = dict(decision) if decision else _no_decision(review)
    letter_to = addressee(review, recipient if document == "sharing_cover_letter" else None)
    record = document == "review_record"
    voice = voice_for(review["subject"], direct=letter_to["is_subject"] and not record)
    # The easy read summary of the record is written to its reader, like a letter.
    reader = voice_for(review["subject"], direct=letter_to["is_subject"])
    required = list(decided["required_sections"])
    outcome = outcome_words(review, decided, voice, letter=not record)
    rationale = rationale_words(review, decided, voice, required, withheld=withheld)
    derived: dict[str, Callable[[], Any]] = {
        "decided": lambda: decided,
        "meta": lambda: meta(
            review,
            document,
            produced,
            version,
            recipient=recipient,
            withheld=withheld,
            amendment=amendment,
            previous=previous,
        ),
        "letter": lambda: letter_block(review, letter_to, voice, document),
        "plan": lambda: {"name": plan_name(review)},
        "facts": lambda: facts(review),
        "outcome": lambda: outcome,
        "rationale": lambda: rationale,
        "sections": lambda: sections(
            review, required, voice, outcome, rationale, decided, withheld=withheld
        ),
        "regard": lambda: regard(review, required, decided, voice),
        "next_steps": lambda: next_steps(
            review, decided, voice, letter=not record, document=document
        ),
        "next_review": lambda: next_review(review, decided, voice, produced),
        "own_words": lambda: own_words(review, required, voice),
        "people": lambda: people(review),
        "people_intro": lambda: people_intro(review, voice),
        "involvement": lambda: involvement(review, voice),
        "notices": lambda: notices(review, decided, voice, document),
        "info": lambda: letters.information(review, voice),
        "delay": lambda: letters.delay(review, voice),
        "telephone": lambda: letters.telephone(
            review, required, voice, provisional=outcome["provisional"]
        ),
        "outcome_letter": lambda: letters.outcome_letter(
            review, voice, provisional=outcome["provisional"]
        ),
        "amendment": lambda: letters.amendment_words(
            review, amendment, previous, version, voice, addressed_to=letter_to["name"]
        ),
        "amendment_log": lambda: letters.amendment_log(amendment, document),
        "shared_copy": lambda: letters.shared_copy(review, recipient, voice),
        "easy": lambda: easy(review, decided, required, reader, outcome, produced=produced),
    }
    ctx: dict[str, Any] = dict(review)
    for name, build in derived.items():
        if only is None or name in only or name == "meta":
            ctx[name] = build()
    return ctx


def _no_decision(review: Mapping[str, Any]) -> dict[str, Any]:
    """A planned review has no decision yet: an empty one keeps every key present."""
    return {
        "review_id": review["review"]["id"],
        "outcome": None,
        "outcome_number": None,
        "reassessment_required": False,
        "escalate_to_full_review": False,
        "required_sections": [],
        "actions": [],
        "next_review_by": None,
        "warnings": [],
    }


# --- meta -----------------------------------------------------------------------------


def meta(
    review: Mapping[str, Any],
    document: str,
    produced: dt.date,
    version: int,
    *,
    recipient: Mapping[str, Any] | None,
    withheld: bool,
    amendment: Mapping[str, Any] | None,
    previous: Mapping[str, Any] | None,
) -> dict[str, Any]:
    amended = bool(amendment) and document == "review_record"
    notice = ""
    if amended and previous:
        # Spec 5: "headed as the amended version that supersedes version N of date D".
        notice = (
            f"This amended version (version {version}) supersedes version "
            f"{previous.get('version')} of {long_date(previous_date(previous))}."
        )
    copy_for = ""
    if recipient and document == "review_record":
        copy_for = f"Copy for {recipient.get('name')}"
    return {
        "document": document,
        "title": title(review, document),
        "version": version,
        "produced": produced,
        "withheld": withheld,
        "withheld_notice": WITHHELD_NOTICE if withheld else "",
        "amended": amended,
        "amendment_notice": notice,
        "copy_for": copy_for,
    }


def title(review: Mapping[str, Any], document: str) -> str:
    """The document's title, with the subject's name: "Review record — Maria Lewis"."""
    return f"{TITLES[document]} — {review['subject'].get('name')}"


def facts(review: Mapping[str, Any]) -> dict[str, str]:
    r = review["review"]
    cared_for = review.get("cared_for")
    carer = review.get("carer")
    other = cared_for or carer
    label = "Person cared for" if cared_for else "Carer"
    method = wording.METHODS.get(r.get("method") or "", "")
    joint = r.get("joint_organisation")
    if r.get("method") == "joint" and joint:
        method = f"Jointly with {joint.get('name')}"
    return {
        "review_type": wording.REVIEW_TYPES.get(r.get("review_type") or "", ""),
        "method": method,
        "trigger": wording.TRIGGERS.get(r.get("trigger") or "", ""),
        "plan": plan_name(review)[:1].upper() + plan_name(review)[1:],
        "cared_for": f"{other.get('name')} ({other.get('relationship')})" if other else "",
        "cared_for_label": label,
    }


def context_paths(value: Any, prefix: str = "") -> set[str]:
    """The field paths in a context, in the schema's notation (``people[].name``)."""
    if isinstance(value, Mapping):
        out: set[str] = set()
        for key, item in value.items():
            out |= context_paths(item, f"{prefix}.{key}" if prefix else str(key))
        return out or {prefix}
    if isinstance(value, list | tuple):
        out = {prefix}
        for item in value:
            out |= context_paths(item, f"{prefix}[]")
        return out
    return {prefix}
