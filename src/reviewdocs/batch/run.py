"""Produce the documents of many reviews: one bad record never stops the batch.

``run_batch`` reads a source one record at a time (see :mod:`reviewdocs.intake.sources`),
sends each record to a worker process that reads, validates, decides and produces it
through :func:`reviewdocs.disclosure.production.produce`, and writes one row per record to
``OUT/batch-report.csv`` in source order. The report is a journal while the batch
runs (``batch-report.csv.part``, a row appended as each record finishes) and is
renamed into place at the end, so a batch killed half-way still shows how far it got.

Re-running is resuming: a record is skipped when the register shows every file it
calls for was produced from the same input bytes and the same template, and each
file is still on disk with the hash the register recorded. Anything else about the
record is produced again, file by file, so an interrupted record is finished without
producing its finished files twice.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import fnmatch
import json
import multiprocessing
import os
import pickle
import re
import selectors
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal

from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import make_private_dirs, output_name, safe_id, sha256_file
from reviewdocs.intake.sources import Record, count_records, iter_records

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from reviewdocs.disclosure.register import EntryRow, Register

REPORT_NAME: Final = "batch-report.csv"
REPORT_COLUMNS: Final = ("id", "source", "status", "documents", "error")

Status = Literal["produced", "skipped", "failed", "valid"]

_IN_FLIGHT_PER_WORKER: Final = 4
"""Records sent ahead to each worker: enough to keep it busy, few enough that memory
stays flat however long the source is."""


@dataclass(frozen=True)
class ReportRow:
    """One record's line in the report (``entries``: the files it produced, as the
    register's rows; not a column)."""

    id: str
    source: str
    status: Status
    documents: tuple[str, ...] = ()
    error: str = ""
    entries: tuple[EntryRow, ...] = field(default=(), repr=False)


ProgressCallback = Callable[[ReportRow], None]
ProgressFactory = Callable[[int | None], ProgressCallback]
"""Called once with the number of records (None when unknown); the callback it returns
is called once per finished record, and its ``close()`` (when it has one) at the end."""


@dataclass
class BatchResult:
    """What a batch did. ``failed`` non-zero means the CLI exits 1."""

    report: Path
    dry_run: bool = False
    produced: int = 0
    skipped: int = 0
    valid: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.produced + self.skipped + self.valid + self.failed

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def count(self, row: ReportRow) -> None:
        setattr(self, row.status, getattr(self, row.status) + 1)

    def summary(self) -> str:
        if self.dry_run:
            done = f"{self.valid} valid, {self.failed} failed (dry run: nothing produced)"
        else:
            done = f"{self.produced} produced, {self.skipped} skipped, {self.failed} failed"
        return f"{self.total} record(s): {done}. Report: {self.report}"


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs, picklable for a spawned process."""

    out_dir: Path
    register_path: Path
    documents: tuple[str, ...] | None
    fmt: str | None
    variant: str | None
    font_size: int | None
    produced: date | None
    dry_run: bool


def run_batch(
    source: Path,
    out_dir: Path,
    *,
    jobs: int | None = None,
    documents: Sequence[str] | None = None,
    dry_run: bool = False,
    produced: date | None = None,
    fmt: str | None = None,
    variant: str | None = None,
    font_size: int | None = None,
    register_path: Path | None = None,
    progress: ProgressFactory | None = None,
) -> BatchResult:
    """Produce (or with ``dry_run`` only validate and decide) every record of ``source``.

    ``jobs``: worker processes (default: one per core; 1 runs in this process).
    Raises ``InputError`` only when the source itself cannot be read (no such file, a
    CSV header naming no input field); a bad record is a ``failed`` row in the report.
    """
    source = Path(source)
    out_dir = Path(out_dir)
    records = iter_records(source)  # a broken CSV header fails here, before any output
    total = count_records(source) if progress is not None else None
    make_private_dirs(out_dir)  # 0700: it holds personal data (issue 12 finding 8)
    from reviewdocs.disclosure.register import DEFAULT_NAME

    job = _Job(
        out_dir=out_dir,
        register_path=Path(register_path) if register_path else out_dir / DEFAULT_NAME,
        documents=tuple(documents) if documents else None,
        fmt=fmt,
        variant=variant,
        font_size=font_size,
        produced=produced,
        dry_run=dry_run,
    )
    result = BatchResult(report=out_dir / REPORT_NAME, dry_run=dry_run)
    workers = jobs or _cores()
    callback = progress(total) if progress is not None else None
    try:
        with _Report(result.report) as report:
            rows = _run_here(records, job) if workers == 1 else _run_pool(records, job, workers)
            try:
                with _Journal(report, job.register_path) as journal, contextlib.closing(rows):
                    for row in rows:
                        journal.add(row)
                        result.count(row)
                        if callback is not None:
                            callback(row)
            finally:
                if not dry_run:
                    # Documents and register are written without waiting for the disk
                    # (each file is still renamed into place whole); one sync here, once
                    # the workers have stopped, makes them durable before the report is.
                    os.sync()
    finally:
        close = getattr(callback, "close", None)
        if close is not None:
            close()
    return result


def _cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _duplicate_id(review_id: str, first: str) -> str:
    return (
        f"review.id: {review_id} is also the id of {first}; each record needs its own id "
        "(the same id would write over the other record's letters). Nothing was produced "
        "for this record."
    )


# -- the report -----------------------------------------------------------------------------

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


class _Report:
    """The report, appended row by row to a journal, renamed into place when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal = path.with_name(path.name + ".part")
        self._fh: IO[str] | None = None

    def __enter__(self) -> _Report:
        self._fh = self.journal.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REPORT_COLUMNS)
        return self

    def write(self, rows: Sequence[ReportRow]) -> None:
        assert self._fh is not None
        for row in rows:
            cells = (row.id, row.source, row.status, ";".join(row.documents), row.error)
            # Names and ids come from case records: a cell starting "=" must not become
            # a formula when the report is opened in a spreadsheet.
            self._writer.writerow(["'" + c if c.startswith(_FORMULA_START) else c for c in cells])
        # Flushed at once so that a killed batch leaves a journal of what it finished.
        self._fh.flush()

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        assert self._fh is not None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        if exc_type is None:
            os.replace(self.journal, self.path)


