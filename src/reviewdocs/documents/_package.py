"""A Word package's parts, as the engine reads and writes them.

Which parts hold tags (cleaned up by docxtpl, one paragraph per line, ready for
Jinja), where a problem is (file, part, line and the words near it), which part is
the main document, and the core properties a rendered document carries.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Final
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from lxml import etree

from reviewdocs.documents._jinja import UNSAFE_CHARS, safe_char
from reviewdocs.documents._zip import Member
from reviewdocs.errors import TemplateError

# docxtpl's pre- and post-processing are methods that use no instance state: one
# instance that never loads a document lends them to every template.
DOCXTPL: Final = DocxTemplate(io.BytesIO())

XML_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def safe_parser() -> etree.XMLParser:
    """A parser for template XML: no entities expanded, no network access.

    A new one per call: lxml parsers must not be shared between threads.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class SourcePart:
    """One XML part holding tags, cleaned up by docxtpl and ready for Jinja."""

    name: str
    raw: str  # the part's XML as docxtpl reads it, before clean-up
    source: str  # after clean-up, one paragraph per line


def source_parts(members: list[tuple[Member, bytes]], file: str) -> list[SourcePart]:
    parts = []
    for member, content in members:
        name = member.name
        if not name.endswith(".xml") or name == "[Content_Types].xml" or b"{" not in content:
            continue
        try:
            root = etree.fromstring(content, parser=safe_parser())
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"{file}: {name} is not valid XML ({exc})") from exc
        raw = etree.tostring(root, encoding="unicode")
        patched = DOCXTPL.patch_xml(raw)
        if "{{" in patched or "{%" in patched or "{#" in patched:
            # docxtpl renders one paragraph per line, so a Jinja line number is a paragraph.
            parts.append(SourcePart(name, raw, re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)))
    return parts


def _line_text(source: str, lineno: int) -> str:
    """The words of one source line, without XML, for an error message."""
    lines = source.split("\n")
    if not 1 <= lineno <= len(lines):
        return ""
    text = " ".join(re.sub(r"<[^>]+>", " ", lines[lineno - 1]).split())
    return text if len(text) <= 80 else text[:77] + "..."


def where(file: str, part: str, lineno: int | None, source: str) -> str:
    if lineno is None:
        return f"{file}: {part}"
    near = _line_text(source, lineno)
    return f"{file}: {part}, line {lineno}" + (f' (near "{near}")' if near else "")


def package_targets(rels: bytes | None, file: str) -> tuple[str, str]:
    """The main document part and the core properties part the package names."""
    main, core = "word/document.xml", "docProps/core.xml"
    if rels is None:
        return main, core
    try:
        root = etree.fromstring(rels, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{file}: _rels/.rels is not valid XML ({exc})") from exc
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        target = str(PurePosixPath("/", rel.get("Target", "")))[1:]
        if rel.get("Type") == _OFFICE_DOCUMENT:
            main = target
        elif rel.get("Type") == _CORE_REL:
            core = target
    return main, core


def core_additions(contents: Mapping[str, bytes], core_name: str) -> dict[str, Member]:
    """Changed package parts needed to add core properties to a template that lacks them."""
    additions = {}
    types = contents.get("[Content_Types].xml", b"")
    if f'PartName="/{core_name}"'.encode() not in types and b"</Types>" in types:
        override = f'<Override PartName="/{core_name}" ContentType="{_CORE_TYPE}"/></Types>'
        additions["[Content_Types].xml"] = Member.deflate(
            "[Content_Types].xml", types.replace(b"</Types>", override.encode())
        )
    rels = contents.get("_rels/.rels")
    if core_name not in contents and rels is not None and b"</Relationships>" in rels:
        rel_id = "rIdCoreProperties"
        relationship = (
            f'<Relationship Id="{rel_id}" Type="{_CORE_REL}" Target="{core_name}"/></Relationships>'
        )
        additions["_rels/.rels"] = Member.deflate(
            "_rels/.rels", rels.replace(b"</Relationships>", relationship.encode())
        )
    return additions


_CORE_FIELDS = {
    "title": "dc:title",
    "subject": "dc:subject",
    "creator": "dc:creator",
    "keywords": "cp:keywords",
    "description": "dc:description",
    "category": "cp:category",
    "identifier": "dc:identifier",
    "last_modified_by": "cp:lastModifiedBy",
    "language": "dc:language",
}
_CORE_DATES = {"created": "dcterms:created", "modified": "dcterms:modified"}


def _w3cdtf(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text}T00:00:00Z"
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"document property date {text!r} is not an ISO date") from exc
    return text


def core_properties_xml(properties: Mapping[str, Any]) -> bytes:
    """``docProps/core.xml`` holding exactly ``properties`` (language defaults to en-GB).

    ``modified`` defaults to ``created`` and ``last_modified_by`` to ``creator``, so a
    file says who made it and when, and nothing about the machine that rendered it.
    """
    unknown = set(properties) - set(_CORE_FIELDS) - set(_CORE_DATES)
    if unknown:
        raise ValueError(f"unknown document properties: {', '.join(sorted(unknown))}")
    values = {"language": "en-GB", **{k: v for k, v in properties.items() if v is not None}}
    if "creator" in values:
        values.setdefault("last_modified_by", values["creator"])
    if "created" in values:
        values.setdefault("modified", values["created"])
    body = []
    for key, tag in _CORE_FIELDS.items():
        if key in values:
            text = xml_escape(UNSAFE_CHARS.sub(safe_char, str(values[key])))
            body.append(f"<{tag}>{text}</{tag}>")
    for key, tag in _CORE_DATES.items():
        if key in values:
            body.append(f'<{tag} xsi:type="dcterms:W3CDTF">{_w3cdtf(values[key])}</{tag}>')
    root = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(body)
        + "</cp:coreProperties>"
    )
    return XML_DECLARATION + root.encode("utf-8")
