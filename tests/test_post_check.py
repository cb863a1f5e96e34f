"""Our check of GOV.UK Notify's precompiled letter rules, on purpose-made PDFs (issue 14).

Each bad PDF breaks exactly one rule, drawn with reportlab in an embedded font, so the
test shows that the rule, and only it, is reported, in plain words, with its page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewdocs.cli import main
from reviewdocs.post.check import address_lines, check_bytes, check_pdf
from reviewdocs.post.cover import CoverPage, _fonts, cover_pdf

GOOD_ADDRESS = ("Brian Whitfield", "3 Mill Lane", "Lower Brenton", "Exampleton", "EX4 2PL")
SENDER = ("Example County Council", "County Hall", "EX1 1AA", "Telephone: 01632 960 000")


def _letter(
    *,
    address: tuple[str, ...] = GOOD_ADDRESS,
    draw: Callable[[Any, int], None] | None = None,
    pages: int = 2,
    size: tuple[float, float] | None = None,
    font: str | None = None,
) -> bytes:
    """A letter on Notify's grid; ``draw(canvas, page)`` adds what breaks a rule."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, _ = _fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size or A4, initialFontName=font or regular)
    height = (size or A4)[1]
    for page in range(1, pages + 1):
        pdf.setFont(font or regular, 10)
        if page == 1:
            y = height - 40.5 * mm - 10
            for line in address:
                pdf.drawString(25.5 * mm, y, line)
                y -= 10.5
            y = height - 12 * mm
            for line in SENDER:
                pdf.drawString(127 * mm, y, line)
                y -= 14
        pdf.drawString(20 * mm, height - 100 * mm, f"Body text on page {page}.")
        if draw:
            draw(pdf, page)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _messages(data: bytes) -> list[str]:
    return [p.line("letter.pdf") for p in check_bytes(data)]


def _at(x_mm: float, y_mm: float, text: str, on_page: int = 1) -> Callable[[Any, int], None]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def draw(pdf: Any, page: int) -> None:
        if page == on_page:
            pdf.drawString(x_mm * mm, A4[1] - y_mm * mm, text)

    return draw


def test_a_letter_on_the_grid_passes() -> None:
    assert _messages(_letter()) == []


@pytest.mark.parametrize("size", [12, 16, 18, 24, 48, 72])
def test_the_envelope_cover_page_passes_in_every_size(size: int) -> None:
    holds = ("The review record, pages 6 to 11 of 11",)
    page = CoverPage(2, 2, GOOD_ADDRESS, SENDER, ("Review number: CR-2026-0561",), holds, size)
    assert _messages(cover_pdf(page, title="Envelope 2 of 2")) == []


def test_ink_in_the_left_margin_is_named_with_its_page_and_place() -> None:
    messages = _messages(_letter(draw=_at(8, 150, "margin note", on_page=2)))
    assert len(messages) == 1
    assert messages[0].startswith(
        "letter.pdf: page 2: has ink in the left margin (x 0-15 mm, y 0-297 mm), at x 8"
    )


def test_ink_in_the_bottom_margin() -> None:
    messages = _messages(_letter(draw=_at(100, 295, "footer too low")))
    assert len(messages) == 1
    assert "page 1: has ink in the bottom margin (x 0-210 mm, y 292-297 mm)" in messages[0]


def test_notifys_tag_box_on_later_pages_only() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def box(pdf: Any, page: int) -> None:
        pdf.rect(15.0 * mm, A4[1] - 6 * mm, 0.19 * mm, 0.5 * mm, fill=1, stroke=0)

    messages = _messages(_letter(draw=box))
    # Page 1 has the logo area there; pages 2 on have Notify's mark.
    assert [m.split(": has")[0] for m in messages] == ["letter.pdf: page 2"]
    assert "Notify's tag box at the top left" in messages[0]


def test_an_address_of_eight_lines_is_too_long() -> None:
    eight = (
        "A Person",
        "Flat 2",
        "3 Mill Lane",
        "Lower Brenton",
        "Upper",
        "Middle",
        "Town",
        "EX4 2PL",
    )
    messages = _messages(_letter(address=eight))
    assert any("has an address of 8 lines" in m and "Notify takes 3 to 7" in m for m in messages)


def test_an_address_of_two_lines_is_too_short() -> None:
    messages = _messages(_letter(address=("A Person", "EX4 2PL")))
    assert messages == [
        "letter.pdf: page 1: has an address of 2 lines (A Person / EX4 2PL); Notify takes 3 to 7."
    ]


