"""The front desk's own database (``DATA/web.sqlite``): accounts, sign-in throttling,
uploads, the files a user may download (by opaque id), batches, and who did what.

The library's register (``DATA/register.sqlite``) stays the record of what went to
whom; this database adds what the register does not know: which signed-in person
asked for it. One short connection per call (the server runs threads), WAL mode.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from reviewdocs.files import private_database
from reviewdocs.web.records import Batch, FileRow, Upload, User

ROLES: Final = ("practitioner", "admin", "manager")
"""Practitioners: their own reviews; admins: batches and the register; managers: all."""

DB_NAME: Final = "web.sqlite"
LOCAL_USER: Final = "local"
"""The person at the machine, signed in by the one-time link (loopback, no accounts)."""

THROTTLE_FAILURES: Final = 5
THROTTLE_WINDOW_S: Final = 15 * 60
THROTTLE_LOCK_S: Final = 5 * 60

_SCRYPT: Final = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_at REAL NOT NULL,
    locked_until REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    review_id TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '[]',
    input_sha256 TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    upload TEXT NOT NULL DEFAULT '',
    review_id TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_upload ON files (upload);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    folder TEXT NOT NULL,
    source TEXT NOT NULL,
    documents TEXT NOT NULL DEFAULT '[]',
    total INTEGER NOT NULL,
    invalid INTEGER NOT NULL,
    problems TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    pid INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    review_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (review_id, reference)
);
CREATE INDEX IF NOT EXISTS people_by_reference ON people (reference);
CREATE TABLE IF NOT EXISTS audit (
    at REAL NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    review_id TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_by_sha ON audit (sha256);
"""


