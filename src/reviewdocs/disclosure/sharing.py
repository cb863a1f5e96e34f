"""Who gets a copy of the review record, and producing the copies.

The rules are 003 "Following the review process the carer must be given a written
record" to the end, and spec section 6. The rules are in ``sharing_rules`` and
each copy is made by ``copies``; ``share`` is the command: it gives every recipient the
rules allow the latest version of the record, except those who already have it and
those whose copy is held back by an earlier decision (``Register.holds``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs import faults
from reviewdocs.disclosure.amendments import resume_pending
from reviewdocs.disclosure.copies import advocate_note, produce_copy
from reviewdocs.disclosure.sharing_rules import (
    ShareDecision,
    check_file_name,
    check_plans,
    plan_sharing,
    recipients,
)
from reviewdocs.errors import InputError, SharingError
from reviewdocs.locks import review_lock

__all__ = [
    "ShareDecision",
    "ShareResult",
    "advocate_note",
    "check_file_name",
    "check_plans",
    "plan_sharing",
    "produce_copy",
    "recipients",
    "select",
    "share",
]

RECORD: Final = "review_record"


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
    held: list[tuple[ShareDecision, str]] = field(default_factory=list)
    """Copies held back by an earlier decision (``Register.holds``), with its reason."""
    advocate_note: str = ""
    resumed: list[Any] = field(default_factory=list)
    """Amendments interrupted earlier and finished first (``AmendResult``)."""

    def summary(self) -> str:
        lines = []
        for earlier in self.resumed:
            lines += ["Finished the amendment interrupted earlier:", earlier.summary()]
        lines.append(f"Review {self.review_id}, record version {self.version}:")
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
        for plan, reason in self.held:
            lines.append(
                f"  No copy for {plan.recipient_name}: held back ({reason}). Name them with "
                "--recipient once that is resolved."
            )
        for plan in self.refused:
            lines.append(f"  {plan.reason}")
        if self.advocate_note:
            lines.append(f"  {self.advocate_note}")
        for item in self.produced:
            done = "kept (already issued, unchanged)" if item.reused else "wrote"
            lines.append(f"  {done} {item.relpath}")
        return "\n".join(lines)


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

    A copy held back by an earlier decision (an amendment the person asked not to be
    circulated, or a risk concern a manager must decide on) stays held back unless the
    recipient is named: naming them is that decision, and issues the copy.
    """
    review = _load(review_or_path)
    if review["review"].get("stage") == "planned" or not review.get("findings"):
        raise SharingError("The review is planned, not completed: there is no record to share yet.")
    with review_lock(out_dir, review["review"]["id"], "share"):
        resumed = resume_pending(review, out_dir, register=register, input_sha256=input_sha256)
        result = _share(review, out_dir, recipients, register, produced, input_sha256, fmt)
        result.resumed = resumed
        return result


def _share(
    review: Mapping[str, Any],
    out_dir: Path,
    recipients: Sequence[str] | None,
    register: Any,
    produced: date | None,
    input_sha256: str,
    fmt: str | None,
) -> ShareResult:
    from reviewdocs.disclosure.production import produce, production_date
    from reviewdocs.disclosure.versions import current_record

    current = current_record(review, register)
    faults.point("share.read")
    content, decision = current.review, current.decision
    plans = select(plan_sharing(content, decision), recipients)
    check_plans(content, plans)
    on = production_date(review, produced)
    if current.version > 1 and on < current.produced_on:
        # A copy of version 2 dated before version 2 was made would say it supersedes
        # version 1 before anyone had decided so (003 "it must be clear which the
        # amended version is").
        raise InputError(
            {
                "--date": [
                    f"{on.isoformat()} is before version {current.version} of the record was "
                    f"made ({current.produced_on.isoformat()}): a copy cannot be dated before "
                    "the version it is a copy of."
                ]
            }
        )
    review_id = review["review"]["id"]
    result = ShareResult(review_id=review_id, version=current.version)
    holders = {e.recipient_id for e in register.recipients_of(review_id, RECORD, current.version)}
    holds = {} if recipients else register.holds(review_id)
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
            register.add_refusal(
                review_id,
                plan.recipient_id,
                plan.recipient_name,
                plan.reason,
                on,
                version=current.version,
            )
            result.refused.append(plan)
        elif not recipients and plan.recipient_id in holders:
            result.already_had.append(plan)
        elif plan.recipient_id in holds:
            result.held.append((plan, hold_reason(holds[plan.recipient_id].reason)))
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


def hold_reason(recorded: str) -> str:
    """The words of a hold's reason ("Version 2 not sent: <reason>" -> "<reason>")."""
    reason = recorded.split(": ", 1)[-1] if recorded.startswith("Version ") else recorded
    return reason.removeprefix("held back: ").rstrip(".")


def _load(review_or_path: Mapping[str, Any] | Path | str) -> Mapping[str, Any]:
    if isinstance(review_or_path, Mapping):
        return review_or_path
    from reviewdocs.intake.read import load_review

    loaded: Mapping[str, Any] = load_review(Path(review_or_path))
    return loaded
