"""Spreadsheets as Excel really saves them (issue 13): each finding rebuilt from its
description, starting from samples/letters.csv, and judged by what a user sees: the
letters of the good rows, one row-level message naming row, column, value and fix for
a bad one, and every other row produced."""

from __future__ import annotations

import csv
import os
import re
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SAMPLES
from reviewdocs.batch.report import REPORT_NAME, BatchResult
from reviewdocs.batch.run import run_batch
from reviewdocs.intake.sources import count_records, iter_records

LETTERS_CSV = SAMPLES / "letters.csv"
LETTER = "review_information_letter.docx"


def _sample() -> tuple[list[str], dict[str, str]]:
    with LETTERS_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        first = next(reader)
    return list(first), first


HEADER, FIRST = _sample()


def people(count: int, **changes: str) -> list[dict[str, str]]:
    """``count`` rows like the sample's first, person ``n`` named ``Person n``."""
    return [
        {
            **FIRST,
            "review.id": f"XL-{n:05d}",
            "subject.name": f"Person {n}",
            "subject.reference": f"REF-{n:05d}",
            **changes,
        }
        for n in range(count)
    ]


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\r\n",
    extra: str = "",
) -> Path:
    """The rows as Excel would save them (``extra``: text after every line's last cell)."""
    names = header or HEADER
    lines = []
    for cells in [names, *([row[name] for name in HEADER] for row in rows)]:
        buffer = _Line()
        csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(cells)
        lines.append(buffer.text + extra)
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


class _Line:
    text = ""

    def write(self, text: str) -> None:
        self.text += text


def report(out: Path) -> list[dict[str, str]]:
    with (out / REPORT_NAME).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def letter_text(path: Path) -> str:
    """Every paragraph and line of a DOCX (frames and tables included), one per line."""
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    xml = re.sub(r"<w:br/>", "<w:t>\n</w:t>", xml)  # a line break inside a paragraph
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs
    ).replace("&amp;", "&")


def produced(out: Path, rows: list[dict[str, str]]) -> dict[str, str]:
    """Each row's letter text, by review id: a letter for every row, or a KeyError."""
    return {row["review.id"]: letter_text(out / row["review.id"] / LETTER) for row in rows}


def failed(out: Path) -> dict[str, str]:
    return {r["source"].rsplit(" ", 1)[-1]: r["error"] for r in report(out) if r["error"]}


def run(source: Path, out: Path, **kwargs: Any) -> BatchResult:
    return run_batch(source, out, jobs=1, **kwargs)


# -- 1. an unbalanced double quote ------------------------------------------------------------


def _with_stray_quote(path: Path, count: int, row: int) -> tuple[Path, list[dict[str, str]]]:
    """``count`` people; spreadsheet row ``row`` (header = 1) has its name typed with an
    opening quote never closed, as a hand-edited export has it."""
    rows = people(count)
    write_csv(path, rows)
    lines = path.read_bytes().split(b"\r\n")
    person = row - 2
    assert lines[row - 1].count(f"Person {person},".encode()) == 1
    lines[row - 1] = lines[row - 1].replace(
        f"Person {person},".encode(), f'"Person {person} (known as Pat,'.encode()
    )
    path.write_bytes(b"\r\n".join(lines))
    return path, rows


STRAY_QUOTE = (
    "subject.name (column U): the cell's double quotes do not pair up: got "
    '\'"Person 2 (known as Pat\'. Delete the stray quote, or type it twice ("") to keep '
    "it; the rows after this one were read on their own."
)


def test_a_stray_quote_costs_its_row_alone(tmp_path: Path) -> None:
    path, rows = _with_stray_quote(tmp_path / "letters.csv", 10, row=4)
    out = tmp_path / "out"
    result = run(path, out)

    assert (result.produced, result.failed) == (9, 1)
    assert failed(out) == {"4": STRAY_QUOTE}
    # The id is read from the row, before the stray quote: the report's id cell is filled.
    assert {r["source"].rsplit(" ", 1)[-1]: r["id"] for r in report(out)}["4"] == ("XL-00002")
    assert [r["source"].rsplit(" ", 1)[-1] for r in report(out)] == [str(n) for n in range(2, 12)]
    letters = produced(out, rows[:2] + rows[3:])
    for row in rows[:2] + rows[3:]:
        assert f"Dear {row['subject.preferred_name']}" in letters[row["review.id"]] or (
            row["subject.name"] in letters[row["review.id"]]
        )
    assert "Person 9" in letters["XL-00009"]


