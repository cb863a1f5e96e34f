"""JSON Schema (draft 2020-12) and leaf paths, by walking our marshmallow schemas.

Only the field types used in ``schemas`` are known here; a new type fails loudly
(``TypeError``) rather than producing a schema that accepts anything.
Cross-field rules (``_crossfield``) are not expressible here: the JSON Schema
describes shapes and codes; ``reviewdocs validate`` is the full check.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from reviewdocs.intake import fields as _fields

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# ECMA-262 patterns equivalent to the checks in _fields (lone surrogates aside:
# without the "u" flag a pattern cannot tell them from a valid pair).
_PATTERNS = {
    _fields._printable: r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$",
    _fields._one_line: r"^[^\r\n]*$",
    _fields._not_blank: r"\S",
}


def schema_document(root: type[Schema]) -> dict[str, Any]:
    """The complete JSON Schema document for ``root``."""
    document: dict[str, Any] = {"$schema": DIALECT, "title": "reviewdocs review input"}
    document.update(_object(root(), nullable=False))
    document["description"] = (
        "A Care Act 2014 review (spec section 2), schema_version 1. Generated from "
        "reviewdocs.intake.schemas; cross-field rules are checked by `reviewdocs validate`."
    )
    return document


def _object(schema: Schema, *, nullable: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["object", "null"] if nullable else "object"}
    doc = (type(schema).__doc__ or "").strip()
    if doc and type(schema).__module__ != "marshmallow.schema":
        out["description"] = " ".join(doc.split())
    out["properties"] = {name: _field(field) for name, field in schema.fields.items()}
    required = [name for name, field in schema.fields.items() if field.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _field(field: fields.Field) -> dict[str, Any]:
    nullable = bool(field.allow_none)
    if isinstance(field, fields.Nested):
        return _object(field.schema, nullable=nullable)
    if isinstance(field, _fields.Address):
        lines = _array(field, nullable=False)
        return {
            "anyOf": [lines, {"type": "string", "description": "lines separated by line breaks"}]
        }
    if isinstance(field, fields.List):
        return _array(field, nullable=nullable)
    out: dict[str, Any]
    if isinstance(field, _fields.Bool):
        out = {"type": "boolean"}
    elif isinstance(field, _fields.Version):
        out = {"type": "integer", "const": field.version}
    elif isinstance(field, _fields.Date):
        out = {"type": "string", "format": "date", "pattern": _fields._ISO_DATE.pattern}
    elif isinstance(field, fields.String):
        out = {"type": "string"}
        if isinstance(field, fields.Email):
            out["format"] = "email"
        _string_rules(field, out)
    else:
        raise TypeError(f"no JSON Schema for {type(field).__name__}")
    if nullable:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _array(field: fields.List, *, nullable: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["array", "null"] if nullable else "array"}
    out["items"] = _field(field.inner)
    for check in field.validators:
        if isinstance(check, validate.Length):
            if check.min:
                out["minItems"] = check.min
            if check.max is not None:
                out["maxItems"] = check.max
    return out


def _string_rules(field: fields.Field, out: dict[str, Any]) -> None:
    patterns = []
    for check in field.validators:
        if isinstance(check, validate.OneOf):
            out["enum"] = list(check.choices)
        elif isinstance(check, validate.Length):
            if check.min:
                out["minLength"] = check.min
            if check.max is not None:
                out["maxLength"] = check.max
        elif isinstance(check, validate.Regexp):
            # Python's end-of-text \Z is ECMA-262's $ (which, without the m flag, never
            # matches before a final newline as Python's $ does).
            patterns.append(str(check.regex.pattern).replace(r"\Z", "$"))
        elif check in _PATTERNS:
            patterns.append(_PATTERNS[check])
    if len(patterns) == 1:
        out["pattern"] = patterns[0]
    elif patterns:
        out["allOf"] = [{"pattern": p} for p in patterns]


def leaf_paths(root: type[Schema]) -> set[str]:
    """Every leaf path under ``root``: ``review.id``, ``participants[].name``."""
    paths: set[str] = set()
    _walk(root(), "", paths)
    return paths


def _walk(schema: Schema, prefix: str, out: set[str]) -> None:
    for name, field in schema.fields.items():
        path = prefix + name
        if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
            _walk(field.schema, path + ".", out)
        elif (
            isinstance(field, fields.List)
            and isinstance(field.inner, fields.Nested)
            and isinstance(field.inner.schema, Schema)
        ):
            _walk(field.inner.schema, path + "[].", out)
        else:
            out.add(path)
