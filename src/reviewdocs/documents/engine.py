"""The DOCX rendering engine every document goes through (single, batch, sharing).

Templates use docxtpl's syntax and get docxtpl's processing, done by docxtpl's own
functions: the same XML clean-up before Jinja (``{%p %}``, ``{%tr %}``, ``{%tc %}``,
``{%r %}``, tags split across runs merged) and the same listing resolution after
it (a newline in a value becomes a line break). What differs is when the work is
done (issue 5): the clean-up and the Jinja compile happen once per template, only
the parts that hold tags are rendered, and every other part's compressed bytes are
copied into the output unchanged.

Jinja runs with ``StrictUndefined`` and XML autoescape (issue 4): a missing field is
an error naming the field, never a blank in a legal letter; ``& < > " '`` print as
typed and cannot corrupt the file; data is only ever printed, never run as template
code. A ``None`` that reaches the page is an error too, unless the template tests
for it (``{% if x %}``), so "None" or a silent gap never appears in a letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from reviewdocs.dates import long_date
from reviewdocs.documents._paths import FieldUse, field_uses
from reviewdocs.documents._structure import structure_problems
from reviewdocs.documents._zip import Member, ZipReadError, read_members, write_zip
from reviewdocs.errors import TemplateError

__all__ = [
    "CompiledTemplate",
    "check_template",
    "format_date",
    "make_environment",
]

# docxtpl's pre- and post-processing are methods that use no instance state: one
# instance that never loads a document lends them to every template.
_DOCXTPL = DocxTemplate(io.BytesIO())

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def _safe_parser() -> etree.XMLParser:
    """A parser for template XML: no entities expanded, no network access.

    A new one per call: lxml parsers must not be shared between threads.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True)


# -- the Jinja environment ---------------------------------------------------------------


class _NonePrinted(TypeError):
    """A ``None`` reached the page."""