class _Journal:
    """Finished records, registered and then reported, a group at a time.

    The parent is the register's one writer in a batch: the files of many records go
    in one transaction (``Register.add_rows``), and only then are those records' rows
    written to the report, so a row in the journal always means its files are in the
    register. A batch killed between the two loses at most one group (32 records, or
    a tenth of a second's) from both, and its next run produces those records again
    (the resume check finds them missing); every record in the journal is skipped.
    """

    ROWS: Final = 32
    SECONDS: Final = 0.1

    def __init__(self, report: _Report, register_path: Path) -> None:
        self._report = report
        self._register_path = register_path
        self._register: Register | None = None
        self._rows: list[ReportRow] = []
        self._since = time.monotonic()

    def __enter__(self) -> _Journal:
        return self

    def add(self, row: ReportRow) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.ROWS or time.monotonic() - self._since >= self.SECONDS:
            self.flush()

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        self._since = time.monotonic()
        entries = [entry for row in rows for entry in row.entries]
        if entries:
            if self._register is None:
                from reviewdocs.disclosure.register import Register

                # As the workers': WAL survives a killed process, and the batch syncs
                # everything once when it ends.
                self._register = Register(self._register_path, synchronous="NORMAL")
            self._register.add_rows(entries)
        self._report.write(rows)

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if exc_type is None:
                self.flush()
            else:
                # Interrupted: the records that finished are still written down; a
                # failure doing so must not hide why the batch stopped.
                with contextlib.suppress(ReviewdocsError, OSError):
                    self.flush()
        finally:
            if self._register is not None:
                self._register.close()


# -- one record -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Planned:
    document: str
    variant: str
    fmt: str
    relpath: str
    template_sha256: str


class _Answer:
    """A claim's answer, heard once when first needed (the asking is done already)."""

    def __init__(self, hear: Callable[[], str | None]) -> None:
        self._hear: Callable[[], str | None] | None = hear
        self._first: str | None = None

    def __call__(self) -> str | None:
        if self._hear is not None:
            self._first = self._hear()
            self._hear = None
        return self._first


Claim = Callable[[str, str], _Answer]
"""``claim(key, source)`` asks at once; its answer is None when ``source`` is the first
record with that id in this batch, else the first record's source. A worker renders
while the parent answers, and hears the answer before it writes anything."""


class _DuplicateId(Exception):
    def __init__(self, first: str) -> None:
        super().__init__(first)
        self.first = first