def test_a_stray_quote_at_row_1002_of_5000_loses_no_other_row(tmp_path: Path) -> None:
    path, _ = _with_stray_quote(tmp_path / "letters.csv", 5_000, row=1002)
    records = list(iter_records(path))
    assert count_records(path) == 5_000
    assert len(records) == 5_000
    errors = [r for r in records if r.kind == "error"]
    assert [(r.source, r.payload) for r in errors] == [
        (f"{path} row 1002", STRAY_QUOTE.replace("Person 2", "Person 1000"))
    ]
    # The rows after it are read whole, as typed.
    after = records[1001].payload
    assert after["review"]["id"] == "XL-01001"
    assert after["subject"]["name"] == "Person 1001"


def test_a_cell_over_the_csv_limit_is_its_rows_error(tmp_path: Path) -> None:
    rows = people(3)
    rows[1]["review.local_authority.complaints_contact"] = "x" * 131_073
    path = write_csv(tmp_path / "letters.csv", rows)
    out = tmp_path / "out"
    result = run(path, out)

    assert (result.produced, result.failed) == (2, 1)
    assert failed(out) == {
        "3": "review.local_authority.complaints_contact (column Q): the cell is 131,073 "
        "characters long, over the 131,072 a spreadsheet cell can hold here (the longest "
        "text a review takes is 20,000): got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxx\u2026'. Shorten it, or check for a stray double quote."
    }
    assert set(produced(out, [rows[0], rows[2]])) == {"XL-00000", "XL-00002"}


def test_a_quote_left_open_in_the_last_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text('review.id,subject.name\nA-1,Ann\nA-2,"Bob\n', "utf-8")
    [good, bad] = list(iter_records(path))
    assert good.payload["subject"] == {"name": "Ann"}
    assert bad.kind == "error"
    assert bad.payload.startswith("subject.name (column B): the cell's double quotes do not pair")


# -- 2. Excel's conversions ----------------------------------------------------------------------


def test_a_postcode_in_lower_case_is_printed_as_royal_mail_writes_it(tmp_path: Path) -> None:
    rows = people(2)
    rows[0]["subject.postcode"] = "ex24bb"
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", rows), out)

    assert result.produced == 2
    letter = produced(out, rows)["XL-00000"]
    assert "EX2 4BB" in letter.splitlines()
    assert "ex24bb" not in letter
    assert report(out)[0]["notes"] == "subject.postcode: 'ex24bb' read as 'EX2 4BB'."


def test_phone_numbers_excel_turned_into_numbers(tmp_path: Path) -> None:
    rows = people(3)
    rows[0]["review.practitioner.phone"] = "1632960000"  # the leading 0 dropped
    rows[1]["review.practitioner.phone"] = "7.7009E+09"  # digits lost
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", rows), out)

    assert (result.produced, result.failed) == (2, 1)
    assert "Telephone: 01632960000" in produced(out, [rows[0]])["XL-00000"]
    assert report(out)[0]["notes"] == (
        "review.practitioner.phone: '1632960000' read as '01632960000' (a spreadsheet had "
        "dropped its leading 0)."
    )
    assert failed(out) == {
        "3": "review.practitioner.phone: A spreadsheet turned this phone number into a number "
        "and lost digits: got '7.7009E+09'; format the column as Text and type the number "
        "again, e.g. 01632 960000."
    }


def test_a_postcode_that_is_not_one_is_refused_with_its_value(tmp_path: Path) -> None:
    rows = people(2)
    rows[1]["subject.postcode"] = "EX2"
    out = tmp_path / "out"
    run(write_csv(tmp_path / "letters.csv", rows), out)
    assert failed(out) == {
        "3": "subject.postcode: Not a UK postcode: got 'EX2'; write it as Royal Mail does, "
        "e.g. EX1 1AA."
    }


