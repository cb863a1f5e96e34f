"""The one Jinja configuration every template is compiled and checked with.

Templates are edited and uploaded by admin staff, so they are untrusted code
(issue 12 finding 5): they run in Jinja's ``ImmutableSandboxedEnvironment``, which
refuses attributes starting with ``_`` and Python's internal attributes, calls to
anything unsafe, and changes to the data (``list.append``). Only the globals,
filters and tests listed here exist; ``templates check`` (``_check``) refuses any
other by name before a template is ever used, and the sandbox refuses at render
time what a check cannot see (an attribute name built from strings).

Jinja runs with ``StrictUndefined`` and XML autoescape: a missing field is an error
naming the field, never a blank in a legal letter; ``& < > " '`` print as typed and
cannot corrupt the file; data is only ever printed, never run as template code. A
``None`` that reaches the page is an error too, unless the template tests for it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reviewdocs.dates import long_date


class NonePrinted(TypeError):
    """A ``None`` reached the page."""


def format_date(value: Any) -> str:
    """A date as an English letter writes it: ``12 November 2026`` (en-GB, no leading zero)."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: raises the error that names the missing field
    if value is None:
        raise NonePrinted("no date (None) to format")
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"the date filter needs a date, not {value!r}")
    return long_date(value)


# Characters XML 1.0 forbids (they would make Word refuse the file), Windows line
# ends, Word's own manual line break (vertical tab) and lone surrogates. Tab, newline,
# \a and \f stay: docxtpl turns them into a tab, a line, a paragraph and a page break.
UNSAFE_CHARS: Final = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]")


def safe_char(match: re.Match[str]) -> str:
    char = match.group()
    return "\n" if char in "\r\x0b" else ""


def _finalize(value: Any) -> Any:
    if value is None:
        raise NonePrinted()
    # type() rather than isinstance(): Markup (a docxtpl RichText's XML) is left whole.
    if type(value) is str and not value.isprintable() and UNSAFE_CHARS.search(value):
        value = value.replace("\r\n", "\n")
        return UNSAFE_CHARS.sub(safe_char, value)
    return value


GLOBALS: Final = frozenset({"range", "dict", "namespace"})
"""The names a template may use besides the data and its own variables (``loop``).
Jinja's ``lipsum``, ``cycler`` and ``joiner`` are gone: a letter needs none of them,
and ``cycler.__init__.__globals__`` was the issue's way to the ``os`` module."""

FILTERS: Final = frozenset(
    {
        "abs", "batch", "capitalize", "center", "count", "d", "date", "default",
        "dictsort", "e", "escape", "first", "float", "groupby", "indent", "int", "items",
        "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
        "rejectattr", "replace", "reverse", "round", "select", "selectattr", "slice",
        "sort", "string", "sum", "title", "trim", "truncate", "unique", "upper",
        "wordcount", "wordwrap",
    }
)  # fmt: skip
"""The filters reviewdocs provides. Left out: ``safe``, ``urlize``, ``forceescape``,
``xmlattr`` and ``tojson`` (they print unescaped markup, so data could write XML),
``attr`` (an attribute by a computed name), ``format`` and ``pprint`` (Python's own
formatting and object representations), ``random`` (a letter must be reproducible)."""

ATTRIBUTE_FILTERS: Final = frozenset(
    {"map", "selectattr", "rejectattr", "sort", "groupby", "sum", "min", "max", "unique"}
)
"""Filters that read an attribute named by a string argument (``attribute="x"``)."""


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with ``a.b`` on a plain dict looked up without an exception.

    Jinja tries the attribute first and the key second; on a dict the attribute
    exists only for dict's own names, so for any other name the key is looked up
    first with the same result (a key is data, never an attribute), and a letter's
    many ``a.b`` avoid a raised ``AttributeError`` each. Every other lookup, and
    dict's own names (``__class__``, ``items``), go through the sandbox's checks.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES: Final = frozenset(dir(dict))


def make_environment() -> jinja2.Environment:
    """The one Jinja configuration: sandboxed, strict, XML-escaped, with ``date``."""
    env = _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters = {name: f for name, f in env.filters.items() if name in FILTERS}
    env.globals = {name: g for name, g in env.globals.items() if name in GLOBALS}
    return env


ENV: Final = make_environment()


def parse(source: str, name: str) -> nodes.Template:
    """A part's Jinja tree; autoescape may not be switched off (data would write XML)."""
    tree = ENV.parse(source, name=name, filename=name)
    for node in tree.find_all((nodes.EvalContextModifier,)):
        raise jinja2.TemplateSyntaxError(
            "{% autoescape %} is not allowed: data must never be written as XML",
            node.lineno,
            name,
            name,
        )
    return tree
