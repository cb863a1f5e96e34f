"""What was sent through GOV.UK Notify: a small table of its own in the register file.

The register's own tables and rows are left as they are (its schema version too): this
table is created when first needed, beside them, and says for each envelope sent its
file and hash, Notify's notification id and the latest status Notify gave.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

_TABLE: Final = """
    CREATE TABLE IF NOT EXISTS notify_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        review_id TEXT NOT NULL,
        recipient_id TEXT,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        postage TEXT NOT NULL,
        notification_id TEXT,
        status TEXT NOT NULL,
        detail TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        checked_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notify_letters_by_path ON notify_letters (path, sha256);
"""


@dataclass(frozen=True)
class SentLetter:
    review_id: str
    recipient_id: str | None
    path: str
    sha256: str
    postage: str
    notification_id: str | None
    status: str
    detail: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SentLog:
    """The ``notify_letters`` table in the register file at ``path``."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.executescript(_TABLE)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SentLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def sent(self, path: str) -> SentLetter | None:
        """The latest accepted sending of a file at ``path`` (this version or an earlier)."""
        row = self._db.execute(
            "SELECT review_id, recipient_id, path, sha256, postage, notification_id, status, "
            "detail FROM notify_letters WHERE path = ? AND notification_id IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (path,),
        ).fetchone()
        return None if row is None else SentLetter(*row)

    def record(self, letter: SentLetter) -> None:
        now = _now()
        self._db.execute(
            "INSERT INTO notify_letters (review_id, recipient_id, path, sha256, postage, "
            "notification_id, status, detail, sent_at, checked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                letter.review_id,
                letter.recipient_id,
                letter.path,
                letter.sha256,
                letter.postage,
                letter.notification_id,
                letter.status,
                letter.detail,
                now,
                now,
            ),
        )

    def update_status(self, notification_id: str, status: str) -> None:
        self._db.execute(
            "UPDATE notify_letters SET status = ?, checked_at = ? WHERE notification_id = ?",
            (status, _now(), notification_id),
        )

    def letters(self) -> list[SentLetter]:
        rows = self._db.execute(
            "SELECT review_id, recipient_id, path, sha256, postage, notification_id, status, "
            "detail FROM notify_letters ORDER BY id"
        ).fetchall()
        return [SentLetter(*row) for row in rows]
