"""Who is sent an amended record (spec section 5; 003 "The amended record should be
circulated to the same people as the original record, unless the carer requests
otherwise or there is evidence that doing so would put the carer or a vulnerable
adult or child at risk of harm or abuse")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from reviewdocs.disclosure.sharing_rules import ShareDecision, plan_sharing
from reviewdocs.disclosure.versions import RecordState

RECORD: Final = "review_record"


def circulation(
    content: Mapping[str, Any],
    decision: Mapping[str, Any],
    amendment: Mapping[str, Any],
    state: RecordState,
    register: Any,
) -> tuple[list[ShareDecision], list[tuple[str, str, str, bool]]]:
    """Who is sent the amended record, and (id, name, reason, held back) for who is not.

    003 "The amended record should be circulated to the same people as the original
    record, unless the carer requests otherwise or there is evidence that doing so would
    put the carer or a vulnerable adult or child at risk of harm or abuse".

    The people considered are everyone who was given any earlier version (a copy held
    back from version N is still owed a decision about N+1). Protective readings: a
    recipient with a risk concern recorded now is left out even where a manager once
    allowed a copy (the amended content was not what they decided on; ``share
    --recipient`` sends it once a manager agrees); a copy held back before stays held
    back (only ``share --recipient`` releases it); a recipient the rules no longer
    allow (consent withdrawn) or no longer listed is left out. A copy left out because
    the person asked, or for risk, is held back: every later command respects it.
    """
    review_id = content["review"]["id"]
    name = str(content["subject"].get("preferred_name") or content["subject"].get("name"))
    plans = {p.recipient_id: p for p in plan_sharing(content, decision) if not p.is_subject}
    holds = register.holds(review_id)
    earlier: dict[str, str] = {}
    for entry in register.entries(review_id):
        if entry.document == RECORD and entry.recipient_id is not None:
            earlier[entry.recipient_id] = entry.recipient_name or entry.recipient_id
    to_send: list[ShareDecision] = []
    left_out: list[tuple[str, str, str, bool]] = []
    for recipient_id, who in earlier.items():
        plan = plans.get(recipient_id)
        hold = True
        if recipient_id in holds:
            reason = "held back: " + _held_reason(holds[recipient_id].reason)
        elif not amendment["circulate"]:
            reason = f"{name} asked that the amended record is not sent to others (003)."
        elif plan is not None and plan.recipient and plan.recipient.get("risk_concern"):
            reason = (
                "a concern about risk is recorded, so the amended record is not sent "
                "automatically; a manager must decide first (003)."
            )
        else:
            hold = False
            if plan is None:
                reason = "no longer listed among the review's recipients; check before sending."
            elif not plan.allowed:
                reason = plan.reason
            else:
                to_send.append(plan)
                continue
        left_out.append((recipient_id, who, reason, hold))
    return to_send, left_out


def _held_reason(recorded: str) -> str:
    """The reason of a hold as first given ("Version 2 not sent: <reason>")."""
    reason = recorded.split(": ", 1)[-1] if recorded.startswith("Version ") else recorded
    return reason.removeprefix("held back: ")