class _Claims:
    """The ids seen so far in this batch (kept by the parent: one place decides)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def __call__(self, key: str, source: str) -> str | None:
        first = self._first.setdefault(key, source)
        return None if first == source else first

    def release(self, key: str, source: str) -> None:
        """``source`` gives ``key`` back (it was held for it, and it never claimed it)."""
        if self._first.get(key) == source:
            del self._first[key]

    def at_once(self, key: str, source: str) -> _Answer:
        first = self(key, source)
        return _Answer(lambda: first)


@dataclass
class _Worker:
    """The per-process side of a batch: the register connection and, through the
    documents module, this process's compiled templates and PDF converter."""

    job: _Job
    claim: Claim
    _register: Register | None = field(default=None, init=False)
    _template_sha256: dict[tuple[str, str], str] = field(default_factory=dict, init=False)
    _written: list[EntryRow] = field(default_factory=list, init=False)

    def register(self) -> Register:
        """The register, read here (what earlier runs produced, who owns a folder);
        the parent adds this worker's files to it (see ``_Journal``)."""
        if self._register is None:
            from reviewdocs.disclosure.register import Register

            self._register = Register(self.job.register_path, synchronous="NORMAL")
        return self._register

    def close(self) -> None:
        if self._register is not None:
            self._register.close()

    def process(self, record: Record) -> ReportRow:
        """The record's row, with the register entries of every file it wrote (a
        failure part-way still hands over the files finished before it)."""
        self._written = []
        row = self._process(record)
        return dataclasses.replace(row, entries=tuple(self._written)) if self._written else row

    def _process(self, record: Record) -> ReportRow:
        review_id = ""
        try:
            raw, input_sha256 = _read(record)
            review_id = _raw_id(raw)
            return self._validated(record, raw, input_sha256)
        except InputError as err:
            return ReportRow(review_id, record.source, "failed", error="; ".join(err.messages()))
        except ReviewdocsError as err:
            return ReportRow(review_id, record.source, "failed", error=_one_line(err.message))
        except Exception as err:  # a bug of ours must cost one record, not the batch
            message = f"internal error: {type(err).__name__}: {_one_line(str(err))}"
            return ReportRow(review_id, record.source, "failed", error=message)

    def _validated(self, record: Record, raw: dict[str, Any], input_sha256: str) -> ReportRow:
        from reviewdocs.decision.rules import decide
        from reviewdocs.disclosure.production import is_planned
        from reviewdocs.intake.schemas import validate_review

        review = validate_review(raw, source=record.source)
        review_id = review["review"]["id"]
        decision = None if is_planned(review) else decide(review)
        plan = self._plan(review, decision)
        documents = tuple(item.relpath for item in plan)
        # Ids are compared as folder names (A/1 and A_1 share one): two records in one
        # folder would write over each other's letters.
        answer = self.claim(safe_id(review_id), record.source)
        missing: list[_Planned] = []
        folder = _Folder()
        try:
            if not self.job.dry_run:
                # Only reads (the folder, the register, the files' hashes) before the
                # answer is heard.
                folder = _Folder.read(self.job.out_dir / safe_id(review_id))
                missing = self._missing(review_id, plan, input_sha256, folder)
                if missing:
                    self._produce(review, decision, plan, missing, input_sha256, answer, folder)
            first = answer()
        except _DuplicateId as dup:
            first = dup.first
        except Exception:
            # A repeated id is said first, as when the claim came before rendering.
            first = answer()
            if first is None:
                raise
        finally:
            answer()  # heard whatever happened: the next record's answer follows it
        if first is not None:
            return ReportRow(
                review_id, record.source, "failed", error=_duplicate_id(review_id, first)
            )
        if self.job.dry_run:
            return ReportRow(review_id, record.source, "valid", documents)
        if not missing:
            folder.remove_leftovers()
            return ReportRow(review_id, record.source, "skipped", documents)
        return ReportRow(review_id, record.source, "produced", documents)

    def _plan(
        self, review: Mapping[str, Any], decision: Mapping[str, Any] | None
    ) -> list[_Planned]:
        """The files the record calls for, as ``produce`` will name them."""
        from reviewdocs.disclosure.production import check_documents, documents_for
        from reviewdocs.documents import compiled
        from reviewdocs.documents.accessible import plan_outputs

        job = self.job
        docs = list(job.documents) if job.documents else documents_for(review, decision)
        check_documents(review, docs)
        plan = []
        for document in docs:
            for var, ext in plan_outputs(review, document, variant=job.variant, fmt=job.fmt):
                relpath = output_name(review["review"]["id"], document, ext, variant=var)
                sha = self._template_sha256.get((document, var))
                if sha is None:
                    sha = compiled(document, var, job.font_size).sha256
                    self._template_sha256[document, var] = sha
                plan.append(_Planned(document, var, ext, relpath, sha))
        return plan

    def _missing(
        self, review_id: str, plan: list[_Planned], input_sha256: str, folder: _Folder
    ) -> list[_Planned]:
        """The planned files not already produced from this input and template, intact."""
        if not any(_file_name(item.relpath) in folder.files for item in plan):
            return list(plan)  # a new record: nothing on disk, the register can't help
        latest = {entry.path: entry for entry in self.register().entries(review_id)}
        missing = []
        for item in plan:
            entry = latest.get(item.relpath)
            if (
                entry is None
                or entry.input_sha256 != input_sha256
                or entry.template_sha256 != item.template_sha256
                or (self.job.produced is not None and entry.produced_on != self.job.produced)
                or _file_name(item.relpath) not in folder.files
                or sha256_file(self.job.out_dir / item.relpath) != entry.sha256
            ):
                missing.append(item)
        return missing

    def _produce(
        self,
        review: Mapping[str, Any],
        decision: Mapping[str, Any] | None,
        plan: list[_Planned],
        missing: list[_Planned],
        input_sha256: str,
        answer: _Answer,
        folder: _Folder,
    ) -> None:
        from reviewdocs.disclosure.production import produce
        from reviewdocs.disclosure.register import Deferred

        job = self.job
        leftovers = [True]
        register = Deferred(self.register())
        self._written = register.rows

        def before_write() -> None:
            # Nothing is written, and no leftover removed, until this record holds its id.
            first = answer()
            if first is not None:
                raise _DuplicateId(first)
            if leftovers:
                folder.remove_leftovers()
                leftovers.clear()

        common: dict[str, Any] = {
            "decision": decision,
            "produced": job.produced,
            "font_size": job.font_size,
            "register": register,
            "input_sha256": input_sha256,
            # Each file is renamed into place whole; run_batch syncs them all at the end.
            "durable": False,
            "before_write": before_write,
        }
        if len(missing) == len(plan):
            produce(
                review,
                job.out_dir,
                documents=job.documents,
                fmt=job.fmt,
                variant=job.variant,
                **common,
            )
            return
        # Only what an interrupted run left undone: a finished file is not made twice.
        for item in missing:
            produce(
                review,
                job.out_dir,
                documents=[item.document],
                fmt=item.fmt,
                variant=item.variant,
                **common,
            )