def format_date(value: Any) -> str:
    """A date as an English letter writes it: ``12 November 2026`` (en-GB, no leading zero)."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: raises the error that names the missing field
    if value is None:
        raise _NonePrinted("no date (None) to format")
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"the date filter needs a date, not {value!r}")
    return long_date(value)


class _BrokenXml(Exception):
    """The rendered part is not well-formed XML."""


# Characters XML 1.0 forbids (they would make Word refuse the file), Windows line
# ends, Word's own manual line break (vertical tab) and lone surrogates. Tab, newline,
# \a and \f stay: docxtpl turns them into a tab, a line, a paragraph and a page break.
_UNSAFE_CHARS = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]")


def _safe_char(match: re.Match[str]) -> str:
    char = match.group()
    return "\n" if char in "\r\x0b" else ""


def _finalize(value: Any) -> Any:
    if value is None:
        raise _NonePrinted()
    # type() rather than isinstance(): Markup (a docxtpl RichText's XML) is left whole.
    if type(value) is str and not value.isprintable() and _UNSAFE_CHARS.search(value):
        value = value.replace("\r\n", "\n")
        return _UNSAFE_CHARS.sub(_safe_char, value)
    return value


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, with ``a.b`` on a plain dict looked up without an exception.

    Jinja tries the attribute first and the key second; on a dict the attribute
    exists only for dict's own names, so for any other name the key is looked up
    first with the same result, and a letter's many ``a.b`` avoid a raised
    ``AttributeError`` each.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment() -> jinja2.Environment:
    """The one Jinja configuration: strict, XML-escaped, with the ``date`` filter."""
    env = _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    # The two filters that print data unescaped: with them, a value could write XML.
    del env.filters["safe"], env.filters["urlize"]
    return env


_ENV = make_environment()


# -- compiling a template ----------------------------------------------------------------


@dataclass(frozen=True)
class _SourcePart:
    """One XML part holding tags, cleaned up by docxtpl and ready for Jinja."""

    name: str
    raw: str  # the part's XML as docxtpl reads it, before clean-up
    source: str  # after clean-up, one paragraph per line


def _source_parts(members: list[tuple[Member, bytes]], file: str) -> list[_SourcePart]:
    parts = []
    for member, content in members:
        name = member.name
        if not name.endswith(".xml") or name == "[Content_Types].xml" or b"{" not in content:
            continue
        try:
            root = etree.fromstring(content, parser=_safe_parser())
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"{file}: {name} is not valid XML ({exc})") from exc
        raw = etree.tostring(root, encoding="unicode")
        patched = _DOCXTPL.patch_xml(raw)
        if "{{" in patched or "{%" in patched or "{#" in patched:
            # docxtpl renders one paragraph per line, so a Jinja line number is a paragraph.
            parts.append(_SourcePart(name, raw, re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)))
    return parts


def _line_text(source: str, lineno: int) -> str:
    """The words of one source line, without XML, for an error message."""
    lines = source.split("\n")
    if not 1 <= lineno <= len(lines):
        return ""
    text = " ".join(re.sub(r"<[^>]+>", " ", lines[lineno - 1]).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _where(file: str, part: str, lineno: int | None, source: str) -> str:
    if lineno is None:
        return f"{file}: {part}"
    near = _line_text(source, lineno)
    return f"{file}: {part}, line {lineno}" + (f' (near "{near}")' if near else "")


def _tags_inside_rows(source: str) -> bool:
    """Whether a block tag sits inside a table row, so a render can change a row's cells.

    Only then does docxtpl's table-grid repair have anything to do; rows repeated by
    ``{%tr %}`` keep their cells.
    """
    for match in re.finditer(r"\{%|w:val=\"\{\{", source):
        at = match.start()
        opened = max(source.rfind("<w:tr>", 0, at), source.rfind("<w:tr ", 0, at))
        if opened > source.rfind("</w:tr>", 0, at):
            return True
    return False


@dataclass
class _RenderPart:
    name: str
    source: str
    template: jinja2.Template
    uses: list[FieldUse]
    fix_tables: bool
    renumber_pictures: bool
    proven: bool  # its tags cannot break the XML, whatever the data (see _structure)


class _Compiled:
    """Everything about one template that does not depend on the data (keyed by sha256)."""

    def __init__(self, data: bytes, file: str) -> None:
        try:
            members = read_members(data)
        except ZipReadError as exc:
            raise TemplateError(f"{file}: not a Word (.docx) file: {exc}") from exc
        contents = {member.name: content for member, content in members}
        self.data = data
        self.members = [member for member, _ in members]
        self.records = {m.name: m.local_record() for m in self.members}
        main, self.core_name = _package_targets(contents.get("_rels/.rels"), file)
        if main not in contents:
            raise TemplateError(f"{file}: not a Word (.docx) file: it has no {main}")
        self.parts: dict[str, _RenderPart] = {}
        for part in _source_parts(members, file):
            self.parts[part.name] = _compile_part(part, file, is_main=part.name == main)
        self.package_additions = _core_additions(contents, self.core_name)

    def uses(self) -> list[tuple[str, FieldUse]]:
        return [(name, use) for name, part in self.parts.items() for use in part.uses]


def _package_targets(rels: bytes | None, file: str) -> tuple[str, str]:
    """The main document part and the core properties part the package names."""
    main, core = "word/document.xml", "docProps/core.xml"
    if rels is None:
        return main, core
    try:
        root = etree.fromstring(rels, parser=_safe_parser())
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{file}: _rels/.rels is not valid XML ({exc})") from exc
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        target = str(PurePosixPath("/", rel.get("Target", "")))[1:]
        if rel.get("Type") == _OFFICE_DOCUMENT:
            main = target
        elif rel.get("Type") == _CORE_REL:
            core = target
    return main, core


def _core_additions(contents: Mapping[str, bytes], core_name: str) -> dict[str, Member]:
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


def _parse(part: _SourcePart) -> nodes.Template:
    """The part's Jinja tree; autoescape may not be switched off (data would write XML)."""
    tree = _ENV.parse(part.source, name=part.name, filename=part.name)
    for node in tree.find_all((nodes.EvalContextModifier,)):
        raise jinja2.TemplateSyntaxError(
            "{% autoescape %} is not allowed: data must never be written as XML",
            node.lineno,
            part.name,
            part.name,
        )
    return tree


