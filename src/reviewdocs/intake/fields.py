"""The field types of the review input: strict, bounded, and printable in a Word document.

JSON is typed, so a value of the wrong type is refused rather than coerced: ``"yes"``
is not a boolean and ``1`` is not ``true``, because a coerced answer is an answer
nobody gave. Every text has a length limit, so hostile or corrupt input is refused
with a message instead of producing a thousand-page letter.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing, validate

NAME_MAX = 200
"""Names, job titles, phone numbers, e-mail addresses, postcodes: one line each."""
TEXT_MAX = 20_000
"""Free text: views, evidence, narrative, rationale."""
ITEM_MAX = 2_000
"""One item of a list of text (an issue, a new risk, a piece of advice)."""
LIST_MAX = 200
ADDRESS_LINES_MAX = 10
ID_MAX = 64
ID_PATTERN = r"^[A-Za-z0-9_/-]+\Z"  # \Z: "$" would let a trailing newline in

# XML 1.0 (inside every DOCX) cannot hold these characters: refusing them here gives the
# practitioner a message naming the field instead of a failed render later.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _printable(value: str) -> None:
    if _UNPRINTABLE.search(value):
        raise ValidationError("Contains a control character that a document cannot hold.")


def _one_line(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError("Must be one line.")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


class StrictSchema(Schema):
    """Every schema of the input: unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE

    error_messages = {  # noqa: RUF012 (marshmallow reads this class attribute)
        "type": "Must be an object (named fields in { }).",
    }


class Bool(fields.Boolean):
    """``true`` or ``false`` only: a truthy string or number is not an answer."""

    def deserialize(
        self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any
    ) -> Any:
        # Most of a review's answers are booleans: one with no validator or hook is
        # taken as it is, as marshmallow's full path would (see _String).
        if type(value) is bool and not (self.validators or self.pre_load or self.post_load):
            return value
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
"""Dates outside these are typing slips (9999-12-31 would also overflow a review date)."""


class Date(fields.Date):
    """An ISO date ``YYYY-MM-DD`` that exists in the calendar (2026-02-30 does not)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            day = value
        else:
            # date.fromisoformat also takes 20261112 and 2026-W46-4 since Python 3.11.
            if not isinstance(value, str) or not _ISO_DATE.match(value):
                raise self.make_error("invalid")
            day = super()._deserialize(value, attr, data, **kwargs)
        if not DATE_MIN <= day <= DATE_MAX:
            raise ValidationError(
                f"Must be between {DATE_MIN.year} and {DATE_MAX.year}; check the year."
            )
        return day


class Version(fields.Integer):
    """``schema_version``: the integer 1 (not ``true``, not ``"1"``)."""

    def __init__(self, version: int, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)
        self.version = version

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or value != self.version:
            raise ValidationError(
                f"Must be {self.version}, the only version this reviewdocs reads."
            )
        return self.version


class _BlankIsMissing:
    """An optional text left blank is missing (``None``), as an empty form box is.

    Case-management exports write ``""`` for "not recorded"; treating it the same as
    an absent key keeps the JSON and PDF routes identical and never shows a blank
    where a template tests for the field.
    """

    required: bool

    def deserialize(
        self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any
    ) -> Any:
        if not self.required and isinstance(value, str) and not value.strip():
            return None
        return super().deserialize(value, attr, data, **kwargs)  # type: ignore[misc]


def _check(validators: list[Any], value: Any) -> None:
    """Every validator's messages, collected as marshmallow's own ``validate.And`` does."""
    errors: list[Any] = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as err:
            if isinstance(err.messages, dict):
                errors.append(err.messages)
            else:
                errors.extend(err.messages)
    if errors:
        raise ValidationError(errors)


class _String(fields.String):
    """A text field whose common case, a ``str``, takes a short path.

    For a ``str``, marshmallow's ``Field.deserialize`` checks it is not missing or
    null, runs the field's hooks (this path is taken only when there are none), keeps
    the text as it is and runs every validator, collecting their messages: this does
    exactly that without the generic steps, which cost a tenth of a record's
    validation (a review has about a hundred texts); an optional text left out gets
    its default, as there. Any other value (a required one missing, null, a number,
    a list) takes marshmallow's full path and gets its messages.
    """

    def deserialize(
        self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any
    ) -> Any:
        if type(value) is str and not self.pre_load and not self.post_load:
            text = self._text(value)
            _check(self.validators, text)
            return text
        if value is missing and not self.required:  # an optional text left out
            default = self.load_default
            return default() if callable(default) else default
        return super().deserialize(value, attr, data, **kwargs)

    def _text(self, value: str) -> str:
        return value


class _NFCString(_String):
    """Text in one Unicode form (NFC). "Noël" typed as e + combining diaeresis and as ë
    are the same words: a partial copy that withholds one spelling must find the other."""

    def _text(self, value: str) -> str:
        return unicodedata.normalize("NFC", value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))


class _OptionalString(_BlankIsMissing, _NFCString):
    pass


class _OptionalEmail(_BlankIsMissing, fields.Email):
    pass


def Line(*, required: bool = False, max_length: int = NAME_MAX, **kwargs: Any) -> fields.String:
    """A one-line text such as a name; required ones must not be blank."""
    checks: list[Any] = [validate.Length(max=max_length), _printable, _one_line]
    if required:
        checks.append(_not_blank)
    else:
        kwargs.setdefault("load_default", None)
    return _OptionalString(required=required, validate=checks, **kwargs)


def Text(*, required: bool = False, max_length: int = TEXT_MAX, **kwargs: Any) -> fields.String:
    """Free text (several lines allowed)."""
    checks: list[Any] = [validate.Length(max=max_length), _printable]
    if required:
        checks.append(_not_blank)
    else:
        kwargs.setdefault("load_default", None)
    return _OptionalString(required=required, validate=checks, **kwargs)


# -- what spreadsheets do to postcodes, phone numbers and dates ---------------------------

_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})|(GIR)(0AA)", re.ASCII)
_SPACES = re.compile(r"\s+")
_PHONE_AS_NUMBER = re.compile(r"[1-37-8][0-9]{9}", re.ASCII)
_PHONE_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+", re.ASCII)
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:[ T]00:00(?::00)?)?", re.ASCII)
_ISO_MIDNIGHT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)
DATE_FORMATS = "use 31/12/2026 or 2026-12-31"
"""How a spreadsheet's date is asked for: the day first, as in the UK, or ISO."""


