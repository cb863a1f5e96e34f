"""Accessible copies: which variant and format each document is made in, and large print.

003 "It is important that the carer understands their review and the outcome of it.
To this end it should be provided in a format that is accessible to them", and
002 "The method of communication should reflect that requested by the person":
the subject's recorded ``preferred_format`` (the ``accessible_format`` action)
decides the copies made, with the standard copy always kept for the file.

Large print itself, a transform of the Word template, is in ``large_print``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewdocs import codes
from reviewdocs.documents.large_print import (
    DEFAULT_FONT_PT,
    MAX_FONT_PT,
    MIN_FONT_PT,
    large_print,
    smallest_font_pt,
)
from reviewdocs.errors import InputError

_NOT_FOR_THE_PERSON = ("sharing_cover_letter",)
"""Written to a recipient (003 "who gets a copy"), never to the subject: their format applies."""

# -- which copies ----------------------------------------------------------------


def variant_for(review: Mapping[str, Any], document: str) -> str:
    """The variant of ``document`` that the subject's ``preferred_format`` calls for.

    Easy read exists only for ``codes.EASY_READ_DOCUMENTS``. For the other documents
    a person who asked for easy read gets large print: they have told us standard
    print is hard for them, and large print is the nearest accessible copy we can
    make (003 "provided in a format that is accessible to them"; the practitioner
    should still talk it through, 003 "summarising it in a simpler format").
    A sharing cover letter goes to another organisation, so it is standard.
    """
    if document in _NOT_FOR_THE_PERSON:
        return "standard"
    preferred = _preferred_format(review)
    if preferred == "easy_read":
        return "easy_read" if document in codes.EASY_READ_DOCUMENTS else "large_print"
    if preferred == "large_print":
        return "large_print"
    return "standard"


def plan_outputs(
    review: Mapping[str, Any],
    document: str,
    *,
    variant: str | None = None,
    fmt: str | None = None,
) -> list[tuple[str, str]]:
    """The ``(variant, format)`` files to make of ``document``, the standard copy first.

    With neither ``variant`` nor ``fmt``, the subject's ``preferred_format`` decides:

    * ``standard``: the standard DOCX;
    * ``pdf``: the standard DOCX and its tagged PDF;
    * ``large_print`` / ``easy_read``: the standard DOCX kept for the file, and the
      accessible copy (see ``variant_for``) as DOCX and as tagged PDF, ready to send.

    With ``variant`` or ``fmt`` or both, exactly one file: a flag not given comes
    from the preference (the variant from ``variant_for``, the format PDF only for a
    person who asked for PDF), so ``--format pdf`` alone never drops a person's large
    print. Easy read asked for a document that has none gives large print rather
    than an error, for the reason in ``variant_for``: a whole render or batch should
    not fail, and the person should not get standard print, because one letter has
    no easy read version.
    """
    problems: dict[str, list[str]] = {}
    if document not in codes.DOCUMENTS:
        problems["document"] = [f"Unknown document {document!r}."]
    if variant is not None and variant not in codes.VARIANTS:
        problems["variant"] = [f"Must be one of: {', '.join(codes.VARIANTS)}."]
    if fmt is not None and fmt not in codes.FORMATS:
        problems["format"] = [f"Must be one of: {', '.join(codes.FORMATS)}."]
    if problems:
        raise InputError(problems)

    if variant is None and fmt is None:
        chosen = variant_for(review, document)
        if chosen != "standard":
            return [("standard", "docx"), (chosen, "docx"), (chosen, "pdf")]
        if _preferred_format(review) == "pdf":
            return [("standard", "docx"), ("standard", "pdf")]
        return [("standard", "docx")]

    if variant is None:
        variant = variant_for(review, document)
    elif variant == "easy_read" and document not in codes.EASY_READ_DOCUMENTS:
        variant = "large_print"
    if fmt is None:
        fmt = "pdf" if _preferred_format(review) == "pdf" else "docx"
    return [(variant, fmt)]


def _preferred_format(review: Mapping[str, Any]) -> str:
    preferred = (review.get("subject") or {}).get("preferred_format") or "standard"
    if preferred not in codes.PREFERRED_FORMATS:
        raise InputError(
            {"subject.preferred_format": [f"Must be one of: {', '.join(codes.PREFERRED_FORMATS)}."]}
        )
    return str(preferred)


# -- large print -------------------------------------------------------------------

# Word rejects a file whose property elements are out of schema order, so new
# elements go in their place in these sequences (ECMA-376 CT_RPr, CT_PPr, ...),
# before a tracked change's record of the old formatting (rPrChange, tblPrChange).
# One space-separated string each, so the schema sequence reads as in the standard.


__all__ = [
    "DEFAULT_FONT_PT",
    "MAX_FONT_PT",
    "MIN_FONT_PT",
    "large_print",
    "plan_outputs",
    "smallest_font_pt",
    "variant_for",
]
