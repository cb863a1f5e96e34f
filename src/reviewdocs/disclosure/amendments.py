"""Amendments to a review record: spec section 5 and 003 "Sometimes the carer or
anyone else that was involved in the review may ask for amendments to be made".

Accepted: a new version of the record, N+1, headed as the amended version that
supersedes version N of date D, with the amendment log, circulated to the people
who had version N (from the register). Declined: the amendment decision letter with
the reasons and the right to complain. Earlier files are never written to again.

The input file holds the original record; each accepted amendment is stored in the
register, so version N is rebuilt by applying the amendments in order.

An amendment is a transaction. Under the review's lock (``locks.review_lock``) the
decision is stored first, as ``pending``, with the versions it makes; then its files
are made; then its "not sent" decisions are recorded and it is marked ``done``, in one
register transaction. A run killed or stopped (a full disk) anywhere in between leaves
a pending amendment that the next command on the review finishes before anything else
(``resume_pending``): the files already made and registered are kept, the rest made.
The same request made again is recognised by its content and not applied twice.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs import faults
from reviewdocs.decision.provisional import provisional_states
from reviewdocs.disclosure.circulation import circulation
from reviewdocs.disclosure.copies import advocate_note, produce_copy
from reviewdocs.disclosure.register import amendment_key
from reviewdocs.disclosure.rows import Refusal, StoredAmendment
from reviewdocs.disclosure.sharing_rules import ShareDecision, check_plans
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
from reviewdocs.locks import review_lock

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
    key: str = ""
    already_on: date | None = None
    """When this same request was decided before (nothing was done this time)."""
    resumed: list[AmendResult] = field(default_factory=list)
    """Amendments interrupted earlier and finished by this run, before this one."""

    def summary(self) -> str:
        lines = []
        for earlier in self.resumed:
            lines += ["Finished the amendment interrupted earlier:", earlier.summary()]
        if self.already_on is not None:
            made = f"version {self.version} made" if self.accepted else "declined"
            lines.append(
                f"Review {self.review_id}: this amendment was already decided on "
                f"{self.already_on.isoformat()} ({made}); nothing was done again."
            )
            return "\n".join(lines)
        return "\n".join([*lines, self._own_summary()])

    def _own_summary(self) -> str:
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
        lines += [
            f"  {'kept (already issued, unchanged)' if item.reused else 'wrote'} {item.relpath}"
            for item in self.produced
        ]
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
    """Decide an amendment request (003): the amended record, or the decline letter.

    Under the review's lock: amendments left pending by an interrupted run are finished
    first; a request already decided (the same content) is not decided again.
    """
    amendment = validate_amendment(amendment)
    review_id = review["review"]["id"]
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
    with review_lock(out_dir, review_id, "amend"):
        resumed = resume_pending(review, out_dir, register=register, input_sha256=input_sha256)
        key = amendment_key(amendment)
        for finished in resumed:
            if finished.key == key:  # this very request, interrupted: now complete
                finished.warnings += requester_warnings(review, amendment)
                return AmendResult(
                    review_id,
                    finished.accepted,
                    finished.amended_version,
                    finished.version,
                    resumed=resumed,
                )
        earlier = [a for a in register.amendments(review_id) if a.key == key]
        if earlier:
            return AmendResult(
                review_id,
                earlier[0].version is not None,
                earlier[0].amends_version,
                earlier[0].version,
                already_on=earlier[0].decided_on,
            )
        result = _decide(review, amendment, out_dir, register, produced, input_sha256)
        result.resumed = resumed
        return result


def _decide(
    review: Mapping[str, Any],
    amendment: dict[str, Any],
    out_dir: Path,
    register: Any,
    produced: date | None,
    input_sha256: str,
) -> AmendResult:
    """Store a new decision as pending (every check first), then carry it out."""
    from reviewdocs.disclosure.production import production_date

    review_id = review["review"]["id"]
    state = current_record(review, register)
    faults.point("amend.read")
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
    accepted = amendment["decision"] == "accept"
    _refuse_final_outcome_while_provisional(state, amendment)
    new_version = state.version + 1 if accepted else None
    letter_version = (register.latest_version(review_id, LETTER) or 0) + 1
    if new_version is not None:
        _refuse_overwrite(out_dir, review_id, RECORD, new_version)
        content = apply_amendment(state.review, amendment, new_version)
        decision = with_sections(state.decision, list(amendment["sections"]))
        to_send, _ = circulation(content, decision, amendment, state, register)
        # Every copy must be makeable before the decision is stored.
        check_plans(content, to_send)
    _refuse_overwrite(out_dir, review_id, LETTER, letter_version)
    row = register.add_amendment(
        review_id,
        state.version,
        new_version,
        on,
        amendment,
        state="pending",
        letter_version=letter_version,
    )
    faults.point("amend.recorded")
    (stored,) = [a for a in register.amendments(review_id) if a.id == row]
    result = _carry_out(review, stored, out_dir, register, input_sha256)
    result.warnings += requester_warnings(review, amendment)
    if not register.recipients_of(review_id, RECORD, state.version):
        result.warnings.append(
            f"The register has no record of version {state.version} being given to anyone: "
            "if it was, this is not the register it was made with (use --register), and "
            "the people who had it have not been sent the amended version."
        )
    return result


def resume_pending(
    review: Mapping[str, Any], out_dir: Path, *, register: Any, input_sha256: str = ""
) -> list[AmendResult]:
    """Finish every amendment of the review that a killed or stopped run left pending.

    Called by every command that reads the review's current version (``render``,
    ``share``, ``amend``), holding the review's lock, before it reads; half-written
    files a killed command left in the review's folder are removed first.
    """
    review_id = review["review"]["id"]
    with review_lock(out_dir, review_id, "amend"):
        _remove_half_written(out_dir / safe_id(review_id))
        return [
            _carry_out(review, stored, out_dir, register, input_sha256)
            for stored in register.amendments(review_id)
            if stored.state != "done"
        ]


def _remove_half_written(folder: Path) -> None:
    """Temporary files a killed command left in the review's folder (``write_atomic``
    renames a whole file into place; a kill before the rename leaves ``.<name>.part``).
    Holding the review's lock, no live command is writing there: they are leftovers."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if name.startswith(".") and name.endswith(".part"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / name)


