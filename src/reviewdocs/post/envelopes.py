"""One PDF per envelope, per addressee: the letter first, its enclosures after.

The review record is only ever posted as an enclosure, after the letter that goes with
it in the same envelope (the outcome letter for the person, the sharing cover letter for
a recipient of a copy): page 1 of every envelope is a letter laid out on Notify's grid,
so the record itself carries no address block (docs/post.md).

An envelope over Notify's 10 pages is split into numbered envelopes, each starting with
its own cover letter page ("Envelope 1 of 2", cover.py) addressed for the window. Every
document is produced and registered as ``produce`` always does; the envelope is
registered too (document ``post_envelope``), and checked against Notify's rules
(check.py) unless the caller says not to.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import safe_id, sha256_bytes, sha256_file, write_atomic
from reviewdocs.post.check import Problem, check_bytes
from reviewdocs.post.cover import CoverPage, cover_pdf
from reviewdocs.post.filling import (
    LETTER_ORDER,
    NAMES,
    Part,
    envelope_contents,
    split,
    window_address,
)

ENVELOPE: Final = "post_envelope"
"""The register's ``document`` for an envelope PDF."""
SUBJECT: Final = "subject"


@dataclass(frozen=True)
class Envelope:
    review_id: str
    who: str
    recipient_name: str
    address: tuple[str, ...]
    variant: str
    number: int
    of: int
    relpath: str
    path: Path
    pages: int
    holds: tuple[str, ...]
    basis: str
    sha256: str
    problems: tuple[Problem, ...] = ()

    @property
    def postcode(self) -> str:
        return self.address[-1] if self.address else ""


@dataclass
class PostResult:
    review_id: str
    envelopes: list[Envelope] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Envelope]:
        return [e for e in self.envelopes if e.problems]

    def summary(self) -> str:
        lines = [f"Review {self.review_id}:"]
        for env in self.envelopes:
            split = f" (envelope {env.number} of {env.of})" if env.of > 1 else ""
            verdict = "FAILS Notify's rules" if env.problems else "passes Notify's rules"
            lines.append(
                f"  {env.relpath}: to {env.recipient_name}, {env.postcode}, {env.pages} "
                f"page(s), {env.variant.replace('_', ' ')}{split}; {verdict}"
            )
            lines += [f"    {p.line('')[2:]}" for p in env.problems]
        lines += [f"  held back: {reason}" for reason in self.held]
        return "\n".join(lines)


def post_review(
    review: Mapping[str, Any],
    out_dir: Path,
    *,
    register: Any,
    produced: date | None = None,
    font_size: int | None = None,
    input_sha256: str = "",
    check: bool = True,
) -> PostResult:
    """Produce, envelope and register the post of one validated review, holding its
    folder's lock as every command that writes a review's next files does, after
    finishing an amendment a killed command left half-done."""
    from reviewdocs.disclosure.amendments import resume_pending
    from reviewdocs.locks import review_lock

    with review_lock(out_dir, review["review"]["id"], "post"):
        if review["review"].get("stage") != "planned" and review.get("findings"):
            resume_pending(review, out_dir, register=register, input_sha256=input_sha256)
        return _post_review(
            review,
            out_dir,
            register=register,
            produced=produced,
            font_size=font_size,
            input_sha256=input_sha256,
            check=check,
        )


def _post_review(
    review: Mapping[str, Any],
    out_dir: Path,
    *,
    register: Any,
    produced: date | None,
    font_size: int | None,
    input_sha256: str,
    check: bool,
) -> PostResult:
    from reviewdocs.disclosure.production import (
        check_folder_owner,
        documents_for,
        is_planned,
        production_date,
    )

    review_id = review["review"]["id"]
    on = production_date(review, produced)
    check_folder_owner(register, review_id)
    result = PostResult(review_id=review_id)
    if is_planned(review):
        docs = documents_for(review, None)
        _subject(review, None, docs, out_dir, register, on, font_size, input_sha256, result, check)
        return result

    from reviewdocs.disclosure.versions import current_record

    current = current_record(review, register)
    docs = documents_for(current.review, current.decision)
    _subject(review, current, docs, out_dir, register, on, font_size, input_sha256, result, check)
    _recipients(current, out_dir, register, on, input_sha256, result, check)
    return result