@dataclass
class _Folder:
    """A record's folder as read once before producing: the names of its files, and
    the temporary files a killed batch left half-written (removed only once this
    worker holds the record's id)."""

    files: frozenset[str] = frozenset()
    leftovers: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path) -> _Folder:
        # os.scandir: pathlib's glob, or a stat per planned file, cost more than the
        # rest of a record's checks; a new record's folder does not exist yet.
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            return cls()
        return cls(
            frozenset(entry.name for entry in entries if entry.is_file()),
            tuple(e.path for e in entries if fnmatch.fnmatchcase(e.name, ".*.part")),
        )

    def remove_leftovers(self) -> None:
        for path in self.leftovers:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self.leftovers = ()


def _file_name(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1]


def _read(record: Record) -> tuple[dict[str, Any], str]:
    """The raw review and the hash of the bytes it came from."""
    if record.kind == "error":
        raise InputError(str(record.payload))
    if record.kind == "raw":
        return record.payload, record.input_sha256
    if record.kind == "json":
        from reviewdocs.intake.read import parse_json

        return parse_json(record.payload, record.source), record.input_sha256
    from reviewdocs.intake.read import read_input

    path = Path(record.payload)
    # Hashed before reading: if the file changes in between, the register holds the
    # older hash and the next run produces again, rather than skipping a stale letter.
    try:
        digest = sha256_file(path)
    except OSError:
        digest = ""  # read_input explains the problem in plain words
    return read_input(path), digest