class AmendmentInterrupted(ReviewdocsError):
    """An amendment stopped part-way (a full disk, a folder made read-only)."""


def _carry_out(
    review: Mapping[str, Any],
    stored: StoredAmendment,
    out_dir: Path,
    register: Any,
    input_sha256: str,
) -> AmendResult:
    """Make the files of a stored (pending) decision, then mark it done with its "not
    sent" decisions. Files already made and registered by an earlier try are kept."""
    state = current_record(review, register)
    if state.version != stored.amends_version:
        raise ReviewdocsError(
            f"The register holds an unfinished amendment of version {stored.amends_version} "
            f"of review {stored.review_id}, but the record is at version {state.version}: "
            "the register does not match these documents (use the register they were made "
            "with, --register)."
        )
    amendment = validate_amendment(stored.amendment)
    try:
        if stored.version is None:
            result = _decline(review, amendment, state, stored, out_dir, register, input_sha256)
        else:
            result = _accept(review, amendment, state, stored, out_dir, register, input_sha256)
    except OSError as exc:
        what = f"Version {stored.version}" if stored.version else "The declined amendment"
        where = f" ({exc.filename})" if exc.filename else ""
        raise AmendmentInterrupted(
            f"The amendment of review {stored.review_id} stopped part-way: "
            f"{exc.strerror or exc}{where}. {what} is recorded as in progress, nothing is "
            "half-written, and no copy was sent that the register does not show. Fix the "
            "cause, then run the same command again: it finishes the amendment first."
        ) from exc
    result.key = stored.key
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
    stored: StoredAmendment,
    out_dir: Path,
    register: Any,
    input_sha256: str,
) -> AmendResult:
    """003 "If you reach a decision not to amend the record you should be clear about your
    reasons ... and you should make the carer aware of their right to complain"."""
    from reviewdocs.disclosure.production import produce

    made = produce(
        state.review,
        out_dir,
        decision=state.decision,
        documents=[LETTER],
        produced=stored.decided_on,
        register=register,
        input_sha256=input_sha256,
        version=stored.letter_version or 1,
        amendment=amendment,
        previous={"version": state.version, "produced": state.produced_on},
    )
    faults.point("amend.circulated")
    register.finish_amendment(stored.id, [])
    return AmendResult(state.review["review"]["id"], False, state.version, None, produced=made)


def _accept(
    review: Mapping[str, Any],
    amendment: dict[str, Any],
    state: RecordState,
    stored: StoredAmendment,
    out_dir: Path,
    register: Any,
    input_sha256: str,
) -> AmendResult:
    """003 "If a decision is made to make the amendments you should proceed to do so.
    Where doing so results in 2 versions of the same review being available on the
    system it must be clear which the amended version is"."""
    from reviewdocs.disclosure.production import produce

    review_id = review["review"]["id"]
    new_version = stored.version or state.version + 1
    on = stored.decided_on
    content = apply_amendment(state.review, amendment, new_version)
    decision = with_sections(state.decision, list(amendment["sections"]))
    to_send, left_out = circulation(content, decision, amendment, state, register)
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
    result.produced += produce(
        content,
        out_dir,
        decision=decision,
        documents=[LETTER],
        version=stored.letter_version or 1,
        **common,
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
    refusals = []
    for recipient_id, who, reason, hold in left_out:
        result.not_circulated.append((who, reason))
        note = f"Version {new_version} not sent: {reason}"
        refusals.append(Refusal(review_id, recipient_id, who, note, on, new_version, hold))
    faults.point("amend.circulated")
    register.finish_amendment(stored.id, refusals)
    return result


def _refuse_final_outcome_while_provisional(
    state: RecordState, amendment: Mapping[str, Any]
) -> None:
    """The bar: never present a provisional state as final. A record that is provisional
    (paused, waiting for an advocate or a manager, a light touch review to become a full
    one) says there is no final outcome yet; an accepted amendment writing its own text into
    the outcome and next steps would print a final outcome under that heading. Refused
    before anything is stored or written: the outcome is decided when the review resumes
    (003 "Broadly there are 3 possible outcomes" are reached by the review, not by an
    amendment). A declined request changes nothing and goes ahead."""
    if amendment["decision"] != "accept" or "outcome_and_next_steps" not in amendment["sections"]:
        return
    states = provisional_states(state.review)
    if not states:
        return
    why = "; ".join(s.now for s in states)
    raise InputError(
        {
            "sections.outcome_and_next_steps": [
                f"The record is provisional ({why}), so it has no final outcome yet: an "
                "amendment cannot write one into it. Put the requester's words in another "
                "section (such as views_on_changes), or decline the request; the outcome is "
                "recorded when the review is completed."
            ]
        }
    )


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
