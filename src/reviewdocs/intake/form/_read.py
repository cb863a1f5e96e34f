"""Read a completed copy of our form (pypdf) into the raw review dict (JSON shape).

The dict is not validated here: ``schemas.validate_review`` reports every problem
under its input path. An empty field is left out, so an unanswered question is
reported as missing and never read as No. Only what stops us reading the file at
all (not a PDF, damaged, encrypted, XFA, not our form) is refused here, in one line.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from reviewdocs.errors import InputError
from reviewdocs.intake.form._layout import (
    FORM_ID,
    FORM_ID_PREFIX,
    LIST_OF_OBJECTS,
    MARKER_FIELD,
    OPTIONAL_OBJECTS,
    YES,
    Field,
    Kind,
    all_fields,
)

_OFF = "Off"
_MAX_DEPTH = 32
# What pypdf raises on a broken file: its own errors, and plain Python ones from
# objects that are not what the PDF format says they should be.
_PYPDF_FAILURES = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    zlib.error,
)
_HOW_TO_GET_ONE = "Make a blank form with `reviewdocs form --out FORM.pdf`"


@dataclass
class _Widget:
    on_states: tuple[str, ...]  # the names in its own /AP /N other than /Off
    state: str | None  # its /AS


@dataclass
class _PdfField:
    """One terminal field, as plain Python values (no pypdf objects leave ``_extract``)."""

    ft: str | None = None
    value: str | list[str] | None = None
    opt: list[tuple[str, str]] = field(default_factory=list)  # (export value, shown label)
    widgets: list[_Widget] = field(default_factory=list)


class _Unreadable(Exception):
    """A field whose answer cannot be told for sure (the message says why)."""


def read_form(path: Path) -> dict[str, Any]:
    """The review input in a completed copy of our form, as a raw dict (``schema_version: 1``).

    Raises ``InputError`` in one line when the file is not a PDF, is damaged,
    encrypted or an XFA form, has no fields, or is not our form.
    """
    path = Path(path)
    return read_form_bytes(path.read_bytes(), source=str(path))


def read_form_bytes(data: bytes, *, source: str | None = None) -> dict[str, Any]:
    """``read_form`` for bytes already in memory."""
    fields = _extract(data, source)
    _check_marker(fields, source)
    return _to_raw(fields, source)


# pypdf -> plain values ---------------------------------------------------------


def _refuse(message: str, source: str | None) -> InputError:
    return InputError(message, source=source)


def _extract(data: bytes, source: str | None) -> dict[str, _PdfField]:
    if b"%PDF-" not in data[:1024]:
        raise _refuse("Not a PDF file (a JSON review or our PDF review form was expected).", source)
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(
            "This PDF is incomplete: it stops before its end (was a download or copy "
            "interrupted?). Use the original file.",
            source,
        )
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise _refuse(
                    "This PDF is encrypted (password-protected), so its answers cannot be "
                    "read. Save a copy without a password and try again.",
                    source,
                )
            root: Any = reader.trailer["/Root"].get_object()
            acro: Any = root.get("/AcroForm")
            acro = acro.get_object() if acro is not None else DictionaryObject()
            if "/XFA" in acro:
                raise _refuse(
                    "This PDF is an XFA form (made with Adobe LiveCycle or Designer), not our "
                    f"review form. {_HOW_TO_GET_ONE}.",
                    source,
                )
            out: dict[str, _PdfField] = {}
            for ref in acro.get("/Fields") or []:
                _walk(ref.get_object(), "", {}, out, set(), 0)
    except _PYPDF_FAILURES:
        raise _refuse(_damaged(), source) from None
    if not out:
        raise _refuse(
            "This PDF has no form fields (was it printed to PDF or flattened?), so it is "
            f"not our review form. {_HOW_TO_GET_ONE}.",
            source,
        )
    return out


def _damaged() -> str:
    # pypdf's own words ("startxref not found", "'/Root'") mean nothing to a practitioner.
    return "This PDF is damaged and cannot be read. Use the original file, or fill in a new form."


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs its repairs of sloppy files; the library never prints, so hush it here."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _walk(
    node: Any,
    parent: str,
    inherited: dict[str, Any],
    out: dict[str, _PdfField],
    seen: set[int],
    depth: int,
) -> None:
    if not isinstance(node, DictionaryObject) or id(node) in seen or depth > _MAX_DEPTH:
        return
    seen.add(id(node))
    partial = node.get("/T")
    name = f"{parent}.{partial}" if parent and partial is not None else str(partial or parent)
    inherited = dict(inherited)
    for key in ("/FT", "/V", "/Opt"):  # inheritable (Opt kept with its field)
        if key in node:
            inherited[key] = node[key]
    kids = [kid.get_object() for kid in node.get("/Kids") or []]
    named = [kid for kid in kids if isinstance(kid, DictionaryObject) and "/T" in kid]
    for kid in named:
        _walk(kid, name, inherited, out, seen, depth + 1)
    widgets = [kid for kid in kids if isinstance(kid, DictionaryObject) and "/T" not in kid]
    if node.get("/Subtype") == "/Widget":
        widgets.insert(0, node)
    if named and not widgets:
        return
    entry = out.setdefault(name, _PdfField())
    entry.ft = str(inherited.get("/FT") or entry.ft or "") or None
    entry.value = _plain(inherited.get("/V"))
    entry.opt = _options(inherited.get("/Opt"))
    entry.widgets += [_widget(w) for w in widgets]


def _widget(node: DictionaryObject) -> _Widget:
    states: list[str] = []
    ap = node.get("/AP")
    ap = ap.get_object() if ap is not None else None
    if isinstance(ap, DictionaryObject):
        for key in ("/N", "/D"):
            faces = ap.get(key)
            faces = faces.get_object() if faces is not None else None
            if isinstance(faces, DictionaryObject):
                states += [_name(k) for k in faces if _name(k) != _OFF and _name(k) not in states]
    state = node.get("/AS")
    return _Widget(tuple(states), _name(state) if state is not None else None)


def _name(value: Any) -> str:
    text = str(value)
    return text[1:] if isinstance(value, NameObject) or text.startswith("/") else text


def _plain(value: Any) -> str | list[str] | None:
    """A field value as text, whatever the filler stored (name, UTF-16 or PDFDocEncoding text)."""
    if value is None:
        return None
    value = value.get_object()
    if isinstance(value, NameObject):
        return _name(value)
    if isinstance(value, ArrayObject):
        return [str(_plain(item) or "") for item in value]
    if isinstance(value, StreamObject):  # a long value some fillers store as a stream
        return _decode(value.get_data())
    if isinstance(value, bytes):  # a ByteStringObject pypdf could not decode as text
        return _decode(bytes(value))
    return str(value)


def _decode(raw: bytes) -> str:
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _options(value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    out = []
    for item in value.get_object():
        item = item.get_object()
        if isinstance(item, ArrayObject) and len(item) >= 2:
            out.append((str(_plain(item[0])), str(_plain(item[1]))))
        else:
            text = str(_plain(item))
            out.append((text, text))
    return out


# plain values -> the raw review dict -------------------------------------------


def _check_marker(fields: dict[str, _PdfField], source: str | None) -> None:
    marker = fields.get(MARKER_FIELD)
    value = marker.value if marker else None
    if not isinstance(value, str) or not value.startswith(FORM_ID_PREFIX):
        raise _refuse(
            "This PDF form is not the reviewdocs review form (it lacks our form's marker). "
            f"{_HOW_TO_GET_ONE} and fill that in.",
            source,
        )
    if value != FORM_ID:
        raise _refuse(
            f"This form is {value}, which this version of reviewdocs does not read "
            f"(it reads {FORM_ID}). {_HOW_TO_GET_ONE}.",
            source,
        )


def _to_raw(fields: dict[str, _PdfField], source: str | None) -> dict[str, Any]:
    layout = all_fields()
    flat: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, pdf_field in fields.items():
        if name == MARKER_FIELD:
            continue
        spec = layout.get(name)
        try:
            if spec is None:
                if _value_text(pdf_field):
                    raise _Unreadable(
                        "Not a field of the reviewdocs review form: was the form changed by "
                        "another program?"
                    )
                continue
            value = _value(spec, pdf_field)
        except _Unreadable as why:
            errors[name] = [str(why)]
            continue
        if value is not None:
            flat[name] = value
    if errors:
        raise InputError(errors, source=source)
    return _nest(flat, [name for name in fields if name in layout])


def _value_text(pdf_field: _PdfField) -> str:
    if isinstance(pdf_field.value, list):
        return "".join(pdf_field.value).strip()
    value = (pdf_field.value or "").strip()
    return "" if value == _OFF else value


def _value(spec: Field, pdf_field: _PdfField) -> Any:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.DATE, Kind.FIXED, Kind.NOTE):
        return _text(pdf_field).strip() or None
    if kind is Kind.LINES:
        items = [line.strip() for line in _text(pdf_field).split("\n")]
        return [item for item in items if item] or None
    if kind is Kind.TICK:
        return True if _selected(pdf_field) is not None else None
    if kind is Kind.COMBO and pdf_field.ft != "/Btn":
        text = _text(pdf_field).strip()
        return _code(spec, pdf_field, text, None) if text else None
    picked = _selected(pdf_field)
    if picked is None:
        return None
    code = _code(spec, pdf_field, *picked)
    return code == YES if kind is Kind.BOOL else code


def _text(pdf_field: _PdfField) -> str:
    value = pdf_field.value
    if isinstance(value, list):  # a multi-select list: one item per line
        value = "\n".join(value)
    # Fillers end lines with CR (the PDF convention), LF or both.
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _selected(pdf_field: _PdfField) -> tuple[str, int | None] | None:
    """The chosen on-state of a button field and the index of its widget, or None.

    A filler may set the group's /V, the chosen widget's /AS, or both: either is
    enough, but when they disagree nobody can tell which answer was meant.
    """
    shown = [(i, w.state) for i, w in enumerate(pdf_field.widgets) if w.state not in (None, _OFF)]
    stored = pdf_field.value if isinstance(pdf_field.value, str) else None
    if stored and stored.startswith("/"):  # some fillers store the name as text: (/Yes)
        stored = stored[1:]
    stored = None if stored in (None, "", _OFF) else stored
    if len({state for _, state in shown}) > 1:
        raise _Unreadable("More than one answer is selected: choose one.")
    if shown:
        index, state = shown[0]
        if stored is not None and stored != state:
            raise _Unreadable(
                f"The form shows the answer {state!r} but stores {stored!r}: choose the answer "
                "again and save."
            )
        return str(state), index
    if stored is not None:
        match = [i for i, w in enumerate(pdf_field.widgets) if stored in w.on_states]
        return stored, (match[0] if match else None)
    return None


def _code(spec: Field, pdf_field: _PdfField, state: str, index: int | None) -> str:
    """Map an on-state or choice value back to our code.

    Our own names are the codes, but other tools rename states (``1``, ``On``, or an
    index into /Opt): then the export value in /Opt, or the widget's position (we
    draw them in option order), tells which option it was.
    """
    known = {code.lower(): code for code in spec.codes}
    known.update({label.lower(): code for code, label in spec.options})
    candidates = [state]
    if pdf_field.opt:
        if state.isdigit() and int(state) < len(pdf_field.opt):
            candidates += list(pdf_field.opt[int(state)])
        candidates += [export for export, shown in pdf_field.opt if shown == state]
    for candidate in candidates:
        if candidate.strip().lower() in known:
            return known[candidate.strip().lower()]
    if index is not None and pdf_field.ft == "/Btn" and index < len(spec.codes):
        return spec.codes[index]
    raise _Unreadable(f"The answer {state!r} is not one of this question's choices: choose again.")


def _nest(flat: dict[str, Any], present: list[str]) -> dict[str, Any]:
    """Dotted paths to nested dicts; numbered slots to lists (empty slots dropped).

    Every object the form has fields for is created even when empty, so validation
    names the unanswered question inside it; an optional object (an advocate, say)
    only when something in it was filled in.
    """
    tree: dict[str, Any] = {}
    for name in present:
        parts = name.split(".")[:-1]
        if not _optional(parts):
            _ensure(tree, _containers(parts))
    for name, value in flat.items():
        parts = name.split(".")
        _ensure(tree, parts[:-1])[parts[-1]] = value
    for list_path in LIST_OF_OBJECTS:
        *parents, leaf = list_path.split(".")
        node = _find(tree, parents)
        if node is not None and isinstance(node.get(leaf), dict):
            slots = node[leaf]
            node[leaf] = [slots[k] for k in sorted(slots, key=int) if slots[k]]
    return {"schema_version": 1, **tree}


def _optional(parts: list[str]) -> bool:
    return any(".".join(parts[: n + 1]) in OPTIONAL_OBJECTS for n in range(len(parts)))


def _containers(parts: list[str]) -> list[str]:
    """The part of a field's parent path that is always present: up to a list's slots."""
    for n in range(len(parts)):
        if ".".join(parts[: n + 1]) in LIST_OF_OBJECTS:
            return parts[: n + 1]
    return parts


def _ensure(tree: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    node = tree
    for part in parts:
        node = node.setdefault(part, {})
    return node


def _find(tree: dict[str, Any], parts: list[str]) -> dict[str, Any] | None:
    node: Any = tree
    for part in parts:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
