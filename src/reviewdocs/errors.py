"""One exception family for the whole library.

The library never prints or exits: it raises one of these, and the CLI turns it
into plain words on stderr and the exception's own exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


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
        return [prefix + line for line in self.message.splitlines() or [""]]

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

    def messages(self) -> list[str]:
        """``path: message`` lines, sorted by path; ``_schema`` messages stand alone."""
        out = []
        for path in sorted(self.errors):
            for msg in self.errors[path]:
                out.append(msg if path == "_schema" else f"{path}: {msg}")
        return out


class TemplateError(ReviewdocsError):
    """A Word template is missing, unreadable, or uses a field the schema does not define."""


class ConversionError(ReviewdocsError):
    """PDF conversion failed, or LibreOffice is not installed."""


class SharingError(ReviewdocsError):
    """A copy was asked for that the sharing rules do not allow, or a recipient is unknown."""
