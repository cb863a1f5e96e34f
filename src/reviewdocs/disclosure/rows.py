"""The register's rows as Python values, and the register as CSV.

``register`` stores and queries them; this module says what each row means and how
it reads back (``Entry``: a file given to someone; ``Refusal``: a "no copy" decision,
or a copy held back; ``StoredAmendment``: an amendment decision and how far it got).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, Final

from reviewdocs.files import spreadsheet_cell

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

ENTRY_COLUMNS: Final = (
    "review_id, document, version, recipient_id, recipient_name, basis, withheld,"
    " produced_on, variant, fmt, path, sha256, input_sha256, template_sha256"
)


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


def entry_from(row: tuple[object, ...]) -> Entry:
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


@dataclass(frozen=True)
class StoredAmendment:
    """An amendment decision: ``version`` is the record version it made (None: declined).

    ``state`` is ``pending`` from the moment the decision is stored until every file
    of it is written and every "not sent" recorded, then ``done``: a pending one is
    finished by the next command on the review (``amendments.resume_pending``).
    """

    review_id: str
    amends_version: int
    version: int | None
    decided_on: date
    amendment: dict[str, Any]
    id: int = 0
    state: str = "done"
    key: str = ""
    letter_version: int | None = None


@dataclass(frozen=True)
class Refusal:
    """A recorded "no copy" decision, with its reason in plain words.

    ``version``: the record version not sent (None for a decision about no version in
    particular). ``hold``: the copy was held back by a decision every later command
    respects (the person asked that the amended record go to nobody else, or a risk
    concern needs a manager first), until a copy is issued to them by name.
    """

    review_id: str
    recipient_id: str
    recipient_name: str | None
    reason: str
    produced_on: date
    version: int | None = None
    hold: bool = False


def iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored in the register")


def _cells(*values: str) -> list[str]:
    return [spreadsheet_cell(value) for value in values]


def export_csv(entries: Iterable[Entry], refusals: Iterable[Refusal], out: IO[str]) -> None:
    """Every entry (status ``sent``) then every refusal (``no copy``, or ``held back``)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
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
    for r in refusals:
        writer.writerow(
            _cells(
                "held back" if r.hold else "no copy",
                r.review_id,
                "review_record",
                "" if r.version is None else str(r.version),
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
