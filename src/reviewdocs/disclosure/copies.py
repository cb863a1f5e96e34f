"""One recipient's copy of the record: withheld information removed from the data
first (``redaction.redact``), then the record and its cover letter produced."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from reviewdocs.disclosure.redaction import (
    recipient_for_copy,
    redact,
    scrub,
    withheld_patterns,
    withhold_from_decision,
    without_sharing,
)
from reviewdocs.disclosure.sharing_rules import ShareDecision, check_file_name, first_name


def advocate_note(review: Mapping[str, Any]) -> str:
    """003 "If an advocate is already involved they should be informed when the review
    has been provided to the carer so that they can support them to understand it"."""
    advocate = review.get("advocate")
    if not advocate:
        return ""
    org = f" ({advocate['organisation']})" if advocate.get("organisation") else ""
    how = f" at {advocate['email']}" if advocate.get("email") else ""
    return (
        f"Tell {advocate.get('name')}{org}{how}, the advocate, that {first_name(review)} "
        "has been given the review record, so they can help them understand it (003)."
    )


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
    from reviewdocs.disclosure.production import produce

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
        scrubbed: dict[str, Any] = scrub(out, patterns)
        return scrubbed

    result = visible(amendment)
    if "history" in amendment:
        result["history"] = [visible(earlier) for earlier in amendment["history"]]
    return result