def _raw_id(raw: Mapping[str, Any]) -> str:
    review = raw.get("review")
    value = review.get("id") if isinstance(review, Mapping) else None
    return value if isinstance(value, str) else ""


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


# -- running the records --------------------------------------------------------------------


def _run_here(records: Iterator[Record], job: _Job) -> Generator[ReportRow, None, None]:
    worker = _Worker(job, _Claims().at_once)
    try:
        for record in records:
            yield worker.process(record)
    finally:
        worker.close()


def _worker_main(
    conn: Connection, claims: Connection, job: _Job, inherited: Sequence[Connection] = ()
) -> None:
    """A worker process: records in, report rows out, until told to stop or orphaned.

    Claims and rows go to the parent on ``conn``, in the order they happen; a claim's
    answer comes back on a pipe of its own, so it never meets a record sent ahead.
    A record can arrive with its claim already answered (see ``_OrderedClaims``): it
    then asks nothing, and its row says whether it claimed its id.
    """

    current = 0
    told: tuple[str, str | None] | None = None
    claimed = False

    def claim(key: str, source: str) -> _Answer:
        nonlocal claimed
        claimed = True
        if told is not None and told[0] == key:
            first = told[1]
            return _Answer(lambda: first)
        _put(conn, ("claim", current, key, source))
        return _Answer(claims.recv)

    for end in inherited:  # a forked worker's copies of the parent's pipe ends
        end.close()
    # Ctrl-C reaches the whole process group: the parent decides, and stops the
    # workers after the record in hand, so no worker dies with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = _Worker(job, claim)
    try:
        while True:
            try:
                message = _get(conn)
            except EOFError:  # the parent died: stop after the record in hand
                return
            if message is None:
                return
            current, record, told = message
            claimed = False
            row = worker.process(record)
            _put(conn, ("row", current, row, claimed))
    finally:
        worker.close()


_LEADING_ID: Final = re.compile(
    rb'\{[ \t\r\n]*(?:"schema_version"[ \t\r\n]*:[ \t\r\n]*[0-9]+[ \t\r\n]*,[ \t\r\n]*)?'
    rb'"review"[ \t\r\n]*:[ \t\r\n]*\{[ \t\r\n]*"id"[ \t\r\n]*:[ \t\r\n]*"([A-Za-z0-9_/-]{1,64})"'
    rb"[ \t\r\n]*[,}]"
)
"""A JSON line that opens with its review's id, as exports and the spec's example
write it: ``{"schema_version": 1, "review": {"id": "CR-1", ...``."""
_HEAD_BYTES: Final = 512
"""Enough of a JSON file for ``_LEADING_ID`` however it is indented."""


def _id_hint(record: Record) -> str | None:
    """The id key the record will claim if it claims at all, when the parent can tell
    cheaply (a JSON line, a CSV row, a JSON file that opens with its id); None when it
    cannot (a PDF form, unreadable JSON).

    A record claims only after it validated, and validation keeps an id exactly as
    given (letters, digits, - _ /) and refuses duplicate keys, so a valid record's id
    is the one any JSON parser reads from its line. A line that opens with its id
    (``_LEADING_ID``: the top-level object's first member is ``review``, after at most
    ``schema_version``, and its first member is an id of those characters, which JSON
    cannot escape) is read without parsing the rest: a tenth of a record's time in
    the parent. If such a line is not valid JSON, or repeats a key, the record fails
    before it claims anything, and the id held for it is freed. A file is read again
    by its worker: if it changed in between and claims another id, the held one is
    freed when that claim is asked (``_OrderedClaims.asked``).
    """
    raw: Any
    if record.kind == "raw":
        raw = record.payload
    elif record.kind == "json":
        leading = _LEADING_ID.match(record.payload)
        if leading is not None:
            return safe_id(leading.group(1).decode("ascii"))
        try:
            raw = json.loads(record.payload)
        except (ValueError, RecursionError):
            return None
    elif record.kind == "file" and str(record.payload).lower().endswith(".json"):
        # Only the opening: without it the record's claim waits for every earlier
        # record to be validated (a fifth fewer letters a second from a folder).
        try:
            with open(record.payload, "rb") as fh:
                leading = _LEADING_ID.match(fh.read(_HEAD_BYTES))
        except OSError:
            return None  # the worker explains
        return safe_id(leading.group(1).decode("ascii")) if leading else None
    else:
        return None
    review = raw.get("review") if isinstance(raw, dict) else None
    value = review.get("id") if isinstance(review, dict) else None
    return safe_id(value) if isinstance(value, str) else None


