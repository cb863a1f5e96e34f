"""Tagged PDF through one persistent LibreOffice: what a screen reader user relies on."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import jinja2
import pymupdf
import pypdf
import pytest
from docx.oxml import OxmlElement
from docxtpl import DocxTemplate

from conftest import run_fresh
from reviewdocs.documents import pdf
from reviewdocs.documents.accessible import large_print
from reviewdocs.documents.pdf import Converter
from reviewdocs.errors import ConversionError

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates" / "docx"
EXAMPLE = ROOT / "tests" / "data" / "example-carer-light-touch.json"
INSTALL = "apt-get install libreoffice-writer-nogui python3-uno fonts-liberation"


def make_letter(title: str = "Review outcome letter", name: str = "Maria") -> bytes:
    """A small letter with two heading levels and a table whose first row is its header."""
    doc = docx.Document()
    doc.core_properties.title = title
    doc.add_heading("Your review outcome", level=1)
    doc.add_paragraph(f"Dear {name}, this letter tells you what we decided.")
    doc.add_heading("What happens next", level=2)
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "What"
    table.rows[0].cells[1].text = "When"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.rows[1].cells[0].text = "Next review"
    table.rows[1].cells[1].text = "1 March 2027"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@pytest.fixture(scope="module")
def letter_pdf(converter: Converter) -> bytes:
    return converter.convert(make_letter())


def catalog(data: bytes) -> Any:
    return pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]


def structure_tags(data: bytes) -> list[str]:
    """Every structure element type in the PDF's tag tree, in reading order."""
    tags: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                tags.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(catalog(data)["/StructTreeRoot"])
    return tags


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_is_tagged_with_language_and_shown_title(letter_pdf: bytes) -> None:
    root = catalog(letter_pdf)
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pypdf.PdfReader(io.BytesIO(letter_pdf)).metadata.title == "Review outcome letter"


def test_pdf_declares_pdf_ua(letter_pdf: bytes) -> None:
    xmp = catalog(letter_pdf)["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_headings_and_table_header_cells_are_in_the_structure_tree(letter_pdf: bytes) -> None:
    tags = structure_tags(letter_pdf)
    assert tags.index("/H1") < tags.index("/H2")
    assert tags.count("/TH") == 2  # the header row's two cells
    assert "/Table" in tags


def test_every_font_is_embedded(letter_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(letter_pdf))
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descendant = font.get("/DescendantFonts")
        described = descendant[0].get_object() if descendant else font
        descriptor = described["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_text_can_be_extracted(letter_pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(letter_pdf, tmp_path)
    assert "Dear Maria, this letter tells you what we decided." in text
    assert "Next review" in text


@pytest.mark.parametrize(
    ("core_title", "given", "expected"),
    [
        pytest.param("outcome_letter", None, "Your review outcome", id="file-code-uses-heading"),
        pytest.param("", None, "Your review outcome", id="no-title-uses-heading"),
        pytest.param("Review outcome letter", "Outcome, R-1", "Outcome, R-1", id="given-title"),
    ],
)
def test_title_is_words_a_screen_reader_can_announce(
    converter: Converter, core_title: str, given: str | None, expected: str
) -> None:
    out = converter.convert(make_letter(title=core_title), title=given)
    assert pypdf.PdfReader(io.BytesIO(out)).metadata.title == expected


def test_one_libreoffice_serves_many_documents(tmp_path: Path) -> None:
    with Converter() as conv:
        outputs = [conv.convert(make_letter(name=name)) for name in ("Ann", "Bilal", "Chen")]
        assert conv.starts == 1
    for name, out in zip(("Ann", "Bilal", "Chen"), outputs, strict=True):
        assert f"Dear {name}," in pdf_text(out, tmp_path)


def test_libreoffice_that_died_is_started_again(tmp_path: Path) -> None:
    with Converter() as conv:
        conv.convert(make_letter())
        assert conv._proc is not None
        os.killpg(conv._proc.pid, signal.SIGKILL)  # LibreOffice and its bridge crash
        out = conv.convert(make_letter(name="Dana"))
        assert conv.starts == 2
    assert "Dear Dana," in pdf_text(out, tmp_path)


def test_a_conversion_past_its_time_limit_is_stopped_with_a_clear_error() -> None:
    with Converter(timeout=0.001) as conv:
        with pytest.raises(ConversionError, match="did not finish converting"):
            conv.convert(make_letter())
        conv.timeout = pdf.DOCUMENT_TIMEOUT_S
        assert conv.convert(make_letter()).startswith(b"%PDF")


@pytest.mark.parametrize(
    "soffice",
    [
        pytest.param("/nonexistent/soffice", id="missing-path"),
        pytest.param("no-such-soffice-program", id="not-on-path"),
    ],
)
def test_missing_libreoffice_names_the_packages_to_install(soffice: str) -> None:
    conv = Converter(soffice=soffice)
    with pytest.raises(ConversionError) as caught:
        conv.convert(make_letter())
    assert "LibreOffice is not installed" in str(caught.value)
    assert INSTALL in str(caught.value)
    assert caught.value.exit_code == 1
    assert conv.starts == 0


def test_a_libreoffice_that_cannot_start_is_a_clear_error() -> None:
    with pytest.raises(ConversionError, match="LibreOffice could not start"):
        Converter(soffice="/bin/false").convert(make_letter())


def test_missing_python_bridge_names_the_packages_to_install(tmp_path: Path) -> None:
    # The system Python without its site packages: uno cannot be imported.
    no_uno = tmp_path / "python3"
    no_uno.write_text('#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n')
    no_uno.chmod(0o755)
    with pytest.raises(ConversionError) as caught:
        Converter(python=str(no_uno)).convert(make_letter())
    assert "python3-uno" in str(caught.value)
    assert INSTALL in str(caught.value)


def _damaged(docx_bytes: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"this is not a Word file", id="not-a-zip"),
        pytest.param(_damaged(make_letter()), id="damaged-document-xml"),
        pytest.param(_damaged(make_letter(title="")), id="damaged-without-title"),
    ],
)
def test_an_invalid_docx_is_a_conversion_error_and_the_converter_carries_on(
    converter: Converter, data: bytes
) -> None:
    with pytest.raises(ConversionError):
        converter.convert(data)
    assert converter.convert(make_letter()).startswith(b"%PDF")


