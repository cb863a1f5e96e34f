"""A practitioner's journey: upload one review (JSON or the completed PDF form), check it,
see the decision, produce the documents, share copies. Each step calls the library as
the CLI does (``load_review``, ``decide``/``explain``, ``produce``, ``plan_sharing``/``share``).
"""

from __future__ import annotations

import inspect
import json
import os
import time
from pathlib import Path
from typing import Any

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response

from reviewdocs.documents.reasons import outcome_in_the_records_words
from reviewdocs.files import write_atomic
from reviewdocs.web.checking import check_review, load_checked
from reviewdocs.web.forms import REVIEW_SUFFIXES, document_name, upload_form, withheld_words
from reviewdocs.web.main.routes import main
from reviewdocs.web.main.views.common import own_upload, page, paths, store, user
from reviewdocs.web.security import needs
from reviewdocs.web.store import Upload, new_id, private_folder, remove_upload_files


def save_upload(file: Any, kind: str, name: str) -> tuple[str, Path, str]:
    """The uploaded file in its own owner-only folder: (id, path, SHA-256)."""
    import hashlib

    upload_id = new_id()
    folder = private_folder(paths()["uploads"] / upload_id)
    path = folder / name
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := file.stream.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return upload_id, path, digest.hexdigest()


@main.route("/reviews/upload", methods=["GET", "POST"])
@needs("reviews")
def upload_review() -> str | Response:
    errors = upload_form(request.files, REVIEW_SUFFIXES, "a review file (JSON or PDF form)")
    if request.method == "GET" or errors:
        return page("reviews/upload.html", errors=errors if request.method == "POST" else None)
    file = request.files["file"]
    ext = ".pdf" if (file.filename or "").lower().endswith(".pdf") else ".json"
    upload_id, path, sha = save_upload(file, "review", "review" + ext)
    raw, review, problems = check_review(path)
    if raw is not None:
        # Kept as read (JSON, owner-only); the uploaded file itself is not needed again.
        kept = path.with_name("review-read.json")
        data = json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8")
        write_atomic(kept, data, durable=False)  # working data, not a record
        path.unlink()
        path = kept
    upload = Upload(
        id=upload_id,
        owner=user().name,
        kind="review",
        path=path,
        review_id=review["review"]["id"] if review else "",
        reference=str(review["subject"].get("reference") or "") if review else "",
        problems=problems,
        input_sha256=sha,
        created=time.time(),
    )
    store().add_upload(upload)
    if problems:
        # Nothing can be made from it: the file goes now; the problems stay to be read.
        remove_upload_files(path)
    store().audit(user().name, "uploaded review", review_id=upload.review_id)
    return redirect(url_for("main.check_review_page", upload_id=upload_id))


@main.route("/reviews/<upload_id>/check")
@needs("reviews")
def check_review_page(upload_id: str) -> str:
    upload = own_upload(upload_id)
    return page("reviews/check.html", upload=upload, problems=upload.problems)


def _loaded(upload: Upload) -> dict[str, Any]:
    if upload.problems or not upload.path.exists():
        abort(404)
    return load_checked(upload.path)


@main.route("/reviews/<upload_id>/decision")
@needs("reviews")
def decision(upload_id: str) -> str:
    from reviewdocs.decision.rules import ACTION_RULES, decide, explain
    from reviewdocs.disclosure.production import documents_for, is_planned
    from reviewdocs.documents import wording

    upload = own_upload(upload_id)
    review = _loaded(upload)
    if is_planned(review):
        return page(
            "reviews/decision.html",
            upload=upload,
            review=review,
            planned=True,
            documents=[document_name(d) for d in documents_for(review, None)],
        )
    result = decide(review)
    voice = wording.voice_for(review["subject"], direct=False)
    actions = [
        {"code": code, "reason": reason, "citation": inspect.getdoc(ACTION_RULES[code]) or ""}
        for code, reason in explain(review, result)
    ]
    return page(
        "reviews/decision.html",
        upload=upload,
        review=review,
        planned=False,
        result=result,
        outcome=outcome_in_the_records_words(review, result, voice),
        actions=actions,
        sections=[wording.section_heading(s, voice) for s in result["required_sections"]],
        documents=[document_name(d) for d in documents_for(review, result)],
    )