def royal_mail_postcode(value: str) -> str | None:
    """A UK postcode as Royal Mail writes it (upper case, one space before the last
    three characters: ``ex24bb`` is ``EX2 4BB``), or None when it is not one."""
    compact = _SPACES.sub("", value).upper()
    match = _POSTCODE.fullmatch(compact) if compact.isascii() else None
    if match is None:
        return None
    outward, inward = (match[1], match[2]) if match[1] else (match[3], match[4])
    return f"{outward} {inward}"


def postcode_problem(value: str) -> str:
    return f"Not a UK postcode: got {value.strip()!r}; write it as Royal Mail does, e.g. EX1 1AA."


def restored_phone(value: str) -> str | None:
    """A UK phone number whose leading 0 a spreadsheet dropped (it took the number for
    a number): ten digits starting 1, 2, 3, 7 or 8 are an 11-digit UK number less its
    0, as no UK number starts with those digits. None for anything else."""
    text = value.strip()
    return "0" + text if _PHONE_AS_NUMBER.fullmatch(text) else None


def phone_problem(value: str) -> str | None:
    """Why a phone number cannot be printed, or None. A number a spreadsheet turned into
    scientific notation (``7.7009E+09``) has lost its last digits: they cannot be
    restored, only typed again."""
    text = value.strip()
    if _PHONE_SCIENTIFIC.fullmatch(text):
        return (
            f"A spreadsheet turned this phone number into a number and lost digits: got "
            f"{text!r}; format the column as Text and type the number again, e.g. 01632 960000."
        )
    return None


def day_first_date(value: str) -> str | None:
    """A spreadsheet's date as ISO ``YYYY-MM-DD``: ``31/12/2026`` (the day first, as in
    the UK: never read month first) or ``2026-12-31``, either with a midnight time as a
    spreadsheet may add it. None when it is neither, or not a day of the calendar
    (``12/31/2026`` has no month 31: it is refused, not read the American way)."""
    text = value.strip()
    iso = _ISO_MIDNIGHT.fullmatch(text)
    if iso:
        candidate = iso[1]
    else:
        uk = _UK_DATE.fullmatch(text)
        if uk is None:
            return None
        candidate = f"{uk[3]}-{int(uk[2]):02d}-{int(uk[1]):02d}"
    try:
        dt.date.fromisoformat(candidate)
    except ValueError:
        return None
    return candidate


