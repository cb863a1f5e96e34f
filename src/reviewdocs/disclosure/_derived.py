"""What a withheld text implies, withheld with it (issue 12 finding 4: when in doubt,
withhold): an address line's street without its house number or with the number in
words, a phone number's local part and its "44" spelling without the plus, and the
money amounts of an omitted section. ``redaction.withheld_patterns`` adds these to the
texts it withholds; ``_spelling`` then finds each in any spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

_MONEY: Final = re.compile(
    r"[£$€]\s?\d[\d,]*(?:\.\d+)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:pounds?|pence|p\b|GBP)",
    re.IGNORECASE,
)


def money(text: str) -> Iterator[str]:
    """The money amounts in an omitted section's text: "£312 a week" quoted in another
    section would tell the reader what the omitted budget section said. Withheld
    wherever they appear, with or without the pound sign (when in doubt, withhold)."""
    for found in _MONEY.finditer(text):
        yield found.group()


_HOUSE: Final = re.compile(
    r"^\s*(?:(?:flat|apartment|apt|unit|no\.?)\s*\w+\s*[,.]?\s*)?"
    r"(?:no\.?\s*)?(\d+)\s*[a-z]?\b\s*[,.\-]?\s*",
    re.IGNORECASE,
)
_ONES: Final = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_TENS: Final = (
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)  # fmt: skip


def _in_words(number: int) -> list[str]:
    """``number`` (below 1000) in words, as a narrative may write a house number:
    "twelve", "twenty-one" and "twenty one", "one hundred and two"."""
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        if not ones:
            return [_TENS[tens]]
        return [f"{_TENS[tens]}-{_ONES[ones]}", f"{_TENS[tens]} {_ONES[ones]}"]
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = f"{_ONES[hundreds]} hundred"
        if not rest:
            return [head]
        return [f"{head} and {w}" for w in _in_words(rest)] + [
            f"{head} {w}" for w in _in_words(rest)
        ]
    return []


def streets(value: Any, key: Any) -> Iterator[str]:
    """A withheld address line's street without its house number ("Linden Court" from
    "12 Linden Court") and with the number in words ("Twelve Linden Court"): a reader
    who knows the street can find the house. Never shielded by an organisation's name
    (only digit-free lines as recorded are): when in doubt, withhold."""
    if key == "address" and isinstance(value, list):
        for line in value:
            if not isinstance(line, str):
                continue
            house = _HOUSE.match(line)
            if house is None:
                continue
            street = line[house.end() :].strip()
            if sum(c.isalpha() for c in street) < 3:
                continue
            yield street
            for words in _in_words(int(house.group(1))):
                yield f"{words} {street}"
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from streets(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from streets(v, None)


_PHONE_KEYS: Final = ("phone", "mobile", "telephone")


def phone_parts(value: Any, key: Any) -> Iterator[str]:
    """A withheld phone number's local part (its last 6 digits or more, however
    grouped) and the number written with "44" and no plus: "961 370" and
    "44 1632 961 370" are the withheld "01632 961 370" too."""
    if key in _PHONE_KEYS and isinstance(value, str):
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 6:
            national = re.sub(r"^(?:00?44)?0?", "", digits)
            if digits.startswith("44"):
                national = digits[2:].removeprefix("0")
            yield "44" + national
            for size in range(6, len(national) + 1):
                yield national[-size:]
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from phone_parts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from phone_parts(v, None)
