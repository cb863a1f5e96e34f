"""A compiled loader for the input schemas: the short path for a valid review.

marshmallow stays the authority. ``compile_schema`` turns a schema into one function
that walks the input the way ``Schema.load`` does (the same fields in the same order,
the same defaults, every field's own ``deserialize`` and validators) without the
generic machinery around each field: the per-field closures, the error store, the
hook look-ups. That machinery was most of a record's validation time in a batch.

The compiled function has one rule: it returns exactly what ``schema.load`` would
return, or it declines (``Declined``) and the caller runs ``schema.load``, which
names every problem. It declines at the first thing that is not plainly valid (an
unknown key, a missing required field, a value of another type, any validator's
complaint), so it never has to reproduce an error message. A schema or field using
a marshmallow feature it does not copy (hooks, ``partial``, ``many``, a dotted
``attribute``, an unknown kind of collection) is not compiled at all: ``compile_schema``
returns None and every load takes marshmallow's path.

tests/test_fastload.py checks the rule on every sample and on thousands of inputs
broken at random: declined, or equal to marshmallow's result.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, fields, missing, validate

from reviewdocs.intake.fields import (
    _ISO_DATE,
    DATE_MAX,
    DATE_MIN,
    Address,
    Bool,
    Date,
    _BlankIsMissing,
    _NFCString,
    _OptionalEmail,
    _OptionalString,
    _String,
)

Loader = Callable[[Any], Any]
"""A compiled field: a value that is present in, the loaded value out (the schema's
body gives a missing one its default, as ``Field.deserialize`` does)."""


_LEAVES = (fields.String, fields.Boolean, fields.Integer, fields.Date)
"""Leaf kinds whose ``deserialize`` depends on the value alone."""


class Declined(Exception):
    """The compiled loader cannot vouch for this input: use ``schema.load``."""


class _Unsupported(Exception):
    """A schema feature the compiler does not copy (the schema is left uncompiled)."""


def compile_schema(schema: Schema) -> Callable[[Any], dict[str, Any]] | None:
    """``schema.load``'s result for a valid input, else ``Declined``; None when the
    schema uses something this compiler does not copy."""
    try:
        body = _schema_body(schema)
    except _Unsupported:
        return None

    def load(data: Any) -> dict[str, Any]:
        try:
            return body(data)
        except Declined:
            raise
        except Exception as err:
            # A validator's complaint, or anything unforeseen: marshmallow decides.
            raise Declined from err

    return load


def _schema_body(schema: Schema) -> Callable[[Any], dict[str, Any]]:
    """The part of ``Schema._deserialize`` a valid mapping goes through."""
    if (
        any(schema._hooks.values())
        or schema.many
        or schema.partial
        or schema.unknown != RAISE
        or type(schema).dict_class is not dict
    ):
        raise _Unsupported(type(schema).__name__)
    steps: list[tuple[str, str, Loader, bool, Any]] = []
    for attr_name, field in schema.load_fields.items():
        data_key = field.data_key if field.data_key is not None else attr_name
        out_key = field.attribute or attr_name
        if "." in out_key:  # marshmallow would nest it (set_value)
            raise _Unsupported(out_key)
        loader = _field(field, data_key)
        steps.append((data_key, out_key, loader, field.required, field.load_default))
    known = frozenset(step[0] for step in steps)

    def body(data: Any) -> dict[str, Any]:
        if type(data) is not dict or not known.issuperset(data):
            raise Declined  # not an object, or an unknown field
        out: dict[str, Any] = {}
        for data_key, out_key, loader, required, default in steps:
            raw = data.get(data_key, missing)
            if raw is missing:
                # Field.deserialize: a required field is an error, else its default
                # (called when callable); a default of ``missing`` leaves the key out.
                if required:
                    raise Declined
                value = default() if callable(default) else default
            else:
                value = loader(raw)
            if value is not missing:
                out[out_key] = value
        return out

    return body


def _field(field: fields.Field, attr: str | None) -> Loader:
    """A compiled ``field.deserialize`` for a value of a valid input (``attr``: the
    key it was read from, None for a list's item, as marshmallow passes them)."""
    if field.pre_load or field.post_load:
        raise _Unsupported(attr)
    if isinstance(field, fields.Nested):
        return _nested(field)
    if isinstance(field, fields.List):
        return _list(field)
    if not isinstance(field, _LEAVES):
        raise _Unsupported(attr)
    if type(field) in (_String, _NFCString, _OptionalString, _OptionalEmail):
        return _text(field, attr)  # type: ignore[arg-type]
    if type(field) is Date and not field.validators:
        return _date(field, attr)
    if type(field) is Bool and not field.validators:
        return _bool(field, attr)
    # A leaf runs its own deserialize, as Schema._deserialize does: the type checks,
    # defaults and validators stay marshmallow's and _fields' (with their short
    # paths). These kinds never read the surrounding data, passed there as ``data``.
    deserialize = field.deserialize

    def leaf(value: Any) -> Any:
        return deserialize(value, attr, None)

    return leaf


def _text(field: fields.String, attr: str | None) -> Loader:
    """_fields' texts for a ``str``, as their ``deserialize`` takes it: blank optional
    text is None (``_BlankIsMissing``), NFC where the kind says so, then every
    validator (the common ones inlined: a length, a choice, a pattern). Anything
    else goes through the field's own ``deserialize``."""
    blank_is_none = isinstance(field, _BlankIsMissing) and not field.required
    nfc = isinstance(field, _NFCString)
    inlined = [(check, _inline(check)) for check in field.validators]
    tests = tuple(test for _, test in inlined if test is not None)
    # The rest (_fields' own checks) are called as they are: each raises when it fails.
    raising = tuple(check for check, test in inlined if test is None)
    deserialize = field.deserialize

    def text(value: Any) -> Any:
        if type(value) is not str:
            return deserialize(value, attr, None)
        if blank_is_none and not value.strip():
            return None
        if nfc:
            value = unicodedata.normalize("NFC", value)
        for test in tests:
            if not test(value):
                raise Declined
        for check in raising:
            check(value)  # a ValidationError declines
        return value

    return text


def _date(field: fields.Date, attr: str | None) -> Loader:
    """_fields.Date for an ISO text: the day it names, within the years it allows."""
    deserialize = field.deserialize

    def day(value: Any) -> Any:
        if type(value) is str and _ISO_DATE.match(value):
            parsed = dt.date.fromisoformat(value)  # 2026-02-30 raises: declined
            if DATE_MIN <= parsed <= DATE_MAX:
                return parsed
            raise Declined
        return deserialize(value, attr, None)

    return day


def _bool(field: fields.Boolean, attr: str | None) -> Loader:
    deserialize = field.deserialize

    def boolean(value: Any) -> Any:
        return value if type(value) is bool else deserialize(value, attr, None)

    return boolean


def _inline(check: Callable[[Any], Any]) -> Callable[[str], bool] | None:
    """A common validator as a test of a text, True when it passes (its error when not
    is marshmallow's to give); None for any other validator."""
    if type(check) is validate.Length:
        low, high, equal = check.min, check.max, check.equal
        if equal is not None:
            return lambda text: len(text) == equal
        return lambda text: (
            (low is None or len(text) >= low) and (high is None or len(text) <= high)
        )
    if type(check) is validate.OneOf and all(type(c) is str for c in check.choices):
        choices = frozenset(check.choices)
        return choices.__contains__
    if type(check) is validate.Regexp and isinstance(check.regex.pattern, str):
        pattern: re.Pattern[str] = check.regex
        return lambda text: pattern.match(text) is not None
    return None


def _null(field: fields.Field) -> Callable[[Any], bool]:
    """``Field.deserialize`` on null: None where the field allows it, else an error."""
    allow_none = field.allow_none

    def is_null(value: Any) -> bool:
        if value is None:
            if not allow_none:
                raise Declined
            return True
        return False

    return is_null


def _validators(field: fields.Field) -> Callable[[Any], None]:
    checks = tuple(field.validators)

    def validate(value: Any) -> None:
        for check in checks:
            check(value)  # a ValidationError declines

    return validate


def _nested(field: fields.Nested) -> Loader:
    if field.many or type(field) is not fields.Nested:
        raise _Unsupported(field.name)
    schema = field.schema
    if field.unknown not in (None, schema.unknown):
        raise _Unsupported(field.name)
    body = _schema_body(schema)
    is_null = _null(field)
    validate = _validators(field)

    def nested(value: Any) -> Any:
        if is_null(value):
            return None
        result = body(value)
        validate(result)
        return result

    return nested


def _list(field: fields.List) -> Loader:
    if type(field) not in (fields.List, Address):
        raise _Unsupported(field.name)
    as_lines = type(field) is Address
    item = _field(field.inner, None)
    is_null = _null(field)
    validate = _validators(field)

    def items(value: Any) -> Any:
        if is_null(value):
            return None
        if as_lines and isinstance(value, str):
            value = Address.lines(value)
        if type(value) is not list:
            raise Declined  # marshmallow takes other collections, and explains the rest
        result = [item(each) for each in value]
        validate(result)
        return result

    return items