def hash_password(password: str) -> str:
    """scrypt (standard library), a fresh salt each time; ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    n, r, p = _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"]
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(digest) // 2,
    )
    return hmac.compare_digest(got.hex(), digest)


def new_id() -> str:
    """An opaque id for a URL: random, and nothing about the person in it."""
    return secrets.token_urlsafe(18)


def private_folder(path: Path) -> Path:
    """Create ``path`` (and parents) readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def remove_upload_files(path: Path) -> None:
    """An upload's own folder (``uploads/<id>/``) and everything in it."""
    folder = path.parent
    if folder.parent.name == "uploads":
        shutil.rmtree(folder, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = private_folder(Path(data_dir))
        self.path = self.data_dir / DB_NAME
        self._local = threading.local()
        # Owner-only before SQLite opens it, so the -wal and -shm it makes (review ids,
        # people) take the database's 0600 whatever the umask.
        private_database(self.path)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")  # kept in the file: set once
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (the server's threads each keep one).

        ``synchronous=NORMAL`` in WAL mode: a commit survives the process being
        killed; a power cut may lose the last moments of sign-in counters and audit
        lines, never the documents or the register (the library's, synced in full)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- accounts -------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        with self._db() as db:
            db.execute(
                "INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)",
                (name, role, hash_password(password), time.time()),
            )

    def users(self) -> list[User]:
        with self._db() as db:
            rows = db.execute("SELECT name, role, disabled FROM users ORDER BY name").fetchall()
        return [User(n, r, bool(d)) for n, r, d in rows]

    def user(self, name: str) -> User | None:
        if name == LOCAL_USER:
            return User(LOCAL_USER, "manager", False)
        with self._db() as db:
            row = db.execute(
                "SELECT name, role, disabled FROM users WHERE name = ?", (name,)
            ).fetchone()
        return User(row[0], row[1], bool(row[2])) if row else None

    def has_accounts(self) -> bool:
        with self._db() as db:
            return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def disable_user(self, name: str) -> bool:
        with self._db() as db:
            return db.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,)).rowcount > 0

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right and the account enabled; a wrong name
        costs the same time as a wrong password (no way to probe for names)."""
        with self._db() as db:
            row = db.execute(
                "SELECT name, role, disabled, password FROM users WHERE name = ?", (name,)
            ).fetchone()
        stored = row[3] if row else _DUMMY_HASH
        ok = check_password(password, stored)
        if not row or not ok or row[2]:
            return None
        return User(row[0], row[1], False)

    # -- throttling -----------------------------------------------------------------

    def locked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        with self._db() as db:
            row = db.execute("SELECT locked_until FROM throttle WHERE key = ?", (key,)).fetchone()
        return max(0.0, row[0] - time.time()) if row else 0.0

    def failed(self, key: str) -> None:
        now = time.time()
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute(
                "SELECT failures, first_at FROM throttle WHERE key = ?", (key,)
            ).fetchone()
            failures, first = (row[0] + 1, row[1]) if row else (1, now)
            if now - first > THROTTLE_WINDOW_S:
                failures, first = 1, now
            locked = now + THROTTLE_LOCK_S if failures >= THROTTLE_FAILURES else 0.0
            db.execute(
                "INSERT OR REPLACE INTO throttle VALUES (?, ?, ?, ?)",
                (key, failures, first, locked),
            )
            db.execute("COMMIT")

    def succeeded(self, key: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM throttle WHERE key = ?", (key,))

    # -- uploads ----------------------------------------------------------------------

    def add_upload(self, upload: Upload) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    upload.id,
                    upload.owner,
                    upload.kind,
                    str(upload.path),
                    upload.review_id,
                    upload.reference,
                    json.dumps(upload.problems),
                    upload.input_sha256,
                    upload.created,
                ),
            )
            if upload.review_id and upload.reference:
                self._person(db, upload.review_id, upload.reference)

    def upload(self, upload_id: str) -> Upload | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
        if not row:
            return None
        return Upload(
            row[0], row[1], row[2], Path(row[3]), row[4], row[5], json.loads(row[6]), row[7], row[8]
        )

    def uploads_of(self, owner: str) -> list[Upload]:
        with self._db() as db:
            ids = db.execute(
                "SELECT id FROM uploads WHERE owner = ? AND kind = 'review' ORDER BY created DESC",
                (owner,),
            ).fetchall()
        return [u for (i,) in ids if (u := self.upload(i)) is not None]

    def expired_uploads(self, older_than: float) -> list[Upload]:
        with self._db() as db:
            ids = db.execute("SELECT id FROM uploads WHERE created < ?", (older_than,)).fetchall()
        return [u for (i,) in ids if (u := self.upload(i)) is not None]

    def forget_upload(self, upload_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))

    # -- people (review id <-> person reference, for the register search) -----------

    def _person(self, db: sqlite3.Connection, review_id: str, reference: str) -> None:
        db.execute("INSERT OR IGNORE INTO people VALUES (?, ?)", (review_id, reference))

    def add_people(self, pairs: list[tuple[str, str]]) -> None:
        with self._db() as db:
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO people VALUES (?, ?)", pairs)
            db.execute("COMMIT")

    def reviews_of_person(self, reference: str) -> list[str]:
        with self._db() as db:
            rows = db.execute(
                "SELECT review_id FROM people WHERE reference = ? ORDER BY review_id", (reference,)
            ).fetchall()
        return [r for (r,) in rows]

    def references_of(self, review_id: str) -> list[str]:
        with self._db() as db:
            rows = db.execute(
                "SELECT reference FROM people WHERE review_id = ?", (review_id,)
            ).fetchall()
        return [r for (r,) in rows]

    # -- downloadable files --------------------------------------------------------------

    def add_file(
        self,
        *,
        owner: str,
        label: str,
        path: Path,
        upload: str = "",
        review_id: str = "",
        sha256: str = "",
    ) -> str:
        file_id = new_id()
        with self._db() as db:
            db.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (file_id, owner, upload, review_id, label, str(path), sha256, time.time()),
            )
        return file_id

    def file(self, file_id: str) -> FileRow | None:
        with self._db() as db:
            row = db.execute(
                "SELECT id, owner, upload, review_id, label, path, sha256 FROM files WHERE id = ?",
                (file_id,),
            ).fetchone()
        return (
            FileRow(row[0], row[1], row[2], row[3], row[4], Path(row[5]), row[6]) if row else None
        )

    def files_of_upload(self, upload_id: str) -> list[FileRow]:
        with self._db() as db:
            ids = db.execute(
                "SELECT id FROM files WHERE upload = ? ORDER BY created, label", (upload_id,)
            ).fetchall()
        return [f for (i,) in ids if (f := self.file(i)) is not None]

    # -- batches ------------------------------------------------------------------------

    def add_batch(self, batch: Batch) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    batch.id,
                    batch.owner,
                    str(batch.folder),
                    str(batch.source),
                    json.dumps(batch.documents),
                    batch.total,
                    batch.invalid,
                    json.dumps(batch.problems),
                    batch.state,
                    batch.pid,
                    batch.created,
                ),
            )

    def batch(self, batch_id: str) -> Batch | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM batches WHERE id = ?", (batch_id,)).fetchone()
        return _batch(row) if row else None

    def batches(self) -> list[Batch]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM batches ORDER BY created DESC").fetchall()
        return [_batch(r) for r in rows]

    def set_batch(self, batch_id: str, **values: Any) -> None:
        allowed = {"state", "pid", "documents"}
        sets = ", ".join(f"{k} = ?" for k in values if k in allowed)
        args = [json.dumps(v) if k == "documents" else v for k, v in values.items()]
        with self._db() as db:
            db.execute(f"UPDATE batches SET {sets} WHERE id = ?", (*args, batch_id))

    def transition(self, batch_id: str, before: str, after: str) -> bool:
        """Move a batch from one state to another; False when another request did."""
        with self._db() as db:
            return (
                db.execute(
                    "UPDATE batches SET state = ?, pid = 0 WHERE id = ? AND state = ?",
                    (after, batch_id, before),
                ).rowcount
                > 0
            )

    # -- who did what -------------------------------------------------------------------

    def audit(
        self, user: str, action: str, *, review_id: str = "", sha256: str = "", detail: str = ""
    ) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), user, action, review_id, sha256, detail),
            )

    def audit_many(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        now = time.time()
        with self._db() as db:
            db.execute("BEGIN")
            db.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?)", [(now, *r) for r in rows])
            db.execute("COMMIT")

    def who_made(self, sha256s: list[str]) -> dict[str, str]:
        """The user who asked for each file, by the file's SHA-256."""
        out: dict[str, str] = {}
        with self._db() as db:
            for sha in sha256s:
                row = db.execute(
                    "SELECT user FROM audit WHERE sha256 = ? ORDER BY at LIMIT 1", (sha,)
                ).fetchone()
                if row:
                    out[sha] = row[0]
        return out

    def events(self, review_id: str) -> list[tuple[float, str, str, str]]:
        with self._db() as db:
            return db.execute(
                "SELECT at, user, action, detail FROM audit WHERE review_id = ? "
                "AND action != 'produced' ORDER BY at",
                (review_id,),
            ).fetchall()


_DUMMY_HASH: Final = hash_password(secrets.token_urlsafe(12))


def _batch(row: tuple[Any, ...]) -> Batch:
    return Batch(
        row[0],
        row[1],
        Path(row[2]),
        Path(row[3]),
        json.loads(row[4]),
        row[5],
        row[6],
        json.loads(row[7]),
        row[8],
        row[9],
        row[10],
    )
