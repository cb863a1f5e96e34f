"""The batch's report and journal: one row per record, in source order.

The report (``OUT/batch-report.csv``) is a journal while the batch runs
(``batch-report.csv.part``, rows appended as records finish) and is renamed into place
at the end, so a batch killed half-way still shows how far it got. ``Journal`` puts
finished records' files in the register before their rows reach the report.
"""

from __future__ import annotations

import contextlib
import csv
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal

from reviewdocs.errors import ReviewdocsError

if TYPE_CHECKING:
    from reviewdocs.disclosure.register import EntryRow, Register

REPORT_NAME: Final = "batch-report.csv"
REPORT_COLUMNS: Final = ("id", "source", "status", "documents", "error")

Status = Literal["produced", "skipped", "failed", "valid"]


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


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


class Report:
    """The report, appended row by row to a journal, renamed into place when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal = path.with_name(path.name + ".part")
        self._fh: IO[str] | None = None

    def __enter__(self) -> Report:
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


class Journal:
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

    def __init__(self, report: Report, register_path: Path) -> None:
        self._report = report
        self._register_path = register_path
        self._register: Register | None = None
        self._rows: list[ReportRow] = []
        self._since = time.monotonic()

    def __enter__(self) -> Journal:
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
