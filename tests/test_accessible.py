"""Accessible copies: the variants and formats chosen, and large print templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from lxml import etree

from reviewdocs import codes
from reviewdocs.documents import accessible
from reviewdocs.documents.accessible import large_print, plan_outputs, smallest_font_pt
from reviewdocs.errors import InputError, ReviewdocsError, TemplateError

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# -- which copies --------------------------------------------------------------------


def _review(preferred: str) -> dict[str, Any]:
    return {"subject": {"preferred_format": preferred}}


STANDARD_DOCX = ("standard", "docx")


@pytest.mark.parametrize(
    ("preferred", "document", "expected"),
    [
        pytest.param("standard", "outcome_letter", [STANDARD_DOCX], id="standard"),
        pytest.param(
            "pdf", "outcome_letter", [STANDARD_DOCX, ("standard", "pdf")], id="pdf-keeps-docx"
        ),
        pytest.param(
            "large_print",
            "review_record",
            [STANDARD_DOCX, ("large_print", "docx"), ("large_print", "pdf")],
            id="large-print-keeps-standard-for-the-file",
        ),
        pytest.param(
            "easy_read",
            "outcome_letter",
            [STANDARD_DOCX, ("easy_read", "docx"), ("easy_read", "pdf")],
            id="easy-read-outcome-letter",
        ),
        pytest.param(
            "easy_read",
            "review_information_letter",
            [STANDARD_DOCX, ("easy_read", "docx"), ("easy_read", "pdf")],
            id="easy-read-information-letter",
        ),
        pytest.param(
            "easy_read",
            "review_delay_letter",
            [STANDARD_DOCX, ("large_print", "docx"), ("large_print", "pdf")],
            id="easy-read-without-template-gets-large-print",
        ),
        pytest.param(
            "large_print", "sharing_cover_letter", [STANDARD_DOCX], id="cover-letter-to-recipient"
        ),
    ],
)
def test_preferred_format_picks_the_copies_with_no_flags(
    preferred: str, document: str, expected: list[tuple[str, str]]
) -> None:
    assert plan_outputs(_review(preferred), document) == expected


LP, ER, OUTCOME, DELAY = "large_print", "easy_read", "outcome_letter", "review_delay_letter"
EXPLICIT = [
    # id, preferred_format, document, variant, fmt, the one file
    ("both-flags", "standard", OUTCOME, LP, "pdf", (LP, "pdf")),
    ("format-only-keeps-large-print", LP, OUTCOME, None, "pdf", (LP, "pdf")),
    ("format-only-standard", "standard", OUTCOME, None, "pdf", ("standard", "pdf")),
    ("variant-only-docx", LP, OUTCOME, "standard", None, ("standard", "docx")),
    ("variant-only-pdf-person", "pdf", OUTCOME, LP, None, (LP, "pdf")),
    ("easy-read-asked", "standard", OUTCOME, ER, "docx", (ER, "docx")),
    ("easy-read-missing-is-large-print", "standard", DELAY, ER, None, (LP, "docx")),
]


@pytest.mark.parametrize(
    ("preferred", "document", "variant", "fmt", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in EXPLICIT],
)
def test_explicit_flags_give_exactly_one_file(
    preferred: str, document: str, variant: str | None, fmt: str | None, expected: tuple[str, str]
) -> None:
    assert plan_outputs(_review(preferred), document, variant=variant, fmt=fmt) == [expected]


def test_every_document_and_preference_has_a_standard_docx_for_the_file() -> None:
    for preferred in codes.PREFERRED_FORMATS:
        for document in codes.DOCUMENTS:
            assert plan_outputs(_review(preferred), document)[0] == STANDARD_DOCX


def test_bad_flags_are_reported_together() -> None:
    with pytest.raises(InputError) as caught:
        plan_outputs(_review("standard"), "no_such_letter", variant="braille", fmt="odt")
    assert set(caught.value.errors) == {"document", "variant", "format"}


def test_example_carer_asked_for_large_print(example_raw: dict[str, Any]) -> None:
    assert accessible.variant_for(example_raw, "outcome_letter") == "large_print"


# -- large print ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_template() -> bytes:
    """A docxtpl template full of small text: every way a run can get its size."""
    doc = docx.Document()
    doc.core_properties.title = "Test letter"
    # No size in the document defaults: runs inherit Word's 10pt.
    defaults = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    for el in list(defaults):
        if el.tag in (f"{W}sz", f"{W}szCs"):
            defaults.remove(el)
    small_chars = doc.styles.add_style("Small Print", WD_STYLE_TYPE.CHARACTER)
    small_chars.font.size = Pt(8)
    tiny = doc.styles.add_style("Tiny", WD_STYLE_TYPE.PARAGRAPH)
    tiny.font.size = Pt(7)
    tiny_child = doc.styles.add_style("Tiny Child", WD_STYLE_TYPE.PARAGRAPH)
    tiny_child.base_style = tiny  # no size of its own: 7pt through basedOn

    sender = doc.add_paragraph("Telephone {{ phone }}")
    frame = OxmlElement("w:framePr")  # a 7.5 cm box at the top right, as letters have
    for attr, value in {"w": "4252", "wrap": "around", "hAnchor": "page", "x": "6520"}.items():
        frame.set(qn(f"w:{attr}"), value)
    sender.paragraph_format.element.get_or_add_pPr().append(frame)
    doc.add_heading("Your review, {{ name }}", level=1)
    para = doc.add_paragraph("Dear {{ name }},")
    para.add_run(" reference {{ ref }}").font.size = Pt(9)
    para.add_run(" in small print").style = small_chars
    doc.add_paragraph("{%p if show %}")
    cramped = doc.add_paragraph("Shown only when asked.", style="Tiny Child")
    cramped.paragraph_format.line_spacing = Pt(8)  # an exact height that clips large text
    doc.add_paragraph("{%p endif %}")

    table = doc.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for i, cell in enumerate(table.rows[0].cells):
        cell.text = f"Column {i}"
        cell.width = Cm(8)  # three 8 cm columns: wider than the page
    table.rows[1].cells[0].text = "{{ ref }}"

    section = doc.sections[0]
    section.header.paragraphs[0].text = "Private: {{ name }}"
    footer = section.footer.paragraphs[0]
    footer.text = "Our reference {{ ref }}"
    footer.runs[0].font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _render(template: bytes, **context: Any) -> bytes:
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(
        {"name": "Maria", "ref": "ASC-558201", "phone": "01632 960 000", "show": True, **context}
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xml(docx_bytes: bytes, part: str = "word/document.xml") -> Any:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
        return etree.fromstring(zf.read(part))


def test_checker_finds_the_smallest_text_through_styles_and_defaults(small_template: bytes) -> None:
    # 7pt comes only from a basedOn chain; 10pt (defaults) and 8/9pt are larger.
    assert smallest_font_pt(small_template) == 7


@pytest.mark.parametrize(
    "font_size",
    [
        pytest.param(16, id="16pt-the-minimum"),
        pytest.param(18, id="18pt-the-default"),
        pytest.param(24, id="24pt-font-size-flag"),
    ],
)
def test_nothing_in_a_large_print_letter_is_under_the_font_size(
    small_template: bytes, font_size: int
) -> None:
    letter = _render(large_print(small_template, font_size))
    assert smallest_font_pt(letter) >= font_size


def test_default_large_print_is_18pt(small_template: bytes) -> None:
    assert smallest_font_pt(large_print(small_template)) == 18


@pytest.mark.parametrize("font_size", [18, 24])
def test_headings_stay_larger_than_the_text(small_template: bytes, font_size: int) -> None:
    styles = docx.Document(io.BytesIO(large_print(small_template, font_size))).styles
    for name in ("Heading 1", "Heading 2", "Title"):
        assert styles[name].font.size.pt >= round(font_size * 1.33), name


@pytest.mark.parametrize("font_size", [12, 15, 73])
def test_font_size_out_of_range_is_refused(small_template: bytes, font_size: int) -> None:
    with pytest.raises(ReviewdocsError, match="from 16 to 72"):
        large_print(small_template, font_size)


def test_tags_still_render_in_large_print(small_template: bytes) -> None:
    letter = docx.Document(io.BytesIO(_render(large_print(small_template))))
    text = [p.text for p in letter.paragraphs]
    assert "Your review, Maria" in text
    assert "Dear Maria, reference ASC-558201 in small print" in text
    assert "Shown only when asked." in text
    assert letter.tables[0].rows[1].cells[0].text == "ASC-558201"
    assert letter.sections[0].header.paragraphs[0].text == "Private: Maria"
    assert letter.sections[0].footer.paragraphs[0].text == "Our reference ASC-558201"

    hidden = docx.Document(io.BytesIO(_render(large_print(small_template), show=False)))
    assert "Shown only when asked." not in [p.text for p in hidden.paragraphs]


def test_tables_fit_the_page(small_template: bytes) -> None:
    before = _xml(small_template)
    assert sum(int(w.get(f"{W}w")) for w in before.find(f".//{W}tr").iter(f"{W}tcW")) > 12000
    body = _xml(large_print(small_template))
    page = body.find(f".//{W}sectPr/{W}pgSz")
    margins = body.find(f".//{W}sectPr/{W}pgMar")
    text_width = (
        int(page.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    )
    for table in body.iter(f"{W}tbl"):
        width = table.find(f"{W}tblPr/{W}tblW")
        assert (width.get(f"{W}type"), width.get(f"{W}w")) == ("pct", "5000")
        assert table.find(f"{W}tblPr/{W}tblLayout") is None  # autofit, not fixed
        assert sum(int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")) <= text_width
        for row in table.iter(f"{W}tr"):
            shares = [int(w.get(f"{W}w")) for w in row.iter(f"{W}tcW")]
            assert all(w.get(f"{W}type") != "dxa" for w in row.iter(f"{W}tcW"))
            assert sum(shares) <= 5000


def test_framed_text_joins_the_page_width(small_template: bytes) -> None:
    assert next(_xml(small_template).iter(f"{W}framePr"), None) is not None
    letter = _render(large_print(small_template))
    assert next(_xml(letter).iter(f"{W}framePr"), None) is None
    assert "Telephone 01632 960 000" in [
        p.text for p in docx.Document(io.BytesIO(letter)).paragraphs
    ]


def test_line_spacing_is_at_least_1_15_and_never_clips(small_template: bytes) -> None:
    lp = large_print(small_template)
    default = _xml(lp, "word/styles.xml").find(f".//{W}pPrDefault/{W}pPr/{W}spacing")
    assert int(default.get(f"{W}line")) >= 276
    for part in ("word/document.xml", "word/styles.xml"):
        for spacing in _xml(lp, part).iter(f"{W}spacing"):
            if spacing.get(f"{W}line") is None or spacing.getparent().tag != f"{W}pPr":
                continue
            assert spacing.get(f"{W}lineRule", "auto") in ("auto", "atLeast")
            if spacing.get(f"{W}lineRule", "auto") == "auto":
                assert int(spacing.get(f"{W}line")) >= 276


def test_the_same_template_gives_the_same_bytes(small_template: bytes) -> None:
    # Batch re-runs skip records whose templates are unchanged: no spurious changes.
    assert large_print(small_template) == large_print(small_template)


def test_not_a_word_file_is_a_template_error() -> None:
    with pytest.raises(TemplateError):
        large_print(b"this is not a docx")


def _texts(docx_bytes: bytes) -> dict[str, list[str]]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
        return {
            name: [t.text or "" for t in etree.fromstring(zf.read(name)).iter(f"{W}t")]
            for name in zf.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.stem)
def test_real_templates_become_large_print_with_their_tags_intact(template: Path) -> None:
    original = template.read_bytes()
    lp = large_print(original)
    assert smallest_font_pt(lp) >= 18
    assert _texts(lp) == _texts(original)
