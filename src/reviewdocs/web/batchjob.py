"""A batch started from the browser, run in its own process.

The web server runs threads, and a process with threads must not fork: the server
starts ``python -m reviewdocs.web.batchjob FOLDER`` (fork and exec at once), and that
fresh, single-threaded process calls ``run_batch`` exactly as ``reviewdocs batch``
does, with its worker pool. When the batch ends it writes the zip (documents plus
``batch-report.csv``) and ``result.json``; the server reads those, and the journal
(``batch-report.csv.part``) for progress. The process outlives a server restart; if
it dies, running it again resumes the batch (finished records are skipped).

FOLDER holds ``job.json`` (written by the server): source, output folder, register,
documents, the data folder and the user who asked.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Final

JOB: Final = "job.json"
RESULT: Final = "result.json"
ZIP: Final = "documents.zip"
LOG: Final = "runner.log"


def start(folder: Path) -> int:
    """Start the runner for ``folder``; its pid. Output goes to the folder's log."""
    log = os.open(folder / LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "reviewdocs.web.batchjob", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            close_fds=True,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
    finally:
        os.close(log)
    _children[process.pid] = process
    return process.pid


_children: dict[int, subprocess.Popen[bytes]] = {}


def running(pid: int, folder: Path) -> bool:
    """Whether ``pid`` is still this folder's runner (not a reused pid)."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"reviewdocs.web.batchjob" in cmdline and os.fsencode(str(folder)) in cmdline


def progress(folder: Path) -> int:
    """Records finished so far (the journal's rows, or the report's when complete)."""
    job = json.loads((folder / JOB).read_text(encoding="utf-8"))
    out = Path(job["out"])
    for name in ("batch-report.csv.part", "batch-report.csv"):
        path = out / name
        if path.exists():
            with path.open("rb") as fh:
                return max(sum(1 for _ in fh) - 1, 0)
    return 0


def result(folder: Path) -> dict[str, Any] | None:
    path = folder / RESULT
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def run(folder: Path) -> int:
    from reviewdocs.batch.run import REPORT_NAME, run_batch
    from reviewdocs.files import sha256_file, write_atomic
    from reviewdocs.web.store import Store

    job = json.loads((folder / JOB).read_text(encoding="utf-8"))
    out = Path(job["out"])
    (folder / RESULT).unlink(missing_ok=True)
    batch = run_batch(
        Path(job["source"]),
        out,
        documents=job["documents"] or None,
        register_path=Path(job["register"]),
    )
    report = out / REPORT_NAME
    rows = _report_rows(report)
    store = Store(Path(job["data"]))
    audit = []
    members = []
    for row in rows:
        if row["status"] not in ("produced", "skipped"):
            continue
        for relpath in filter(None, row["documents"].split(";")):
            path = out / relpath
            if not path.is_file():
                continue
            members.append(relpath)
            if row["status"] == "produced":
                sha = sha256_file(path)
                audit.append((job["owner"], "produced", row["id"], sha, f"batch {folder.name}"))
    store.audit_many(audit)
    _write_zip(folder / ZIP, out, members, report)
    summary = {
        "total": batch.total,
        "produced": batch.produced,
        "skipped": batch.skipped,
        "failed": batch.failed,
        "files": len(members),
    }
    write_atomic(folder / RESULT, json.dumps(summary).encode("utf-8"))
    return 0


def _report_rows(report: Path) -> list[dict[str, str]]:
    with report.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_zip(path: Path, out: Path, members: list[str], report: Path) -> None:
    """Documents as they are (DOCX and PDF are compressed already), the report deflated."""
    part = path.with_name(path.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
        zf.write(report, report.name, compress_type=zipfile.ZIP_DEFLATED)
        for relpath in members:
            zf.write(out / relpath, relpath)
    os.replace(part, path)


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
