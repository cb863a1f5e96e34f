"""Check an upload before anything is made: the same reading, validation and decision
checks as ``reviewdocs validate`` and a batch's dry run, kept as rows for a page.

Nothing here writes a document. A zip of reviews is unpacked (within limits) into the
batch's own folder, so the batch reads it as it reads any folder of reviews.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Final

from reviewdocs.errors import InputError
from reviewdocs.files import safe_id
from reviewdocs.web.forms import problem_rows

ZIP_MAX_ENTRIES: Final = 10_000
ZIP_MAX_TOTAL: Final = 512 * 1024 * 1024
"""Uncompressed bytes a zip may unpack to: 10,000 reviews are well under this."""


Review = dict[str, Any]


def check_review(path: Path) -> tuple[Review | None, Review | None, list[dict[str, str]]]:
    """The raw review (as read, before validation), the validated review and no
    problems; or None, None and every problem as rows. What ``reviewdocs validate``
    does: read, validate, check the decision. The raw review is kept so later pages
    validate it again without reading the PDF form a second time (a form takes a
    quarter of a second to read)."""
    from reviewdocs.decision.rules import decision_problems
    from reviewdocs.intake.read import read_input
    from reviewdocs.intake.schemas import validate_review

    try:
        raw = read_input(path)
        review = validate_review(raw, source=str(path))
        problems = decision_problems(review)
        if problems:
            raise InputError(problems)
    except InputError as err:
        return None, None, problem_rows(err.errors)
    return raw, review, []


def load_checked(path: Path) -> dict[str, Any]:
    """The validated review from the raw review ``check_review`` kept (JSON)."""
    from reviewdocs.intake.read import parse_json
    from reviewdocs.intake.schemas import validate_review

    return validate_review(parse_json(path.read_bytes(), str(path)), source=str(path))


@dataclass
class SourceCheck:
    total: int = 0
    invalid: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=list)


def check_source(source: Path, documents: list[str] | None = None) -> SourceCheck:
    """Every record of a batch source read, validated and its decision checked (and,
    when documents are chosen, whether the record can have them: a planned review has
    no record yet); each problem a row naming the record (row, line or file) and the
    field."""
    from reviewdocs.batch.worker import duplicate_id
    from reviewdocs.decision.rules import decision_problems
    from reviewdocs.disclosure.production import check_documents
    from reviewdocs.intake.read import parse_json, read_input
    from reviewdocs.intake.sources import iter_records, validate_record

    result = SourceCheck()
    try:
        records = iter_records(source)
    except InputError as err:
        result.invalid = 1
        result.problems = problem_rows(err.errors, "The file")
        return result
    first_of: dict[str, str] = {}
    prefix = str(source)
    for record in records:
        result.total += 1
        where = _where(record.source, prefix)
        try:
            if record.kind == "error":
                # Labelled by its column when it is in one (a cell's stray quote).
                raise InputError({record.column or "_schema": [str(record.payload)]})
            if record.kind == "raw":
                raw = record.payload
            elif record.kind == "json":
                raw = parse_json(record.payload, where)
            else:
                raw = read_input(Path(record.payload))
            # As the batch reads it: a spreadsheet cell refused on reading is a problem
            # of its row, not a blank the schema then calls missing.
            review = validate_record(record, raw)
            problems = decision_problems(review)
            if problems:
                raise InputError(problems)
            if documents:
                check_documents(review, documents)
            review_id = review["review"]["id"]
            key = safe_id(review_id)
            if key in first_of:
                message = duplicate_id(review_id, first_of[key]).removeprefix("review.id: ")
                raise InputError({"review.id": [message]})
            first_of[key] = where
            reference = review["subject"].get("reference")
            if reference:
                result.people.append((review_id, str(reference)))
        except InputError as err:
            result.invalid += 1
            result.problems += problem_rows(err.errors, where)
    return result


def _where(source: str, prefix: str) -> str:
    """``/data/batches/x/source.csv row 3`` -> ``Row 3``; a folder's file -> its name."""
    rest = source[len(prefix) :].lstrip("/ ") if source.startswith(prefix) else source
    return (rest[:1].upper() + rest[1:]) if rest else "The file"


class ZipRefused(Exception):
    pass


def extract_zip(archive: Path, dest: Path) -> int:
    """Unpack the .json and .pdf reviews of ``archive`` into ``dest`` (flat), refusing
    the whole zip when it has too many entries, unpacks too big, or names a path
    outside ``dest`` (``..``, an absolute name, a link). Returns the files written."""
    from reviewdocs.intake.sources import REVIEW_SUFFIXES

    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise ZipRefused("The selected file is not a zip file that can be opened") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise ZipRefused(f"The zip file must hold no more than {ZIP_MAX_ENTRIES:,} files")
        total = 0
        chosen: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise ZipRefused("The zip file names a file outside itself; make it again")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ZipRefused("The zip file holds a link; zip the review files themselves")
            total += info.file_size
            if total > ZIP_MAX_TOTAL:
                raise ZipRefused(
                    f"The zip file must unpack to no more than {ZIP_MAX_TOTAL // 2**20} MB"
                )
            if info.is_dir() or not name.lower().endswith(REVIEW_SUFFIXES):
                continue
            base = parts[-1]
            if base.startswith("."):
                continue
            if base in chosen:
                raise ZipRefused(f"The zip file holds two files named {base}; rename one")
            chosen[base] = info
        if not chosen:
            raise ZipRefused("The zip file must hold reviews as .json or .pdf files")
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        for base, info in chosen.items():
            try:
                _unpack(zf, info, dest / base)
            except (RuntimeError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
                # Encrypted, damaged or compressed in a way Python cannot read.
                raise ZipRefused(
                    f"{base} in the zip file cannot be read (is the zip encrypted or "
                    "damaged?); make it again without a password"
                ) from None
        return len(chosen)


def _unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with zf.open(info) as src, os.fdopen(fd, "wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > info.file_size or written > ZIP_MAX_TOTAL:
                raise ZipRefused("The zip file's sizes are wrong; make it again")
            out.write(chunk)
