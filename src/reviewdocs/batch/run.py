"""Produce the documents of many reviews: one bad record never stops the batch.

``run_batch`` reads a source one record at a time (see :mod:`reviewdocs.intake.sources`),
sends each record to a worker process (:mod:`reviewdocs.batch.pool`) that reads,
validates, decides and produces it (:mod:`reviewdocs.batch.worker`) through
:func:`reviewdocs.disclosure.production.produce`, and writes one row per record to
``OUT/batch-report.csv`` in source order (:mod:`reviewdocs.batch.report`). The report is
a journal while the batch runs (``batch-report.csv.part``, a row appended as each record
finishes) and is renamed into place at the end, so a batch killed half-way still shows
how far it got.

Re-running is resuming (:mod:`reviewdocs.batch.resume`): a record is skipped when the
register shows every file it calls for was produced from the same input bytes and the
same template, and each file is still on disk with the hash the register recorded.
Anything else about the record is produced again, file by file, so an interrupted
record is finished without producing its finished files twice; a document already
issued that would now differ (a changed input, a later ``--date``) is never replaced:
the record fails, saying so.

A batch holds its ``--out`` folder exclusively (``locks.out_lock``): a second batch into
it, or a ``render``/``share``/``amend`` on one of its reviews, waits a bounded time and
then fails naming the batch; the batch likewise waits for them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import date
from pathlib import Path

from reviewdocs.batch.claims import Claims
from reviewdocs.batch.pool import cores, run_pool
from reviewdocs.batch.progress import ProgressFactory, terminal_progress
from reviewdocs.batch.report import REPORT_NAME, BatchResult, Journal, Report, ReportRow
from reviewdocs.batch.worker import Job, Worker
from reviewdocs.files import make_private_dirs
from reviewdocs.intake.sources import Record, count_records, describe_source, iter_records
from reviewdocs.locks import out_lock

__all__ = ["BatchResult", "ReportRow", "run_batch", "terminal_progress"]


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
    """Produce every record of ``source`` (or with ``dry_run`` read, validate, decide and
    render each one in memory, writing nothing but the report).

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

    job = Job(
        out_dir=out_dir,
        register_path=Path(register_path) if register_path else out_dir / DEFAULT_NAME,
        documents=tuple(documents) if documents else None,
        fmt=fmt,
        variant=variant,
        font_size=font_size,
        produced=produced,
        dry_run=dry_run,
    )
    result = BatchResult(
        report=out_dir / REPORT_NAME, dry_run=dry_run, source_note=describe_source(source)
    )
    workers = jobs or cores()
    # One batch at a time in a folder, and no single command on any of its reviews
    # meanwhile (they hold it shared): the workers' files are registered by this
    # process later, a group at a time, so nothing else may read or write there first.
    with out_lock(out_dir, "batch", shared=False):
        _run(records, job, result, workers, progress(total) if progress is not None else None)
    return result


def _run(
    records: Iterator[Record],
    job: Job,
    result: BatchResult,
    workers: int,
    callback: Callable[[ReportRow], None] | None,
) -> None:
    dry_run = job.dry_run
    try:
        with Report(result.report) as report:
            rows = _run_here(records, job) if workers == 1 else run_pool(records, job, workers)
            try:
                with Journal(report, job.register_path) as journal, contextlib.closing(rows):
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


def _run_here(records: Iterator[Record], job: Job) -> Generator[ReportRow, None, None]:
    worker = Worker(job, Claims().at_once)
    try:
        for record in records:
            yield worker.process(record)
    finally:
        worker.close()