class _OrderedClaims:
    """Claims answered as in source order, so that of two records with one id the first
    in the source that claims it is produced, whichever worker gets there first (as with
    one worker).

    A claim for an id waits only for the earlier records still open (neither claimed
    nor finished) that could claim the same id: those whose id hint is that id, or
    unknown. Most records are answered when they are sent, because no earlier open
    record can take their id; the id is then held for the record until its row says
    whether it claimed it (a record that failed before claiming gives it back). Each
    worker takes its records in source order, so the earliest open record is always
    in hand or answerable, and no worker waits for ever.
    """

    def __init__(self) -> None:
        self._claims = _Claims()
        self._open: dict[int, str | None] = {}  # seq -> the id it may claim (None: unknown)
        self._held: dict[int, tuple[str, str]] = {}  # seq -> (id, source) held for it
        self._waiting: dict[int, tuple[Connection, str, str]] = {}

    def sent(self, seq: int, hint: str | None, source: str) -> tuple[str, str | None] | None:
        """The record is open: its claim's answer now, when no earlier record can change it."""
        self._open[seq] = hint
        if hint is None or self._blocked(seq, hint):
            return None
        first = self._claims(hint, source)
        if first is None:
            self._held[seq] = (hint, source)
        return hint, first

    def asked(self, seq: int, conn: Connection, key: str, source: str) -> None:
        """A claim the record was not given with it, answered on ``conn`` in turn."""
        held = self._held.get(seq)
        if held is not None and held[0] != key:
            # The id read for it was not the one it validated with (its file changed
            # in between): that id was never its own, and nothing was written under it.
            del self._held[seq]
            self._claims.release(*held)
        self._waiting[seq] = (conn, key, source)
        self._open[seq] = key
        self._answer()

    def finished(self, seq: int, *, claimed: bool) -> None:
        """The record's row arrived; an id held for a record that never claimed it is freed."""
        held = self._held.pop(seq, None)
        if held is not None and not claimed:
            self._claims.release(*held)
        self.lost(seq)

    def lost(self, seq: int) -> None:
        """The record is done, or was lost with its worker (an id held for it stays held:
        it may have written files under that id before the worker stopped)."""
        self._held.pop(seq, None)
        self._open.pop(seq, None)
        self._waiting.pop(seq, None)
        self._answer()

    def _blocked(self, seq: int, key: str) -> bool:
        return any(m < seq and (k is None or k == key) for m, k in self._open.items())

    def _answer(self) -> None:
        answered = True
        while answered:
            answered = False
            for seq in sorted(self._waiting):
                conn, key, source = self._waiting[seq]
                if self._blocked(seq, key):
                    continue
                del self._waiting[seq]
                self._open.pop(seq, None)
                # A record sent again after its worker died may ask again: same answer.
                with contextlib.suppress(OSError):
                    conn.send(self._claims(key, source))
                answered = True


@dataclass(eq=False)  # one per worker process, compared (and hashed) by identity
class _Handle:
    process: BaseProcess
    conn: Connection
    claims: Connection
    in_flight: deque[tuple[int, Record]] = field(default_factory=deque)