@pytest.mark.parametrize(
    ("column", "typed", "mended"),
    [
        pytest.param("subject.name", "ZoÃ« BrontÃ«", "Zoë Brontë", id="name"),
        pytest.param("review.delay.reason", "A fee of Â£25.", "A fee of £25.", id="pound"),
        pytest.param("subject.name", "Ann Oâ€™Neill", "Ann O\u2019Neill", id="apostrophe"),
    ],
)
def test_mojibake_is_refused_with_the_text_it_probably_was(
    tmp_path: Path, column: str, typed: str, mended: str
) -> None:
    rows = people(2)
    rows[0][column] = typed
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", rows), out)

    assert (result.produced, result.failed) == (1, 1)
    assert failed(out) == {
        "2": f"{column}: The text looks garbled by a change of encoding: got {typed!r}, "
        f"probably {mended!r}. Open the original file again and save it as "
        "'CSV UTF-8 (comma delimited)', or retype the text."
    }


def test_a_portuguese_name_in_capitals_is_not_mojibake(tmp_path: Path) -> None:
    rows = people(1, **{"subject.name": "JOÃO CONCEIÇÃO", "subject.preferred_name": ""})
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows), out).produced == 1
    assert "JOÃO CONCEIÇÃO" in produced(out, rows)["XL-00000"]


# -- 3. Windows-1252 ----------------------------------------------------------------------------


def test_excels_plain_csv_is_read_as_windows_1252(tmp_path: Path) -> None:
    rows = people(4)
    rows[1]["subject.name"] = "Zoë Brontë"
    rows[1]["subject.preferred_name"] = "Zoë"
    rows[2]["review.delay.reason"] = "The café’s fee of £25 – unpaid."
    rows[2]["review.delay.agreed_timeframe"] = "By the end of January 2027"
    # 002 "agree a timeframe": a delay letter needs the date we will next be in touch.
    rows[2]["review.delay.next_contact_by"] = "15/01/2027"
    out = tmp_path / "out"
    path = write_csv(tmp_path / "letters.csv", rows, encoding="cp1252")
    result = run(path, out)

    assert result.failed == 0, report(out)
    assert "Dear Zoë" in produced(out, rows)["XL-00001"]
    delay = letter_text(out / "XL-00002" / "review_delay_letter.docx")
    assert "The café’s fee of £25 – unpaid." in delay
    assert (
        "CSV read as Windows-1252 (the file is not UTF-8: Excel's plain 'CSV'), "
        "comma-separated." in result.summary()
    )


def test_a_byte_windows_1252_has_no_letter_for_fails_its_row_alone(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "letters.csv", people(3))
    data = path.read_bytes().replace(b"Person 1,", b"Pers\x81on 1,")
    path.write_bytes(data)
    out = tmp_path / "out"
    result = run(path, out)
    assert (result.produced, result.failed) == (2, 1)
    assert failed(out) == {
        "3": "subject.name: A character of 'Pers\ufffdon 1' is not a letter in the file's "
        "encoding: save the spreadsheet as 'CSV UTF-8 (comma delimited)'."
    }


# -- 4. dates as a UK spreadsheet has them --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["12/11/2026", "2026-11-12 00:00:00", "2026-11-12", "12/11/2026 00:00"],
)
def test_dates_day_first_or_iso_are_read_day_first(tmp_path: Path, typed: str) -> None:
    rows = people(1, **{"review.document_date": typed})
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows), out).produced == 1, report(out)
    letter = produced(out, rows)["XL-00000"]
    assert "12 November 2026" in letter
    assert "11 December 2026" not in letter


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(
            "12/11/26",
            "review.document_date: Not a date: use 31/12/2026 or 2026-12-31, got '12/11/26'.",
            id="two-digit-year",
        ),
        pytest.param(
            "46338",
            "review.document_date: Not a date: use 31/12/2026 or 2026-12-31, got '46338' (a "
            "spreadsheet's date number: format the column as a date, dd/mm/yyyy).",
            id="excel-serial",
        ),
        pytest.param(
            "11/13/2026",
            "review.document_date: Not a date: use 31/12/2026 or 2026-12-31, got '11/13/2026'.",
            id="month-first-never",
        ),
        pytest.param(
            "2026-11-12 10:30:00",
            "review.document_date: Not a date: use 31/12/2026 or 2026-12-31, got "
            "'2026-11-12 10:30:00'.",
            id="a-time-of-day",
        ),
    ],
)
def test_other_dates_are_refused_with_the_formats_and_the_value(
    tmp_path: Path, typed: str, message: str
) -> None:
    rows = people(2)
    rows[0]["review.document_date"] = typed
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", rows), out)
    assert (result.produced, result.failed) == (1, 1)
    assert failed(out) == {"2": message}


