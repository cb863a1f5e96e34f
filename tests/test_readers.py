"""Real readers open what we make: python-docx, LibreOffice, and poppler on the PDFs.

The documents every sample calls for, and a partial copy of each record, go through
one LibreOffice (started once for the module); poppler's pdfinfo and pdftotext read
the PDFs as a screen reader or a search index would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import DECLINED_AMENDMENT, PROVIDER_RECIPIENT
from reviewdocs.decision.rules import decide
from reviewdocs.disclosure.production import documents_for
from reviewdocs.documents import render_document
from reviewdocs.intake import schemas

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
PRODUCED = dt.date(2026, 11, 13)

pytestmark = pytest.mark.slow


def _documents(
    review: dict[str, Any], decision: dict[str, Any] | None, first: bool
) -> list[tuple[str, dict[str, Any]]]:
    """What the record calls for, and a partial copy; the first sample gets every letter."""
    out: list[tuple[str, dict[str, Any]]] = [(d, {}) for d in documents_for(review, decision)]
    if decision is None:
        return out
    out.append(("review_record", {"recipient": PROVIDER_RECIPIENT, "withheld": True}))
    if first:
        out.append(("sharing_cover_letter", {"recipient": PROVIDER_RECIPIENT}))
        out.append(
            (
                "amendment_decision_letter",
                {"amendment": DECLINED_AMENDMENT, "previous": {"version": 1, "produced": PRODUCED}},
            )
        )
    return out


def _pdf_info(pdf: bytes) -> dict[str, str]:
    result = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def _pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def converter() -> Any:
    from reviewdocs.documents.pdf import get_converter

    return get_converter()


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_document_of_every_sample_opens_in_word_readers_and_as_a_tagged_pdf(
    sample: Path, converter: Any
) -> None:
    review = schemas.validate_review(json.loads(sample.read_text(encoding="utf-8")))
    decision = None if review["review"]["stage"] == "planned" else decide(review)
    review_id = review["review"]["id"]
    for document, extra in _documents(review, decision, sample == SAMPLES[0]):
        rendered = render_document(review, decision, document, produced=PRODUCED, **extra)
        opened = docx.Document(io.BytesIO(rendered.data))
        assert opened.core_properties.title == rendered.title
        assert any(p.text.strip() for p in opened.paragraphs), document

        pdf = converter.convert(rendered.data)
        info = _pdf_info(pdf)
        assert info.get("Tagged") == "yes", document
        assert info.get("Title") == rendered.title, document
        assert int(info["Pages"]) >= 1
        text = " ".join(_pdf_text(pdf).split())
        assert review_id in text, document
        assert "Page 1 of" in text, document
