"""Resuming: which of a record's planned files are already produced, intact, from the
same input and template (those are not made again), and the leftovers of a killed run.

A record is skipped when the register shows every file it calls for was produced from
the same input bytes and the same template, and each file is still on disk with the
hash the register recorded. Anything else is produced again, file by file, so an
interrupted record is finished without producing its finished files twice.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reviewdocs.files import sha256_file

if TYPE_CHECKING:
    from reviewdocs.disclosure.register import Entry


@dataclass(frozen=True)
class Planned:
    document: str
    variant: str
    fmt: str
    relpath: str
    template_sha256: str


@dataclass
class Folder:
    """A record's folder as read once before producing: the names of its files, and
    the temporary files a killed batch left half-written (removed only once this
    worker holds the record's id)."""

    files: frozenset[str] = frozenset()
    leftovers: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path) -> Folder:
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


def file_name(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1]


def unfinished(
    plan: list[Planned],
    input_sha256: str,
    folder: Folder,
    *,
    out_dir: Path,
    produced: date | None,
    entries: Callable[[], Iterable[Entry]],
) -> list[Planned]:
    """The planned files not already produced from this input and template, intact
    (``entries``: the register's rows for the record, read only when a planned file is
    on disk)."""
    if not any(file_name(item.relpath) in folder.files for item in plan):
        return list(plan)  # a new record: nothing on disk, the register can't help
    latest = {entry.path: entry for entry in entries()}
    missing = []
    for item in plan:
        entry = latest.get(item.relpath)
        if (
            entry is None
            or entry.input_sha256 != input_sha256
            or entry.template_sha256 != item.template_sha256
            or (produced is not None and entry.produced_on != produced)
            or file_name(item.relpath) not in folder.files
            or sha256_file(out_dir / item.relpath) != entry.sha256
        ):
            missing.append(item)
    return missing
