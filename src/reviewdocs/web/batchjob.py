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

import dataclasses
import json
import os
import subprocess
import sys
import threading
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
    # Reap it when it ends: a finished runner the server never waits for stays a
    # zombie ("[python] <defunct>") for the server's lifetime. A thread, not a fork.
    threading.Thread(target=_reap, args=(process,), name="batch-reaper", daemon=True).start()
    return process.pid


_children: dict[int, subprocess.Popen[bytes]] = {}


def _reap(process: subprocess.Popen[bytes]) -> None:
    process.wait()
    _children.pop(process.pid, None)


def running(pid: int, folder: Path) -> bool:
    """Whether ``pid`` is still this folder's runner (not a reused pid)."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        _children.pop(pid, None)
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
    from reviewdocs.files import write_atomic
    from reviewdocs.web.store import Store

    job = json.loads((folder / JOB).read_text(encoding="utf-8"))
    out = Path(job["out"])
    (folder / RESULT).unlink(missing_ok=True)
    with _Collector(folder / ZIP, out, job["owner"], folder.name) as collector:
        batch = run_batch(
            Path(job["source"]),
            out,
            documents=job["documents"] or None,
            register_path=Path(job["register"]),
            progress=lambda _total: collector,
        )
        collector.finish(out / REPORT_NAME)
    Store(Path(job["data"])).audit_many(collector.audit)
    summary = {
        "total": batch.total,
        "produced": batch.produced,
        "skipped": batch.skipped,
        "failed": batch.failed,
        "files": collector.files,
    }
    write_atomic(folder / RESULT, json.dumps(summary).encode("utf-8"))
    return 0


class _Collector:
    """Called by ``run_batch`` with each finished record's row, in the parent: its files
    go into the zip at once (while the workers make the next ones), and the files it
    produced into the audit, by the hashes the register records (nothing read twice).
    A resumed batch writes the zip anew: skipped records' files are added as they come."""

    def __init__(self, path: Path, out: Path, owner: str, batch: str) -> None:
        from reviewdocs.disclosure.register import Entry

        names = [f.name for f in dataclasses.fields(Entry)]  # an EntryRow is an Entry's values
        self._review, self._sha = names.index("review_id"), names.index("sha256")
        self.path, self.out, self.owner, self.batch = path, out, owner, batch
        self.part = path.with_name(path.name + ".part")
        self.files = 0
        self.audit: list[tuple[str, str, str, str, str]] = []

    def __enter__(self) -> _Collector:
        fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        # Documents as they are: DOCX and PDF are compressed already.
        self._fh = os.fdopen(fd, "wb")
        self._zip = zipfile.ZipFile(self._fh, "w", zipfile.ZIP_STORED)
        return self

    def __call__(self, row: Any) -> None:
        if row.status not in ("produced", "skipped"):
            return
        for relpath in row.documents:
            path = self.out / relpath
            if path.is_file():
                self._zip.write(path, relpath)
                self.files += 1
        for entry in row.entries:
            self.audit.append(
                (
                    self.owner,
                    "produced",
                    entry[self._review],
                    entry[self._sha],
                    f"batch {self.batch}",
                )
            )

    def finish(self, report: Path) -> None:
        self._zip.write(report, report.name, compress_type=zipfile.ZIP_DEFLATED)
        self._zip.close()
        self._fh.close()
        os.replace(self.part, self.path)

    def __exit__(self, *exc: object) -> None:
        self._zip.close()  # a no-op once closed
        self._fh.close()
        self.part.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
