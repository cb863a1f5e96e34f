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

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal, TypeVar

from reviewdocs.disclosure.register_schema import BASES, MIGRATIONS, SCHEMA_VERSION
from reviewdocs.disclosure.rows import (
    CSV_COLUMNS,
    ENTRY_COLUMNS,
    Entry,
    EntryRow,
    Refusal,
    StoredAmendment,
    entry_from,
    entry_row,
    export_csv,
    iso,
)
from reviewdocs.errors import ReviewdocsError
from reviewdocs.files import private_database

__all__ = [
    "BASES",
    "CSV_COLUMNS",
    "DEFAULT_NAME",
    "SCHEMA_VERSION",
    "Deferred",
    "Entry",
    "EntryRow",
    "Refusal",
    "Register",
    "RegisterError",
    "StoredAmendment",
    "amendment_key",
    "entry_row",
]

DEFAULT_NAME: Final = "register.sqlite"
"""The register's file name inside the output folder when ``--register`` is not given."""

_MIGRATIONS = MIGRATIONS  # the name tests and older callers import

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


T = TypeVar("T")


class RegisterError(ReviewdocsError):
    """The register file cannot be opened, is not a register, or is from a newer reviewdocs."""


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
            private_database(self.path)
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
        *,
        version: int | None = None,
        hold: bool = False,
    ) -> None:
        """Record that a recipient was given no copy, and why (003 "Concerns about a request")."""
        refusal = Refusal(
            review_id, recipient_id, recipient_name, reason, produced_on, version, hold
        )
        self._retry(lambda: self._insert_refusals([refusal]))

    def _insert_refusals(self, refusals: Iterable[Refusal]) -> None:
        with self._write() as db:
            _insert_refusals(db, refusals)

    def add_amendment(
        self,
        review_id: str,
        amends_version: int,
        version: int | None,
        decided_on: date,
        amendment: Mapping[str, Any],
        *,
        state: Literal["pending", "done"] = "done",
        letter_version: int | None = None,
    ) -> int:
        """Record an amendment decision (dates in ``amendment`` are stored as ISO text);
        its row id. ``pending``: its files are yet to be made (``finish_amendment``)."""
        text = json.dumps(dict(amendment), default=iso, sort_keys=True)
        key = amendment_key(amendment)

        def insert() -> int:
            with self._write() as db:
                cursor = db.execute(
                    "INSERT INTO amendments (review_id, amends_version, version, decided_on,"
                    " amendment, state, key, letter_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        review_id,
                        amends_version,
                        version,
                        decided_on.isoformat(),
                        text,
                        state,
                        key,
                        letter_version,
                    ),
                )
                return int(cursor.lastrowid or 0)

        return self._retry(insert)

    def finish_amendment(self, amendment_id: int, refusals: Sequence[Refusal]) -> None:
        """Mark the amendment done, with its "not sent" decisions, in one transaction:
        either both are recorded or neither (the next run then finishes it)."""

        def finish() -> None:
            with self._write() as db:
                _insert_refusals(db, refusals)
                db.execute("UPDATE amendments SET state = 'done' WHERE id = ?", (amendment_id,))

        self._retry(finish)

    # -- reading --------------------------------------------------------------

    def amendments(self, review_id: str) -> list[StoredAmendment]:
        """The review's amendment decisions, oldest first (pending ones included)."""
        rows = self._db.execute(
            "SELECT review_id, amends_version, version, decided_on, amendment, id, state, key,"
            " letter_version FROM amendments WHERE review_id = ? ORDER BY id",
            (review_id,),
        )
        return [
            StoredAmendment(
                review_id=row[0],
                amends_version=int(row[1]),
                version=None if row[2] is None else int(row[2]),
                decided_on=date.fromisoformat(row[3]),
                amendment=json.loads(row[4]),
                id=int(row[5]),
                state=str(row[6]),
                key=str(row[7]) or amendment_key(json.loads(row[4])),
                letter_version=None if row[8] is None else int(row[8]),
            )
            for row in rows
        ]

    def entries(self, review_id: str | None = None) -> list[Entry]:
        """Every produced file, oldest first; only one review's when ``review_id`` is given."""
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries"
        args: tuple[str, ...] = ()
        if review_id is not None:
            sql += " WHERE review_id = ?"
            args = (review_id,)
        return [entry_from(row) for row in self._db.execute(sql + " ORDER BY id", args)]

    def refusals(self, review_id: str | None = None) -> list[Refusal]:
        """Every recorded "no copy" decision, oldest first."""
        sql = (
            "SELECT review_id, recipient_id, recipient_name, reason, produced_on, version, hold"
            " FROM refusals"
        )
        args: tuple[str, ...] = ()
        if review_id is not None:
            sql += " WHERE review_id = ?"
            args = (review_id,)
        return [
            Refusal(
                row[0],
                row[1],
                row[2],
                row[3],
                date.fromisoformat(row[4]),
                None if row[5] is None else int(row[5]),
                bool(row[6]),
            )
            for row in self._db.execute(sql + " ORDER BY id", args)
        ]

    def holds(self, review_id: str) -> dict[str, Refusal]:
        """Recipients whose copy of the record is held back, by recipient id.

        A hold recorded for version N stands until the recipient is given version N or
        later of the record (``share --recipient``): every other command leaves them out.
        """
        standing: dict[str, Refusal] = {}
        for refusal in self.refusals(review_id):
            if refusal.hold and refusal.version is not None:
                standing[refusal.recipient_id] = refusal  # the latest decision counts
        if not standing:
            return {}
        given: dict[str, int] = {}
        for entry in self.entries(review_id):
            if entry.document == "review_record" and entry.recipient_id in standing:
                given[entry.recipient_id] = max(given.get(entry.recipient_id, 0), entry.version)
        return {
            rid: hold for rid, hold in standing.items() if given.get(rid, 0) < (hold.version or 0)
        }

    def entries_at(self, path: str) -> list[Entry]:
        """The entries of the file at ``path`` (relative to the output folder), oldest first."""
        rows = self._db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE path = ? ORDER BY id", (path,)
        )
        return [entry_from(row) for row in rows]

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
            f"SELECT {ENTRY_COLUMNS} FROM entries"
            " WHERE review_id = ? AND document = ? AND version = ? ORDER BY id",
            (review_id, document, version),
        ).fetchall()
        latest: dict[str | None, Entry] = {}
        for row in rows:
            entry = entry_from(row)
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
        export_csv(self.entries(), self.refusals(), out)

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

    def entries_at(self, path: str) -> list[Entry]:
        return self._register.entries_at(path)


def amendment_key(amendment: Mapping[str, Any]) -> str:
    """What makes two amendment requests the same one: their content, canonically."""
    text = json.dumps(dict(amendment), default=iso, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _insert_refusals(db: sqlite3.Connection, refusals: Iterable[Refusal]) -> None:
    db.executemany(
        "INSERT INTO refusals (review_id, recipient_id, recipient_name, reason, produced_on,"
        " version, hold) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.review_id,
                r.recipient_id,
                r.recipient_name,
                r.reason,
                r.produced_on.isoformat(),
                r.version,
                int(r.hold),
            )
            for r in refusals
        ],
    )
