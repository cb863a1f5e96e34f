"""The register: what went to whom, on what basis, with what withheld.

Every document produced is a row (spec section 6: "Each copy produced is written
to the register"), and so is every "no copy" decision, so the register answers
both "who has version N of this record?" (003 "The amended record should be
circulated to the same people as the original record") and "why did this person
get nothing?".

SQLite from the standard library. Several processes may write at once (two
``render`` runs, a batch's parent): the database runs in WAL mode with a busy
timeout, every write is one short ``BEGIN IMMEDIATE`` transaction, and a write that
still meets a lock is retried. A batch's workers only read; their records' files are
added by the parent, many records to a transaction (``Deferred``, ``add_rows``).
The schema is versioned with ``PRAGMA user_version`` and migrated on open.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal, TypeVar

from reviewdocs.errors import ReviewdocsError
from reviewdocs.files import PRIVATE_FILE, make_private_dirs

DEFAULT_NAME: Final = "register.sqlite"
"""The register's file name inside the output folder when ``--register`` is not given."""

SCHEMA_VERSION: Final = 3

BASES: Final = (
    "subject",
    "joint_organisation",
    "consent",
    "request",
    "manager_decision",
    "amendment_circulation",
)
"""Why a copy was sent (spec section 6; 003 "Following the review process" to the end)."""

_MIGRATIONS: Final[dict[int, str]] = {
    1: """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_id TEXT NOT NULL,
            document TEXT NOT NULL,
            version INTEGER NOT NULL,
            recipient_id TEXT,
            recipient_name TEXT,
            basis TEXT NOT NULL,
            withheld TEXT NOT NULL,
            produced_on TEXT NOT NULL,
            variant TEXT NOT NULL,
            fmt TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            input_sha256 TEXT NOT NULL,
            template_sha256 TEXT NOT NULL
        );
        CREATE INDEX entries_by_review ON entries (review_id, document, version);
        CREATE TABLE refusals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_id TEXT NOT NULL,
            recipient_id TEXT NOT NULL,
            recipient_name TEXT,
            reason TEXT NOT NULL,
            produced_on TEXT NOT NULL
        );
        CREATE INDEX refusals_by_review ON refusals (review_id);
    """,
    # Version 2: amendment decisions, so that version N of a record can be rebuilt
    # (the input file holds the original; each accepted amendment changes it).
    2: """
        CREATE TABLE amendments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_id TEXT NOT NULL,
            amends_version INTEGER NOT NULL,
            version INTEGER,
            decided_on TEXT NOT NULL,
            amendment TEXT NOT NULL
        );
        CREATE INDEX amendments_by_review ON amendments (review_id);
    """,
    # Version 3: files by path, so a review's folder can be checked for another
    # review's documents (CR/1 and CR_1 share a folder) in one indexed look-up.
    3: """
        CREATE INDEX entries_by_path ON entries (path);
    """,
}

LOCK_TIMEOUT_S: Final = 10.0
"""How long a command waits for a register another process is writing to, before it
stops and says so (issue 12 finding 6: it used to wait minutes, silently)."""
_TIMEOUT_VARIABLE: Final = "REVIEWDOCS_REGISTER_TIMEOUT"


