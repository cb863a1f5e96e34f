"""``reviewdocs post``: one PDF per envelope that Notify's rules accept (issue 14).

The slow tests produce every sample's post in every variant with LibreOffice and run
our check of Notify's rules on each envelope; the others use reportlab-made PDFs.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import SAMPLES
from reviewdocs.cli import main
from reviewdocs.disclosure.register import Register
from reviewdocs.intake.read import load_review
from reviewdocs.post.check import _words, address_lines, check_pdf
from reviewdocs.post.cover import CoverPage, cover_pdf
from reviewdocs.post.envelopes import Envelope, post_review
from reviewdocs.post.filling import Part, split, window_address
from reviewdocs.post.pack import postcode_key, safe_cell, write_pack

INPUTS = sorted(SAMPLES.glob("*.json")) + sorted(SAMPLES.glob("form-*.pdf"))


def _text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


# --- every sample, every variant ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("preferred", ["standard", "large_print", "easy_read"])
def test_every_sample_posts_in_envelopes_notify_accepts(tmp_path: Path, preferred: str) -> None:
    with Register(tmp_path / "register.sqlite") as register:
        envelopes = []
        for path in INPUTS:
            review = copy.deepcopy(load_review(path))
            review["subject"]["preferred_format"] = preferred
            result = post_review(review, tmp_path, register=register)
            assert not result.failed, result.summary()
            assert result.envelopes, path
            envelopes += result.envelopes
        registered = {e.path for e in register.entries() if e.document == "post_envelope"}
    assert registered == {e.relpath for e in envelopes}
    subject = [e for e in envelopes if e.who == "subject"]
    assert len(subject) == len(INPUTS)
    if preferred != "standard":
        assert {e.variant for e in subject} <= {"large_print", "easy_read"}
    for env in envelopes:
        assert env.pages <= 10
        assert stat.S_IMODE(env.path.stat().st_mode) == 0o600
        # Read as Notify reads it, the address is the addressee's, postcode last.
        assert address_lines(_words(env.path, page=1)) == list(env.address)


@pytest.mark.slow
def test_large_print_over_ten_pages_goes_in_numbered_envelopes(tmp_path: Path) -> None:
    with Register(tmp_path / "register.sqlite") as register:
        review = load_review(SAMPLES / "07-carer-safeguarding-pause.json")
        result = post_review(review, tmp_path, register=register, font_size=24)
    assert not result.failed, result.summary()
    assert [(e.number, e.of) for e in result.envelopes] == [(1, 2), (2, 2)]
    first, second = (_text(e.path) for e in result.envelopes)
    assert "Envelope 1 of 2" in first[0] and "Envelope 2 of 2" in second[0]
    assert "This envelope holds:" in second[0]
    # The letter follows the cover in envelope 1; the record ends in envelope 2.
    assert "The outcome of" in first[1]
    assert all(len(PdfReader(e.path).pages) <= 10 for e in result.envelopes)
    names = [e.relpath for e in result.envelopes]
    assert names == [
        "CR-2026-0561/post-subject-envelope-1-of-2.pdf",
        "CR-2026-0561/post-subject-envelope-2-of-2.pdf",
    ]


@pytest.mark.slow
def test_an_envelope_holds_the_letter_then_the_record_and_recipients_get_their_copies(
    tmp_path: Path,
) -> None:
    raw = json.loads((SAMPLES / "10-joint-review-health-sharing.json").read_text())
    raw["subject"]["preferred_format"] = "standard"
    for r in raw["sharing"]["recipients"]:
        if r["id"] == "michael-evans":
            r["manager_decision"] = "decline"  # held back for a risk concern
        if r["id"] == "karen-evans":
            r["address"] = ["8 Beech Avenue", "Exampleton"]  # no postcode
    source = tmp_path / "in.json"
    source.write_text(json.dumps(raw))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["post", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "CS-2026-1315"
    pages = _text(folder / "post-subject.pdf")
    assert "The outcome of your review" in pages[0]
    record_starts = next(i for i, p in enumerate(pages) if "Review record" in p.split("\n")[0])
    assert record_starts > 0  # the record is the enclosure, after the letter
    cover = _text(folder / "post-nhs-trust.pdf")
    assert "Review record shared with you" in cover[0]
    assert not (folder / "post-michael-evans.pdf").exists()
    assert not (folder / "post-karen-evans.pdf").exists()
    assert (
        "held back: No copy for Michael Evans: a manager decided not to provide a copy, "
        "because of a concern"
    ) in result.stdout
    with Register(out / "register.sqlite") as register:
        [refusal] = register.refusals()
    assert (refusal.recipient_id, refusal.reason[:30]) == (
        "michael-evans",
        "No copy for Michael Evans: a m",
    )
    assert (
        "held back: No envelope for Karen Evans: Karen Evans's address does not end with a "
        "UK postcode ('Exampleton'); add the postcode."
    ) in result.stdout


@pytest.mark.slow
def test_a_dl_window_shows_the_address_and_nothing_else(tmp_path: Path) -> None:
    """A4 folded in three into a DL envelope: its 90 x 45 mm window, 20 mm from the left
    and 15 mm from the bottom of the 110 mm envelope, shows y 39-84 mm of page 1."""
    with Register(tmp_path / "register.sqlite") as register:
        for preferred in ("standard", "large_print", "easy_read"):
            review = copy.deepcopy(load_review(SAMPLES / "09-advocacy-needed.json"))
            review["subject"]["preferred_format"] = preferred
            [env] = post_review(review, tmp_path / preferred, register=register).envelopes
            shown = [
                w.text
                for w in _words(env.path, page=1)
                if w.box.x1 > 20 and w.box.x0 < 110 and w.box.y1 > 39 and w.box.y0 < 84
            ]
            assert " ".join(shown) == " ".join(env.address), preferred


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["standard", "large_print"])
def test_the_amendment_decision_letter_is_on_the_grid_too(
    example_raw: dict[str, Any], variant: str
) -> None:
    """Not posted by ``post`` (amend makes it), but a letter all the same."""
    from conftest import DECLINED_AMENDMENT
    from reviewdocs.documents import render_document
    from reviewdocs.documents.pdf import to_pdf
    from reviewdocs.intake.schemas import validate_review
    from reviewdocs.post.check import check_bytes

    review = validate_review(example_raw)
    rendered = render_document(
        review,
        None,
        "amendment_decision_letter",
        variant=variant,
        produced=dt.date(2026, 12, 1),
        amendment=DECLINED_AMENDMENT,
    )
    assert check_bytes(to_pdf(rendered.data)) == []


# --- addresses and splitting (no LibreOffice) -----------------------------------------


def test_an_address_that_cannot_go_in_the_window_is_refused_before_rendering() -> None:
    from reviewdocs.errors import InputError

    assert window_address("Jo Bloggs", ["1 High St", "Town", "EX1 1AA"], whose="Jo's") == (
        "Jo Bloggs",
        "1 High St",
        "Town",
        "EX1 1AA",
    )
    with pytest.raises(InputError) as err:
        window_address("Jo", [f"Line {i}" for i in range(7)] + ["EX1 1AA"], whose="Jo's")
    assert err.value.errors["postal address"] == [
        "Jo's address has 9 line(s) with the name; a window envelope takes 3 to 7."
    ]
    with pytest.raises(InputError) as err:
        window_address("Jo", ["@home", "Town EX1 1AA"], whose="Jo's")
    assert err.value.errors["postal address"] == [
        "Jo's address does not end with a UK postcode ('Town EX1 1AA'); add the postcode.",
        "Jo's address has a line starting with '@' ('@home'), which Notify refuses; "
        "remove the character.",
    ]


def _parts(*counts: int) -> list[Part]:
    docs = ["outcome_letter", "telephone_follow_up_letter", "review_record"]
    return [Part(docs[i], list(range(n))) for i, n in enumerate(counts)]


def _shape(envelopes: list[list[tuple[Part, int, int]]]) -> list[list[tuple[str, int, int]]]:
    return [[(p.document, a, b) for p, a, b in env] for env in envelopes]


def test_ten_pages_fit_one_envelope_without_a_cover() -> None:
    assert _shape(split(_parts(2, 8))) == [
        [("outcome_letter", 0, 2), ("telephone_follow_up_letter", 0, 8)]
    ]


def test_a_document_that_fits_an_envelope_is_not_split() -> None:
    assert _shape(split(_parts(4, 2, 7))) == [
        [("outcome_letter", 0, 4), ("telephone_follow_up_letter", 0, 2)],
        [("review_record", 0, 7)],
    ]


def test_a_document_longer_than_an_envelope_is_split_at_pages() -> None:
    assert _shape(split(_parts(3, 1, 14))) == [
        [("outcome_letter", 0, 3), ("telephone_follow_up_letter", 0, 1), ("review_record", 0, 5)],
        [("review_record", 5, 14)],
    ]
    two_cover_pages = split(_parts(3, 1, 14), cover_pages=2)
    assert all(sum(b - a for _, a, b in env) <= 8 for env in two_cover_pages)


# --- the print pack ---------------------------------------------------------------------


def _fake_envelope(tmp_path: Path, name: str, postcode: str, pages: int = 1) -> Envelope:
    address = (name, "1 High Street", "Exampleton", postcode)
    data = cover_pdf(
        CoverPage(1, 1, address, ("Council",), ("Review number: X",), ("A",), 12), title="x"
    )
    path = tmp_path / f"{name[:3]}.pdf"
    path.write_bytes(data)
    return Envelope(
        review_id=f"R-{name[:3]}",
        who="subject",
        recipient_name=name,
        address=address,
        variant="standard",
        number=1,
        of=1,
        relpath=path.name,
        path=path,
        pages=len(PdfReader(path).pages),
        holds=("A",),
        basis="subject",
        sha256="0" * 64,
    )


def test_the_pack_is_sorted_by_postcode_with_a_counted_first_page(tmp_path: Path) -> None:
    envelopes = [
        _fake_envelope(tmp_path, "Zoe Able", "EX9 1AA"),
        _fake_envelope(tmp_path, "=HYPERLINK(evil)", "EX10 1AA"),
        _fake_envelope(tmp_path, "Amy Brook", "EX1 2BB"),
    ]
    lines = write_pack(envelopes, tmp_path)
    assert "3 envelope(s), 3 page(s), sorted by postcode" in lines[0]
    pack = PdfReader(tmp_path / "post-pack.pdf")
    assert len(pack.pages) == 4
    first = pack.pages[0].extract_text()
    assert "Envelopes: 3" in first and "Pages: 3" in first
    raw = (tmp_path / "post-pack.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["postcode"] for r in rows] == ["EX1 2BB", "EX9 1AA", "EX10 1AA"]
    assert rows[2]["recipient"] == "'=HYPERLINK(evil)"
    assert [r["pack_first_page"] for r in rows] == ["2", "3", "4"]
    for name in ("post-pack.csv", "post-pack.pdf"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@a", "\tx", "ok", 3)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "3",
    ]


def test_postcode_order_is_outward_then_inward_code(tmp_path: Path) -> None:
    envs = [_fake_envelope(tmp_path, n, p) for n, p in (("Ann", "ex2 1ab"), ("Bob", "EX1 9ZZ"))]
    assert [e.postcode for e in sorted(envs, key=postcode_key)] == ["EX1 9ZZ", "ex2 1ab"]


@pytest.mark.slow
def test_post_with_pack_from_the_command_line(tmp_path: Path, runner: CliRunner) -> None:
    inputs = [
        SAMPLES / "01-carer-light-touch-no-change.json",
        SAMPLES / "11-planned-information-letter-delay.json",
    ]
    result = runner.invoke(main, ["post", *map(str, inputs), "--out", str(tmp_path), "--pack"])
    assert result.exit_code == 0, result.output
    assert "2 envelope(s) for 2 review(s); 0 fail Notify's rules" in result.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "post-pack.csv").read_text("utf-8-sig"))))
    assert [r["postcode"] for r in rows] == sorted(
        (r["postcode"] for r in rows), key=lambda p: (p.split()[0], p.split()[1])
    )
    total = sum(int(r["pages"]) for r in rows)
    assert len(PdfReader(tmp_path / "post-pack.pdf").pages) == total + 1
    assert check_pdf(tmp_path / rows[0]["file"]) == []


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(main, ["post", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.json" in result.stdout
    assert "1 input(s) could not be posted." in result.stdout


@pytest.mark.slow
def test_batch_post_makes_envelopes_and_a_pack_from_a_csv_source(
    tmp_path: Path, runner: CliRunner
) -> None:
    source = SAMPLES / "letters.csv"
    result = runner.invoke(main, ["batch", str(source), "--out", str(tmp_path), "--post"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "post-pack.csv").read_text("utf-8-sig"))))
    with source.open(encoding="utf-8") as fh:
        ids = {row["review.id"] for row in csv.DictReader(fh)}
    assert {r["review_id"] for r in rows} == ids
    assert "0 fail Notify's rules; 0 input(s) could not be posted." in result.stdout
    for row in rows:
        assert check_pdf(tmp_path / row["file"]) == []


def test_a_bad_row_of_a_csv_source_is_named_and_the_others_still_posted(
    tmp_path: Path, runner: CliRunner
) -> None:
    lines = (SAMPLES / "letters.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "in.csv"
    rows = [lines[0], lines[1].replace(",EX8 2QT,", ",8 2QT,", 1), lines[2]]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["post", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (
        f"{bad} row 2: subject.postcode: Not a UK postcode: got '8 2QT'; write it as Royal "
        "Mail does, e.g. EX1 1AA."
    ) in result.stdout
    assert (
        "1 envelope(s) for 1 review(s); 0 fail Notify's rules; 1 input(s) could not be posted."
    ) in result.stdout
    assert len(list((tmp_path / "out").glob("*/post-subject.pdf"))) == 1