def _subject(
    review: Mapping[str, Any],
    current: Any,
    docs: Sequence[str],
    out_dir: Path,
    register: Any,
    on: date,
    font_size: int | None,
    input_sha256: str,
    result: PostResult,
    check: bool,
) -> None:
    from reviewdocs.disclosure.production import produce
    from reviewdocs.documents.accessible import variant_for
    from reviewdocs.documents.context import addressee

    content = current.review if current else review
    decision = current.decision if current else None
    to = addressee(content)
    address = window_address(to["name"], to["address"].splitlines(), whose=f"{to['name']}'s")
    parts: list[Part] = []
    variants = []
    for document in sorted(docs, key=LETTER_ORDER.index):
        variant = variant_for(content, document)
        variants.append(variant)
        record = document == "review_record" and current is not None
        files = produce(
            content,
            out_dir,
            decision=decision,
            documents=[document],
            fmt="pdf",
            variant=variant,
            produced=on,
            font_size=font_size if variant == "large_print" else None,
            register=register,
            input_sha256=input_sha256,
            version=current.version if record else 1,
            amendment=current.amendment if record else None,
            previous=current.previous if record else None,
        )
        parts += [Part(document, _pages(item.path.read_bytes())) for item in files]
    _envelopes(
        content,
        parts,
        who=SUBJECT,
        recipient_id=None,
        name=to["name"],
        address=address,
        variant=variants[0],
        basis="subject",
        withheld=(),
        font_pt=_font_pt(variants[0], font_size),
        version=current.version if current is not None else 1,
        out_dir=out_dir,
        register=register,
        on=on,
        input_sha256=input_sha256,
        result=result,
        check=check,
    )


def _recipients(
    current: Any,
    out_dir: Path,
    register: Any,
    on: date,
    input_sha256: str,
    result: PostResult,
    check: bool,
) -> None:
    """The copies the sharing rules allow (003), each with its cover letter; those held
    back for risk or without consent get nothing and are named with the reason."""
    from reviewdocs.disclosure.sharing import check_plans, plan_sharing, produce_copy
    from reviewdocs.documents.addressing import address_lines

    plans = plan_sharing(current.review, current.decision)
    check_plans(current.review, plans)
    # A copy held back by an earlier decision (an amendment the person asked not to be
    # circulated, a risk concern a manager must decide on) stays held back: only naming
    # the recipient in `share --recipient` issues it.
    holds = register.holds(current.review["review"]["id"])
    for plan in plans:
        if plan.is_subject:
            continue
        if plan.recipient_id in holds:
            result.held.append(
                f"No envelope for {plan.recipient_name}: their copy is held back "
                f"({holds[plan.recipient_id].reason})."
            )
            continue
        if not plan.allowed:
            # Recorded as share records it: the register says why this person got nothing,
            # and send will not post an earlier envelope to them.
            register.add_refusal(
                current.review["review"]["id"],
                plan.recipient_id,
                plan.recipient_name,
                plan.reason,
                on,
            )
            result.held.append(plan.reason)
            continue
        recipient = plan.recipient
        assert recipient is not None  # only the subject's plan has none
        lines = address_lines(recipient.get("address"), recipient.get("postcode"))
        try:
            address = window_address(plan.recipient_name, lines, whose=f"{plan.recipient_name}'s")
        except InputError as err:
            result.held.append(
                f"No envelope for {plan.recipient_name}: " + " ".join(err.errors["postal address"])
            )
            continue
        files = produce_copy(
            current.review,
            current.decision,
            plan,
            out_dir,
            register=register,
            produced=on,
            input_sha256=input_sha256,
            version=current.version,
            amendment=current.amendment,
            previous=current.previous,
            fmt="pdf",
        )
        parts = [Part(item.document, _pages(item.path.read_bytes())) for item in files]
        parts.sort(key=lambda p: LETTER_ORDER.index(p.document))
        _envelopes(
            current.review,
            parts,
            who=plan.recipient_id,
            recipient_id=plan.recipient_id,
            name=plan.recipient_name,
            address=address,
            variant="standard",
            basis=plan.basis,
            withheld=plan.withheld,
            font_pt=12,
            version=current.version,
            out_dir=out_dir,
            register=register,
            on=on,
            input_sha256=input_sha256,
            result=result,
            check=check,
        )


def _font_pt(variant: str, font_size: int | None) -> float:
    if variant == "large_print":
        return float(font_size or 18)
    return 16.0 if variant == "easy_read" else 12.0


def _pages(pdf: bytes) -> list[Any]:
    from pypdf import PdfReader

    return list(PdfReader(io.BytesIO(pdf)).pages)


