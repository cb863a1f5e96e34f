"""``reviewdocs post``: the envelopes of many reviews, each on its own, and the print pack.

One bad input never stops the others: it is named with its problem and the command
ends with exit code 1. Everything written is registered in the output's register.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reviewdocs.errors import ReviewdocsError
from reviewdocs.post.envelopes import PostResult, post_review


@dataclass
class PostOutcome:
    results: list[PostResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad_inputs: int = 0
    pack_lines: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(r.failed for r in self.results)

    def summary(self) -> str:
        lines = [r.summary() for r in self.results]
        lines += [line for error in self.errors for line in error.split("\n")]
        lines += self.pack_lines
        envelopes = sum(len(r.envelopes) for r in self.results)
        failing = sum(len(r.failed) for r in self.results)
        lines.append(
            f"{envelopes} envelope(s) for {len(self.results)} review(s); "
            f"{failing} fail Notify's rules; {self.bad_inputs} input(s) could not be posted."
        )
        return "\n".join(lines)


def post_inputs(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    register_path: Path | None = None,
    produced: date | None = None,
    font_size: int | None = None,
    pack: bool = False,
    check: bool = True,
) -> PostOutcome:
    from reviewdocs.disclosure.register import Register
    from reviewdocs.files import make_private_dirs

    outcome = PostOutcome()
    # Envelopes hold personal data: a new output folder is its owner's only (0700).
    make_private_dirs(out_dir)
    elsewhere = [] if register_path else _parent_registers(out_dir)
    with Register(register_path or out_dir / "register.sqlite") as register:
        for source, review, input_sha256, error in _reviews(inputs):
            if error:
                outcome.errors.append(error)
                outcome.bad_inputs += 1
                continue
            other = _known_elsewhere(register, elsewhere, review["review"]["id"])
            if other is not None:
                outcome.errors.append(
                    f"{source}: review {review['review']['id']} is not in {out_dir}'s register, "
                    f"but {other} records its documents. Post into the folder that holds "
                    f"them (--out {other.parent}), or give --register {other}: a new "
                    "register here would post version 1 to everyone, without the review's "
                    "amendments and held-back copies."
                )
                outcome.bad_inputs += 1
                continue
            try:
                result = post_review(
                    review,
                    out_dir,
                    register=register,
                    produced=produced,
                    font_size=font_size,
                    input_sha256=input_sha256,
                    check=check,
                )
            except ReviewdocsError as err:
                outcome.errors += [
                    line if line.startswith(source) else f"{source}: {line}" for line in err.lines()
                ]
                outcome.bad_inputs += 1
                continue
            except OSError as err:
                outcome.errors.append(f"{source}: {err.strerror or err}")
                outcome.bad_inputs += 1
                continue
            outcome.results.append(result)
    if pack:
        from reviewdocs.post.pack import write_pack

        envelopes = [e for r in outcome.results for e in r.envelopes if not e.problems]
        held = sum(len(r.failed) for r in outcome.results)
        outcome.pack_lines = write_pack(envelopes, out_dir, left_out=held)
    return outcome


def _parent_registers(out_dir: Path) -> list[Path]:
    """The registers in the folders above ``out_dir``, nearest first."""
    return [
        folder / "register.sqlite"
        for folder in out_dir.resolve().parents
        if (folder / "register.sqlite").is_file()
    ]


def _known_elsewhere(register: Any, elsewhere: Sequence[Path], review_id: str) -> Path | None:
    """A register above the output folder that records the review when the output's own
    register does not (``post --out out/post`` after ``share``/``amend --out out``):
    posting from a fresh register would ignore the review's amendments and holds."""
    from reviewdocs.disclosure.register import Register

    if not elsewhere or register.entries(review_id) or register.refusals(review_id):
        return None
    for path in elsewhere:
        with Register(path) as other:
            if other.entries(review_id):
                return path
    return None


def _reviews(inputs: Sequence[Path]) -> Iterator[tuple[str, Any, str, str]]:
    """(source, validated review, input hash, error) for every record of every input: a
    review file, or a batch source (a folder, JSON Lines, CSV) read one record at a time."""
    from reviewdocs.files import sha256_file
    from reviewdocs.intake.read import load_review, parse_json
    from reviewdocs.intake.sources import iter_records, source_kind, validate_record

    for path in inputs:
        try:
            kind = source_kind(path)
            records = [] if kind == "file" else iter_records(path)
        except ReviewdocsError as err:
            yield str(path), None, "", "; ".join(err.lines())
            continue
        if kind == "file":
            try:
                yield str(path), load_review(path), sha256_file(path), ""
            except ReviewdocsError as err:
                yield str(path), None, "", "\n".join(_prefixed(str(path), err.lines()))
            except OSError as err:
                yield str(path), None, "", f"{path}: {err.strerror or err}"
            continue
        for record in records:
            try:
                if record.kind == "error":
                    yield record.source, None, "", f"{record.source}: {record.payload}"
                    continue
                if record.kind == "file":
                    file = Path(record.payload)
                    yield record.source, load_review(file), sha256_file(file), ""
                    continue
                raw = (
                    record.payload
                    if record.kind == "raw"
                    else parse_json(record.payload, record.source)
                )
                # As the batch reads it: a spreadsheet cell refused on reading is its
                # row's problem, named as such, not a blank found missing later.
                review = validate_record(record, raw)
                yield record.source, review, record.input_sha256, ""
            except ReviewdocsError as err:
                yield record.source, None, "", "\n".join(_prefixed(record.source, err.lines()))


def _prefixed(source: str, lines: Sequence[str]) -> list[str]:
    return [line if line.startswith(source) else f"{source}: {line}" for line in lines]
