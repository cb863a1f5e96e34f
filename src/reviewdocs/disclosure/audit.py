"""Does the register agree with the output folder? (``reviewdocs register check``)

What must hold after any sequence of commands, however they overlapped or were killed
(spec section 6 "Each copy produced is written to the register"; 003 "The amended
record should be circulated to the same people as the original record"):

- every file the register records exists, with the SHA-256 it recorded (an issued
  document is never overwritten, and never lost);
- every file in a review's folder is in the register (nothing written unrecorded,
  no half-written temporary file left behind);
- every amendment decision is complete (no half-done version), each version of a
  record was made once, and no amendment was applied twice;
- everyone who was given any version of a record (the person included) has its latest
  version, or the register records why not for that version.

``inconsistencies`` returns one plain sentence per problem; an empty list means the
register and the folder agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

RECORD: Final = "review_record"

NOT_DOCUMENTS: Final = frozenset({".reviewdocs.lock", ".reviewdocs-batch"})
"""Files in a review's folder that are not documents (a lock held at this moment)."""

_OLD_REFUSAL: Final = re.compile(r"^Version (\d+) not sent")


def inconsistencies(out_dir: Path, register: Any) -> list[str]:
    """Every way the register and ``out_dir`` disagree, in plain words."""
    out_dir = Path(out_dir)
    problems: list[str] = []
    entries = register.entries()
    problems += _files(out_dir, entries)
    problems += _amendments(register, {e.review_id for e in entries})
    problems += _circulation(register, entries)
    return problems


def _files(out_dir: Path, entries: list[Any]) -> list[str]:
    problems = []
    hashes: dict[str, str | None] = {}
    registered: set[str] = set()
    for entry in entries:
        registered.add(entry.path)
        if entry.path not in hashes:
            hashes[entry.path] = _sha256(out_dir / entry.path)
        found = hashes[entry.path]
        if found is None:
            problems.append(f"{entry.path} is in the register but not on disk.")
        elif found != entry.sha256:
            problems.append(
                f"{entry.path} is not the file the register recorded "
                f"({entry.review_id} {entry.document} v{entry.version} for "
                f"{entry.recipient_name or 'the person'}, {entry.produced_on}): it was replaced."
            )
    folders = {entry.path.split("/", 1)[0] for entry in entries}
    for folder in sorted(folders):
        try:
            names = sorted(os.listdir(out_dir / folder))
        except FileNotFoundError:
            continue
        for name in names:
            relpath = f"{folder}/{name}"
            if name in NOT_DOCUMENTS or relpath in registered:
                continue
            if name.endswith(".part"):
                problems.append(f"{relpath} is a half-written file left behind.")
            else:
                problems.append(f"{relpath} is not in the register.")
    return problems


def _amendments(register: Any, review_ids: set[str]) -> list[str]:
    problems = []
    for review_id in sorted(review_ids):
        made: dict[int, int] = defaultdict(int)
        applied: dict[str, int] = defaultdict(int)
        for stored in register.amendments(review_id):
            if getattr(stored, "state", "done") != "done":
                problems.append(
                    f"{review_id}: the amendment to version {stored.amends_version} is "
                    "half-done (run any command on the review to finish it)."
                )
                continue
            key = json.dumps(stored.amendment, sort_keys=True)
            applied[key] += 1
            if stored.version is not None:
                made[stored.version] += 1
                if not register.recipients_of(review_id, RECORD, stored.version):
                    problems.append(
                        f"{review_id}: version {stored.version} has an amendment decision "
                        "but no record was made."
                    )
        problems += [
            f"{review_id}: version {v} was made {n} times." for v, n in made.items() if n > 1
        ]
        problems += [
            f"{review_id}: one amendment was applied {n} times." for n in applied.values() if n > 1
        ]
        versions = {e.version for e in register.entries(review_id) if e.document == RECORD}
        for version in sorted(versions - set(made) - {1}):
            problems.append(
                f"{review_id}: version {version} of the record exists without its amendment."
            )
    return problems


def _circulation(register: Any, entries: list[Any]) -> list[str]:
    problems = []
    had: dict[str, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    names: dict[tuple[str, str | None], str] = {}
    for entry in entries:
        if entry.document == RECORD:
            had[entry.review_id][entry.recipient_id].add(entry.version)
            names[entry.review_id, entry.recipient_id] = entry.recipient_name or "the person"
    for review_id, holders in sorted(had.items()):
        latest = max(v for versions in holders.values() for v in versions)
        reasons: dict[str, set[int]] = defaultdict(set)
        for refusal in register.refusals(review_id):
            version = getattr(refusal, "version", None)
            if version is None:
                match = _OLD_REFUSAL.match(refusal.reason)
                version = int(match.group(1)) if match else None
            if version is not None:
                reasons[refusal.recipient_id].add(version)
        for recipient_id, versions in sorted(holders.items(), key=lambda kv: str(kv[0])):
            if latest in versions or (recipient_id is not None and latest in reasons[recipient_id]):
                continue
            problems.append(
                f"{review_id}: {names[review_id, recipient_id]} has version "
                f"{max(versions)} of the record, not version {latest}, and the register "
                "records no reason."
            )
    return problems


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return digest.hexdigest()
