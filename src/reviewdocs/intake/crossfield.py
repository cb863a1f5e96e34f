"""Cross-field rules of the review input: one small function per rule.

Each rule takes the loaded review (possibly only partly loaded when some fields
were invalid), and yields ``(dotted.path, message)`` for each problem. A rule whose
inputs are missing or invalid stays silent: the field error already says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from reviewdocs import codes
from reviewdocs.intake.model import input_paths

Problem = tuple[str, str]
Rule = Callable[[dict[str, Any]], Iterator[Problem]]

REQUIRED = "Missing data for required field."


def blank(value: object) -> bool:
    """True for a missing answer: ``None`` or text with nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def get(data: Mapping[str, Any] | None, dotted: str) -> Any:
    """The value at a dotted path of a (possibly partly loaded) review, or ``None``."""
    node: Any = data
    for part in dotted.split("."):
        # type() first: isinstance against the Mapping ABC costs ten times more, and a
        # loaded review is plain dicts.
        if type(node) is not dict and not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _is_planned(review: Mapping[str, Any]) -> bool:
    return get(review, "review.stage") == "planned"


def _is_completed(review: Mapping[str, Any]) -> bool:
    # "completed" is the default; an unreadable stage is treated as completed so the
    # findings a completed record needs are still asked for.
    return not _is_planned(review)


# --- who the review is about -------------------------------------------------


def cared_for_for_carer_plans(review: dict[str, Any]) -> Iterator[Problem]:
    """Spec section 2 "cared_for required for carer_support_plan": a carer's review weighs
    the cared-for person's risk and Wellbeing (000 "The plan is managing any identified
    risk to the carer or the cared for person") and their capacity and liberty
    (000 "Deprivation of Liberty").

    A cared_for on a Care and Support Plan is refused rather than ignored: a value
    that is silently dropped is a wrong record.
    """
    plan_type = get(review, "review.plan_type")
    if plan_type == "carer_support_plan" and review.get("cared_for") is None:
        yield "cared_for", REQUIRED
    elif plan_type == "care_and_support_plan" and review.get("cared_for") is not None:
        yield "cared_for", "Only for a carer_support_plan; for this plan use carer."


