"""The DOCX rendering engine every document goes through.

Interim version: a correct wrapper around docxtpl per call. The compile-once
engine replaces the inside; the interface stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from reviewdocs.errors import TemplateError

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(value: Any) -> str:
    """A date as a person reads it in an English letter: ``12 November 2026``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"the date filter needs a date, got {value!r}")
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


class _NonePrinted(Exception):
    """A ``None`` reached the page: a letter would silently show a blank or 'None'."""


def _finalize(value: Any) -> Any:
    if value is None:
        raise _NonePrinted()
    return value


def make_environment() -> jinja2.Environment:
    """The one Jinja configuration: strict, XML-escaped, with the ``date`` filter."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
    env.filters["date"] = format_date
    return env


class CompiledTemplate:
    """A Word template ready to render many documents."""

    def __init__(self, data: bytes, *, name: str) -> None:
        self.name = name
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._data = data
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                zf.getinfo("word/document.xml")
        except (zipfile.BadZipFile, KeyError) as exc:
            raise TemplateError(f"{name}: not a Word (.docx) file") from exc
        self._env = make_environment()

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str) -> CompiledTemplate:
        return cls(data, name=name)

    @classmethod
    def from_path(cls, path: Path) -> CompiledTemplate:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise TemplateError(f"{path}: cannot read the template ({exc.strerror})") from exc
        return cls(data, name=Path(path).name)

    def render(
        self, context: Mapping[str, Any], *, properties: Mapping[str, str] | None = None
    ) -> bytes:
        tpl = DocxTemplate(io.BytesIO(self._data))
        try:
            tpl.render(dict(context), self._env)
        except _NonePrinted as exc:
            raise TemplateError(f"{self.name}: a field printed is empty (None)") from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.name}: {exc.message}") from exc
        if properties:
            core = tpl.docx.core_properties
            for key, value in properties.items():
                setattr(core, {"creator": "author"}.get(key, key), value)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    def field_paths(self) -> set[str]:
        tpl = DocxTemplate(io.BytesIO(self._data))
        return set(tpl.get_undeclared_template_variables(self._env))


def check_template(path: Path, known_paths: set[str]) -> list[str]:
    """Problems in a template, as ``file: message`` lines; never raises."""
    try:
        tpl = CompiledTemplate.from_path(path)
        return [
            f"{Path(path).name}: unknown field {p}"
            for p in sorted(tpl.field_paths())
            if p not in known_paths and not any(k.startswith(p + ".") for k in known_paths)
        ]
    except TemplateError as exc:
        return [str(exc)]
    except jinja2.TemplateSyntaxError as exc:
        return [f"{Path(path).name}: line {exc.lineno}: {exc.message}"]


__all__ = ["CompiledTemplate", "check_template", "format_date", "make_environment"]
