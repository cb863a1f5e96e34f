"""The DOCX rendering engine every document goes through (single, batch, sharing).

Templates use docxtpl's syntax and get docxtpl's processing, done by docxtpl's own
functions: the same XML clean-up before Jinja (``{%p %}``, ``{%tr %}``, ``{%tc %}``,
``{%r %}``, tags split across runs merged) and the same listing resolution after
it (a newline in a value becomes a line break). What differs is when the work is
done (issue 5): the clean-up and the Jinja compile happen once per template, only
the parts that hold tags are rendered, and every other part's compressed bytes are
copied into the output unchanged.

Jinja runs sandboxed, strict and XML-escaped (``_jinja``): a template is untrusted
code that may print data, never run anything. ``templates check`` is ``_check``;
the package's parts and core properties are ``_package``; line breaks ``_listing``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from lxml import etree

from reviewdocs.documents._check import check_template
from reviewdocs.documents._jinja import ENV, NonePrinted, format_date, make_environment, parse
from reviewdocs.documents._listing import _resolve_paragraph, resolve_listing
from reviewdocs.documents._package import (
    DOCXTPL,
    XML_DECLARATION,
    SourcePart,
    core_additions,
    core_properties_xml,
    package_targets,
    source_parts,
)
from reviewdocs.documents._package import (
    where as where_,
)
from reviewdocs.documents._paths import FieldUse, field_uses
from reviewdocs.documents._structure import structure_problems
from reviewdocs.documents._zip import Member, ZipReadError, read_members, write_zip
from reviewdocs.errors import TemplateError

__all__ = [
    "CompiledTemplate",
    "_resolve_paragraph",
    "check_template",
    "core_properties_xml",
    "format_date",
    "make_environment",
]


class _BrokenXml(Exception):
    """The rendered part is not well-formed XML."""


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
        main, self.core_name = package_targets(contents.get("_rels/.rels"), file)
        if main not in contents:
            raise TemplateError(f"{file}: not a Word (.docx) file: it has no {main}")
        self.parts: dict[str, _RenderPart] = {}
        for part in source_parts(members, file):
            self.parts[part.name] = _compile_part(part, file, is_main=part.name == main)
        self.package_additions = core_additions(contents, self.core_name)

    def uses(self) -> list[tuple[str, FieldUse]]:
        return [(name, use) for name, part in self.parts.items() for use in part.uses]


def _compile_part(part: SourcePart, file: str, *, is_main: bool) -> _RenderPart:
    try:
        tree = parse(part.source, part.name)
        code = ENV.compile(tree, name=part.name, filename=part.name)
    except jinja2.TemplateSyntaxError as exc:
        where = where_(file, part.name, exc.lineno, part.source)
        raise TemplateError(f"{where}: {exc.message}") from exc
    template = ENV.template_class.from_code(ENV, code, ENV.make_globals(None))
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
    xml = resolve_listing(xml)
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
        data = etree.tostring(DOCXTPL.fix_tables(xml), encoding="utf-8")
    return XML_DECLARATION + data


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
    if isinstance(exc, NonePrinted):
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
                where = where_(self.name, part.name, line, part.source)
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