# -- 5. trailing empty columns ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header_extra", "row_extra"),
    [pytest.param(",,,", ",,,", id="every-line"), pytest.param("", ",,", id="data-rows-only")],
)
def test_trailing_empty_columns_are_ignored(
    tmp_path: Path, header_extra: str, row_extra: str
) -> None:
    rows = people(3)
    path = write_csv(tmp_path / "letters.csv", rows)
    lines = path.read_text("utf-8").split("\r\n")
    lines = [lines[0] + header_extra] + [line + row_extra if line else line for line in lines[1:]]
    path.write_text("\r\n".join(lines), "utf-8")
    out = tmp_path / "out"
    assert run(path, out).produced == 3, report(out)
    assert set(produced(out, rows)) == {"XL-00000", "XL-00001", "XL-00002"}


def test_a_value_beyond_the_named_columns_fails_its_row(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text("review.id,subject.name,,\nCS-1,Ann,,Smith\nCS-2,Bob,,\n", "utf-8")
    records = list(iter_records(path))
    assert records[0].payload == (
        "Column D holds 'Smith', beyond the last named column (subject.name (column B)): is "
        "a comma missing from quotes? Put the value under a named column or delete it."
    )
    assert records[1].payload["subject"] == {"name": "Bob"}


# -- 6. header case, delimiters, line endings, UTF-16 ------------------------------------------


@pytest.mark.parametrize(
    ("options", "said"),
    [
        pytest.param({"delimiter": ";"}, "read as UTF-8, semicolon-separated", id="semicolon"),
        pytest.param({"delimiter": "\t"}, "read as UTF-8, tab-separated", id="tab"),
        pytest.param({"newline": "\r"}, "read as UTF-8, comma-separated", id="mac-cr-only"),
        pytest.param({"newline": "\n"}, "read as UTF-8, comma-separated", id="lf"),
        pytest.param(
            {"encoding": "utf-16", "delimiter": "\t"},
            "read as UTF-16 with BOM, tab-separated",
            id="unicode-text",
        ),
        pytest.param(
            {"encoding": "utf-8-sig", "delimiter": ";"},
            "read as UTF-8 with BOM, semicolon-separated",
            id="utf8-bom-semicolon",
        ),
    ],
)
def test_what_excel_saves_is_read(tmp_path: Path, options: dict[str, Any], said: str) -> None:
    rows = people(3)
    rows[1]["subject.name"] = "Zoë Brontë"
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", rows, **options), out)
    assert result.produced == 3, report(out)
    assert f"CSV {said}." in result.summary()
    letters = produced(out, rows)
    assert "Zoë Brontë" in letters["XL-00001"]
    # The sample's third person has a two-line address: still one row.
    assert [r["source"].rsplit(" ", 1)[-1] for r in report(out)] == ["2", "3", "4"]


def test_headers_match_ignoring_case_and_spaces(tmp_path: Path) -> None:
    header = [" " + name.title() + " " for name in HEADER]
    header[0] = "Review.ID"
    rows = people(2)
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows, header=header), out).produced == 2


