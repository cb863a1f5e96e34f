"""Stage 3, documents: a validated review and its decision to DOCX (and PDF) bytes.

- ``render``: ``render_document``, ``compiled`` (per-process cache), ``template_path``,
  ``check_templates``, ``template_fields``, ``known_paths``
- ``context``: ``build_context``, the one place a template's names are made;
  its sentences come from ``wording`` and ``letters``
- ``engine``: ``CompiledTemplate`` (docxtpl-compatible, compiled once) and
  ``check_template``; zip writing in ``_zip``, field paths in ``_paths``, tag
  structure in ``_structure``
- ``accessible``: large print and easy read variants, chosen by ``plan_outputs``
- ``pdf``: tagged PDF from one persistent LibreOffice (``get_converter``)
"""

from reviewdocs.documents.render import (
    RenderedDocument,
    check_templates,
    compiled,
    known_paths,
    render_document,
    template_fields,
    template_path,
)

__all__ = [
    "RenderedDocument",
    "check_templates",
    "compiled",
    "known_paths",
    "render_document",
    "template_fields",
    "template_path",
]
