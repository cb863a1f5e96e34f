"""Render the letters and the record from their Word templates.

``render_document`` builds the context in one place (:mod:`.context`), picks the
template for the document and variant, compiles it once per process, and renders
a deterministic DOCX with its core properties set.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewdocs import codes
from reviewdocs.documents.context import CONTEXT_EXTRA_PATHS, build_context
from reviewdocs.documents.engine import CompiledTemplate, check_template
from reviewdocs.errors import TemplateError
from reviewdocs.resources import templates_dir


@dataclass(frozen=True)
class RenderedDocument:
    """One rendered DOCX, with the hash of the template it came from (for the register)."""

    data: bytes
    template_sha256: str
    title: str


_CACHE: dict[tuple[str, str, int | None], CompiledTemplate] = {}


@functools.cache
def _default_dir() -> Path:
    # Where the package was installed does not change while it runs; finding it is a
    # resource look-up and a stat, which a batch would otherwise pay per letter.
    return templates_dir()


def template_path(document: str, variant: str = "standard", directory: Path | None = None) -> Path:
    """``<document>.docx``, or ``<document>-easy_read.docx`` for the easy read copy.

    Large print has no template of its own: it is the standard one, transformed.
    """
    if document not in codes.DOCUMENTS:
        raise TemplateError(f"No such document {document!r}; one of: {', '.join(codes.DOCUMENTS)}.")
    folder = directory or _default_dir()
    if variant == "easy_read":
        if document not in codes.EASY_READ_DOCUMENTS:
            raise TemplateError(f"There is no easy read version of {document}.")
        return folder / f"{document}-easy_read.docx"
    return folder / f"{document}.docx"


def compiled(
    document: str, variant: str = "standard", font_size: int | None = None
) -> CompiledTemplate:
    """The compiled template, from the per-process cache (a batch compiles each once)."""
    key = (document, variant, font_size if variant == "large_print" else None)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    if variant not in codes.VARIANTS:
        raise TemplateError(f"No such variant {variant!r}; one of: {', '.join(codes.VARIANTS)}.")
    path = template_path(document, variant)
    if not path.exists():
        raise TemplateError(f"The template {path.name} is missing from {path.parent}.")
    if variant == "large_print":
        from reviewdocs.documents.accessible import DEFAULT_FONT_PT, large_print

        data = large_print(path.read_bytes(), font_size or DEFAULT_FONT_PT)
        template = CompiledTemplate.from_bytes(data, name=f"{path.stem}-large_print.docx")
    else:
        template = CompiledTemplate.from_path(path)
    _CACHE[key] = template
    return template


_NAMES_READ: dict[str, frozenset[str]] = {}


def _names_read(template: CompiledTemplate) -> frozenset[str]:
    """The top-level names the template reads (its field paths' first parts)."""
    names = _NAMES_READ.get(template.sha256)
    if names is None:
        names = frozenset(
            re.split(r"[.\[]", path, maxsplit=1)[0] for path in template.field_paths()
        )
        _NAMES_READ[template.sha256] = names
    return names


def render_document(
    review: Mapping[str, Any],
    decision: Mapping[str, Any] | None,
    document: str,
    *,
    variant: str = "standard",
    produced: dt.date,
    version: int = 1,
    recipient: Mapping[str, Any] | None = None,
    withheld: bool = False,
    amendment: Mapping[str, Any] | None = None,
    previous: Mapping[str, Any] | None = None,
    font_size: int | None = None,
) -> RenderedDocument:
    """One document for one validated review, as DOCX bytes.

    Raises ``TemplateError`` when the template is missing (for ``easy_read``, when the
    document has none: the caller decides the fallback) or a field it prints is
    undefined or empty.
    """
    template = compiled(document, variant, font_size)
    context = build_context(
        review,
        decision,
        document=document,
        produced=produced,
        version=version,
        recipient=recipient,
        withheld=withheld,
        amendment=amendment,
        previous=previous,
        only=_names_read(template),
    )
    title = context["meta"]["title"]
    properties = {
        "title": title,
        "subject": f"Care Act 2014 review {review['review']['id']}",
        "creator": review["review"]["local_authority"]["name"],
        "language": "en-GB",
        "created": dt.datetime.combine(produced, dt.time()),
        "modified": dt.datetime.combine(produced, dt.time()),
    }
    data = template.render(context, properties=properties)
    return RenderedDocument(data=data, template_sha256=template.sha256, title=title)


def known_paths() -> set[str]:
    """Every field a template may use: the schema's input paths and the derived ones."""
    from reviewdocs.intake.schemas import input_paths

    return set(input_paths()) | set(CONTEXT_EXTRA_PATHS)


def _template_files(directory: Path | None) -> list[Path]:
    return sorted((directory or templates_dir()).glob("*.docx"))


def check_templates(directory: Path | None = None) -> list[str]:
    """Every problem in every template (unknown fields, split tags, syntax errors)."""
    known = known_paths()
    files = _template_files(directory)
    if not files:
        return [f"{directory or templates_dir()}: no Word templates (.docx) found"]
    problems: list[str] = []
    for path in files:
        problems.extend(check_template(path, known))
    return problems


def template_fields(directory: Path | None = None) -> dict[str, set[str]]:
    """Each template's file name and the fields it uses (``templates check`` lists them)."""
    out: dict[str, set[str]] = {}
    for path in _template_files(directory):
        try:
            out[path.name] = set(CompiledTemplate.from_path(path).field_paths())
        except Exception:
            out[path.name] = set()
    return out


__all__ = [
    "RenderedDocument",
    "check_templates",
    "compiled",
    "known_paths",
    "render_document",
    "template_fields",
    "template_path",
]