def test_a_header_typo_suggests_the_field(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text("review.id,subject.nmae\nCS-1,Ann\n", "utf-8")
    with pytest.raises(Exception) as caught:
        list(iter_records(path))
    assert str(caught.value) == (
        f"{path}: subject.nmae: Column B is not an input field (did you mean subject.name?): "
        "headers are dotted input paths such as review.id or subject.address (see docs/batch.md)."
    )


# -- 7. the CSVs we write ------------------------------------------------------------------------


def test_the_report_opens_in_excel_with_notes_beside_the_error(tmp_path: Path) -> None:
    rows = people(2, **{"subject.postcode": "ex8 2qt"})
    rows[1]["review.id"] = "=1+1"
    rows[0]["subject.name"] = "Zoë Brontë"
    out = tmp_path / "out"
    run(write_csv(tmp_path / "letters.csv", rows), out)

    data = (out / REPORT_NAME).read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,source,status,documents,error,notes\r\n")
    assert data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE((out / REPORT_NAME).stat().st_mode) == 0o600
    [first, second] = report(out)
    assert first["notes"] == "subject.postcode: 'ex8 2qt' read as 'EX8 2QT'."
    assert second["id"] == "'=1+1"  # the formula guard
    assert second["error"].startswith("review.id: Use only letters, digits")
    assert second["notes"] == first["notes"]


def test_the_decisions_warnings_are_in_the_notes(tmp_path: Path) -> None:
    from reviewdocs.batch.report import ReportRow
    from reviewdocs.batch.worker import Job, Worker
    from reviewdocs.decision.rules import decide, document_warnings
    from reviewdocs.disclosure.production import production_date
    from reviewdocs.intake.read import load_review
    from reviewdocs.intake.sources import Record

    sample = next(
        path for path in sorted(SAMPLES.glob("*.json")) if decide(load_review(path))["warnings"]
    )
    review = load_review(sample)
    # What render prints: the decision's warnings and the timely-recording check.
    warnings = document_warnings(review, production_date(review, None))
    job = Job(tmp_path, tmp_path / "r.sqlite", None, None, None, None, None, dry_run=True)
    worker = Worker(job, lambda key, source: lambda: None)  # type: ignore[arg-type,return-value]
    row: ReportRow = worker.process(Record(str(sample), "file", str(sample)))
    assert row.notes == tuple(warnings)


def test_the_register_export_opens_in_excel(tmp_path: Path) -> None:
    rows = people(1, **{"subject.name": "Zoë Brontë"})
    out = tmp_path / "out"
    run(write_csv(tmp_path / "letters.csv", rows), out)
    export = tmp_path / "register.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reviewdocs",
            "register",
            "export",
            "--csv",
            str(export),
            "--register",
            str(out / "register.sqlite"),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = export.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfstatus,review_id,document,version")
    assert data.count(b"\r\n") == 2
    assert stat.S_IMODE(export.stat().st_mode) == 0o600


# -- 8. a dry run catches what the real run would -------------------------------------------------


def test_a_dry_run_fails_what_the_real_run_fails(tmp_path: Path) -> None:
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    dry = run(sample, tmp_path / "dry", dry_run=True, documents=["sharing_cover_letter"])
    real = run(sample, tmp_path / "real", documents=["sharing_cover_letter"])
    [dry_row] = report(tmp_path / "dry")
    [real_row] = report(tmp_path / "real")
    assert (dry.failed, dry_row["error"]) == (real.failed, real_row["error"])
    assert [p.name for p in (tmp_path / "dry").iterdir()] == [REPORT_NAME]


def test_a_dry_run_renders_every_document_and_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewdocs import documents
    from reviewdocs.errors import TemplateError

    rendered: list[str] = []
    real_render = documents.render_document

    def render(review, decision, document, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(document)
        if review["subject"]["name"] == "Person 1":
            raise TemplateError("review_information_letter.docx: the field x is missing")
        return real_render(review, decision, document, **kwargs)

    monkeypatch.setattr(documents, "render_document", render)
    out = tmp_path / "out"
    result = run(write_csv(tmp_path / "letters.csv", people(3)), out, dry_run=True)
    assert (result.valid, result.failed) == (2, 1)
    assert failed(out) == {"3": "review_information_letter.docx: the field x is missing"}
    assert rendered == ["review_information_letter"] * 3
    assert sorted(p.name for p in out.iterdir()) == [REPORT_NAME]


# -- the 5,000-row case through the command line --------------------------------------------------


def test_five_thousand_rows_with_a_stray_quote_through_the_cli(tmp_path: Path) -> None:
    path, _ = _with_stray_quote(tmp_path / "letters.csv", 5_000, row=1002)
    out = tmp_path / "out"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "reviewdocs", "batch", str(path), "--out", str(out), "--jobs", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "5000 record(s): 4999 produced, 0 skipped, 1 failed." in done.stdout + done.stderr
    assert failed(out) == {"1002": STRAY_QUOTE.replace("Person 2", "Person 1000")}
    assert len(report(out)) == 5_000
    assert sum(1 for _ in out.glob(f"XL-*/{LETTER}")) == 4_999
    print(f"5,000 rows through the CLI: {seconds:.1f} s")


# -- the examples in samples/excel ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["letters-semicolon", "letters-windows-1252", "letters-as-typed"])
def test_the_excel_samples_give_the_letters_of_letters_csv(tmp_path: Path, name: str) -> None:
    sample = SAMPLES / "excel" / f"{name}.csv"
    result = run(sample, tmp_path / name)
    assert (result.produced, result.failed) == (5, 0), report(tmp_path / name)
    run(LETTERS_CSV, tmp_path / "plain")
    # The fourth person's letters (no cell of theirs changed, dates typed day first in
    # letters-as-typed) are word for word the plain sample's.
    for letter in (LETTER, "review_delay_letter.docx"):
        assert letter_text(tmp_path / name / "CS-2027-0104" / letter) == letter_text(
            tmp_path / "plain" / "CS-2027-0104" / letter
        )
    first = letter_text(tmp_path / name / "CS-2027-0101" / LETTER)
    if name == "letters-windows-1252":
        assert "Renée Côté" in first
    if name == "letters-as-typed":
        assert "EX8 2QT" in first.splitlines()
        assert "Telephone: 01632960260" in first


def test_blank_rows_after_a_broken_row_are_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text(
        'review.id,subject.name,subject.reference\r\nA-1,"Ann,R1\r\n\r\nA-3,Cy,R3\r\n', "utf-8"
    )
    records = list(iter_records(path))
    assert [(r.source.rsplit(" ", 1)[-1], r.kind) for r in records] == [
        ("2", "error"),
        ("4", "raw"),
    ]


def test_utf16_without_its_bom_is_named(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_bytes("review.id\tsubject.name\r\nA-1\tAnn\r\n".encode("utf-16-le"))
    with pytest.raises(Exception) as caught:
        list(iter_records(path))
    assert str(caught.value) == (
        f"{path}: The file holds NUL bytes, as UTF-16 text without its byte order mark does: "
        "save the spreadsheet as 'CSV UTF-8 (comma delimited)'."
    )


def test_a_refused_cell_is_reported_with_the_rows_other_problems(tmp_path: Path) -> None:
    rows = people(1, **{"review.document_date": "12/11/26", "subject.has_capacity": "maybe"})
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows), out).failed == 1
    assert failed(out) == {
        "2": "review.document_date: Not a date: use 31/12/2026 or 2026-12-31, got '12/11/26'.; "
        "subject.has_capacity: Not a valid boolean: got 'maybe' in column AD; write TRUE or "
        "FALSE (Yes/No and 1/0 are read too)."
    }


def test_a_refused_choice_or_boolean_names_the_value_and_the_column(tmp_path: Path) -> None:
    """Issue 13: row, column, value and the fix, not only "Must be one of: ..."."""
    rows = people(
        1,
        **{
            "review.review_type": "Fulll",
            "subject.preferred_format": "big print",
            "subject.has_capacity": "2",
        },
    )
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows), out).failed == 1
    assert failed(out) == {
        "2": "review.review_type: Must be one of: light_touch, full; got 'Fulll' in column C.; "
        "subject.has_capacity: Not a valid boolean: got '2' in column AD; write TRUE or FALSE "
        "(Yes/No and 1/0 are read too).; "
        "subject.preferred_format: Must be one of: standard, large_print, easy_read, pdf; got "
        "'big print' in column AC."
    }


def test_a_choice_in_another_case_or_spacing_and_yes_no_words_are_read_with_a_note(
    tmp_path: Path,
) -> None:
    rows = people(
        1,
        **{
            "review.review_type": "Light touch",
            "subject.preferred_format": "Standard",
            "subject.has_capacity": "1",
        },
    )
    out = tmp_path / "out"
    assert run(write_csv(tmp_path / "letters.csv", rows), out).failed == 0
    [row] = report(out)
    assert row["notes"] == (
        "review.review_type: 'Light touch' read as 'light_touch'.; "
        "subject.preferred_format: 'Standard' read as 'standard'.; "
        "subject.has_capacity: '1' read as TRUE."
    )
