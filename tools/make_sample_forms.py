"""Make the completed sample forms in samples/ by filling our blank form with PyMuPDF.

PyMuPDF is a different PDF library from the one that draws the form (reportlab) and
the one that reads it (pypdf), as a practitioner's PDF reader would be. Run:

    .venv/bin/python tools/make_sample_forms.py

The tests import ``fill_with_pymupdf`` from here, so the samples and the round-trip
tests fill the form the same way.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reviewdocs.files import write_atomic  # noqa: E402
from reviewdocs.intake.form import field_values, form_bytes  # noqa: E402

SAMPLE_FORMS = {
    "form-carer-full.pdf": ROOT / "samples" / "03-julie-and-peter-reassessment.json",
    "form-care-and-support.pdf": ROOT / "samples" / "10-joint-review-health-sharing.json",
}


def form_source(name: str) -> dict[str, object]:
    """The review a sample form is filled from: its JSON sample under an id of its own.

    A form and its JSON twin in one folder must not share a review id: a batch over
    samples/ would rightly refuse the second record with the same id.
    """
    raw = json.loads(SAMPLE_FORMS[name].read_text(encoding="utf-8"))
    raw["review"]["id"] += "-FORM"
    return raw


def fill_with_pymupdf(blank: bytes, values: Mapping[str, str | bool]) -> bytes:
    """Fill ``blank`` with ``values`` (field name -> value) as a PDF reader would.

    Raises ``KeyError`` naming any value the form has no field for: a sample must
    never lose an answer silently.
    """
    doc = pymupdf.open(stream=blank, filetype="pdf")
    filled: set[str] = set()
    for page in doc:
        for widget in page.widgets():
            name = widget.field_name
            if name not in values:
                continue
            value = values[name]
            kind = widget.field_type
            if kind == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                if widget.on_state() != value:
                    continue
                widget.field_value = widget.on_state()
            elif kind == pymupdf.PDF_WIDGET_TYPE_CHECKBOX:
                widget.field_value = bool(value)
            else:
                widget.field_value = str(value)
            widget.update()
            filled.add(name)
    missing = sorted(set(values) - filled)
    if missing:
        raise KeyError(f"the form has no field (or no such answer) for: {', '.join(missing)}")
    return bytes(doc.tobytes(garbage=1, deflate=True, no_new_id=True))


def main() -> None:
    for name, source in SAMPLE_FORMS.items():
        raw = form_source(name)
        blank = form_bytes(raw["review"]["plan_type"])
        write_atomic(ROOT / "samples" / name, fill_with_pymupdf(blank, field_values(raw)))
        print(f"samples/{name} <- {source.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
