"""Batch production as admin staff meet it: every good record produced, every bad one
reported in plain words, and a re-run (even after a kill) finishing the job once."""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SAMPLES, run_fresh
from reviewdocs.batch import run_batch, terminal_progress
from reviewdocs.batch.report import REPORT_NAME, ReportRow
from reviewdocs.disclosure.register import Register
from reviewdocs.errors import InputError
from reviewdocs.files import sha256_file

ON = date(2026, 11, 23)
LETTERS_CSV = SAMPLES / "letters.csv"


def _record(example: dict[str, Any], review_id: str, name: str = "Jane Carer") -> dict[str, Any]:
    raw = copy.deepcopy(example)
    raw["review"]["id"] = review_id
    raw["subject"]["name"] = name
    # Standard print keeps these tests off LibreOffice; PDF output has its own tests.
    raw["subject"]["preferred_format"] = "standard"
    return raw


def _folder_of(
    tmp_path: Path, example: dict[str, Any], prefix: str, count: int, width: int = 3
) -> Path:
    """A folder of ``count`` good reviews, ``<prefix>-000`` on, one JSON file each."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(count):
        raw = _record(example, f"{prefix}-{n:0{width}d}", f"Person {n}")
        (src / f"{n:0{width}d}.json").write_text(json.dumps(raw), "utf-8")
    return src


def _report(out: Path) -> list[dict[str, str]]:
    with (out / REPORT_NAME).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _by_source_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {Path(row["source"]).name: row for row in rows}


def _files(out: Path) -> dict[str, str]:
    """Every produced document (relative path -> sha256)."""
    return {
        str(p.relative_to(out)): sha256_file(p)
        for p in sorted(out.rglob("*"))
        if p.suffix in (".docx", ".pdf")
    }


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def folder(tmp_path: Path, example_raw: dict[str, Any]) -> Path:
    """Two good reviews and three broken ones, as an admin's export folder might hold."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-good.json").write_text(json.dumps(_record(example_raw, "CR-B-001")), "utf-8")
    (src / "b-good.json").write_text(
        json.dumps(_record(example_raw, "CR-B-002", "Sam Example")), "utf-8"
    )
    (src / "c-not-json.json").write_text("review: CR-B-003, carer: yes", "utf-8")
    bad_field = _record(example_raw, "CR-B-004")
    bad_field["subject"]["has_capacity"] = "maybe"
    (src / "d-bad-field.json").write_text(json.dumps(bad_field), "utf-8")
    (src / "e-garbage.pdf").write_bytes(b"%PDF-1.7\n this is not really a PDF form \x00\x01")
    (src / "notes.txt").write_text("not a review: ignored", "utf-8")
    return src


