"""One exception family for the whole library.

The library never prints or exits: it raises one of these, and the CLI turns it
into plain words on stderr and the exception's own exit code.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from typing import Final

MAX_PROBLEMS: Final = 50
"""Problems listed per record: one input with a million unknown keys once printed a
million lines (60 MB) and filled a 22 MB report cell. The rest are counted."""


def capped(lines: list[str], total: int | None = None) -> list[str]:
    """``lines`` with at most ``MAX_PROBLEMS`` listed and an "and N more" line for the rest
    (``total``: how many there are when ``lines`` holds only the first of them)."""
    total = len(lines) if total is None else total
    if total <= MAX_PROBLEMS:
        return lines
    return [
        *lines[:MAX_PROBLEMS],
        f"and {total - MAX_PROBLEMS} more problems (only the first {MAX_PROBLEMS} are "
        "listed; fix them and run again)",
    ]


class ReviewdocsError(Exception):
    """Base class: anything the user can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def lines(self) -> list[str]:
        """The message as the lines the CLI prints (prefixed with the source if known)."""
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + line for line in capped(self.message.splitlines() or [""])]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class InputError(ReviewdocsError):
    """Invalid review input. ``errors`` maps a dotted input path to its messages.

    Every problem is collected, never just the first, so a practitioner can fix a
    record in one pass. Cross-field problems that belong to no single field sit
    under ``_schema``.
    """

    def __init__(
        self,
        errors: Mapping[str, Iterable[str]] | str,
        *,
        source: str | None = None,
    ) -> None:
        if isinstance(errors, str):
            errors = {"_schema": [errors]}
        self.errors: dict[str, list[str]] = {path: list(msgs) for path, msgs in errors.items()}
        super().__init__("\n".join(self.messages()), source=source)

    def lines(self) -> list[str]:
        # The message is capped already: its "and N more" line counts the whole.
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + line for line in self.message.splitlines() or [""]]

    def messages(self) -> list[str]:
        """``path: message`` lines, sorted by path; ``_schema`` messages stand alone.

        At most ``MAX_PROBLEMS``, then "and N more": the first paths are picked without
        sorting them all (a million unknown keys is a hostile input, not a record)."""
        total = sum(len(msgs) for msgs in self.errors.values())
        out = []
        for path in heapq.nsmallest(MAX_PROBLEMS + 1, self.errors):
            for msg in self.errors[path]:
                out.append(msg if path == "_schema" else f"{path}: {msg}")
        return capped(out[: MAX_PROBLEMS + 1], total)


class TemplateError(ReviewdocsError):
    """A Word template is missing, unreadable, or uses a field the schema does not define."""


class ConversionError(ReviewdocsError):
    """PDF conversion failed, or LibreOffice is not installed."""


class SharingError(ReviewdocsError):
    """A copy was asked for that the sharing rules do not allow, or a recipient is unknown."""