def _register() -> Any:
    from reviewdocs.disclosure.register import Register

    return Register(paths()["register"])


COPY: str = "Copy for "


def _keep(upload: Upload, items: list[Any], *, names: dict[str, str] | None = None) -> None:
    """Each file made becomes a download (opaque id) and an audit line with the user.
    ``names``: recipient id -> name, for the copies ``share`` made."""
    me = user().name
    for item in items:
        label = f"{document_name(item.document)}"
        if names is not None:
            who = names.get(item.recipient_id or "", "the person") if item.recipient_id else None
            label = f"{COPY}{who or 'the person'}: {label}"
        if item.variant != "standard":
            label += f", {item.variant.replace('_', ' ')}"
        label += f", {item.fmt.upper()}"
        store().add_file(
            owner=upload.owner,
            label=label,
            path=item.path,
            upload=upload.id,
            review_id=item.review_id,
            sha256=item.sha256,
        )
        store().audit(me, "produced", review_id=item.review_id, sha256=item.sha256)


@main.route("/reviews/<upload_id>/documents", methods=["GET", "POST"])
@needs("reviews")
def documents(upload_id: str) -> str | Response:
    from reviewdocs.disclosure.production import produce

    upload = own_upload(upload_id)
    if request.method == "POST":
        review = _loaded(upload)
        with _register() as register:
            made = produce(
                review, paths()["out"], register=register, input_sha256=upload.input_sha256
            )
        _keep(upload, made)
        return redirect(url_for("main.documents", upload_id=upload_id))
    files = [f for f in store().files_of_upload(upload_id) if not f.label.startswith(COPY)]
    return page("reviews/documents.html", upload=upload, files=files)


@main.route("/reviews/<upload_id>/share", methods=["GET", "POST"])
@needs("reviews")
def share(upload_id: str) -> str | Response:
    from reviewdocs.decision.rules import decide
    from reviewdocs.disclosure.production import is_planned
    from reviewdocs.disclosure.sharing import hold_reason, plan_sharing
    from reviewdocs.disclosure.sharing import share as share_review

    upload = own_upload(upload_id)
    review = _loaded(upload)
    if is_planned(review):
        abort(404)
    result = None
    if request.method == "POST":
        with _register() as register:
            result = share_review(
                review, paths()["out"], register=register, input_sha256=upload.input_sha256
            )
        names = {p.recipient_id: p.recipient_name for p in result.shared if not p.is_subject}
        _keep(upload, result.produced, names=names)
        store().audit(
            user().name,
            "shared",
            review_id=upload.review_id,
            detail=result.summary().split("\n")[0],
        )
    plans = plan_sharing(review, decide(review))
    withheld = {p.recipient_id: withheld_words(p.withheld, review["subject"]) for p in plans}
    # Copies held back by an earlier decision (an amendment not to be circulated, a
    # risk concern a manager must decide on): ``share`` leaves them out, so the plan
    # says so, and why (003 "Concerns about a request").
    with _register() as register:
        holds = register.holds(upload.review_id)
    held = {rid: hold_reason(hold.reason) for rid, hold in holds.items()}
    copies = [f for f in store().files_of_upload(upload_id) if f.label.startswith(COPY)]
    return page(
        "reviews/share.html",
        upload=upload,
        plans=plans,
        withheld=withheld,
        held=held,
        result=result,
        copies=copies,
    )


@main.route("/reviews/<upload_id>/finish", methods=["POST"])
@needs("reviews")
def finish(upload_id: str) -> Response:
    """Done with this review: its uploaded file is removed (the documents stay)."""
    upload = own_upload(upload_id)
    remove_upload_files(upload.path)
    store().forget_upload(upload.id)
    return redirect(url_for("main.index"))
