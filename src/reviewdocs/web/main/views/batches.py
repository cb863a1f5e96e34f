"""An admin's journey: upload a CSV (as Excel saves it), JSON Lines or a zip of reviews,
see every problem by row before anything is made, produce in the background, follow
the progress (the page refreshes itself, no JavaScript needed), download one zip.

States: ``problems`` (nothing can be made: upload a corrected file), ``ready``,
``running``, ``interrupted`` (the runner stopped before the end: resume), ``done``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response

from reviewdocs import codes
from reviewdocs.web import batchjob
from reviewdocs.web.checking import ZipRefused, check_source, extract_zip
from reviewdocs.web.forms import BATCH_SUFFIXES, chosen_documents, document_name, upload_form
from reviewdocs.web.main.routes import main
from reviewdocs.web.main.views.common import page, paths, store, user
from reviewdocs.web.security import may_see, needs
from reviewdocs.web.store import Batch, Store, new_id, private_folder

ZIP_LABEL = "All documents and batch-report.csv (zip)"


def _choices(chosen: list[str]) -> list[dict[str, Any]]:
    return [{"value": d, "text": document_name(d), "checked": d in chosen} for d in codes.DOCUMENTS]


@main.route("/batches")
@needs("batches")
def batches() -> str:
    me = user()
    visible = [b for b in store().batches() if may_see(me, b.owner)]
    return page("batches/list.html", batches=[_refresh(b) for b in visible])


@main.route("/batches/upload", methods=["GET", "POST"])
@needs("batches")
def upload_batch() -> str | Response:
    if request.method == "GET":
        return page("batches/upload.html", errors=None, choices=_choices([]))
    errors = upload_form(request.files, BATCH_SUFFIXES, "a CSV, JSON Lines or zip file")
    documents, doc_errors = chosen_documents(request.form)
    errors.messages.update(doc_errors.messages)
    if not errors:
        batch_id = new_id()
        folder = private_folder(paths()["batches"] / batch_id)
        try:
            source = _save_source(request.files["file"], folder)
        except ZipRefused as refused:
            shutil.rmtree(folder, ignore_errors=True)
            errors.add("file", str(refused))
        else:
            return redirect(
                url_for("main.batch", batch_id=_checked(batch_id, folder, source, documents))
            )
    return page("batches/upload.html", errors=errors, choices=_choices(documents))


def _save_source(file: Any, folder: Path) -> Path:
    from reviewdocs.web.main.views.reviews import save_upload
    from reviewdocs.web.store import remove_upload_files

    name = file.filename.lower()
    if name.endswith(".zip"):
        _, archive, _ = save_upload(file, "batch", "source.zip")
        try:
            extract_zip(archive, folder / "source")
        finally:
            remove_upload_files(archive)
        return folder / "source"
    suffix = ".csv" if name.endswith(".csv") else ".jsonl"
    target = folder / f"source{suffix}"
    with target.open("xb") as out:
        target.chmod(0o600)
        shutil.copyfileobj(file.stream, out, 1 << 20)
    return target


def _checked(batch_id: str, folder: Path, source: Path, documents: list[str]) -> str:
    check = check_source(source, documents)
    state = "problems" if check.invalid or not check.total else "ready"
    me = user().name
    out = folder / "out"
    job = {
        "source": str(source),
        "out": str(out),
        "register": str(paths()["register"]),
        "documents": documents,
        "data": str(paths()["data"]),
        "owner": me,
    }
    (folder / batchjob.JOB).write_text(json.dumps(job), encoding="utf-8")
    (folder / batchjob.JOB).chmod(0o600)
    store().add_batch(
        Batch(
            id=batch_id,
            owner=me,
            folder=folder,
            source=source,
            documents=documents,
            total=check.total,
            invalid=check.invalid,
            problems=check.problems,
            state=state,
            pid=0,
            created=time.time(),
        )
    )
    if state == "problems":
        _remove_source(source)  # nothing will be made from it: a corrected file comes next
    else:
        store().add_people(check.people)
    store().audit(
        me, "uploaded batch", detail=f"{check.total} records, {check.invalid} with problems"
    )
    return batch_id


def _remove_source(source: Path) -> None:
    if source.is_dir():
        shutil.rmtree(source, ignore_errors=True)
    else:
        source.unlink(missing_ok=True)


def _own(batch_id: str) -> Batch:
    batch = store().batch(batch_id)
    if batch is None or not may_see(user(), batch.owner):
        abort(404)
    return _refresh(batch)


def _refresh(batch: Batch, s: Store | None = None) -> Batch:
    """A running batch whose runner finished is done; one whose runner is gone is
    interrupted (a restart, a crash): its page offers to resume it."""
    s = s or store()
    if batch.state != "running":
        return batch
    finished = batchjob.result(batch.folder)
    if finished is not None and (batch.folder / batchjob.ZIP).exists():
        if s.transition(batch.id, "running", "done"):
            s.add_file(
                owner=batch.owner,
                label=ZIP_LABEL,
                path=batch.folder / batchjob.ZIP,
                upload=batch.id,
            )
            _remove_source(batch.source)
    elif not batchjob.running(batch.pid, batch.folder):
        s.transition(batch.id, "running", "interrupted")
    fresh = s.batch(batch.id)
    assert fresh is not None
    return fresh


def recover_batches(app: Any) -> None:
    """At start: batches left running by an earlier server are looked at again."""
    s: Store = app.extensions["store"]
    for batch in s.batches():
        if batch.state == "running":
            _refresh(batch, s)


REFRESH_SECONDS = 3


@main.route("/batches/<batch_id>")
@needs("batches")
def batch(batch_id: str) -> str | Response:
    b = _own(batch_id)
    context: dict[str, Any] = {"batch": b, "documents": [document_name(d) for d in b.documents]}
    if b.state == "running":
        context["done"] = batchjob.progress(b.folder)
        # The page reloads itself without JavaScript (an HTTP Refresh header, as a
        # meta refresh would), and a link turns that off: WCAG 2.2.1 lets a person
        # stop a page that updates itself.
        context["refreshing"] = request.args.get("refresh") != "off"
        if context["refreshing"]:
            response = Response(page("batches/running.html", **context))
            response.headers["Refresh"] = str(REFRESH_SECONDS)
            return response
    if b.state == "done":
        context["result"] = batchjob.result(b.folder)
        context["zip"] = next(
            (f for f in store().files_of_upload(b.id) if f.label == ZIP_LABEL), None
        )
    return page(f"batches/{b.state}.html", **context)


@main.route("/batches/<batch_id>/start", methods=["POST"])
@needs("batches")
def start_batch(batch_id: str) -> Response:
    b = _own(batch_id)
    if b.state not in ("ready", "interrupted"):
        return redirect(url_for("main.batch", batch_id=batch_id))
    pid = batchjob.start(b.folder)
    store().set_batch(b.id, state="running", pid=pid)
    store().audit(user().name, "started batch" if b.state == "ready" else "resumed batch")
    return redirect(url_for("main.batch", batch_id=batch_id))
