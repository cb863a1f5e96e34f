"""The front desk's forms: what each POST may carry, checked, with GOV.UK error messages;
and problems from the library (``InputError``) as rows a person can read.

A problem's field is shown by the label our PDF form gives it ("Date of the review
conversation"), with the input path beside it for whoever edits the JSON or the CSV
header. The labels are the form layout's own: never written a second time here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from reviewdocs import codes

REVIEW_SUFFIXES: Final = (".json", ".pdf")
BATCH_SUFFIXES: Final = (".csv", ".jsonl", ".zip")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass
class FormErrors:
    """Field id -> message, in the order the fields appear (for the error summary)."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        self.messages.setdefault(field_id, message)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def summary(self) -> list[dict[str, str]]:
        return [{"text": m, "href": f"#{f}"} for f, m in self.messages.items()]

    def message(self, field_id: str) -> dict[str, str] | None:
        text = self.messages.get(field_id)
        return {"text": text} if text else None


def sign_in_form(form: Mapping[str, str]) -> tuple[str, str, FormErrors]:
    errors = FormErrors()
    name = form.get("name", "").strip()
    password = form.get("password", "")
    if not name:
        errors.add("name", "Enter your user name")
    if not password:
        errors.add("password", "Enter your password")
    return name, password, errors


def valid_user_name(name: str) -> bool:
    """Letters, digits and . _ @ - (it is shown in the register as who did what)."""
    return bool(_NAME.match(name))


def upload_form(files: Mapping[str, Any], suffixes: tuple[str, ...], what: str) -> FormErrors:
    errors = FormErrors()
    upload = files.get("file")
    if upload is None or not upload.filename:
        errors.add("file", f"Select {what}")
    elif not upload.filename.lower().endswith(suffixes):
        listed = ", ".join(s.lstrip(".").upper() for s in suffixes[:-1])
        last = suffixes[-1].lstrip(".").upper()
        errors.add("file", f"The selected file must be a {listed} or {last} file")
    return errors


def chosen_documents(form: Any) -> tuple[list[str], FormErrors]:
    """The documents ticked on the batch form; none ticked: what each record calls for."""
    errors = FormErrors()
    chosen = [d for d in form.getlist("documents") if d]
    unknown = [d for d in chosen if d not in codes.DOCUMENTS]
    if unknown:
        errors.add("documents", "Select documents from the list")
    return chosen, errors


def document_name(code: str) -> str:
    """``review_record`` -> "Review record"."""
    return code.replace("_", " ").capitalize()


# -- problems from the library ------------------------------------------------------------


@cache
def _form_labels() -> dict[str, str]:
    from reviewdocs.intake.form._layout import all_fields

    return {path: f.label for path, f in all_fields().items()}


def field_label(path: str) -> str:
    """The plain-English label of an input path: the PDF form's own where it has one,
    else the path's words ("findings.needs.changed" -> "Findings: needs: changed")."""
    if path == "_schema":
        return "The record as a whole"
    if path.startswith("--"):
        return "Choice of documents"
    labels = _form_labels()
    if path in labels:
        return labels[path]
    parts = []
    for part in path.split("."):
        parts.append(f"item {int(part) + 1}" if part.isdigit() else part.replace("_", " "))
    words = ": ".join(parts)
    return words[:1].upper() + words[1:]


def withheld_words(items: tuple[str, ...] | list[str], subject: Mapping[str, Any]) -> list[str]:
    """What a partial copy leaves out, in words: a record section by the record's own
    heading, an input field by its form label."""
    from reviewdocs.documents import wording

    voice = wording.voice_for(subject, direct=False)
    return [
        wording.section_heading(item, voice)
        if item in wording.SECTION_HEADINGS
        else field_label(item)
        for item in items
    ]


def anchor(path: str) -> str:
    return "problem-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def problem_rows(errors: Mapping[str, list[str]], where: str = "") -> list[dict[str, str]]:
    """``InputError.errors`` as rows: where (row or line), path, label, message."""
    rows = []
    for path in sorted(errors, key=lambda p: (p != "_schema", p)):
        for n, message in enumerate(errors[path]):
            rows.append(
                {
                    "where": where,
                    "path": "" if path == "_schema" else path,
                    "label": field_label(path),
                    "message": message,
                    "anchor": anchor(f"{where} {path} {n}"),
                }
            )
    return rows