def carer_for_care_plans(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "Whenever the person with Care and Support needs has a carer": ``carer`` is
    the carer of the person whose Care and Support Plan is reviewed (optional)."""
    if get(review, "review.plan_type") == "carer_support_plan" and review.get("carer"):
        yield "carer", "Only for a care_and_support_plan; for a carer's plan use cared_for."


def cared_for_risk_for_carers(review: dict[str, Any]) -> Iterator[Problem]:
    """003 item 5 "risk to the carer and the cared for person": the cared-for person's own
    risk answer belongs to a carer's review only (a value silently dropped is a wrong record)."""
    if (
        get(review, "review.plan_type") == "care_and_support_plan"
        and get(review, "findings.risk.cared_for_managed") is not None
    ):
        yield (
            "findings.risk.cared_for_managed",
            "Only for a carer_support_plan: there is no person cared for in this review.",
        )


def in_work_for_carers(review: dict[str, Any]) -> Iterator[Problem]:
    """000 "If the carer works, always check that they are aware of their right to
    unpaid leave": the answer decides the Carers Leave Act information, so it is
    never assumed."""
    if (
        get(review, "review.plan_type") == "carer_support_plan"
        and get(review, "subject.in_work") is None
    ):
        yield "subject.in_work", REQUIRED


def representative_can_be_written_to(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "You should let the person themselves know ... unless: They have requested you
    liaise with a nominated representative": letters the subject asked to go to their
    representative need a representative and somewhere to send them."""
    if get(review, "subject.correspondence_to_representative") is not True:
        return
    person = get(review, "subject.appropriate_person")
    if person is None:
        yield (
            "subject.appropriate_person",
            "Required when correspondence_to_representative is true: letters go to this person.",
        )
    elif not person.get("address") and blank(person.get("email")):
        yield (
            "subject.appropriate_person.address",
            "Give an address or an email: letters go to the representative.",
        )


def advocacy_declined_by_the_person(review: dict[str, Any]) -> Iterator[Problem]:
    """004 "If a person decides that they do not wish to engage in the advocacy support that
    has been made available to them they do not have to do so": a decision the person makes.

    Reading (the one that protects the person): a person recorded as lacking capacity is
    not recorded as declining (004 "Advocacy for people who lack Capacity"): the referral
    stays. An advocate named, or taking part, contradicts a refusal: letters would name
    them as the person's advocate and tell them the record was sent."""
    if get(review, "subject.advocacy_declined") is not True:
        return
    if get(review, "subject.has_capacity") is False:
        yield (
            "subject.advocacy_declined",
            "The person is recorded as lacking capacity: an advocate must still be arranged "
            'for them (004 "Advocacy for people who lack Capacity"). Leave this blank.',
        )
    participants = review.get("participants")
    took_part = isinstance(participants, list) and any(
        isinstance(p, Mapping) and p.get("role") == "advocate" for p in participants
    )
    if review.get("advocate") is not None or took_part:
        yield (
            "subject.advocacy_declined",
            "An advocate is named or took part: remove them, or leave this blank. A person "
            "who declined advocacy has no advocate to write to.",
        )


# --- how the review is carried out -------------------------------------------


def combined_agreement_for_combined(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "Both the person and the carer agree to a combined review process": the
    agreement belongs to a combined review only (a value silently dropped is a wrong
    record)."""
    if get(review, "review.combined_agreement") is not None and (
        get(review, "review.method") != "combined"
    ):
        yield "review.combined_agreement", "Only when review.method is combined."


def joint_organisation_when_joint(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "Joint or integrated review": the other organisation must be named, it
    gets a copy of the record (003 "Where the review was carried out jointly")."""
    if get(review, "review.method") == "joint" and get(review, "review.joint_organisation") is None:
        yield "review.joint_organisation", "Required when review.method is joint."


def face_to_face_when_lacking_capacity(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "Whenever the person with Care and Support needs is known to lack capacity a
    face to face review must be arranged".

    Combined, joint and delegated reviews can be held in person, so only the methods
    that cannot be (telephone, online, supported self review) are refused.
    """
    method = get(review, "review.method")
    if get(review, "review.plan_type") != "care_and_support_plan" or method not in (
        codes.REMOTE_METHODS
    ):
        return
    if get(review, "subject.has_capacity") is False:
        yield (
            "review.method",
            f"The person lacks capacity, so the review must be face to face, not {method}.",
        )
    elif get(review, "subject.capacity_concern") is True:
        # 002 "Whether there is a concern about the person's capacity in relation to a
        # particular decision to be made. In this situation the Care Act requires you must
        # carry out a face to face review".
        yield (
            "review.method",
            "There is a concern about the person's capacity, so the review must be face to "
            f"face, not {method}.",
        )


# --- planned or completed ----------------------------------------------------


def completed_review_has_findings(review: dict[str, Any]) -> Iterator[Problem]:
    """003 "The following information must be clearly but proportionately recorded in
    all cases": a completed review records its findings and the date it took place."""
    if not _is_completed(review):
        return
    if review.get("findings") is None:
        yield "findings", REQUIRED
    if get(review, "review.date") is None:
        yield "review.date", REQUIRED


def planned_review_has_no_findings(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "you must provide information about the review process to the person ... before
    the review process begins": a planned review is the record behind the information and
    delay letters, written before any conversation, so it cannot hold findings, a
    decision or record text."""
    if not _is_planned(review):
        return
    reason = "Must be left out of a planned review (review.stage: planned)."
    if review.get("findings") is not None:
        yield "findings", reason
    for key, value in (review.get("decision") or {}).items():
        if value is not None:
            yield f"decision.{key}", reason
    if review.get("narrative"):
        yield "narrative", reason


def delay_has_next_contact(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "Agree a proposed timeframe for the review to be carried out and further contact
    to be made": a delay letter that only promises to "keep in touch" leaves the person
    without a date."""
    delay = get(review, "review.delay")
    if isinstance(delay, Mapping) and delay.get("next_contact_by") is None:
        yield (
            "review.delay.next_contact_by",
            "Required when there is a delay: the date by which we will contact the person again.",
        )


# --- safeguarding and liberty ------------------------------------------------


def safeguarding_review_option(review: dict[str, Any]) -> Iterator[Problem]:
    """000 "Safeguarding and Deprivation of Liberty": where the concern is about the
    subject "a decision will need to be made about the need to pause the review"
    ("There are 3 possible options")."""
    safeguarding = get(review, "findings.safeguarding")
    if (
        not isinstance(safeguarding, Mapping)
        or safeguarding.get("concern_about_subject") is not True
    ):
        return
    if safeguarding.get("review_option") is None:
        yield (
            "findings.safeguarding.review_option",
            "Required when the concern is about the subject: continue, pause or "
            "pause_with_interim_support.",
        )
    # A concern about the subject is a safeguarding concern: a record saying both
    # "no concern" and "a concern about the subject" cannot be acted on safely.
    if safeguarding.get("concern") is False:
        yield "findings.safeguarding.concern", "Must be true when concern_about_subject is true."


def safeguarding_action_recorded(review: dict[str, Any]) -> Iterator[Problem]:
    """003 where relevant, item 8: "Any safeguarding concerns that have been raised and
    action taken"."""
    if get(review, "findings.safeguarding.concern") is True and blank(
        get(review, "findings.safeguarding.action_taken")
    ):
        yield "findings.safeguarding.action_taken", "Required when there is a safeguarding concern."


def liberty_action_recorded(review: dict[str, Any]) -> Iterator[Problem]:
    """003 where relevant, item 9: "Any Deprivation of Liberty concerns raised and action
    taken"."""
    if get(review, "findings.liberty.concern") is True and blank(
        get(review, "findings.liberty.action_taken")
    ):
        yield (
            "findings.liberty.action_taken",
            "Required when there is a Deprivation of Liberty concern.",
        )


# --- sharing -----------------------------------------------------------------


def _recipients(review: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    recipients = get(review, "sharing.recipients")
    if not isinstance(recipients, list):
        return []
    return [(i, r) for i, r in enumerate(recipients) if isinstance(r, Mapping)]


def manager_decision_when_risk(review: dict[str, Any]) -> Iterator[Problem]:
    """003 "Concerns about a request": where sharing could put someone at risk, "seek
    advice from your line manager and decide" to share in full, partially, or not."""
    for i, recipient in _recipients(review):
        if recipient.get("risk_concern") is True and recipient.get("manager_decision") is None:
            yield f"sharing.recipients.{i}.manager_decision", "Required when risk_concern is true."


def partial_copy_withholds_something(review: dict[str, Any]) -> Iterator[Problem]:
    """003 "To share the record partially, omitting sections where information could put
    a vulnerable adult or child at risk": a partial copy that withholds nothing would
    say parts were withheld while sending everything."""
    for i, recipient in _recipients(review):
        if (
            recipient.get("manager_decision") == "partial"
            and not recipient.get("omit_sections")
            and not recipient.get("redact")
        ):
            yield (
                f"sharing.recipients.{i}.omit_sections",
                "A partial copy must withhold something: list omit_sections or redact paths.",
            )


# The other parts of an output name (spec 4: <document>[-v<N>][-<recipient id>][-<variant>]).
_NAME_PARTS = re.compile(r"v\d+([-_/].*)?|(.*[-_/])?(large_print|easy_read)", re.IGNORECASE)


def recipient_ids_unique(review: dict[str, Any]) -> Iterator[Problem]:
    """Spec section 6: each copy is registered by recipient id, and ``share
    --recipient ID`` picks one; two recipients with one id would get each other's copy.

    The id is part of the copy's file name, so it must not read as another part of a
    name: recipient ``large_print`` would write ``review_record-large_print.docx``, the
    subject's own large print record, and ``v2`` the amended version. ``a/b`` and
    ``a_b`` name one file (``/`` becomes ``_``)."""
    seen: dict[str, int] = {}
    for i, recipient in _recipients(review):
        rid = recipient.get("id")
        if not isinstance(rid, str):
            continue
        if _NAME_PARTS.fullmatch(rid):
            yield (
                f"sharing.recipients.{i}.id",
                f"{rid!r} would be read as part of a file name (a version or a format): "
                "choose another id, such as the recipient's name.",
            )
        key = rid.replace("/", "_").lower()
        if key in seen:
            yield f"sharing.recipients.{i}.id", f"Already used by sharing.recipients.{seen[key]}."
        else:
            seen[key] = i


def redact_paths_exist(review: dict[str, Any]) -> Iterator[Problem]:
    """003 "omitting sections where information could put a vulnerable adult or child at
    risk": a redaction path that names nothing would withhold nothing, silently."""
    for i, recipient in _recipients(review):
        for j, path in enumerate(recipient.get("redact") or []):
            if isinstance(path, str) and not _names_input(path):
                yield (
                    f"sharing.recipients.{i}.redact.{j}",
                    f"{path!r} is not an input path (for example subject.address).",
                )


@cache
def _known_paths() -> frozenset[str]:
    paths = set(input_paths())
    # An object or list can be withheld whole (e.g. "subject.appropriate_person").
    for path in list(paths):
        for sep in re.finditer(r"\.|\[\]", path):
            paths.add(path[: sep.start()])
            paths.add(path[: sep.end()].rstrip("."))
    return frozenset(paths)


def _names_input(path: str) -> bool:
    """``participants.0.view``, ``participants[0].view`` and ``participants[].view`` name
    the same input path."""
    normal = re.sub(r"\[\d*\]", "[]", path)
    normal = re.sub(r"\.\d+(?=\.|$)", "[]", normal)
    return normal in _known_paths()


# --- dates that cannot be true -----------------------------------------------


def review_not_before_plan_start(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "A review of a new service or Care and Support Plan should be carried out
    within 6-8 weeks of the service/change commencing": a review reviews a plan that
    has started."""
    held, started = get(review, "review.date"), get(review, "review.plan_start_date")
    if held and started and held < started:
        yield "review.date", f"Is before review.plan_start_date ({started.isoformat()})."


def born_before_review(review: dict[str, Any]) -> Iterator[Problem]:
    """A date of birth after the review is a typing error that would mislead every letter."""
    held, born = get(review, "review.date"), get(review, "subject.date_of_birth")
    if held and born and born > held:
        yield "subject.date_of_birth", f"Is after the review date ({held.isoformat()})."


def decision_dates_after_review(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "reviews should be arranged as required to monitor the situation": the next
    review and the monitoring date lie after the review that sets them."""
    held = get(review, "review.date")
    if not held:
        return
    for key in ("monitoring_review_by", "next_review_by", "information_follow_up_by"):
        when = get(review, f"decision.{key}")
        if when and when < held:
            yield f"decision.{key}", f"Is before the review date ({held.isoformat()})."


def change_starts_on_or_after_review(review: dict[str, Any]) -> Iterator[Problem]:
    """002 "within 6-8 weeks of the service/change commencing": the change is agreed at the
    review, so it starts on or after it; an earlier date would count the 6-8 weeks from
    before the change was decided."""
    held, starts = get(review, "review.date"), get(review, "decision.change_starts")
    if held and starts and starts < held:
        yield (
            "decision.change_starts",
            f"Is before the review date ({held.isoformat()}): give the date the agreed "
            "change starts.",
        )


def change_starts_only_for_a_change(review: dict[str, Any]) -> Iterator[Problem]:
    """A start date for a change beside a recorded "no change" outcome contradicts itself
    (003 "Broadly there are 3 possible outcomes", 1 "No changes required")."""
    if get(review, "decision.outcome") == "no_change" and get(review, "decision.change_starts"):
        yield (
            "decision.change_starts",
            "Must be left out when decision.outcome is no_change: there is no change to start.",
        )


def record_not_dated_before_review(review: dict[str, Any]) -> Iterator[Problem]:
    """003 "Following the review process the carer must be given a written record": the
    documents of a completed review cannot be dated before the conversation."""
    held, dated = get(review, "review.date"), get(review, "review.document_date")
    if _is_completed(review) and held and dated and dated < held:
        yield "review.document_date", f"Is before the review date ({held.isoformat()})."


RULES: tuple[Rule, ...] = (
    cared_for_for_carer_plans,
    carer_for_care_plans,
    cared_for_risk_for_carers,
    in_work_for_carers,
    representative_can_be_written_to,
    advocacy_declined_by_the_person,
    combined_agreement_for_combined,
    joint_organisation_when_joint,
    face_to_face_when_lacking_capacity,
    completed_review_has_findings,
    planned_review_has_no_findings,
    delay_has_next_contact,
    safeguarding_review_option,
    safeguarding_action_recorded,
    liberty_action_recorded,
    manager_decision_when_risk,
    partial_copy_withholds_something,
    recipient_ids_unique,
    redact_paths_exist,
    review_not_before_plan_start,
    born_before_review,
    decision_dates_after_review,
    change_starts_on_or_after_review,
    change_starts_only_for_a_change,
    record_not_dated_before_review,
)
"""Rules that work on a partly loaded review."""


def check_rules(review: dict[str, Any], field_errors: Mapping[str, object]) -> list[Problem]:
    """Every cross-field problem, except those under a path that already has a field error
    (``cared_for: Must be an object`` needs no ``cared_for: Missing data``)."""
    problems = []
    for rule in RULES:
        for path, message in rule(review):
            if not _under_error(path, field_errors):
                problems.append((path, message))
    return problems


def _under_error(path: str, field_errors: Mapping[str, object]) -> bool:
    parts = path.split(".")
    return any(".".join(parts[:n]) in field_errors for n in range(1, len(parts) + 1))