def _never_overwrite(register: Any, path: Path, relpath: str, sha: str) -> None:
    """Refuse to replace an envelope on disk that the register records as made, with
    other bytes.

    Spec 5 "The original is never overwritten": an envelope may have been printed or
    sent already, so a re-run that would make different bytes under its name (a later
    date, a changed input) writes nothing there and says so. The same bytes again are
    written (and registered) as before, so a run can be repeated; a file the register
    does not know, or no longer the register's bytes (damaged), was never the issued
    one and is made again, as ``produce`` does for every document."""
    if not path.is_file():
        return
    issued = register.entries_at(relpath)
    if issued and issued[-1].sha256 != sha and sha256_file(path) == issued[-1].sha256:
        last = issued[-1]
        raise ReviewdocsError(
            f"{relpath} was made on {last.produced_on.isoformat()} (version {last.version}) "
            "and this one would differ. An envelope already made is never overwritten "
            "(it may have been printed or sent): nothing was written under its name. "
            "Post into a new folder, or amend the record to make a new version."
        )


def _envelopes(
    review: Mapping[str, Any],
    parts: Sequence[Part],
    *,
    who: str,
    recipient_id: str | None,
    name: str,
    address: tuple[str, ...],
    variant: str,
    basis: str,
    withheld: Sequence[str],
    font_pt: float,
    version: int,
    out_dir: Path,
    register: Any,
    on: date,
    input_sha256: str,
    result: PostResult,
    check: bool,
) -> None:
    from pypdf import PdfWriter

    from reviewdocs.dates import long_date
    from reviewdocs.disclosure.register import Entry
    from reviewdocs.documents.addressing import address_lines

    review_id = review["review"]["id"]
    la = review["review"]["local_authority"]
    sender = [
        str(la.get("name") or ""),
        *address_lines(la.get("address")),
        f"Telephone: {la.get('phone')}",
        f"Email: {la.get('email')}",
    ]
    references = [
        f"Review number: {review_id}",
        f"Reference: {review['subject'].get('reference')}",
        f"Date: {long_date(on)}",
    ]
    cover_pages = 1
    while True:
        packed = split(parts, cover_pages=cover_pages)
        covers = [
            _pages(
                cover_pdf(
                    CoverPage(number, len(packed), address, sender, references, holds, font_pt),
                    title=f"Envelope {number} of {len(packed)}",
                )
            )
            for number, holds in enumerate((envelope_contents(c) for c in packed), start=1)
        ]
        longest = max(len(c) for c in covers)
        if len(packed) == 1 or longest <= cover_pages:
            break
        cover_pages = longest
    for number, contents in enumerate(packed, start=1):
        writer = PdfWriter()
        cover = covers[number - 1] if len(packed) > 1 else []
        for page in cover:
            writer.add_page(page)
        holds = (
            envelope_contents(contents)
            if cover
            else [NAMES[part.document] for part, _, _ in contents]
        )
        for part, start, end in contents:
            for page in part.pages[start:end]:
                writer.add_page(page)
        writer.add_metadata({"/Title": f"Post for {name}", "/Author": str(la.get("name") or "")})
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
        suffix = f"-envelope-{number}-of-{len(packed)}" if len(packed) > 1 else ""
        # The record's version names the envelope as it names the record (-v2 after an
        # amendment): an envelope of version 1 may have been posted already.
        tag = f"-v{version}" if version > 1 else ""
        relpath = f"{safe_id(review_id)}/post-{safe_id(who)}{tag}{suffix}.pdf"
        path = out_dir / relpath
        sha = sha256_bytes(data)
        _never_overwrite(register, path, relpath, sha)
        write_atomic(path, data)
        register.add(
            Entry(
                review_id=review_id,
                document=ENVELOPE,
                version=version,
                recipient_id=recipient_id,
                recipient_name=name,
                basis=basis,
                withheld=tuple(withheld),
                produced_on=on,
                variant=variant,
                fmt="pdf",
                path=relpath,
                sha256=sha,
                input_sha256=input_sha256,
                template_sha256="",
            )
        )
        result.envelopes.append(
            Envelope(
                review_id=review_id,
                who=who,
                recipient_name=name,
                address=address,
                variant=variant,
                number=number,
                of=len(packed),
                relpath=relpath,
                path=path,
                pages=sum(end - start for _, start, end in contents) + len(cover),
                holds=tuple(holds),
                basis=basis,
                sha256=sha,
                problems=tuple(check_bytes(data, path)) if check else (),
            )
        )


__all__ = ["ENVELOPE", "Envelope", "Part", "PostResult", "post_review", "split", "window_address"]