def date_problem(value: str) -> str:
    text = value.strip()
    message = f"Not a date: {DATE_FORMATS}, got {text!r}"
    if text.isdigit() and len(text) <= 6:
        # Excel shows a date as its serial number (days since 1900) in a column
        # formatted as Number or General.
        message += " (a spreadsheet's date number: format the column as a date, dd/mm/yyyy)"
    return message + "."


class _Postcode(_OptionalString):
    """A postcode, stored as Royal Mail writes it; anything that is not a UK postcode is
    refused with the value shown, rather than printed on an envelope as typed."""

    def _text(self, value: str) -> str:
        text = super()._text(value)
        return royal_mail_postcode(text) or text

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self._text(super()._deserialize(value, attr, data, **kwargs))


def _is_postcode(value: str) -> None:
    if royal_mail_postcode(value) != value:
        raise ValidationError(postcode_problem(value))


def Postcode() -> fields.String:
    """An optional UK postcode (``ex24bb`` is stored as ``EX2 4BB``)."""
    checks: list[Any] = [validate.Length(max=20), _printable, _one_line, _is_postcode]
    return _Postcode(load_default=None, validate=checks)


class _Phone(_OptionalString):
    """A phone number as typed, except that a spreadsheet's dropped leading 0 is put back."""

    def _text(self, value: str) -> str:
        text = super()._text(value)
        return restored_phone(text) or text

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self._text(super()._deserialize(value, attr, data, **kwargs))


def _is_phone(value: str) -> None:
    problem = phone_problem(value)
    if problem:
        raise ValidationError(problem)


def Phone() -> fields.String:
    """An optional phone number (one line; ``1632960000`` is stored as ``01632960000``,
    ``7.7009E+09`` refused)."""
    checks: list[Any] = [validate.Length(max=NAME_MAX), _printable, _one_line, _is_phone]
    return _Phone(load_default=None, validate=checks)


def Email(*, required: bool = False, **kwargs: Any) -> fields.Email:
    if not required:
        kwargs.setdefault("load_default", None)
    return _OptionalEmail(
        required=required, validate=[validate.Length(max=NAME_MAX), _printable], **kwargs
    )


def Choice(choices: tuple[str, ...], *, required: bool = False, **kwargs: Any) -> fields.String:
    """One of the contract's codes (``Must be one of: ...`` otherwise)."""
    if not required:
        kwargs.setdefault("load_default", None)
    return _String(required=required, validate=validate.OneOf(choices), **kwargs)


def Identifier(**kwargs: Any) -> fields.String:
    """An id that becomes part of a file name: letters, digits, ``- _ /``."""
    return _String(
        required=True,
        validate=[
            validate.Length(min=1, max=ID_MAX),
            validate.Regexp(
                ID_PATTERN, error="Use only letters, digits, hyphens, underscores and slashes."
            ),
        ],
        **kwargs,
    )


def TextList(*, item_max: int = ITEM_MAX, **kwargs: Any) -> fields.List:
    """A list of texts; missing means an empty list."""
    item = _NFCString(validate=[validate.Length(max=item_max), _printable])
    return fields.List(item, load_default=list, validate=validate.Length(max=LIST_MAX), **kwargs)


def Items(schema: type[Schema], **kwargs: Any) -> fields.List:
    """A list of objects; missing means an empty list."""
    return fields.List(
        fields.Nested(schema), load_default=list, validate=validate.Length(max=LIST_MAX), **kwargs
    )


class Address(fields.List):
    """Address lines. A single text is taken as lines split at line breaks, so a form's
    multi-line box and a JSON list give the same record."""

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        line = _NFCString(validate=[validate.Length(max=NAME_MAX), _printable, _one_line])
        checks = [validate.Length(min=1 if required else 0, max=ADDRESS_LINES_MAX)]
        if not required:
            kwargs.setdefault("load_default", list)
        super().__init__(line, required=required, validate=checks, **kwargs)

    @staticmethod
    def lines(text: str) -> list[str]:
        """A multi-line text as address lines: each line trimmed, blank ones dropped."""
        return [part.strip() for part in text.splitlines() if part.strip()]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, str):
            value = self.lines(value)
        return super()._deserialize(value, attr, data, **kwargs)
