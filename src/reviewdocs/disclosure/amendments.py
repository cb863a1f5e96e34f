"""Amendments to a review record: spec section 5 and 003 "Sometimes the carer or
anyone else that was involved in the review may ask for amendments to be made".

Accepted: a new version of the record, N+1, headed as the amended version that
supersedes version N of date D, with the amendment log, circulated to the people
who had version N (from the register). Declined: the amendment decision letter with
the reasons and the right to complain. Earlier files are never written to again.

The input file holds the original record; each accepted amendment is stored in the
register, so version N is rebuilt by applying the amendments in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs.disclosure.sharing import (
    ShareDecision,
    advocate_note,
    check_plans,
    plan_sharing,
    produce_copy,
)
from reviewdocs.disclosure.versions import (
    RECORD,
    RecordState,
    apply_amendment,
    current_record,
    validate_amendment,
    with_sections,
)
from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import safe_id

LETTER: Final = "amendment_decision_letter"


# --- deciding an amendment ------------------------------------------------------------


@dataclass
class AmendResult:
    """What ``amend`` did."""

    review_id: str
    accepted: bool
    amended_version: int
    """The version the request was about (N)."""
    version: int | None
    """The new version (N+1) when accepted."""
    produced: list[Any] = field(default_factory=list)
    circulated: list[ShareDecision] = field(default_factory=list)
    not_circulated: list[tuple[str, str]] = field(default_factory=list)
    """(recipient name, reason in plain words) for each earlier recipient left out."""
    advocate_note: str = ""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.accepted:
            lines = [
                f"Review {self.review_id}: amendment declined; record version "
                f"{self.amended_version} stands. The decision letter gives the reasons and "
                "the right to complain."
            ]
        else:
            lines = [
                f"Review {self.review_id}: amendment accepted; version {self.version} "
                f"supersedes version {self.amended_version}."
            ]
            for plan in self.circulated:
                lines.append(f"  sent to {plan.recipient_name}")
            for name, reason in self.not_circulated:
                lines.append(f"  not sent to {name}: {reason}")
            if self.advocate_note:
                lines.append(f"  {self.advocate_note}")
        lines += [f"  warning: {warning}" for warning in self.warnings]
        lines += [f"  wrote {item.relpath}" for item in self.produced]
        return "\n".join(lines)


def amend(
    review: Mapping[str, Any],
    amendment: Mapping[str, Any],
    out_dir: Path,
    *,
    register: Any,
    produced: date | None = None,
    input_sha256: str = "",
) -> AmendResult:
    """Decide an amendment request (003): the amended record, or the decline letter."""
    from reviewdocs.disclosure.production import production_date

    amendment = validate_amendment(amendment)
    if review["review"].get("stage") == "planned" or not review.get("findings"):
        raise ReviewdocsError("The review is planned, not completed: there is no record to amend.")
    held = review["review"].get("date")
    if isinstance(held, date) and amendment["date"] < held:
        raise InputError(
            {
                "date": [
                    f"{amendment['date'].isoformat()} is before the review took place "
                    f"({held.isoformat()}): is this the amendment for this review?"
                ]
            }
        )
    state = current_record(review, register)
    on = production_date(review, produced)
    if amendment["date"] > on:
        # A request cannot be dated after the documents deciding it: a typed year is
        # the likely cause, and an amended record must not claim a request not yet made.
        raise InputError(
            {
                "date": [
                    f"{amendment['date'].isoformat()} is after the date of the documents "
                    f"({on.isoformat()}): check the date of the request (or --date)."
                ]
            }
        )
    if amendment["decision"] == "decline":
        result = _decline(review, amendment, state, out_dir, register, on, input_sha256)
    else:
        result = _accept(review, amendment, state, out_dir, register, on, input_sha256)
    result.warnings += requester_warnings(review, amendment)
    if not register.recipients_of(review["review"]["id"], RECORD, state.version):
        result.warnings.append(
            f"The register has no record of version {state.version} being given to anyone: "
            "if it was, this is not the register it was made with (use --register), and "
            "the people who had it have not been sent the amended version."
        )
    return result


def requester_warnings(review: Mapping[str, Any], amendment: Mapping[str, Any]) -> list[str]:
    """Reminders about who asked: 003 "Sometimes the carer or anyone else that was
    involved in the review may ask for amendments" and "If the carer whose review it is
    has not made the request, consult with them". Warnings, not errors: the record may
    not list everyone who took part, and the consultation happens outside this tool."""
    subject = review["subject"]
    who = amendment["requested_by"].strip().casefold()
    own = {str(subject.get(k) or "").casefold() for k in ("name", "preferred_name")}
    if who in own:
        return []
    people = [subject.get("appropriate_person"), review.get("advocate"), review.get("carer")]
    people += list(review.get("participants") or [])
    involved = {str(p.get("name") or "").casefold() for p in people if isinstance(p, Mapping)}
    name = subject.get("preferred_name") or subject.get("name")
    out = [f"{amendment['requested_by']} is not {name}: make sure {name} was consulted (003)."]
    if who not in involved:
        out.append(
            f"{amendment['requested_by']} is not recorded as taking part in the review; 003 "
            "expects requests from the person or someone involved in the review."
        )
    return out


def _decline(
    review: Mapping[str, Any],
    amendment: dict[str, Any],
    state: RecordState,
    out_dir: Path,
    register: Any,
    on: date,
    input_sha256: str,
) -> AmendResult:
    """003 "If you reach a decision not to amend the record you should be clear about your
    reasons ... and you should make the carer aware of their right to complain"."""
    from reviewdocs.disclosure.production import produce

    review_id = review["review"]["id"]
    letter_version = (register.latest_version(review_id, LETTER) or 0) + 1
    _refuse_overwrite(out_dir, review_id, LETTER, letter_version)
    made = produce(
        state.review,
        out_dir,
        decision=state.decision,
        documents=[LETTER],
        produced=on,
        register=register,
        input_sha256=input_sha256,
        version=letter_version,
        amendment=amendment,
        previous={"version": state.version, "produced": state.produced_on},
    )
    register.add_amendment(review_id, state.version, None, on, amendment)
    return AmendResult(review_id, False, state.version, None, produced=made)