def test_a_missing_postcode_is_named_with_the_last_line() -> None:
    messages = _messages(_letter(address=GOOD_ADDRESS[:-1]))
    assert messages == [
        'letter.pdf: page 1: has no UK postcode on the last line of the address ("Exampleton"); '
        "Notify needs one there."
    ]


def test_a_postcode_that_is_not_a_uk_postcode_fails() -> None:
    messages = _messages(_letter(address=(*GOOD_ADDRESS[:-1], "QX1 1AA")))
    assert any("no UK postcode" in m and "QX1 1AA" in m for m in messages)


def test_an_address_line_starting_with_a_refused_character() -> None:
    messages = _messages(_letter(address=("=HYPERLINK", *GOOD_ADDRESS[1:])))
    assert any('address line starting with "="' in m for m in messages)


def test_sender_text_in_the_address_reading_box_is_read_as_the_address() -> None:
    """The council's address beside the window (as the old large print did) is read by
    Notify as part of the recipient's, and its ink sits outside the window."""
    messages = _messages(_letter(draw=_at(121, 52, "Market Street")))
    assert any(
        '"Market" outside the address window' in m and "would read it as part" in m
        for m in messages
    )
    assert any("ink in the space right of the address window" in m for m in messages)


def test_text_below_the_window_before_the_body_is_refused() -> None:
    messages = _messages(_letter(draw=_at(20, 85, "Review number: CR-1")))
    assert len(messages) == 1
    assert (
        "page 1: has ink in the space below the address window (x 15-125 mm, y 66.3-95 mm)"
        in (messages[0])
    )


def test_more_than_ten_pages() -> None:
    messages = _messages(_letter(pages=11))
    assert messages == ["letter.pdf: has 11 pages; Notify takes at most 10."]


def test_a_letter_size_page_is_not_a4() -> None:
    from reportlab.lib.pagesizes import LETTER

    messages = _messages(_letter(size=LETTER, pages=1))
    assert messages[0] == (
        "letter.pdf: page 1: is 216 x 279 mm; Notify takes A4 portrait (210 x 297 mm) only."
    )


def test_a_font_that_is_not_embedded() -> None:
    messages = _messages(_letter(font="Helvetica", pages=1))
    assert messages == ["letter.pdf: page 1: uses the font Helvetica without embedding it."]


def test_not_a_pdf() -> None:
    assert _messages(b"hello") == ["letter.pdf: is not a PDF that can be read."]


def test_address_lines_read_as_notify_reads_them() -> None:
    from pypdf import PdfReader  # noqa: F401  (the words come from pdftotext)

    from reviewdocs.post.check import _words

    data = _letter()
    path = Path(__file__).parent / "data"
    del path
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "a.pdf"
        file.write_bytes(data)
        assert address_lines(_words(file, page=1)) == list(GOOD_ADDRESS)


def test_check_command_names_each_failure_and_exits_1(tmp_path: Path, runner: CliRunner) -> None:
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(_letter())
    bad.write_bytes(_letter(address=GOOD_ADDRESS[:-1]))
    result = runner.invoke(main, ["post", "--check", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: passes Notify's precompiled letter rules" in result.stdout
    assert f"{bad}: page 1: has no UK postcode on the last line" in result.stderr
    assert "1 of 2 file(s) would be rejected." in result.stderr
    assert runner.invoke(main, ["post", "--check", str(good)]).exit_code == 0


def test_check_of_a_missing_file(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["post", "--check", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 1
    assert "nope.pdf: cannot be read" in result.stderr


def test_check_leaves_no_rendered_pages_behind(tmp_path: Path, monkeypatch: Any) -> None:
    from reviewdocs.post import check

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(check, "_memory_folder", lambda: str(scratch))
    seen: list[str] = []
    real_run = check._run

    def spy(args: Any) -> Any:
        done = real_run(args)
        seen.extend(p.name for p in scratch.rglob("*.pgm"))
        return done

    monkeypatch.setattr(check, "_run", spy)
    file = tmp_path / "letter.pdf"
    file.write_bytes(_letter())
    assert check_pdf(file) == []
    assert sorted(seen) == ["page-1.pgm", "page-2.pgm"]  # rendered there ...
    assert list(scratch.iterdir()) == []  # ... and are gone


@pytest.mark.parametrize("bad", ["", "../x"])
def test_post_without_out_is_a_usage_error(runner: CliRunner, bad: str) -> None:
    result = runner.invoke(main, ["post", "samples/01-carer-light-touch-no-change.json"])
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr
