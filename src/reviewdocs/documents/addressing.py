"""Who a letter goes to, and its address block (002 "You should let the person themselves
know ... unless"; 003 "If an advocate is already involved they should be informed")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewdocs.documents import wording
from reviewdocs.documents.wording import Voice


def addressee(
    review: Mapping[str, Any], recipient: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Who a letter is addressed to.

    002 "You should let the person themselves know ... unless: 1. They have
    requested you liaise with a nominated representative ...; or 2. They lack
    capacity": then the appropriate person (their ``appropriate_person``) gets it;
    002 "Where available this should be a person legally authorised to represent
    them ... or an independent advocate": with no appropriate person, the advocate.
    A person who lacks capacity with no representative recorded still gets the
    letter themselves (it must go to someone; the practitioner should add one).
    A sharing cover letter goes to the recipient of the copy.
    """
    subject = review["subject"]
    if recipient is not None:
        return _party(recipient, is_subject=False, relationship=None)
    representative = subject.get("appropriate_person")
    wants_rep = bool(subject.get("correspondence_to_representative"))
    lacks_capacity = subject.get("has_capacity") is False
    if representative and (wants_rep or lacks_capacity):
        return _party(
            representative, is_subject=False, relationship=representative.get("relationship")
        )
    advocate = review.get("advocate")
    if advocate and lacks_capacity:
        return _party(advocate, is_subject=False, relationship="advocate")
    party = _party(subject, is_subject=True, relationship=None)
    party["salutation_name"] = wording.first_name(subject)
    return party


def _party(who: Mapping[str, Any], *, is_subject: bool, relationship: str | None) -> dict[str, Any]:
    lines = address_lines(who.get("address"), who.get("postcode"))
    return {
        "name": who.get("name") or "",
        "address": "\n".join(lines),
        "is_subject": is_subject,
        "relationship": relationship,
        "salutation_name": who.get("name") or "Sir or Madam",
    }


def address_lines(address: Any, postcode: Any = None) -> list[str]:
    """Address lines from a list or a multi-line string, postcode last (once)."""
    if not address:
        lines: list[str] = []
    elif isinstance(address, str):
        lines = [part.strip() for part in address.replace(",", "\n").splitlines() if part.strip()]
    else:
        lines = [str(line) for line in address if line]
    if postcode and postcode not in lines:
        lines.append(str(postcode))
    return lines


def letter_block(
    review: Mapping[str, Any], to: Mapping[str, Any], voice: Voice, document: str
) -> dict[str, Any]:
    """The addressee, salutation, and who else is told (003: the advocate is informed)."""
    subject = review["subject"]
    advocate = review.get("advocate")
    copy_to = ""
    advocate_note = ""
    if advocate and to.get("relationship") != "advocate" and document != "sharing_cover_letter":
        org = f", {advocate['organisation']}" if advocate.get("organisation") else ""
        copy_to = f"{advocate.get('name')}, independent advocate{org}"
        if document in ("outcome_letter", "telephone_follow_up_letter", "review_record"):
            # 003 "If an advocate is already involved they should be informed when the
            # review has been provided to the carer so that they can support them".
            advocate_note = (
                f"We have let {advocate.get('name')} know that the review record has been "
                f"sent, so that they can help {voice.obj} understand it."
            )
    about = ""
    if not to["is_subject"]:
        about = f"About: {subject.get('name')} (reference {subject.get('reference')})"
    la = review["review"]["local_authority"]
    return {
        "addressee_name": to["name"],
        "address": to["address"],
        "to_representative": not to["is_subject"] and document != "sharing_cover_letter",
        "salutation": f"Dear {to['salutation_name']}",
        "about": about,
        "your": voice.poss,
        "Your": voice.Poss,
        "copy_to": copy_to,
        "advocate_note": advocate_note,
        "sender_address": "\n".join(address_lines(la.get("address"))),
    }