def lock_timeout() -> float:
    """``$REVIEWDOCS_REGISTER_TIMEOUT`` seconds, else ``LOCK_TIMEOUT_S``."""
    text = os.environ.get(_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return LOCK_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:
        raise RegisterError(
            f"{_TIMEOUT_VARIABLE} must be a number of seconds (0 to 86400), not {text!r}."
        )
    return seconds


CSV_COLUMNS: Final = (
    "status",
    "review_id",
    "document",
    "version",
    "recipient_id",
    "recipient_name",
    "basis",
    "withheld",
    "produced_on",
    "variant",
    "format",
    "path",
    "sha256",
    "input_sha256",
    "template_sha256",
    "reason",
)

T = TypeVar("T")


class RegisterError(ReviewdocsError):
    """The register file cannot be opened, is not a register, or is from a newer reviewdocs."""


@dataclass(frozen=True)
class Entry:
    """One file produced for one recipient (``recipient_id`` None: the subject)."""

    review_id: str
    document: str
    version: int
    recipient_id: str | None
    recipient_name: str | None
    basis: str
    withheld: tuple[str, ...]
    produced_on: date
    variant: str
    fmt: str
    path: str
    sha256: str
    input_sha256: str
    template_sha256: str


EntryRow = tuple[
    str, str, int, "str | None", "str | None", str, str, str, str, str, str, str, str, str
]
"""An ``Entry`` as the values of its row in the ``entries`` table."""


def entry_row(entry: Entry) -> EntryRow:
    return (
        entry.review_id,
        entry.document,
        entry.version,
        entry.recipient_id,
        entry.recipient_name,
        entry.basis,
        json.dumps(list(entry.withheld)),
        entry.produced_on.isoformat(),
        entry.variant,
        entry.fmt,
        entry.path,
        entry.sha256,
        entry.input_sha256,
        entry.template_sha256,
    )


@dataclass(frozen=True)
class StoredAmendment:
    """An amendment decision: ``version`` is the record version it made (None: declined)."""

    review_id: str
    amends_version: int
    version: int | None
    decided_on: date
    amendment: dict[str, Any]


@dataclass(frozen=True)
class Refusal:
    """A recorded "no copy" decision, with its reason in plain words."""

    review_id: str
    recipient_id: str
    recipient_name: str | None
    reason: str
    produced_on: date


class Register:
    """The SQLite register at ``path`` (created, or migrated to the current schema)."""

    def __init__(self, path: Path, *, synchronous: Literal["FULL", "NORMAL"] = "FULL") -> None:
        """``synchronous="NORMAL"`` (for batch workers): a commit no longer waits for the
        disk. In WAL mode the register still survives a killed process intact; only a
        power cut can lose the last commits, which the batch's resume check then finds
        unregistered and produces again."""
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        self.path = Path(path)
        self._synchronous = synchronous
        self._timeout = lock_timeout()
        self._conn = self._connect()
        self._pid = os.getpid()
        try:
            self._retry(self._enable_wal)
            self._retry(self._migrate)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise RegisterError(
                f"{self.path} is not a reviewdocs register (SQLite said: {exc})."
            ) from exc
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            _private_database(self.path)
            conn = sqlite3.connect(self.path, timeout=self._timeout)
            # Autocommit mode: transactions are opened explicitly and kept short.
            conn.isolation_level = None
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError(f"Cannot open the register {self.path}: {exc}.") from exc
        return conn

    @property
    def _db(self) -> sqlite3.Connection:
        # SQLite connections must not cross fork(): a batch worker forked after the
        # register was opened gets a connection of its own.
        if self._pid != os.getpid():
            # The parent's connection is kept, never closed here: closing it in the
            # child could checkpoint or unlock a database the parent is still using.
            self._inherited = self._conn
            self._conn = self._connect()
            self._conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            self._pid = os.getpid()
        return self._conn

    # -- schema ---------------------------------------------------------------

    def _enable_wal(self) -> None:
        # WAL lets readers carry on while one worker writes.
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute(f"PRAGMA synchronous = {self._synchronous}")

    def _migrate(self) -> None:
        with self._write() as db:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise RegisterError(
                    f"The register {self.path} was written by a newer reviewdocs "
                    f"(schema {current}; this version knows up to {SCHEMA_VERSION})."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing --------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock at the start, so two workers never both
        # read then fail to upgrade (the deadlock a DEFERRED transaction can meet).
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _retry(self, action: Callable[[], T]) -> T:
        """``action``, retried while the register is locked, for ``lock_timeout()`` in all.

        SQLite's busy handler waits inside each attempt; a lock it does not wait for (a
        WAL snapshot gone stale) is retried here. Past the time, the command stops with
        a message naming the register: never a silent wait."""
        deadline = time.monotonic() + self._timeout
        delay = 0.05
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if not locked:
                    message = f"Cannot write to the register {self.path}: {exc}."
                    raise RegisterError(message) from exc
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RegisterError(self._busy_message()) from exc
                time.sleep(min(delay, left))
                delay = min(delay * 2, 1.0)

    def _busy_message(self) -> str:
        return (
            f"The register {self.path} is in use by another process, which did not let go "
            f"of it within {self._timeout:g} seconds: another reviewdocs command may still be "
            "writing to it (wait for it to finish), or a program has it open (close that "
            "program); then run this command again."
        )

    def add(self, entry: Entry) -> None:
        """Record one produced file."""
        self.add_many([entry])

    def add_many(self, entries: Sequence[Entry]) -> None:
        """Record several produced files in one transaction (a batch's group commit)."""
        self.add_rows([entry_row(entry) for entry in entries])

    def add_rows(self, rows: Sequence[EntryRow]) -> None:
        """``add_many`` for entries already made rows (``entry_row``): what a batch
        worker hands the parent, plain values being quicker to pass between processes."""
        if not rows:
            return

        def insert() -> None:
            with self._write() as db:
                db.executemany(
                    "INSERT INTO entries (review_id, document, version, recipient_id,"
                    " recipient_name, basis, withheld, produced_on, variant, fmt, path,"
                    " sha256, input_sha256, template_sha256)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

        self._retry(insert)

    def add_refusal(
        self,
        review_id: str,
        recipient_id: str,
        recipient_name: str | None,
        reason: str,
        produced_on: date,
    ) -> None:
        """Record that a recipient was given no copy, and why (003 "Concerns about a request")."""

        def insert() -> None:
            with self._write() as db:
                db.execute(
                    "INSERT INTO refusals (review_id, recipient_id, recipient_name, reason,"
                    " produced_on) VALUES (?, ?, ?, ?, ?)",
                    (review_id, recipient_id, recipient_name, reason, produced_on.isoformat()),
                )

        self._retry(insert)

    def add_amendment(
        self,
        review_id: str,
        amends_version: int,
        version: int | None,
        decided_on: date,
        amendment: Mapping[str, Any],
    ) -> None:
        """Record an amendment decision (dates in ``amendment`` are stored as ISO text)."""
        text = json.dumps(dict(amendment), default=_iso, sort_keys=True)

        def insert() -> None:
            with self._write() as db:
                db.execute(
                    "INSERT INTO amendments (review_id, amends_version, version, decided_on,"
                    " amendment) VALUES (?, ?, ?, ?, ?)",
                    (review_id, amends_version, version, decided_on.isoformat(), text),
                )

        self._retry(insert)

    # -- reading --------------------------------------------------------------

    def amendments(self, review_id: str) -> list[StoredAmendment]:
        """The review's amendment decisions, oldest first."""
        rows = self._db.execute(
            "SELECT review_id, amends_version, version, decided_on, amendment FROM amendments"
            " WHERE review_id = ? ORDER BY id",
            (review_id,),
        )
        return [
            StoredAmendment(
                review_id=row[0],
                amends_version=int(row[1]),
                version=None if row[2] is None else int(row[2]),
                decided_on=date.fromisoformat(row[3]),
                amendment=json.loads(row[4]),
            )
            for row in rows
        ]

    def entries(self, review_id: str | None = None) -> list[Entry]:
        """Every produced file, oldest first; only one review's when ``review_id`` is given."""
        sql = f"SELECT {_ENTRY_COLUMNS} FROM entries"
        args: tuple[str, ...] = ()
        if review_id is not None:
            sql += " WHERE review_id = ?"
            args = (review_id,)
        return [_entry(row) for row in self._db.execute(sql + " ORDER BY id", args)]

    def refusals(self, review_id: str | None = None) -> list[Refusal]:
        """Every recorded "no copy" decision, oldest first."""
        sql = "SELECT review_id, recipient_id, recipient_name, reason, produced_on FROM refusals"
        args: tuple[str, ...] = ()
        if review_id is not None:
            sql += " WHERE review_id = ?"
            args = (review_id,)
        return [
            Refusal(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]))
            for row in self._db.execute(sql + " ORDER BY id", args)
        ]

    def latest_version(self, review_id: str, document: str = "review_record") -> int | None:
        """The highest version of ``document`` produced for the review, or None if never."""
        row = self._db.execute(
            "SELECT MAX(version) FROM entries WHERE review_id = ? AND document = ?",
            (review_id, document),
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def folder_owner(self, folder: str, review_id: str) -> str | None:
        """Another review whose documents are in ``folder``, or None.

        Review ids become folder names with ``/`` made ``_``, so ``CR/1`` and ``CR_1``
        would write into one folder and one person's letters would replace another's.
        """
        # Every path in the folder sorts between "folder/" and "folder0" ("0" follows "/").
        row = self._db.execute(
            "SELECT review_id FROM entries WHERE path >= ? AND path < ? AND review_id != ? LIMIT 1",
            (folder + "/", folder + "0", review_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def recipients_of(self, review_id: str, document: str, version: int) -> list[Entry]:
        """Who received that version: one entry per recipient (the subject included).

        A recipient given several files of the same version (a DOCX and a PDF, a
        re-run) appears once, with their most recent entry.
        """
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries"
            " WHERE review_id = ? AND document = ? AND version = ? ORDER BY id",
            (review_id, document, version),
        ).fetchall()
        latest: dict[str | None, Entry] = {}
        for row in rows:
            entry = _entry(row)
            latest.pop(entry.recipient_id, None)
            latest[entry.recipient_id] = entry
        return list(latest.values())

    def export_csv(self, out: IO[str] | Path) -> None:
        """Every entry (status ``sent``) then every refusal (status ``no copy``) as CSV.

        To a file (a ``Path``): as Excel reads it, UTF-8 with a BOM and CRLF, readable by
        its owner only (the export names everyone a copy went to), written whole or not
        at all. To a stream (standard output): the same rows, without the BOM.
        """
        if isinstance(out, Path):
            from reviewdocs.files import open_csv_for_excel

            part = out.with_name(f".{out.name}.{os.getpid()}.part")
            try:
                with open_csv_for_excel(part) as fh:
                    self.export_csv(fh)
                os.replace(part, out)
            finally:
                if part.exists():
                    part.unlink()
            return
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for e in self.entries():
            writer.writerow(
                _cells(
                    "sent",
                    e.review_id,
                    e.document,
                    str(e.version),
                    e.recipient_id or "",
                    e.recipient_name or "",
                    e.basis,
                    ";".join(e.withheld),
                    e.produced_on.isoformat(),
                    e.variant,
                    e.fmt,
                    e.path,
                    e.sha256,
                    e.input_sha256,
                    e.template_sha256,
                    "",
                )
            )
        for r in self.refusals():
            writer.writerow(
                _cells(
                    "no copy",
                    r.review_id,
                    "review_record",
                    "",
                    r.recipient_id,
                    r.recipient_name or "",
                    "",
                    "",
                    r.produced_on.isoformat(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    r.reason,
                )
            )

    # -- lifetime -------------------------------------------------------------

    def close(self) -> None:
        if self._pid == os.getpid():
            self._conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_ENTRY_COLUMNS: Final = (
    "review_id, document, version, recipient_id, recipient_name, basis, withheld,"
    " produced_on, variant, fmt, path, sha256, input_sha256, template_sha256"
)


def _private_database(path: Path) -> None:
    """Make the register's file owner-only (0600) before SQLite opens it, its folder
    0700 if we create it: SQLite gives the -wal and -shm files the database's own mode,
    so they are owner-only too (issue 12 finding 8: names and amendment texts)."""
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    try:
        if os.fstat(fd).st_mode & 0o777 != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{path}{suffix}", PRIVATE_FILE)


def _entry(row: tuple[object, ...]) -> Entry:
    return Entry(
        review_id=str(row[0]),
        document=str(row[1]),
        version=int(str(row[2])),
        recipient_id=None if row[3] is None else str(row[3]),
        recipient_name=None if row[4] is None else str(row[4]),
        basis=str(row[5]),
        withheld=tuple(json.loads(str(row[6]))),
        produced_on=date.fromisoformat(str(row[7])),
        variant=str(row[8]),
        fmt=str(row[9]),
        path=str(row[10]),
        sha256=str(row[11]),
        input_sha256=str(row[12]),
        template_sha256=str(row[13]),
    )


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored in the register")


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _cells(*values: str) -> list[str]:
    # Names come from case records; a name starting with "=" must not become a
    # spreadsheet formula when the export is opened in Excel (CSV injection).
    return ["'" + v if v.startswith(_FORMULA_START) else v for v in values]


class Deferred:
    """A register for one batch record: it reads from ``register`` and keeps the files
    the record produced, as rows (``entry_row``), for the batch's parent to add.

    One writer (the parent, committing many records' files at once) instead of one
    transaction per record from every worker: workers took turns for the write lock,
    and SQLite's busy handler slept a millisecond at each turn.
    """

    def __init__(self, register: Register) -> None:
        self._register = register
        self.rows: list[EntryRow] = []

    def add(self, entry: Entry) -> None:
        self.rows.append(entry_row(entry))

    def folder_owner(self, folder: str, review_id: str) -> str | None:
        return self._register.folder_owner(folder, review_id)