class _Pool:
    """Worker processes fed a few records each, with a crashed worker's record reported
    as that record's failure and the worker replaced.

    ``multiprocessing.Pool`` cannot do this: a task whose worker dies is lost and the
    batch would wait for it for ever.

    On Linux, in a process with no other thread, workers are forked from this one once
    it has imported what a worker needs and compiled the batch's templates: a worker
    is then ready at once, where a spawned one spends about half a second importing
    and compiling before its first record (a sixth of a 2,000-letter batch). Forking
    needs care, taken here: the register is opened by the parent only after the first
    workers exist and is never used by a child (``Register`` reconnects after a fork),
    LibreOffice is never inherited (``pdf`` forgets it after a fork), each child
    closes the parent's ends of every pipe it inherited, so a worker still sees the
    parent go, and output buffers are flushed before forking so no line is printed
    twice. Anywhere else (another system, or threads that a fork could catch holding a
    lock) workers are spawned.
    """

    def __init__(self, job: _Job, size: int) -> None:
        self.job = job
        method = _start_method()
        if method == "fork":
            _prepare_for_workers(job)
        self.context = (
            multiprocessing.get_context("fork")
            if method == "fork"
            else multiprocessing.get_context("spawn")
        )
        self.claims = _OrderedClaims()
        # One selector for the whole batch: multiprocessing's wait() builds and fills a
        # new one on every call, which cost the parent more than the rest of a record.
        self._selector = selectors.DefaultSelector()
        self.handles: list[_Handle] = []
        for _ in range(size):
            self.handles.append(self._start())
        self._deaths_in_a_row = 0

    def _start(self) -> _Handle:
        parent, child = self.context.Pipe()
        claims, child_claims = self.context.Pipe()
        # What a forked child must close: the parent's ends of its own pipes and of
        # every other worker's (a spawned child inherits none of them).
        inherited = [parent, claims] + [c for h in self.handles for c in (h.conn, h.claims)]
        forked = self.context.get_start_method() == "fork"
        if forked:
            sys.stdout.flush()
            sys.stderr.flush()
        process = self.context.Process(
            target=_worker_main,
            args=(child, child_claims, self.job, inherited if forked else []),
            daemon=True,
        )
        process.start()
        child.close()
        child_claims.close()
        handle = _Handle(process, parent, claims)
        self._selector.register(parent, selectors.EVENT_READ, handle)
        self._selector.register(process.sentinel, selectors.EVENT_READ, handle)
        return handle

    def send(self, handle: _Handle, seq: int, record: Record) -> None:
        handle.in_flight.append((seq, record))
        told = self.claims.sent(seq, _id_hint(record), record.source)
        # A worker that has died cannot take it: receive() sees that and replaces it.
        with contextlib.suppress(OSError):
            _put(handle.conn, (seq, record, told))

    def receive(self) -> Iterator[tuple[int, ReportRow]]:
        """Results from whichever workers have some (waiting until one does)."""
        events = self._selector.select()
        ready = {key.data for key, _ in events}
        stopped = {key.data for key, _ in events if key.fileobj == key.data.process.sentinel}
        for handle in [h for h in self.handles if h in ready]:
            # A stopped worker's pipe holds all it sent: read in full before its records
            # are counted lost.
            alive = handle not in stopped
            try:
                for message in _messages(handle.conn, drain=not alive):
                    if message[0] == "claim":
                        _, seq, key, source = message
                        self.claims.asked(seq, handle.claims, key, source)
                        continue
                    _, seq, row, claimed = message
                    if not handle.in_flight:  # never: each row answers a record sent
                        break
                    handle.in_flight.popleft()
                    self._deaths_in_a_row = 0
                    self.claims.finished(seq, claimed=claimed)
                    yield seq, row
            except (EOFError, OSError):
                pass
            if not alive:
                yield from self._replace(handle)

    def _replace(self, dead: _Handle) -> Iterator[tuple[int, ReportRow]]:
        self._selector.unregister(dead.conn)
        self._selector.unregister(dead.process.sentinel)
        dead.process.join()
        dead.conn.close()
        dead.claims.close()
        code = dead.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        self._deaths_in_a_row += 1
        if self._deaths_in_a_row > 2 * len(self.handles):
            # Workers that die before finishing anything would otherwise fail the
            # whole source one record at a time, each after a fresh start.
            raise ReviewdocsError(
                f"Batch worker processes keep stopping ({how}) before finishing any record; "
                "run with --jobs 1 to see the problem."
            )
        replacement = self._start()
        self.handles[self.handles.index(dead)] = replacement
        if dead.in_flight:
            seq, record = dead.in_flight.popleft()
            self.claims.lost(seq)
            yield (
                seq,
                ReportRow(
                    "",
                    record.source,
                    "failed",
                    error=f"The worker process stopped while producing this record ({how}); "
                    "files it finished are complete, and running the batch again retries it.",
                ),
            )
        for seq, record in dead.in_flight:
            self.send(replacement, seq, record)

    def close(self) -> None:
        for handle in self.handles:
            with contextlib.suppress(OSError):
                _put(handle.conn, None)
            # A worker interrupted while waiting for a claim gets EOF, not a wait.
            handle.claims.close()
        for handle in self.handles:
            handle.process.join(timeout=30)
            if handle.process.is_alive():
                handle.process.kill()
                handle.process.join()
            handle.conn.close()
        self._selector.close()