def _compile_part(part: _SourcePart, file: str, *, is_main: bool) -> _RenderPart:
    try:
        tree = _parse(part)
        code = _ENV.compile(tree, name=part.name, filename=part.name)
    except jinja2.TemplateSyntaxError as exc:
        where = _where(file, part.name, exc.lineno, part.source)
        raise TemplateError(f"{where}: {exc.message}") from exc
    template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))
    problems, complete = structure_problems(tree)
    return _RenderPart(
        name=part.name,
        source=part.source,
        template=template,
        uses=field_uses(tree),
        # docxtpl repairs table grids and renumbers pictures in the body only.
        fix_tables=is_main and _tags_inside_rows(part.source),
        renumber_pictures=is_main and "<wp:docPr " in part.source,
        proven=complete and not problems,
    )


# Compiled templates by sha256 of their bytes: two names for the same bytes share one
# compile, and changed bytes can never be served from a stale entry.
_CACHE: OrderedDict[str, _Compiled] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def _compiled(data: bytes, sha256: str, file: str) -> _Compiled:
    with _CACHE_LOCK:
        cached = _CACHE.get(sha256)
        if cached is not None:
            _CACHE.move_to_end(sha256)
            return cached
    compiled = _Compiled(data, file)
    with _CACHE_LOCK:
        _CACHE[sha256] = compiled
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return compiled


# -- rendering ---------------------------------------------------------------------------

_DOCPR_ID = re.compile(r'(<wp:docPr [^>]*?\bid=")[^"]*(")')


def _resolve_listing(xml: str) -> str:
    """docxtpl's listing resolution, applied only to the paragraphs that need it.

    docxtpl runs it over the whole part; it changes nothing in a paragraph without a
    tab, newline, \\a or \\f, so running it on just those paragraphs gives the same XML
    at a fraction of the cost.
    """
    at = _next_listing(xml, 0)
    if at < 0:
        return xml
    out = []
    done = 0
    while at >= 0:
        start = max(xml.rfind("<w:p>", done, at), xml.rfind("<w:p ", done, at))
        end = xml.find("</w:p>", at)
        if start < 0 or end < 0:
            at = _next_listing(xml, at + 1)
            continue
        end += len("</w:p>")
        out.append(xml[done:start])
        out.append(_resolve_paragraph(xml[start:end]))
        done = end
        at = _next_listing(xml, end)
    out.append(xml[done:])
    return "".join(out)


def _next_listing(xml: str, start: int) -> int:
    """Where the next tab, newline, \\a or \\f is, or -1 (``str.find`` for each: a
    regular expression's character class scans a part's text several times slower)."""
    found = [at for at in map(xml.find, _LISTING, itertools.repeat(start)) if at >= 0]
    return min(found) if found else -1


_LISTING = ("\t", "\n", "\x07", "\x0c")


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def _resolve_paragraph(xml: str) -> str:
    """docxtpl's ``resolve_listing`` for one paragraph.

    Its common case, line breaks only (an address, a multi-line answer), is done here
    with the same three patterns compiled once: docxtpl looks each pattern up again per
    paragraph, run and text, and also finds the paragraph's and run's properties, which
    only a tab, \a or \f uses. That was a fifth of a letter's rendering. With those
    characters, docxtpl's own code runs. tests/test_engine.py compares the two.
    """
    if "\t" in xml or "\x07" in xml or "\x0c" in xml:
        return str(_DOCXTPL.resolve_listing(xml))

    def text(match: re.Match[str]) -> str:
        return match.group(0).replace("\n", _LINE_BREAK)

    def run(match: re.Match[str]) -> str:
        return _TEXT.sub(text, match.group(0))

    def paragraph(match: re.Match[str]) -> str:
        return _RUN.sub(run, match.group(0))

    return _PARAGRAPH.sub(paragraph, xml)


def _render_part(part: _RenderPart, names: dict[str, Any]) -> bytes:
    """One part rendered with ``names``: the template's globals and the context,
    merged once for every part of the document (``CompiledTemplate.render``)."""
    template = part.template
    # Template.render, without copying the names twice per part (a new context is
    # made from ``names`` as it is; Jinja only reads it).
    try:
        xml = template.environment.concat(
            template.root_render_func(template.new_context(names, shared=True))
        )
    except Exception:
        template.environment.handle_exception()
    # Undo docxtpl's one-paragraph-per-line layout, then its escapes for literal braces.
    xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    if "{_" in xml or "_}" in xml:
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
    # \a and \f in data end the paragraph: inside a hyperlink or a field that breaks it.
    listing_breaks = "\x07" in xml or "\x0c" in xml
    xml = _resolve_listing(xml)
    if part.renumber_pictures:
        # Pictures repeated by a loop would share an id, which Word reports as damage.
        numbers = iter(range(1001, 1_000_000))
        xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(numbers)}{m.group(2)}", xml)
    data = xml.encode("utf-8")
    if not part.proven or listing_breaks:
        try:
            # A tag placed across Word's structure can break the XML on some data
            # only; Word would call the file corrupt. (lxml's default parser is
            # thread-safe, and this XML is ours, with no DOCTYPE to resolve.)
            etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            raise _BrokenXml(str(exc)) from exc
    if part.fix_tables:
        data = etree.tostring(_DOCXTPL.fix_tables(xml), encoding="utf-8")
    return _XML_DECLARATION + data


