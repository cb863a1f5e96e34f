"""Who gets a copy of the review record: the rules of 003 "Following the review process
the carer must be given a written record" to the end, and spec section 6.

Each rule is a small function; ``plan_sharing`` asks them in turn, and ``check_plans``
makes sure every partial copy asked for can be made before any file is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from reviewdocs.disclosure.redaction import check_withholdable, withheld_patterns
from reviewdocs.errors import InputError, SharingError

SUBJECT: Final = "subject"
RECORD: Final = "review_record"


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


def first_name(review: Mapping[str, Any]) -> str:
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
    name = first_name(review)
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
        reason=f"{first_name(review)} asked for {r['name']} to have a copy (003).",
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
    name = first_name(review)
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
    name = first_name(review)
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


def check_file_name(plan: ShareDecision, review: Mapping[str, Any]) -> None:
    """The copy's file name carries the recipient id: it must not carry withheld text."""
    if not plan.partial:
        return
    # "kim-vale" names Kim Vale as surely as "Kim Vale" does.
    spellings = (plan.recipient_id, re.sub(r"[-_/]", " ", plan.recipient_id))
    for pattern in withheld_patterns(review, plan.omit_sections, plan.redact_paths):
        if any(pattern.search(spelling) for spelling in spellings):
            raise SharingError(
                f"The recipient id {plan.recipient_id!r} contains information withheld from "
                "their copy, and would appear in the file name: give the recipient another id."
            )
