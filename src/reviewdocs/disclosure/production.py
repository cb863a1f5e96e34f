"""Produce the documents of one review: render, convert, write atomically, register.

``render``, ``batch``, ``share`` and ``amend`` all come through :func:`produce`, so
naming, accessible variants, PDF conversion and the register behave the same way
whichever command made a file.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewdocs import codes, faults
from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import output_name, safe_id, sha256_bytes, sha256_file, write_atomic

if TYPE_CHECKING:
    from reviewdocs.disclosure.register import Deferred, Register


@dataclass(frozen=True)
class Produced:
    """One file written for one review."""

    review_id: str
    document: str
    version: int
    variant: str
    fmt: str
    path: Path
    relpath: str
    recipient_id: str | None
    sha256: str
    template_sha256: str
    reused: bool = False
    """Already issued, identical, and left as it was (not written again)."""


def documents_for(review: Mapping[str, Any], decision: Mapping[str, Any] | None) -> list[str]:
    """The documents a record calls for when none are named.

    A planned review (no findings yet) calls for the information letter (002 "Under
    the Care Act you must provide information about the review process"), and the
    delay letter when a delay was recorded (002 "If you are not able to arrange the
    review at this first contact"). A completed review calls for the formal record
    and the outcome letter (003 "Following the review process the carer must be given
    a written record"), and the telephone follow-up letter where the conversation was
    by telephone (002 "In all cases where communication has been provided by
    telephone a follow up letter ... should be sent").
    """
    if is_planned(review):
        docs = ["review_information_letter"]
        if review["review"].get("delay"):
            docs.append("review_delay_letter")
        return docs
    docs = ["review_record", "outcome_letter"]
    if decision and "telephone_follow_up_letter" in decision["actions"]:
        docs.append("telephone_follow_up_letter")
    return docs


def is_planned(review: Mapping[str, Any]) -> bool:
    return review["review"].get("stage") == "planned"


def production_date(review: Mapping[str, Any], produced: date | None) -> date:
    """``--date`` first, then the record's ``review.document_date``, then today.

    A completed review's documents cannot be dated before the conversation they
    record: such a ``--date`` is an input error, for one render and in a batch alike.
    """
    if produced is not None:
        held = review["review"].get("date")
        if not is_planned(review) and isinstance(held, date) and produced < held:
            raise InputError({"--date": [f"Is before the review date ({held.isoformat()})."]})
        return produced
    from_record = review["review"].get("document_date")
    if isinstance(from_record, date):
        return from_record
    return date.today()


def check_folder_owner(register: Register | Deferred, review_id: str) -> None:
    """Refuse to write into a folder that holds another review's documents."""
    folder = safe_id(review_id)
    owner = register.folder_owner(folder, review_id)
    if owner is not None:
        raise InputError(
            {
                "review.id": [
                    f"{review_id} would write into the folder {folder}, which holds the "
                    f"documents of review {owner}; give one of them another id "
                    "or use another --out folder."
                ]
            }
        )


def check_documents(review: Mapping[str, Any], documents: Sequence[str]) -> None:
    """``InputError`` when a document is unknown, or needs findings a planned review lacks."""
    unknown = [d for d in documents if d not in codes.DOCUMENTS]
    if unknown:
        raise InputError(
            {
                "--doc": [
                    f"Unknown document {d!r}; one of: {', '.join(codes.DOCUMENTS)}."
                    for d in unknown
                ]
            }
        )
    if is_planned(review):
        post = [d for d in documents if d not in codes.PRE_REVIEW_DOCUMENTS]
        if post:
            raise InputError(
                {
                    "review.stage": [
                        f"The review is planned, not completed: {', '.join(post)} need(s) the "
                        "review's findings. Only the information and delay letters can be produced."
                    ]
                }
            )


def produce(
    review: Mapping[str, Any],
    out_dir: Path,
    *,
    decision: Mapping[str, Any] | None = None,
    documents: Sequence[str] | None = None,
    fmt: str | None = None,
    variant: str | None = None,
    produced: date | None = None,
    font_size: int | None = None,
    register: Register | Deferred | None = None,
    input_sha256: str = "",
    recipient: Mapping[str, Any] | None = None,
    basis: str = "subject",
    withheld: Sequence[str] = (),
    version: int = 1,
    amendment: Mapping[str, Any] | None = None,
    previous: Mapping[str, Any] | None = None,
    durable: bool = True,
    before_write: Callable[[], None] | None = None,
) -> list[Produced]:
    """Render, convert and write the documents of one validated review.

    Every file is written atomically; a failure part-way leaves the files already
    finished complete and registered, and nothing half-written. A document already
    issued under the same name is kept, never replaced (``_issued``). ``durable=False``
    leaves flushing to disk to the caller (a batch syncs once at the end).
    ``before_write`` is called before each file is written (after its rendering); an
    exception from it stops the review with nothing more written.
    """
    from reviewdocs.documents import render_document
    from reviewdocs.documents.accessible import plan_outputs

    if decision is None and not is_planned(review):
        from reviewdocs.decision.rules import decide

        decision = decide(dict(review))
    docs = list(documents) if documents else documents_for(review, decision)
    check_documents(review, docs)
    on = production_date(review, produced)
    if register is not None:
        check_folder_owner(register, review["review"]["id"])
    review_id = review["review"]["id"]
    recipient_id = recipient["id"] if recipient else None

    # Everything is rendered, and checked against what was issued, before the first
    # file is written: a refusal leaves the folder as it was.
    planned: list[tuple[Produced, bytes, bool]] = []
    for document in docs:
        rendered_by_variant: dict[str, Any] = {}
        for var, ext in plan_outputs(review, document, variant=variant, fmt=fmt):
            rendered = rendered_by_variant.get(var)
            if rendered is None:
                rendered = render_document(
                    review,
                    decision,
                    document,
                    variant=var,
                    produced=on,
                    version=version,
                    recipient=recipient,
                    withheld=bool(withheld),
                    amendment=amendment,
                    previous=previous,
                    font_size=font_size,
                )
                rendered_by_variant[var] = rendered
            relpath = output_name(
                review_id, document, ext, version=version, recipient_id=recipient_id, variant=var
            )
            item = Produced(
                review_id=review_id,
                document=document,
                version=version,
                variant=var,
                fmt=ext,
                path=out_dir / relpath,
                relpath=relpath,
                recipient_id=recipient_id,
                sha256="",
                template_sha256=rendered.template_sha256,
            )
            issued = _issued(register, item, input_sha256, on) if register is not None else None
            if issued is not None:  # kept as it is: not even converted again
                planned.append((dataclasses.replace(item, sha256=issued, reused=True), b"", True))
                continue
            data = rendered.data if ext == "docx" else _to_pdf(rendered.data)
            planned.append((dataclasses.replace(item, sha256=sha256_bytes(data)), data, False))

    results: list[Produced] = []
    for item, data, reused in planned:
        if reused:
            results.append(item)
            continue
        if before_write is not None:
            before_write()
        faults.point("produce.write")
        write_atomic(item.path, data, durable=durable)
        results.append(item)
        if register is not None:
            _register(
                register,
                item,
                recipient=recipient,
                basis=basis,
                withheld=withheld,
                on=on,
                input_sha256=input_sha256,
            )
    return results


class IssuedError(ReviewdocsError):
    """The document at that name was issued already and this one would differ."""


def _issued(
    register: Register | Deferred, item: Produced, input_sha256: str, on: date
) -> str | None:
    """The hash of the issued file to keep in place of ``item``, None to write ``item``;
    ``IssuedError`` when the name holds a different issued document.

    Spec 5 "The original is never overwritten", for every document: a file the register
    records as issued is never replaced by another (a later ``--date``, a changed input
    or template). The same document again (same input, template and date) is not
    written twice: the issued file stays, and is restored if it was damaged. A file
    the register does not know (a run killed before registering it) was never issued,
    and is replaced. A file no longer on disk is produced again.
    """
    if not os.path.exists(item.path):
        return None
    entries = register.entries_at(item.relpath)
    if not entries:
        return None
    last = entries[-1]
    differs = []
    if last.produced_on != on:
        differs.append(f"dated {on.isoformat()}, not {last.produced_on.isoformat()}")
    if last.input_sha256 != input_sha256:
        differs.append("made from a changed input file")
    if last.template_sha256 != item.template_sha256:
        differs.append("made from a changed template")
    if differs:
        raise IssuedError(
            f"{item.relpath} was issued on {last.produced_on.isoformat()} and this one would "
            f"differ ({'; '.join(differs)}). An issued document is never overwritten, so "
            "nothing was written. Keep the issued one; to change the record use "
            "`reviewdocs amend`; for a new set of documents use another --out folder."
        )
    if sha256_file(item.path) != last.sha256:
        return None  # damaged or replaced since: the issued document is made again
    return last.sha256


def _to_pdf(docx: bytes) -> bytes:
    from reviewdocs.documents.pdf import get_converter

    return get_converter().convert(docx)


def _register(
    register: Register | Deferred,
    item: Produced,
    *,
    recipient: Mapping[str, Any] | None,
    basis: str,
    withheld: Sequence[str],
    on: date,
    input_sha256: str,
) -> None:
    from reviewdocs.disclosure.register import Entry

    register.add(
        Entry(
            review_id=item.review_id,
            document=item.document,
            version=item.version,
            recipient_id=item.recipient_id,
            recipient_name=recipient.get("name") if recipient else None,
            basis=basis,
            withheld=tuple(withheld),
            produced_on=on,
            variant=item.variant,
            fmt=item.fmt,
            path=item.relpath,
            sha256=item.sha256,
            input_sha256=input_sha256,
            template_sha256=item.template_sha256,
        )
    )