def _error_line(tb: TracebackType | None, part: str) -> int | None:
    """The template line Jinja was on when it failed (the last frame of that part)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == part:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_MISSING_NAME = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined|no element (\S+)")


def _explain(exc: Exception, part: _RenderPart, line: int | None) -> str:
    on_line = [use for use in part.uses if use.lineno == line]
    if isinstance(exc, _NonePrinted):
        printed = sorted({use.path for use in on_line if use.printed})
        fields = " or ".join(printed) or "a value printed here"
        return (
            f"{fields} is empty (None): give a value, or print it only "
            "inside {% if ... %} in the template"
        )
    if isinstance(exc, jinja2.UndefinedError):
        match = _MISSING_NAME.search(exc.message or "")
        if match:
            attribute, top_level, element = match.groups()
            if top_level is not None:
                paths = sorted({u.path for u in on_line if u.path.split(".")[0] == top_level})
                used = f" (needed for {' and '.join(paths)})" if paths else ""
                return f"the field {top_level} is missing from the data{used}"
            name = attribute or element
            paths = sorted({u.path for u in on_line if u.path.endswith("." + name)})
            if paths:
                return f"the field {' or '.join(paths)} is missing from the data"
        return f"a field is missing from the data ({exc.message})"
    if isinstance(exc, _BrokenXml):
        return (
            f"the tags make broken Word XML here ({exc}); put each {{% %}} block tag "
            "in a paragraph of its own with {%p %}, or in a table row with {%tr %}"
        )
    if isinstance(exc, jinja2.TemplateError):
        return exc.message or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


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
            text = xml_escape(_UNSAFE_CHARS.sub(_safe_char, str(values[key])))
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
    return _XML_DECLARATION + root.encode("utf-8")


class CompiledTemplate:
    """A Word template compiled once, rendering any number of documents.

    ``render`` is safe to call from several threads; compiled templates are cached per
    process by the sha256 of their bytes.
    """

    def __init__(self, compiled: _Compiled, *, name: str, sha256: str) -> None:
        self._compiled = compiled
        self.name = name
        self.sha256 = sha256

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str) -> CompiledTemplate:
        """Compile template bytes; ``name`` is how errors refer to the template."""
        sha256 = hashlib.sha256(data).hexdigest()
        return cls(_compiled(data, sha256, name), name=name, sha256=sha256)

    @classmethod
    def from_path(cls, path: Path) -> CompiledTemplate:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"{path}: cannot read the template ({exc.strerror})") from exc
        return cls.from_bytes(data, name=path.name)

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker process receives the template's bytes and compiles them once, in
        # its own cache: Jinja's compiled code cannot be pickled.
        return (_from_bytes, (self._compiled.data, self.name))

    def render(
        self, context: Mapping[str, Any], *, properties: Mapping[str, Any] | None = None
    ) -> bytes:
        """The DOCX for ``context``: byte-identical for the same template, context, properties.

        ``properties`` (title, subject, creator, keywords, language, created, modified, ...)
        replace the template's core properties; without them the template's are kept.
        Raises ``TemplateError`` naming the template, the part, the line and the field.
        """
        compiled = self._compiled
        rendered: dict[str, bytes] = {}
        names: dict[str, Any] | None = None
        for part in compiled.parts.values():
            if properties is not None and part.name == compiled.core_name:
                continue
            if names is None:
                # What Template.render gives each part: its globals, then the context.
                names = dict(part.template.globals, **context)
            try:
                rendered[part.name] = _render_part(part, names)
            except Exception as exc:
                line = _error_line(exc.__traceback__, part.name)
                where = _where(self.name, part.name, line, part.source)
                raise TemplateError(f"{where}: {_explain(exc, part, line)}") from exc
        extra: list[Member] = []
        changed: dict[str, Member] = {}
        if properties is not None:
            core = Member.packed(compiled.core_name, core_properties_xml(properties))
            changed.update(compiled.package_additions)
            if compiled.core_name in compiled.records:
                changed[core.name] = core
            else:
                extra.append(core)
        for name, xml in rendered.items():
            changed[name] = Member.packed(name, xml)
        records = []
        for member in compiled.members:
            new = changed.get(member.name)
            if new is None:
                records.append((compiled.records[member.name], member))
            else:
                records.append((new.local_record(), new))
        records.extend((member.local_record(), member) for member in extra)
        return write_zip(records)

    def field_paths(self) -> set[str]:
        """Dotted paths the template reads; loop items as ``participants[].name``."""
        return {use.path for _, use in self._compiled.uses()}


def _from_bytes(data: bytes, name: str) -> CompiledTemplate:
    return CompiledTemplate.from_bytes(data, name=name)


# -- checking a template -----------------------------------------------------------------

_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _split_tags(part: _SourcePart) -> list[tuple[int | None, str]]:
    """Tags whose opening and closing are in different Word text runs: (line, tag start).

    docxtpl mends these, but Word splits a tag where the formatting, spelling mark or
    revision changes, and the mended tag then takes the format of its first piece.
    The line is where the mended tag sits in the cleaned-up source, so it matches the
    line numbers of the other problems.
    """
    fragments = []
    texts = [m.group(1) for m in re.finditer(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part.raw)]
    for index, text in enumerate(texts):
        pos = 0
        while True:
            found = [(text.find(o, pos), o) for o in _OPENERS if text.find(o, pos) >= 0]
            if not found:
                break
            start, opener = min(found)
            close = text.find(_OPENERS[opener], start + 2)
            if close < 0:
                fragments.append(text[start:])
                break
            pos = close + 2
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if text.endswith("{") and following[:1] in ("{", "%", "#"):
            fragments.append("{" + following)
    out: list[tuple[int | None, str]] = []
    cursor = 0
    for fragment in fragments:
        at = part.source.find(fragment, cursor)
        line = None
        if at >= 0:
            line = part.source.count("\n", 0, at) + 1
            cursor = at + len(fragment)
        out.append((line, html.unescape(fragment)[:30]))
    return out


def _is_known(path: str, known_paths: set[str]) -> bool:
    """A path is known if the schema names it or it is an object holding a named field."""
    if path in known_paths:
        return True
    return any(k.startswith(path + ".") or k.startswith(path + "[]") for k in known_paths)


def check_template(path: Path, known_paths: set[str]) -> list[str]:
    """Every problem in one template, as ``file: part, line N: message``; never raises.

    Reports Jinja syntax errors, tags split across Word runs, and fields not in
    ``known_paths`` (dotted, lists as ``participants[].name``).
    """
    path = Path(path)
    file = path.name
    try:
        members = read_members(path.read_bytes())
        parts = _source_parts(members, file)
    except OSError as exc:
        return [f"{file}: cannot read the template ({exc.strerror})"]
    except ZipReadError as exc:
        return [f"{file}: not a Word (.docx) file: {exc}"]
    except TemplateError as exc:
        return [exc.message]
    problems = []
    for part in parts:
        for line, tag in _split_tags(part):
            where = _where(file, part.name, line, part.source)
            problems.append(
                f"{where}: the tag starting {tag!r} is split across Word text runs; "
                "delete it and type it again in one go"
            )
        try:
            tree = _parse(part)
            _ENV.compile(tree, name=part.name, filename=part.name)
        except jinja2.TemplateSyntaxError as exc:
            where = _where(file, part.name, exc.lineno, part.source)
            problems.append(f"{where}: {exc.message}")
            continue
        for problem in structure_problems(tree)[0]:
            where = _where(file, part.name, problem.lineno, part.source)
            problems.append(f"{where}: {problem.message}")
        reported = set()
        for use in field_uses(tree):
            if not _is_known(use.path, known_paths) and (use.path, use.lineno) not in reported:
                reported.add((use.path, use.lineno))
                where = _where(file, part.name, use.lineno, part.source)
                problems.append(f"{where}: unknown field {use.path}")
    return problems
