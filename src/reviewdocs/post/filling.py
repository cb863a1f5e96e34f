"""What goes in an envelope: the address as the window shows it, the documents in
order (the letter first, the record an enclosure last), and their pages split over
envelopes of at most Notify's 10 pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from reviewdocs.documents import grid
from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.post.check import POSTCODE

NAMES: Final = {
    "review_information_letter": "the letter about your review",
    "review_delay_letter": "the letter about a delay to your review",
    "telephone_follow_up_letter": "the letter confirming our telephone conversation",
    "outcome_letter": "the letter telling you the outcome of your review",
    "amendment_decision_letter": "the letter about your request to change the record",
    "sharing_cover_letter": "the covering letter",
    "review_record": "the review record",
}
LETTER_ORDER: Final = (
    "outcome_letter",
    "review_information_letter",
    "review_delay_letter",
    "telephone_follow_up_letter",
    "sharing_cover_letter",
    "amendment_decision_letter",
    "review_record",
)
"""The order in the envelope: the main letter first, the record (an enclosure) last."""


@dataclass(frozen=True)
class Part:
    document: str
    pages: list[Any]


def window_address(name: str, lines: Sequence[str], *, whose: str) -> tuple[str, ...]:
    """The address as the window shows it, or ``InputError`` saying why it cannot go.

    Notify's rules, checked before anything is rendered: 3 to 7 lines with the name,
    a UK postcode last, no line starting with a character Notify refuses."""
    full = tuple(line.strip() for line in (name, *lines) if line and line.strip())
    problems = []
    if not grid.ADDRESS_MIN_LINES <= len(full) <= grid.ADDRESS_MAX_LINES:
        problems.append(
            f"{whose} address has {len(full)} line(s) with the name; a window envelope "
            f"takes {grid.ADDRESS_MIN_LINES} to {grid.ADDRESS_MAX_LINES}."
        )
    if not full or not POSTCODE.match(re.sub(r"\s+", " ", full[-1].upper())):
        problems.append(
            f"{whose} address does not end with a UK postcode "
            f"({full[-1] if full else 'no address'!r}); add the postcode."
        )
    for line in full:
        if line[:1] in grid.ADDRESS_BAD_FIRST_CHARACTERS:
            problems.append(
                f"{whose} address has a line starting with {line[0]!r} ({line!r}), which "
                "Notify refuses; remove the character."
            )
    if problems:
        raise InputError({"postal address": problems})
    return full


def split(
    parts: Sequence[Part], limit: int = grid.MAX_PAGES, *, cover_pages: int = 1
) -> list[list[tuple[Part, int, int]]]:
    """The documents' pages in envelopes of at most ``limit`` pages.

    One envelope when everything fits. Otherwise each envelope gives its first page (or
    ``cover_pages``) to a cover letter; a document is kept whole in one envelope where it
    fits in one, and split over envelopes, at page boundaries, only when it is longer
    than an envelope.
    Each item is (part, first page index, end page index)."""
    total = sum(len(p.pages) for p in parts)
    if total <= limit:
        return [[(p, 0, len(p.pages)) for p in parts]]
    room = limit - cover_pages
    if room < 1:
        raise ReviewdocsError(
            f"The envelope cover letter takes {cover_pages} pages at this print size: "
            "there is no room left for the letter in a 10-page envelope."
        )
    envelopes: list[list[tuple[Part, int, int]]] = [[]]
    used = 0
    for part in parts:
        start, count = 0, len(part.pages)
        if used and used + count > room and count <= room:
            envelopes.append([])
            used = 0
        while start < count:
            take = min(room - used, count - start)
            if take == 0:
                envelopes.append([])
                used = 0
                continue
            envelopes[-1].append((part, start, start + take))
            used += take
            start += take
    return [e for e in envelopes if e]


def envelope_contents(contents: Sequence[tuple[Part, int, int]]) -> list[str]:
    """What one envelope of a split set holds, for its cover letter."""
    holds = []
    for part, start, end in contents:
        whole, what = len(part.pages), NAMES[part.document]
        holds.append(
            f"{what[0].upper()}{what[1:]}"
            + (f", pages {start + 1} to {end} of {whole}" if end - start < whole else "")
        )
    return holds
