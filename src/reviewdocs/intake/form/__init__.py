"""Our fillable PDF review form: write a blank one, read a completed one.

``write_form`` draws an A4 AcroForm (reportlab) whose field names are the dotted
input paths of spec section 2; ``read_form`` turns a completed copy (read with
pypdf) into the same raw dict a JSON input gives, for ``schemas.validate_review``.
"""

from __future__ import annotations

from pathlib import Path

from reviewdocs.files import write_atomic
from reviewdocs.intake.form._layout import FORM_ID, field_values
from reviewdocs.intake.form._read import read_form, read_form_bytes
from reviewdocs.intake.form._write import form_bytes

__all__ = ["FORM_ID", "field_values", "form_bytes", "read_form", "read_form_bytes", "write_form"]


def write_form(path: Path, plan_type: str) -> None:
    """Write the blank form for ``plan_type`` to ``path`` (atomically: never half written)."""
    write_atomic(Path(path), form_bytes(plan_type))
