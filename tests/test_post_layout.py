"""Page 1 of the Word letters on Notify's grid, in large print too (issue 14)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from lxml import etree

from conftest import ROOT
from reviewdocs.documents.accessible import large_print, smallest_font_pt
from reviewdocs.documents.grid import TWIPS_PER_MM

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = ROOT / "templates" / "docx"
LETTERS = sorted(p for p in TEMPLATES.glob("*.docx") if "review_record" not in p.name)


def _body(docx: bytes) -> list[Any]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return list(root.find(f"{W}body"))


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _frame(p: Any) -> tuple[float, float] | None:
    frame = p.find(f"{W}pPr/{W}framePr")
    if frame is None:
        return None
    x, y = (int(frame.get(f"{W}{a}")) / TWIPS_PER_MM for a in "xy")
    return round(x, 1), round(y, 1)


def _style(p: Any) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return "" if style is None else style.get(f"{W}val")


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.stem)
def test_every_letter_has_the_page_one_frames_and_starts_its_body_at_95_mm(path: Any) -> None:
    body = _body(path.read_bytes())
    frames = {_style(p): _frame(p) for p in body if _frame(p)}
    assert frames == {"LogoSlot": (15.2, 5.2), "Sender": (127.0, 10.0), "Address": (25.5, 40.5)}
    spacer = next(i for i, p in enumerate(body) if _style(p) == "PageOneSpacer")
    line = int(body[spacer].find(f"{W}pPr/{W}spacing").get(f"{W}line"))
    assert round(20 + line / TWIPS_PER_MM) == 95  # the 20 mm top margin plus the spacer
    # The review number, reference and date come first in the body, never in a window.
    assert [_text(p).split(":")[0] for p in body[spacer + 1 : spacer + 4]] == [
        "Review number",
        "Reference",
        "Date",
    ]


@pytest.mark.parametrize("size", [18, 24, 32])
def test_large_print_keeps_the_address_and_sender_frames(size: int) -> None:
    lp = large_print((TEMPLATES / "outcome_letter.docx").read_bytes(), size)
    body = _body(lp)
    address = [p for p in body if _style(p) == "Address"]
    assert {_frame(p) for p in address} == {(25.5, 40.5)}
    for p in address:  # 10pt on an exact 10.5pt line: 7 lines fit the window
        assert {s.get(f"{W}val") for s in p.iter(f"{W}sz")} == {"20"}
        assert p.find(f"{W}pPr/{W}spacing").get(f"{W}lineRule") == "exact"
    assert {_frame(p) for p in body if _style(p) == "Sender" and _frame(p)} == {(127.0, 10.0)}
    assert smallest_font_pt(lp) >= size  # everything but the window enlarged


def test_very_large_print_moves_the_councils_block_into_the_body() -> None:
    """At 48pt a 67 mm frame cannot hold the council's block: it grew over the top
    margin. Above 32pt it opens the body instead, after the spacer, unframed."""
    body = _body(large_print((TEMPLATES / "outcome_letter.docx").read_bytes(), 40))
    spacer = next(i for i, p in enumerate(body) if _style(p) == "PageOneSpacer")
    after = [_text(p) for p in body[spacer + 1 : spacer + 5]]
    assert after == [
        "{{ review.local_authority.name }}",
        "{{ letter.sender_address }}",
        "Telephone: {{ review.local_authority.phone }}",
        "Email: {{ review.local_authority.email }}",
    ]
    assert all(_frame(p) is None for p in body[spacer + 1 : spacer + 5])
    assert {_frame(p) for p in body if _style(p) == "Address"} == {(25.5, 40.5)}


@pytest.mark.slow
@pytest.mark.parametrize("size", [24, 48])
def test_large_print_page_one_passes_notifys_rules(size: int, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from conftest import SAMPLES
    from reviewdocs.cli import main
    from reviewdocs.post.check import check_pdf

    sample = SAMPLES / "01-carer-light-touch-no-change.json"
    args = ["render", str(sample), "--out", str(tmp_path), "--doc", "outcome_letter"]
    result = CliRunner().invoke(main, [*args, "--format", "pdf", "--font-size", str(size)])
    assert result.exit_code == 0, result.output
    [pdf] = tmp_path.glob("*/outcome_letter-large_print.pdf")
    # A long large print letter may pass 10 pages: post splits it into envelopes.
    problems = [p for p in check_pdf(pdf) if "pages; Notify takes" not in p.message]
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("preferred", ["standard", "large_print", "easy_read"])
def test_a_seven_line_address_fits_the_window_in_every_variant(
    preferred: str, tmp_path: Any
) -> None:
    import copy

    from conftest import SAMPLES
    from reviewdocs.disclosure.register import Register
    from reviewdocs.intake.read import load_review
    from reviewdocs.post.check import _words, address_lines
    from reviewdocs.post.envelopes import post_review

    review = copy.deepcopy(load_review(SAMPLES / "09-advocacy-needed.json"))
    review["subject"]["preferred_format"] = preferred
    review["subject"]["address"] = [
        "Flat 12, Quayside Court",
        "147 Long Harbour Road",
        "Upper Brentonbury",
        "Lower Exampleton Parish",
        "Exampleton",
    ]
    with Register(tmp_path / "register.sqlite") as register:
        [env] = post_review(review, tmp_path, register=register).envelopes
    assert len(env.address) == 7
    assert env.problems == ()
    assert address_lines(_words(env.path, page=1)) == list(env.address)