def test_folder_produces_the_good_records_and_reports_each_broken_one(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_batch(folder, out, jobs=1, produced=ON)

    assert (result.produced, result.failed) == (2, 3)
    assert result.exit_code == 1
    rows = _by_source_name(_report(out))
    assert set(rows) == {
        "a-good.json",
        "b-good.json",
        "c-not-json.json",
        "d-bad-field.json",
        "e-garbage.pdf",
    }
    for good in ("a-good.json", "b-good.json"):
        assert rows[good]["status"] == "produced"
        documents = rows[good]["documents"].split(";")
        assert documents and all((out / d).is_file() for d in documents)
    assert rows["c-not-json.json"]["status"] == "failed"
    assert "Not valid JSON" in rows["c-not-json.json"]["error"]
    assert rows["d-bad-field.json"]["id"] == "CR-B-004"
    assert rows["d-bad-field.json"]["error"].startswith("subject.has_capacity:")
    assert rows["e-garbage.pdf"]["error"]
    for row in rows.values():
        assert "Traceback" not in row["error"]
        assert "\n" not in row["error"]
    assert not (out / "CR-B-004").exists()


def test_the_summary_says_what_happened(folder: Path, tmp_path: Path) -> None:
    result = run_batch(folder, tmp_path / "out", jobs=1, produced=ON)
    assert "5 record(s): 2 produced, 0 skipped, 3 failed" in result.summary()
    assert str(tmp_path / "out" / REPORT_NAME) in result.summary()


def test_a_completed_pdf_form_in_the_folder_is_produced(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "form.pdf").write_bytes((SAMPLES / "form-carer-full.pdf").read_bytes())
    out = tmp_path / "out"
    result = run_batch(src, out, jobs=1, produced=ON)
    [row] = _report(out)
    assert result.produced == 1, row
    assert all((out / d).is_file() for d in row["documents"].split(";"))


def test_jsonl_bad_line_is_reported_by_line_number(tmp_path: Path, example_raw) -> None:
    source = tmp_path / "reviews.jsonl"
    lines = [
        json.dumps(_record(example_raw, "CR-J-001")),
        '{"schema_version": 1, "review": {',
        "",
        json.dumps(_record(example_raw, "CR-J-002")),
    ]
    source.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"

    result = run_batch(source, out, jobs=1, produced=ON)

    rows = _report(out)
    assert [(r["id"], r["status"]) for r in rows] == [
        ("CR-J-001", "produced"),
        ("", "failed"),
        ("CR-J-002", "produced"),
    ]
    assert rows[1]["source"] == f"{source} line 2"
    assert "Not valid JSON" in rows[1]["error"]
    assert result.failed == 1


def test_sample_csv_produces_information_and_delay_letters(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(LETTERS_CSV, out, jobs=1)

    assert result.ok, _report(out)
    rows = _report(out)
    assert len(rows) == 5
    assert rows[0]["source"] == f"{LETTERS_CSV} row 2"
    delayed = out / "CS-2027-0104" / "review_delay_letter.docx"
    assert delayed.is_file()
    assert "By the end of January 2027" in _text(delayed)
    information = _text(out / "CS-2027-0101" / "review_information_letter.docx")
    assert "Margaret O'Neill" in information
    # "|" in an address cell separates its lines: no "|" reaches the letter.
    assert "12 Orchard Close" in information and "|" not in information
    assert not (out / "CS-2027-0101" / "review_delay_letter.docx").exists()


def _csv_with(tmp_path: Path, changes: dict[str, str]) -> Path:
    """The sample's first row alone, with some cells changed (or columns added)."""
    with LETTERS_CSV.open(encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    first.update(changes)
    path = tmp_path / "letters.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(first))
        writer.writeheader()
        writer.writerow(first)
    return path


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"subject.has_capacity": "maybe"},
            "subject.has_capacity: Not a valid boolean: got 'maybe' in column AD",
        ),
        ({"subject.name": "   "}, "subject.name:"),
        (
            {"review.delay.next_contact_by": "18/12/26"},
            "review.delay.next_contact_by: Not a date: use 31/12/2026 or 2026-12-31, got "
            "'18/12/26'.",
        ),
    ],
    ids=["yes-no-word", "empty-cell-is-missing", "date-two-digit-year"],
)
def test_csv_cell_problems_name_the_column(tmp_path: Path, changes, expected) -> None:
    out = tmp_path / "out"
    result = run_batch(_csv_with(tmp_path, changes), out, jobs=1, dry_run=True)
    [row] = _report(out)
    assert result.failed == 1
    assert expected in row["error"]


def test_csv_yes_no_words_are_booleans_in_any_case(tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = _csv_with(tmp_path, {"subject.has_capacity": "Yes", "subject.in_work": "FALSE"})
    result = run_batch(path, out, jobs=1, dry_run=True)
    assert result.ok, _report(out)


def test_csv_list_items_take_their_index(tmp_path: Path) -> None:
    path = _csv_with(
        tmp_path,
        {
            "participants.0.name": "Ann Helper",
            "participants.0.role": "family",
            "participants.0.consented": "yes",
            "participants.1.name": "",
            "participants.1.role": "provider",
            "participants.1.consented": "no",
        },
    )
    out = tmp_path / "out"
    result = run_batch(path, out, jobs=1, dry_run=True)
    [row] = _report(out)
    # Item 0 is complete; item 1 has no name, and the error says which item.
    assert result.failed == 1
    assert row["error"] == "participants.1.name: Missing data for required field."


def test_csv_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    good = LETTERS_CSV.read_bytes()
    lines = good.split(b"\n")
    lines[1] = lines[1].replace(b"Margaret", b"Marg\xe9ret")  # Windows-1252, as Excel saves
    path = tmp_path / "letters.csv"
    path.write_bytes(b"\n".join(lines))
    out = tmp_path / "out"
    result = run_batch(path, out, jobs=1)
    assert result.produced == 5, _report(out)
    letter = _text(out / "CS-2027-0101" / "review_information_letter.docx")
    assert "Margéret O'Neill" in letter
    assert "CSV read as Windows-1252" in result.summary()


def test_csv_row_with_more_cells_than_columns_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text("review.id,subject.name\nCS-1,Ann,Smith\n", "utf-8")
    out = tmp_path / "out"
    run_batch(path, out, jobs=1, dry_run=True)
    [row] = _report(out)
    assert row["status"] == "failed"
    assert row["error"] == (
        "Column C holds 'Smith', beyond the last named column (subject.name (column B)): "
        "is a comma missing from quotes? Put the value under a named column or delete it."
    )


def test_csv_header_naming_no_input_field_stops_before_anything_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "letters.csv"
    path.write_text("review.id,subject.nmae\nCS-1,Ann\n", "utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        run_batch(path, out, jobs=1)
    assert "subject.nmae" in str(caught.value)
    assert not out.exists()


def test_dry_run_validates_everything_and_produces_nothing(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(folder, out, jobs=1, dry_run=True)

    statuses = {name: row["status"] for name, row in _by_source_name(_report(out)).items()}
    assert statuses["a-good.json"] == "valid"
    assert statuses["d-bad-field.json"] == "failed"
    assert (result.valid, result.failed) == (2, 3)
    assert _files(out) == {}
    assert "nothing produced" in result.summary()


def test_rerun_skips_unchanged_records(tmp_path: Path, example_raw) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for n in range(3):
        (src / f"{n}.json").write_text(json.dumps(_record(example_raw, f"CR-R-{n}")), "utf-8")
    out = tmp_path / "out"
    run_batch(src, out, jobs=1, produced=ON)
    before = _files(out)
    with Register(out / "register.sqlite") as register:
        rows_before = len(register.entries())

    again = run_batch(src, out, jobs=1, produced=ON)

    assert (again.produced, again.skipped) == (0, 3)
    assert _files(out) == before
    with Register(out / "register.sqlite") as register:
        assert len(register.entries()) == rows_before


def test_changing_one_input_fails_only_that_record_and_keeps_its_issued_letters(
    tmp_path: Path, example_raw
) -> None:
    """Issue 12 finding 7: letters already issued are never replaced by different ones
    (this test used to pin that the changed record was produced again, over them)."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(3):
        (src / f"{n}.json").write_text(json.dumps(_record(example_raw, f"CR-C-{n}")), "utf-8")
    out = tmp_path / "out"
    run_batch(src, out, jobs=1, produced=ON)
    issued = sha256_file(out / "CR-C-1" / "outcome_letter.docx")
    changed = _record(example_raw, "CR-C-1", "Renamed Person")
    (src / "1.json").write_text(json.dumps(changed), "utf-8")

    again = run_batch(src, out, jobs=1, produced=ON)

    rows = _report(out)
    statuses = [(row["id"], row["status"]) for row in rows]
    assert statuses == [("CR-C-0", "skipped"), ("CR-C-1", "failed"), ("CR-C-2", "skipped")]
    assert rows[1]["error"].startswith(
        "CR-C-1/review_record.docx was issued on 2026-11-23 and this one would differ "
        "(made from a changed input file). An issued document is never overwritten"
    )
    assert sha256_file(out / "CR-C-1" / "outcome_letter.docx") == issued
    assert again.produced == 0


def test_a_damaged_output_file_is_produced_again(tmp_path: Path, example_raw) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "r.json").write_text(json.dumps(_record(example_raw, "CR-D-1")), "utf-8")
    out = tmp_path / "out"
    run_batch(src, out, jobs=1, produced=ON)
    letter = out / "CR-D-1" / "outcome_letter.docx"
    good = letter.read_bytes()
    letter.write_bytes(good[: len(good) // 2])

    again = run_batch(src, out, jobs=1, produced=ON)

    assert again.produced == 1
    assert letter.read_bytes() == good


def test_a_repeated_review_id_is_refused_and_the_first_letters_kept(
    tmp_path: Path, example_raw
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "1.json").write_text(json.dumps(_record(example_raw, "CR-DUP", "First Person")), "utf-8")
    (src / "2.json").write_text(json.dumps(_record(example_raw, "CR-DUP", "Other Person")), "utf-8")
    out = tmp_path / "out"

    result = run_batch(src, out, jobs=1, produced=ON)

    rows = _report(out)
    assert [r["status"] for r in rows] == ["produced", "failed"]
    assert "also the id of" in rows[1]["error"] and "1.json" in rows[1]["error"]
    assert "First Person" in _text(out / "CR-DUP" / "outcome_letter.docx")
    assert result.failed == 1


@pytest.mark.parametrize("jobs", [1, 2], ids=["one-worker", "two-workers"])
def test_a_repeated_id_on_a_rerun_leaves_the_first_records_letter_alone(
    tmp_path: Path, example_raw, jobs: int
) -> None:
    source = tmp_path / "reviews.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for n in range(4):
            fh.write(json.dumps(_record(example_raw, f"CR-R-{n}", f"Person {n}")) + "\n")
        fh.write(json.dumps(_record(example_raw, "CR-R-1", "Someone Else")) + "\n")
    out = tmp_path / "out"
    run_batch(source, out, jobs=jobs, produced=ON)
    before = _files(out)

    again = run_batch(source, out, jobs=jobs, produced=ON)

    rows = _report(out)
    assert [r["status"] for r in rows] == ["skipped"] * 4 + ["failed"]
    assert "also the id of" in rows[4]["error"]
    assert (again.produced, again.skipped, again.failed) == (0, 4, 1)
    assert _files(out) == before
    assert "Person 1" in _text(out / "CR-R-1" / "outcome_letter.docx")


def test_a_half_written_file_is_removed_when_its_record_is_skipped(
    tmp_path: Path, example_raw
) -> None:
    source = tmp_path / "reviews.jsonl"
    source.write_text(json.dumps(_record(example_raw, "CR-P-1")) + "\n", "utf-8")
    out = tmp_path / "out"
    run_batch(source, out, jobs=1, produced=ON)
    leftover = out / "CR-P-1" / ".outcome_letter.docx.abc123.part"
    leftover.write_bytes(b"PK half a letter")

    again = run_batch(source, out, jobs=1, produced=ON)

    assert again.skipped == 1
    assert not leftover.exists()


def _write_source(tmp_path: Path, kind: str, records: list[dict[str, Any]]) -> Path:
    if kind == "jsonl":
        source = tmp_path / "reviews.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        return source
    source = tmp_path / "in"
    source.mkdir()
    for n, raw in enumerate(records):
        (source / f"{n:02d}.json").write_text(json.dumps(raw), "utf-8")
    return source


@pytest.mark.parametrize("kind", ["jsonl", "folder"])
@pytest.mark.parametrize("jobs", [1, 2], ids=["one-worker", "two-workers"])
def test_an_invalid_record_does_not_take_its_id_from_a_later_valid_one(
    tmp_path: Path, example_raw, kind: str, jobs: int
) -> None:
    invalid = _record(example_raw, "CR-X", "Invalid Person")
    del invalid["subject"]["address"]
    records = [
        _record(example_raw, "CR-A", "First A"),
        invalid,
        *[_record(example_raw, f"CR-F-{n}", f"Filler {n}") for n in range(4)],
        _record(example_raw, "CR-X", "Valid X"),
        _record(example_raw, "CR-A", "Second A"),
    ]
    out = tmp_path / "out"

    run_batch(_write_source(tmp_path, kind, records), out, jobs=jobs, produced=ON)

    rows = _report(out)
    assert [r["status"] for r in rows] == ["produced", "failed"] + ["produced"] * 5 + ["failed"]
    assert "subject.address" in rows[1]["error"]
    assert "also the id of" in rows[7]["error"]
    assert "Valid X" in _text(out / "CR-X" / "outcome_letter.docx")
    assert "First A" in _text(out / "CR-A" / "outcome_letter.docx")


def test_two_workers_make_the_same_files_as_one(tmp_path: Path, example_raw) -> None:
    source = tmp_path / "reviews.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for n in range(8):
            fh.write(json.dumps(_record(example_raw, f"CR-W-{n}", f"Person {n}")) + "\n")
        fh.write("not json\n")
        # A repeated id: the first in the source wins, however many workers there are.
        fh.write(json.dumps(_record(example_raw, "CR-W-0", "Someone Else")) + "\n")

    one = run_batch(source, tmp_path / "one", jobs=1, produced=ON)
    two = run_batch(source, tmp_path / "two", jobs=2, produced=ON)

    assert _files(tmp_path / "one") == _files(tmp_path / "two") != {}
    assert _report(tmp_path / "one") == _report(tmp_path / "two")
    assert (two.produced, two.failed) == (one.produced, one.failed) == (8, 2)
    assert "Person 0" in _text(tmp_path / "two" / "CR-W-0" / "outcome_letter.docx")


def test_progress_is_told_the_total_and_each_record(folder: Path, tmp_path: Path) -> None:
    seen: list[int | None] = []
    rows: list[ReportRow] = []

    def factory(total: int | None):
        seen.append(total)
        return rows.append

    run_batch(folder, tmp_path / "out", jobs=1, dry_run=True, progress=factory)

    assert seen == [5]
    assert len(rows) == 5
    assert sum(row.status == "failed" for row in rows) == 3


def test_terminal_progress_is_quiet_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    callback = terminal_progress(3)
    callback(ReportRow("CR-1", "x.json", "produced"))
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


_KILLED_BATCH = """
import sys
import threading
from datetime import date
from pathlib import Path
from reviewdocs.batch import run_batch
run_batch(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, produced=date(2026, 11, 23))
"""


@pytest.mark.slow
def test_a_batch_killed_half_way_finishes_on_the_next_run_with_each_file_once(
    tmp_path: Path, example_raw
) -> None:
    """Killed at any moment, a batch's journal names only records whose files are
    registered: the next run skips every one of them, produces the rest, and each
    file is in the register once and whole."""
    count = 200
    src = _folder_of(tmp_path, example_raw, "CR-K", count)
    out = tmp_path / "out"
    journal = out / (REPORT_NAME + ".part")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BATCH, str(src), str(out)],
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and (
            not journal.exists() or journal.read_text("utf-8").count("\n") < 21
        ):
            assert time.monotonic() < deadline, "the batch produced nothing"
            time.sleep(0.005)
    finally:
        # The whole process group, workers too: as a power cut or the OOM killer would.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert not (out / REPORT_NAME).exists(), "the batch finished before it could be killed"
    with journal.open(encoding="utf-8-sig", newline="") as fh:
        journaled = [row["id"] for row in csv.DictReader(fh)]
    assert len(journaled) >= 20

    result = run_batch(src, out, jobs=2, produced=ON)

    rows = _report(out)
    assert len(rows) == count
    assert {row["status"] for row in rows} <= {"produced", "skipped"}
    skipped = {row["id"] for row in rows if row["status"] == "skipped"}
    assert set(journaled) <= skipped, "a record the journal called done was produced again"
    assert result.ok
    expected = [d for row in rows for d in row["documents"].split(";")]
    assert len(expected) == 3 * count
    for relpath in expected:
        with zipfile.ZipFile(out / relpath) as archive:
            assert archive.testzip() is None
    with Register(out / "register.sqlite") as register:
        paths = [entry.path for entry in register.entries()]
    assert sorted(paths) == sorted(expected), "a file registered twice, or not at all"
    assert list(out.rglob("*.part")) == []


def test_a_worker_killed_mid_batch_costs_only_its_record(tmp_path: Path, example_raw) -> None:
    src = _folder_of(tmp_path, example_raw, "CR-X", 60)
    out = tmp_path / "out"
    results: list[Any] = []
    batch = threading.Thread(
        target=lambda: results.append(run_batch(src, out, jobs=2, produced=ON))
    )
    batch.start()
    deadline = time.monotonic() + 120
    while len(list(out.glob("CR-X-*/*.docx"))) < 10:
        assert time.monotonic() < deadline and batch.is_alive(), "the batch produced nothing"
        time.sleep(0.01)
    os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
    batch.join(timeout=300)

    [result] = results
    rows = _report(out)
    failed = [row for row in rows if row["status"] == "failed"]
    assert len(rows) == 60
    assert len(failed) == 1, failed
    assert "worker process stopped while producing this record" in failed[0]["error"]
    assert result.produced == 59

    again = run_batch(src, out, jobs=1, produced=ON)
    assert (again.produced, again.skipped, again.failed) == (1, 59, 0)


def test_cli_batch_prints_the_summary_and_exits_1_when_a_record_failed(
    folder: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from reviewdocs.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert "2 produced, 0 skipped, 3 failed" in result.output
    assert (out / REPORT_NAME).is_file()


def test_dry_run_refuses_a_record_letter_for_a_planned_review(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(LETTERS_CSV, out, jobs=1, dry_run=True, documents=["outcome_letter"])
    rows = _report(out)
    assert result.failed == 5
    assert all(row["error"].startswith("review.stage: The review is planned") for row in rows)


class _Pipe:
    def __init__(self) -> None:
        self.sent: list[object] = []

    def send(self, value: object) -> None:
        self.sent.append(value)


def test_a_later_claim_waits_only_for_earlier_records_that_could_take_its_id() -> None:
    from reviewdocs.batch.claims import OrderedClaims

    claims = OrderedClaims()
    assert claims.sent(0, "A", "line 1") == ("A", None)  # nothing earlier: answered at once
    assert claims.sent(1, "A", "line 2") is None  # line 1 may still take A
    assert claims.sent(2, None, "folder/x.json") is None  # its id is unknown until it claims
    assert claims.sent(3, "B", "line 4") is None  # x.json could be B

    late = _Pipe()
    claims.asked(1, late, "A", "line 2")  # type: ignore[arg-type]
    assert late.sent == []  # line 1 has not claimed or finished yet
    claims.finished(0, claimed=True)
    assert late.sent == ["line 1"]

    b = _Pipe()
    claims.asked(3, b, "B", "line 4")  # type: ignore[arg-type]
    assert b.sent == []
    claims.finished(2, claimed=False)  # x.json failed before claiming anything
    assert b.sent == [None]


def test_an_id_held_for_a_record_that_failed_before_claiming_goes_to_the_next() -> None:
    from reviewdocs.batch.claims import OrderedClaims

    claims = OrderedClaims()
    assert claims.sent(0, "A", "line 1") == ("A", None)
    claims.finished(0, claimed=False)  # line 1 was invalid
    assert claims.sent(1, "A", "line 2") == ("A", None)
    claims.finished(1, claimed=True)
    assert claims.sent(2, "A", "line 3") == ("A", "line 2")


def test_an_id_read_from_a_file_that_then_changed_is_given_back() -> None:
    """The parent reads a JSON file's id from its opening; if the file is changed
    before its worker reads it, the record claims another id, and the one read for
    it must not stay held against the record that really has it."""
    from reviewdocs.batch.claims import OrderedClaims

    claims = OrderedClaims()
    assert claims.sent(0, "A", "in/a.json") == ("A", None)  # A held for a.json
    pipe = _Pipe()
    claims.asked(0, pipe, "B", "in/a.json")  # it validated with id B
    assert pipe.sent == [None]  # B is its own
    claims.finished(0, claimed=True)
    assert claims.sent(1, "A", "in/b.json") == ("A", None)  # A was given back


def test_a_folder_record_whose_file_opens_with_its_id_is_read_by_the_parent(
    tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    from reviewdocs.batch.records import id_hint
    from reviewdocs.intake.sources import Record

    opening = tmp_path / "a.json"
    opening.write_text(json.dumps(_record(example_raw, "CR/9"), indent=2), "utf-8")
    later = tmp_path / "b.json"
    raw = _record(example_raw, "CR-10")
    later.write_text(json.dumps({"subject": raw["subject"], **raw}), "utf-8")
    form = tmp_path / "c.pdf"
    form.write_bytes(b"%PDF-1.7")
    assert id_hint(Record(str(opening), "file", str(opening))) == "CR_9"
    assert id_hint(Record(str(later), "file", str(later))) is None  # its claim will say
    assert id_hint(Record(str(form), "file", str(form))) is None
    assert id_hint(Record("gone", "file", str(tmp_path / "gone.json"))) is None


def test_a_later_batch_never_writes_into_another_reviews_folder(
    tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    """CR/1 and CR_1 share the folder CR_1: the second, in a later run, must fail alone."""
    out = tmp_path / "out"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.json").write_text(json.dumps(_record(example_raw, "CR/1")), encoding="utf-8")
    assert run_batch(first, out, jobs=1, documents=["outcome_letter"]).failed == 0
    letter = out / "CR_1" / "outcome_letter.docx"
    before = sha256_file(letter)
    (second / "b.json").write_text(json.dumps(_record(example_raw, "CR_1")), encoding="utf-8")
    result = run_batch(second, out, jobs=1, documents=["outcome_letter"])
    assert result.failed == 1
    assert "holds the documents of review CR/1" in _report(out)[0]["error"]
    assert sha256_file(letter) == before


def test_a_date_before_the_review_fails_the_record(
    tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(_record(example_raw, "CR-9")), encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(folder, out, jobs=1, produced=date(2020, 1, 1))
    assert result.failed == 1
    assert "--date: Is before the review date" in _report(out)[0]["error"]
    assert not list(out.rglob("*.docx"))


def test_a_record_failing_part_way_keeps_its_finished_file_registered(
    tmp_path: Path, example_raw, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent registers a worker's files: those written before a failure too, so the
    next run finishes the record without producing the finished file again."""
    from reviewdocs.disclosure import production as pipeline

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.json").write_text(json.dumps(_record(example_raw, "CR-P-1")), "utf-8")
    out = tmp_path / "out"
    real_write = pipeline.write_atomic
    calls: list[Path] = []

    def second_write_fails(path: Path, data: bytes, **kwargs: Any) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_write(path, data, **kwargs)

    monkeypatch.setattr(pipeline, "write_atomic", second_write_fails)
    docs = ["outcome_letter", "review_record"]
    first = run_batch(src, out, jobs=1, documents=docs, produced=ON)

    assert first.failed == 1
    assert "No space left on device" in _report(out)[0]["error"]
    with Register(out / "register.sqlite") as register:
        assert [e.path for e in register.entries()] == ["CR-P-1/outcome_letter.docx"]
    finished = sha256_file(out / "CR-P-1" / "outcome_letter.docx")

    monkeypatch.setattr(pipeline, "write_atomic", real_write)
    again = run_batch(src, out, jobs=1, documents=docs, produced=ON)

    assert (again.produced, again.failed) == (1, 0)
    with Register(out / "register.sqlite") as register:
        assert sorted(e.path for e in register.entries()) == [
            "CR-P-1/outcome_letter.docx",
            "CR-P-1/review_record.docx",
        ]
    assert sha256_file(out / "CR-P-1" / "outcome_letter.docx") == finished


def test_every_reported_record_is_in_the_register_while_the_batch_runs(
    tmp_path: Path, example_raw
) -> None:
    """The journal is written only after its records' files are registered: a batch
    read (or killed) at any moment never reports a letter the register lacks."""
    src = _folder_of(tmp_path, example_raw, "CR-J", 40)
    out = tmp_path / "out"
    checked = []

    def progress(_total: int | None) -> Any:
        def each(_row: ReportRow) -> None:
            journal = out / (REPORT_NAME + ".part")
            with journal.open(encoding="utf-8-sig", newline="") as fh:
                reported = [row["documents"] for row in csv.DictReader(fh)]
            with Register(out / "register.sqlite") as register:
                registered = {entry.path for entry in register.entries()}
            assert set(reported) <= registered
            checked.append(len(reported))
            time.sleep(0.02)  # a slow reader: the journal is flushed while the batch runs

        return each

    result = run_batch(
        src, out, jobs=2, documents=["outcome_letter"], produced=ON, progress=progress
    )

    assert result.produced == 40
    assert len(_report(out)) == 40
    assert max(checked) > 0, "the journal was never written while the batch ran"


_START_METHOD_WITH = {
    "no-other-thread": "",
    "a-threading-thread": "import threading; threading.Thread(target=lock.acquire).start()",
    # Invisible to threading.active_count(), as a C library's thread would be.
    "a-low-level-thread": "import _thread; _thread.start_new_thread(lock.acquire, ())",
}


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        pytest.param("no-other-thread", "fork", id="no-other-thread"),
        pytest.param("a-threading-thread", "spawn", id="a-threading-thread"),
        pytest.param("a-low-level-thread", "spawn", id="a-low-level-thread"),
    ],
)
def test_workers_are_forked_only_from_a_process_without_other_threads(
    started: str, expected: str
) -> None:
    """Never fork from a process with threads: a child can inherit a lock held by one
    and wait on it for ever. Each case runs in a fresh interpreter, whose threads we know."""
    if sys.platform != "linux":
        expected = "spawn"
    code = (
        "import _thread; lock = _thread.allocate_lock(); lock.acquire()\n"
        f"{_START_METHOD_WITH[started]}\n"
        "from reviewdocs.batch.pool import start_method; print(start_method())\n"
        "lock.release()"
    )
    done = run_fresh(code, timeout=60)
    assert done.stdout.strip().splitlines()[-1:] == [expected], done.stderr


def test_spawn_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewdocs.batch.pool import start_method

    monkeypatch.setenv("REVIEWDOCS_BATCH_START", "spawn")
    assert start_method() == "spawn"


_BATCH_WITH = """
import os, sys
from datetime import date
from reviewdocs.batch import run_batch
from reviewdocs.batch.pool import start_method

os.environ["REVIEWDOCS_BATCH_START"] = sys.argv[3]
used = start_method()
result = run_batch(sys.argv[1], sys.argv[2], jobs=2, produced=date(2026, 11, 20))
print(used, result.produced, result.failed)
"""


def test_forked_and_spawned_workers_make_the_same_files(tmp_path: Path, example_raw) -> None:
    """Each way of starting workers runs in a fresh interpreter (conftest.run_fresh), so
    the forked run really forks: this test process may hold threads by now."""
    src = _folder_of(tmp_path, example_raw, "CR-F", 6, width=1)
    (src / "bad.json").write_text("{", "utf-8")
    made = {}
    for method in ("fork", "spawn"):
        out = tmp_path / method
        done = run_fresh(_BATCH_WITH, str(src), str(out), method)
        assert done.stdout.splitlines()[-1:] == [f"{method} 6 1"], done.stderr
        made[method] = (_files(out), [(r["id"], r["status"]) for r in _report(out)])
    assert made["fork"] == made["spawn"]


def _children(pid: int) -> set[int]:
    """Linux: the processes whose parent is ``pid``."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.add(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


_CRASH_ON_LINE_12 = """
import os, sys
from datetime import date
from reviewdocs.batch import run_batch, worker
from reviewdocs.batch.pool import start_method

process = worker.Worker.process

def crash_on_line_12(self, record):
    if record.source.endswith(" line 12"):
        os._exit(3)
    return process(self, record)

worker.Worker.process = crash_on_line_12
method = start_method()
result = run_batch(sys.argv[1], sys.argv[2], jobs=2, produced=date.fromisoformat(sys.argv[3]))
print(method, result.produced, result.failed)
"""


def test_a_worker_that_dies_mid_group_fails_only_the_record_in_hand(
    tmp_path: Path, example_raw
) -> None:
    """Records go to a worker in groups and their rows come back together, so a worker
    dies with rows it has not sent: those records are produced again, and only the
    record it was on is reported as lost with it."""
    source = tmp_path / "reviews.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for n in range(30):
            fh.write(json.dumps(_record(example_raw, f"CR-G-{n:02d}")) + "\n")
    out = tmp_path / "out"
    # The crash is planted in a fresh interpreter, which has no other thread, so its
    # workers are forked and inherit it (this test process may hold threads by now).
    done = run_fresh(_CRASH_ON_LINE_12, str(source), str(out), ON.isoformat())
    assert done.stdout.splitlines()[-1:] == ["fork 29 1"], done.stderr

    rows = _report(out)
    failed = [row for row in rows if row["status"] == "failed"]
    assert [row["source"] for row in failed] == [f"{source} line 12"]
    assert failed[0]["error"] == (
        "The worker process stopped while producing this record (exit code 3); files it "
        "finished are complete, and running the batch again retries it."
    )
    with Register(out / "register.sqlite") as register:
        registered = sorted({entry.review_id for entry in register.entries()})
    assert registered == [f"CR-G-{n:02d}" for n in range(30) if n != 11]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_stop_when_the_batch_process_is_killed(tmp_path: Path, example_raw) -> None:
    """A forked worker inherits copies of the parent's pipe ends; it must close them,
    or, its parent gone, it would wait for records that never come."""
    src = _folder_of(tmp_path, example_raw, "CR-O", 400)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("REVIEWDOCS_BATCH_START", None)
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BATCH, str(src), str(out)],
        env=env,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("CR-O-*/*.docx"))) < 5:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.01)
        workers = _children(process.pid)
        assert len(workers) == 2
        process.kill()  # the parent alone, as when its terminal is closed under it
        process.wait()
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "a worker outlived its batch"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_stop_without_a_traceback_when_the_batch_process_is_killed(
    tmp_path: Path, example_raw
) -> None:
    """A worker finds its parent gone as a reset or broken pipe as often as an end of
    file: either way it stops quietly, printing nothing on the terminal they share."""
    src = _folder_of(tmp_path, example_raw, "CR-Q", 400)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("REVIEWDOCS_BATCH_START", None)
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", _KILLED_BATCH, str(src), str(out)],
            env=env,
            start_new_session=True,
            stderr=stderr,
        )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("CR-Q-*/*.docx"))) < 5:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.01)
        workers = _children(process.pid)
        process.kill()
        process.wait()
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "a worker outlived its batch"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert errors.read_text(encoding="utf-8", errors="replace") == ""


_ID_TEXT = st.text(alphabet='AZaz09_/-. é\\"', min_size=0, max_size=70)


@st.composite
def _json_lines(draw: st.DrawFn) -> bytes:
    """Review-like JSON lines: members in any order, any JSON spacing, odd ids."""
    review_members = [("id", draw(st.one_of(_ID_TEXT, st.integers(), st.none())))]
    review_members += [("plan_type", "carer_support_plan")]
    if draw(st.booleans()):
        review_members.append(("id", draw(_ID_TEXT)))  # a repeated key
    review_members = draw(st.permutations(review_members))
    top = [("schema_version", draw(st.sampled_from([1, 2, "1"]))), ("subject", {"name": "A"})]
    top.append(("review", dict(review_members) if draw(st.booleans()) else review_members))
    top = draw(st.permutations(top))
    space = draw(st.sampled_from(["", " ", "\t", "\n ", "\r\n"]))

    def dump(members: Any) -> str:
        if isinstance(members, list):
            inner = ("," + space).join(
                f"{json.dumps(k)}{space}:{space}{dump(v)}" for k, v in members
            )
            return "{" + space + inner + space + "}"
        return json.dumps(members)

    return dump(top).encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(_json_lines())
def test_the_id_read_from_a_line_s_start_is_the_id_json_gives(line: bytes) -> None:
    """The parent reads a JSON line's id without parsing it when the line opens with
    it; a valid record must then claim exactly that id, or another record with that id
    would be refused as a repeat."""
    from reviewdocs.batch.records import _LEADING_ID, id_hint
    from reviewdocs.files import safe_id
    from reviewdocs.intake.read import parse_json
    from reviewdocs.intake.sources import Record

    if _LEADING_ID.match(line) is None:
        return
    try:
        raw = parse_json(line, "line 1")  # refuses repeated keys, as validation does
    except InputError:
        return  # such a record fails before it claims an id
    assert id_hint(Record("line 1", "json", line)) == safe_id(raw["review"]["id"])


def test_a_line_opening_with_its_id_is_read_without_parsing_it() -> None:
    from reviewdocs.batch.records import _LEADING_ID, id_hint
    from reviewdocs.intake.sources import Record

    line = b'{"schema_version": 1, "review": {"id": "CR/7", "plan_type": "x"}, "subject": {'
    assert _LEADING_ID.match(line) is not None
    assert id_hint(Record("l", "json", line)) == "CR_7"  # no JSON parser would take it
    later = b'{"subject": {}, "review": {"id": "CR-8"}}'
    assert _LEADING_ID.match(later) is None
    assert id_hint(Record("l", "json", later)) == "CR-8"


@pytest.mark.parametrize(
    "sample",
    [
        pytest.param("07-carer-safeguarding-pause.json", id="paused-for-safeguarding"),
        pytest.param("09-advocacy-needed.json", id="waiting-for-an-advocate"),
        pytest.param("12-carer-light-touch-escalated.json", id="escalated-to-a-full-review"),
    ],
)
def test_the_report_notes_say_what_render_warns(tmp_path: Path, sample: str) -> None:
    """A provisional outcome never passes a batch in silence: the report's notes carry
    the same warnings `render` prints for the record."""
    from reviewdocs.decision import document_warnings
    from reviewdocs.disclosure.production import production_date
    from reviewdocs.intake import load_review

    source = tmp_path / "in"
    source.mkdir()
    (source / sample).write_bytes((SAMPLES / sample).read_bytes())
    run_batch(source, tmp_path / "out", jobs=1, produced=date(2026, 12, 2))
    review = load_review(SAMPLES / sample)
    expected = document_warnings(review, production_date(review, date(2026, 12, 2)))
    assert expected, "the sample should carry a warning"
    (row,) = _report(tmp_path / "out")
    assert row["status"] == "produced"
    assert row["notes"] == "; ".join(expected)