_ONE_CONVERTER_EACH = """
import multiprocessing, sys
from reviewdocs.documents import pdf

def starts_in_this_process():
    return pdf.get_converter().starts

assert pdf.get_converter() is pdf.get_converter()
with open(sys.argv[1], "rb") as fh:
    made = pdf.to_pdf(fh.read())
print(made.startswith(b"%PDF"), pdf.get_converter().starts)
# A batch worker forked from here must not write into this process's LibreOffice.
with multiprocessing.get_context("fork").Pool(1) as pool:
    print(pool.apply(starts_in_this_process))
"""


def test_each_process_has_one_converter_and_a_forked_worker_its_own(tmp_path: Path) -> None:
    """Forked in a fresh interpreter (conftest.run_fresh): never from a process with threads."""
    letter = tmp_path / "letter.docx"
    letter.write_bytes(make_letter())
    done = run_fresh(_ONE_CONVERTER_EACH, str(letter))
    assert done.stdout.splitlines()[-2:] == ["True 1", "0"], done.stderr


def _render_example(template: bytes) -> bytes:
    """A real template filled from the example review with plain docxtpl.

    Fields the example does not have print empty: this checks the template's
    layout and tags, not its wording (tests/test_documents.py does that).
    """
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=True)
    env.filters["date"] = str
    context = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    # The record's "who took part" table is shown only when someone did.
    context["people"] = [
        {"name": "Sam Lewis", "role": "Family", "organisation": "", "consented": "Yes"}
    ]
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, env)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("document", "has_table"),
    [
        pytest.param("outcome_letter", False, id="outcome-letter"),
        pytest.param("review_record", True, id="review-record"),
    ],
)
def test_large_print_pdf_of_a_real_letter_has_nothing_under_16pt(
    converter: Converter, document: str, has_table: bool
) -> None:
    template = (TEMPLATES / f"{document}.docx").read_bytes()
    out = converter.convert(_render_example(large_print(template)))

    tags = structure_tags(out)
    assert "/H1" in tags
    assert ("/TH" in tags) is has_table
    with pymupdf.open(stream=out, filetype="pdf") as pages:
        sizes = [
            span["size"]
            for page in pages
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if span["text"].strip()
        ]
    assert sizes
    assert min(sizes) >= 16
