"""The register's SQLite schema, as migrations: version N is reached from N-1 by
``MIGRATIONS[N]``; ``Register`` applies the missing ones on open and records the
version in ``PRAGMA user_version``."""

from __future__ import annotations

from typing import Final

SCHEMA_VERSION: Final = 4

BASES: Final = (
    "subject",
    "joint_organisation",
    "consent",
    "request",
    "manager_decision",
    "amendment_circulation",
)
"""Why a copy was sent (spec section 6; 003 "Following the review process" to the end)."""

MIGRATIONS: Final[dict[int, str]] = {
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
    # Version 4: an amendment is a transaction that a later run can finish (its state,
    # the versions it makes, a key to know it again), and a copy not sent says which
    # version, and whether it is held back for every later command.
    4: """
        ALTER TABLE amendments ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
        ALTER TABLE amendments ADD COLUMN key TEXT NOT NULL DEFAULT '';
        ALTER TABLE amendments ADD COLUMN letter_version INTEGER;
        ALTER TABLE refusals ADD COLUMN version INTEGER;
        ALTER TABLE refusals ADD COLUMN hold INTEGER NOT NULL DEFAULT 0;
    """,
}