def _start_method() -> str:
    """``fork`` on Linux when this process runs no other thread, else ``spawn``
    (``REVIEWDOCS_BATCH_START=spawn`` forces spawning, to compare or to rule it out)."""
    import threading

    chosen = os.environ.get("REVIEWDOCS_BATCH_START", "")
    if chosen == "spawn" or sys.platform != "linux" or threading.active_count() > 1:
        return "spawn"
    return "fork"


def _prepare_for_workers(job: _Job) -> None:
    """Import what a worker needs and compile the batch's templates, once, before the
    workers are forked from this process."""
    import reviewdocs.decision.rules
    import reviewdocs.disclosure.production
    import reviewdocs.disclosure.register
    import reviewdocs.documents.accessible
    import reviewdocs.intake.schemas  # noqa: F401  (imported for the workers to inherit)
    from reviewdocs.documents import compiled

    if job.documents and not job.dry_run:
        variants = [job.variant] if job.variant else ["standard"]
        for document in job.documents:
            for variant in variants:
                with contextlib.suppress(ReviewdocsError):  # the record's row says why
                    compiled(document, variant, job.font_size)


def _put(conn: Connection, message: Any) -> None:
    """A message between the parent and a worker: records, rows, claims, plain data.

    Plain ``pickle`` rather than ``Connection.send``, whose pickler (made anew for
    each message, to carry sockets and pipes, which these never hold) cost the parent
    a tenth of its time per record."""
    conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _get(conn: Connection) -> Any:
    return pickle.loads(conn.recv_bytes())


def _messages(conn: Connection, *, drain: bool) -> Iterator[Any]:
    """One message from a pipe that is ready (the next ``select`` returns at once when
    more are queued: each ``poll`` would cost a ``wait`` of its own), or all of them."""
    if not drain:
        yield _get(conn)
        return
    while conn.poll():
        yield _get(conn)


def _run_pool(records: Iterator[Record], job: _Job, size: int) -> Generator[ReportRow, None, None]:
    """Every record's row, in source order, from ``size`` worker processes."""
    pool = _Pool(job, size)
    try:
        numbered = enumerate(records)
        exhausted = False
        waiting: dict[int, ReportRow] = {}
        next_seq = 0
        while True:
            # One record at a time to the least busy worker, so consecutive records go
            # to different workers: a claim waits for every earlier record's, and a
            # worker sent a run of records would leave the others waiting on it.
            while not exhausted:
                handle = min(pool.handles, key=lambda h: len(h.in_flight))
                if len(handle.in_flight) >= _IN_FLIGHT_PER_WORKER:
                    break
                item = next(numbered, None)
                if item is None:
                    exhausted = True
                else:
                    pool.send(handle, *item)
            if exhausted and not any(h.in_flight for h in pool.handles):
                break
            for seq, row in pool.receive():
                waiting[seq] = row
            # Held rows wait only for records still in flight, so this stays small.
            while next_seq in waiting:
                yield waiting.pop(next_seq)
                next_seq += 1
    finally:
        pool.close()


# -- progress on a terminal -----------------------------------------------------------------


class _Bar:
    def __init__(self, total: int | None) -> None:
        from tqdm import tqdm

        # No monitor thread: the workers are forked only from a process without threads.
        tqdm.monitor_interval = 0
        # A terminal that reports no size (some CI and `script` sessions) gets 80x24:
        # tqdm draws nothing at all in a terminal of width or height 0.
        try:
            size = os.get_terminal_size(sys.stderr.fileno())
        except OSError:
            size = os.terminal_size((0, 0))
        self._bar = tqdm(
            total=total,
            unit="record",
            file=sys.stderr,
            dynamic_ncols=size.columns > 0 and size.lines > 0,
            ncols=size.columns or 80,
            nrows=size.lines or 24,
        )
        self._failed = 0

    def __call__(self, row: ReportRow) -> None:
        if row.status == "failed":
            self._failed += 1
            self._bar.set_postfix(failed=self._failed, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _quiet(_row: ReportRow) -> None:
    """No progress output when stderr is not a terminal (logs, pipes, cron)."""


def terminal_progress(total: int | None) -> ProgressCallback:
    """A progress bar (done, rate, time left) on stderr when it is a terminal; else silent."""
    if sys.stderr.isatty():
        return _Bar(total)
    return _quiet