def _accept(
    review: Mapping[str, Any],
    amendment: dict[str, Any],
    state: RecordState,
    out_dir: Path,
    register: Any,
    on: date,
    input_sha256: str,
) -> AmendResult:
    """003 "If a decision is made to make the amendments you should proceed to do so.
    Where doing so results in 2 versions of the same review being available on the
    system it must be clear which the amended version is"."""
    from reviewdocs.disclosure.production import produce

    review_id = review["review"]["id"]
    new_version = state.version + 1
    letter_version = (register.latest_version(review_id, LETTER) or 0) + 1
    _refuse_overwrite(out_dir, review_id, RECORD, new_version)
    _refuse_overwrite(out_dir, review_id, LETTER, letter_version)
    content = apply_amendment(state.review, amendment, new_version)
    decision = with_sections(state.decision, list(amendment["sections"]))
    to_send, left_out = circulation(content, decision, amendment, state, register)
    # Every copy must be makeable before the first file is written.
    check_plans(content, to_send)
    history = []
    if state.amendment:
        history = [*state.amendment.get("history", []), _without_history(state.amendment)]
    for_render = {**amendment, "history": history}
    previous = {"version": state.version, "produced": state.produced_on}
    result = AmendResult(review_id, True, state.version, new_version)
    common: dict[str, Any] = {
        "produced": on,
        "register": register,
        "input_sha256": input_sha256,
        "amendment": for_render,
        "previous": previous,
    }
    result.produced += produce(
        content, out_dir, decision=decision, documents=[RECORD], version=new_version, **common
    )
    register.add_amendment(review_id, state.version, new_version, on, amendment)
    result.produced += produce(
        content, out_dir, decision=decision, documents=[LETTER], version=letter_version, **common
    )
    result.advocate_note = advocate_note(content)
    for plan in to_send:
        result.produced += produce_copy(
            content,
            decision,
            plan,
            out_dir,
            version=new_version,
            basis="amendment_circulation",
            **common,
        )
        result.circulated.append(plan)
    for recipient_id, who, reason in left_out:
        result.not_circulated.append((who, reason))
        note = f"Version {new_version} not sent: {reason}"
        register.add_refusal(review_id, recipient_id, who, note, on)
    return result


def circulation(
    content: Mapping[str, Any],
    decision: Mapping[str, Any],
    amendment: Mapping[str, Any],
    state: RecordState,
    register: Any,
) -> tuple[list[ShareDecision], list[tuple[str, str, str]]]:
    """Who is sent the amended record, and (id, name, reason) for who is not.

    003 "The amended record should be circulated to the same people as the original
    record, unless the carer requests otherwise or there is evidence that doing so would
    put the carer or a vulnerable adult or child at risk of harm or abuse".

    Protective readings: a recipient with a risk concern recorded now is left out even
    where a manager once allowed a copy (the amended content was not what they
    decided on; ``share --recipient`` sends it once a manager agrees); a recipient the
    rules no longer allow (consent withdrawn) or no longer listed is left out.
    """
    review_id = content["review"]["id"]
    name = str(content["subject"].get("preferred_name") or content["subject"].get("name"))
    plans = {p.recipient_id: p for p in plan_sharing(content, decision) if not p.is_subject}
    to_send: list[ShareDecision] = []
    left_out: list[tuple[str, str, str]] = []
    for earlier in register.recipients_of(review_id, RECORD, state.version):
        if earlier.recipient_id is None:
            continue
        who = earlier.recipient_name or earlier.recipient_id
        plan = plans.get(earlier.recipient_id)
        if not amendment["circulate"]:
            reason = f"{name} asked that the amended record is not sent to others (003)."
        elif plan is None:
            reason = "no longer listed among the review's recipients; check before sending."
        elif plan.recipient and plan.recipient.get("risk_concern"):
            reason = (
                "a concern about risk is recorded, so the amended record is not sent "
                "automatically; a manager must decide first (003)."
            )
        elif not plan.allowed:
            reason = plan.reason
        else:
            to_send.append(plan)
            continue
        left_out.append((earlier.recipient_id, who, reason))
    return to_send, left_out


def _without_history(amendment: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in amendment.items() if k != "history"}


def _refuse_overwrite(out_dir: Path, review_id: str, document: str, version: int) -> None:
    """Spec 5 "The original is never overwritten": a file already at the new version's
    name means the register does not know about it; stop rather than replace it."""
    folder = out_dir / safe_id(review_id)
    stem = document if version == 1 else f"{document}-v{version}"
    # The separator after the stem keeps "review_record-v2" from matching "-v21".
    clash = sorted(p.name for p in folder.glob(f"{stem}[.-]*")) if folder.is_dir() else []
    if clash:
        raise ReviewdocsError(
            f"{folder / clash[0]} already exists, but the register does not record it. "
            "Earlier versions are never overwritten: use the register those files were "
            "made with (--register), or move them away."
        )
