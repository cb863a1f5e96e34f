"""A letter rendered from only the context its template reads is the same file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2.meta
import pytest

from conftest import SAMPLES
from reviewdocs import codes
from reviewdocs.decision.rules import decide
from reviewdocs.disclosure.production import documents_for, is_planned
from reviewdocs.documents import compiled, render_document
from reviewdocs.documents.engine import make_environment
from reviewdocs.intake.read import read_input
from reviewdocs.intake.schemas import validate_review

ON = dt.date(2026, 11, 23)
SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))


def _all_names_read(document: str, variant: str) -> set[str]:
    # Jinja's own analysis, independent of the field-path collector the renderer uses.
    env = make_environment()
    names: set[str] = set()
    for part in compiled(document, variant)._compiled.parts.values():
        names |= jinja2.meta.find_undeclared_variables(env.parse(part.source))
    return names


def _templates() -> list[tuple[str, str]]:
    out = [(d, "standard") for d in codes.DOCUMENTS] + [(d, "large_print") for d in codes.DOCUMENTS]
    return out + [(d, "easy_read") for d in codes.EASY_READ_DOCUMENTS]


@pytest.mark.parametrize(("document", "variant"), _templates(), ids=lambda v: str(v))
def test_every_name_a_template_reads_is_built(document: str, variant: str) -> None:
    from reviewdocs.documents.render import _names_read

    assert _all_names_read(document, variant) <= _names_read(compiled(document, variant))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_each_samples_documents_are_the_same_with_only_the_context_read(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = validate_review(read_input(path))
    decision = None if is_planned(review) else decide(review)
    variants = ["standard", "large_print"]
    made: dict[str, list[bytes]] = {"only": [], "full": []}
    for how in made:
        if how == "full":
            monkeypatch.setattr("reviewdocs.documents.render._names_read", lambda _t: None)
        for document in documents_for(review, decision):
            for variant in variants:
                rendered = render_document(review, decision, document, variant=variant, produced=ON)
                made[how].append(rendered.data)
    assert made["only"] == made["full"]
    assert made["only"]


def test_a_context_built_for_one_template_still_holds_the_review(
    example_raw: dict[str, Any],
) -> None:
    from reviewdocs.documents.context import build_context

    review = validate_review(example_raw)
    context = build_context(
        review, decide(review), document="outcome_letter", produced=ON, only={"outcome"}
    )
    assert context["subject"] == review["subject"]
    assert set(context) - set(review) == {"outcome", "meta"}
