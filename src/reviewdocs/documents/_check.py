"""``templates check``: every problem in a template, before any letter is rendered.

Reports Jinja syntax errors, tags split across Word runs, tags that would break
Word's structure, fields the schema does not define, and anything the sandbox
(``_jinja``) would refuse: attributes starting with ``_``, names, filters and tests
reviewdocs does not provide, and other templates pulled in. A template without its
main document part fails here, not at its first render.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from reviewdocs.documents._jinja import ATTRIBUTE_FILTERS, ENV, GLOBALS, parse
from reviewdocs.documents._package import SourcePart, package_targets, source_parts, where
from reviewdocs.documents._paths import field_uses
from reviewdocs.documents._structure import structure_problems
from reviewdocs.documents._zip import ZipReadError, read_members
from reviewdocs.errors import TemplateError

_FORBIDDEN_NAMES = frozenset(jinja2.defaults.DEFAULT_NAMESPACE) - GLOBALS | {"self"}
"""Names Jinja would give a template that reviewdocs does not: ``cycler``, ``lipsum``,
``joiner`` and the template object itself."""


def _private(name: str) -> bool:
    return name.startswith("_")


def sandbox_problems(tree: nodes.Template) -> Iterator[tuple[int, str, str | None]]:
    """What the sandbox would refuse, as (line, message, the name it concerns)."""
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx != "load"}
    assigned |= {n.name for n in tree.find_all(nodes.Macro)}
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Import | nodes.FromImport | nodes.Include | nodes.Extends):
            yield (
                node.lineno,
                "{% import %}, {% include %} and {% extends %} are not available: "
                "a template is one Word file",
                None,
            )
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name in _FORBIDDEN_NAMES and node.name not in assigned:
                yield node.lineno, f"{node.name} is not a name templates can use", node.name
        elif isinstance(node, nodes.Getattr | nodes.NSRef) and _private(node.attr):
            yield node.lineno, _private_message(node.attr), None
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if isinstance(node.arg.value, str) and _private(node.arg.value):
                yield node.lineno, _private_message(node.arg.value), None
        elif isinstance(node, nodes.Filter | nodes.Test):
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            known = ENV.filters if kind == "filter" else ENV.tests
            if node.name not in known:
                yield (
                    node.lineno,
                    f"the {kind} {node.name} is not one reviewdocs provides",
                    None,
                )
            elif kind == "filter" and node.name in ATTRIBUTE_FILTERS:
                for arg in [*node.args, *(kw.value for kw in node.kwargs)]:
                    if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                        for name in arg.value.split("."):
                            if _private(name):
                                yield node.lineno, _private_message(name), None


def _private_message(name: str) -> str:
    return f"{name!r} starts with '_': templates may not reach Python's internals"


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _split_tags(part: SourcePart) -> list[tuple[int | None, str]]:
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

    Reports Jinja syntax errors, tags split across Word runs, what the sandbox would
    refuse, and fields not in ``known_paths`` (dotted, lists as ``participants[].name``).
    """
    path = Path(path)
    file = path.name
    try:
        members = read_members(path.read_bytes())
        contents = {member.name: content for member, content in members}
        main, _ = package_targets(contents.get("_rels/.rels"), file)
        if main not in contents:
            return [f"{file}: not a Word (.docx) file: it has no {main}"]
        parts = source_parts(members, file)
    except OSError as exc:
        return [f"{file}: cannot read the template ({exc.strerror})"]
    except ZipReadError as exc:
        return [f"{file}: not a Word (.docx) file: {exc}"]
    except TemplateError as exc:
        return [exc.message]
    problems = []
    for part in parts:
        problems.extend(_part_problems(file, part, known_paths))
    return problems


def _part_problems(file: str, part: SourcePart, known_paths: set[str]) -> list[str]:
    problems = []
    for line, tag in _split_tags(part):
        problems.append(
            f"{where(file, part.name, line, part.source)}: the tag starting {tag!r} is split "
            "across Word text runs; delete it and type it again in one go"
        )
    try:
        tree = parse(part.source, part.name)
    except jinja2.TemplateSyntaxError as exc:
        problems.append(f"{where(file, part.name, exc.lineno, part.source)}: {exc.message}")
        return problems
    refused = list(sandbox_problems(tree))
    for line, message, _ in refused:
        problems.append(f"{where(file, part.name, line, part.source)}: {message}")
    try:
        ENV.compile(tree, name=part.name, filename=part.name)
    except jinja2.TemplateSyntaxError as exc:
        if not refused:  # an unknown filter or test is refused above already
            problems.append(f"{where(file, part.name, exc.lineno, part.source)}: {exc.message}")
        return problems
    for problem in structure_problems(tree)[0]:
        problems.append(f"{where(file, part.name, problem.lineno, part.source)}: {problem.message}")
    names = {name for _, _, name in refused if name}
    reported = set()
    for use in field_uses(tree):
        segments = re.split(r"[.\[\]]+", use.path)
        if segments[0] in names or any(_private(s) for s in segments):
            continue  # refused above: "unknown field" would only repeat it
        if not _is_known(use.path, known_paths) and (use.path, use.lineno) not in reported:
            reported.add((use.path, use.lineno))
            where_ = where(file, part.name, use.lineno, part.source)
            problems.append(f"{where_}: unknown field {use.path}")
    return problems
