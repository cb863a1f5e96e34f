"""Withheld text found however it is spelt (issue 12 finding 4).

A partial copy must not show a withheld phone number, address, postcode or name in
any spelling a person or a word processor may have used: ``+44 1632 961 370``,
``01632/961 370``, ``01632—961—370``, full-width digits, ``12, Linden Court``,
``12 Linden Ct``, ``EX2-6NF`` (with a non-breaking hyphen too), ``Tom_Reid``, a name
with a combining grapheme joiner or a variation selector inside it.

Both the withheld text and the text searched are reduced to a *key*: compatibility
normalised (NFKD: full-width digits and ligatures become plain), case-folded,
without accents, format characters, joiners or variation selectors, with common
look-alike letters (Cyrillic ``о`` for ``o``) taken as the Latin letter, street words
in one short form (``Court``/``Ct``), ``+44``/``0044`` as ``0``, and every other
character (spaces, dashes, slashes, underscores, full stops, commas) dropped. A
withheld key found in a text's key, starting and ending at word boundaries, takes
the whole stretch of the original text it came from, separators included.

Fail closed: separators are ignored entirely, so a withheld "Tom Reid" also goes
from "TomReid" and "Tom. Reid", and "Linden Court" from "Linden Ct"; a word split
by an invisible character may match on either side of it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

STREET_WORDS: Final[dict[str, str]] = {
    # Common British street-name abbreviations, each to one form: "12 Linden Ct" is
    # "12 Linden Court". Either side of each pair means the same in an address.
    "court": "ct", "street": "st", "saint": "st", "road": "rd", "avenue": "ave",
    "av": "ave", "lane": "ln", "drive": "dr", "close": "cl", "crescent": "cres",
    "cresc": "cres", "cr": "cres", "gardens": "gdns", "gdn": "gdns", "garden": "gdns",
    "place": "pl", "square": "sq", "terrace": "ter", "terr": "ter", "grove": "gr",
    "park": "pk", "mount": "mt", "parade": "pde", "walk": "wlk", "way": "wy",
    "highway": "hwy", "boulevard": "blvd", "house": "ho", "apartment": "apt",
    "flat": "flt", "building": "bldg", "estate": "est", "north": "n", "south": "s",
    "east": "e", "west": "w", "upper": "upr", "lower": "lwr",
    # Less common shortenings people type ("12 Linden Crt"): fail closed, take them too.
    "crt": "ct", "str": "st", "avnu": "ave", "lne": "ln", "drv": "dr", "cls": "cl",
    "grv": "gr", "sqr": "sq", "prk": "pk", "tce": "ter", "trce": "ter",
}  # fmt: skip

_DIGIT_LOOKALIKES: Final = str.maketrans("ilo", "110")
"""Letters typed for digits inside a run of digits: "0I632 96I 370" is 01632 961 370."""


def _as_digits(word: str) -> str:
    """A word of digits with I, l or O among them, read as the digits they stand for
    (fail closed: a word with any digit and only those letters is a number)."""
    if any(c.isdigit() for c in word) and all(c.isdigit() or c in "ilo" for c in word):
        return word.translate(_DIGIT_LOOKALIKES)
    return word


# Letters that look like Latin ones and that NFKD leaves alone: a name typed with a
# Cyrillic "о" reads as the same name. Letters without a decomposition folded too.
_LOOKALIKES: Final[dict[str, str]] = {
    **dict(zip("аеорсухіјѕԁһԛԝ", "aeopcyxijsdhqw", strict=True)),
    **dict(zip("АВЕКМНОРСТХІЈЅ", "abekmhopctxijs", strict=True)),
    **dict(zip("αβεικμνορτυχ", "abeikmnoptux", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx", strict=True)),
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l",
    "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ĸ": "k",
}  # fmt: skip

_DROPPED: Final = frozenset({"Mn", "Me", "Cf", "Cc", "Co", "Cs", "Cn"})
"""Categories a reader does not see as a character of their own: accents (after NFKD),
the combining grapheme joiner and variation selectors (Mn), soft hyphens, zero-width
spaces and joiners, direction marks (Cf)."""


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str | None:
    """One character's contribution to a key: letters and digits (folded), "" for a
    separator, None for a character to ignore as if it were not there."""
    if unicodedata.category(char) in _DROPPED:
        return None
    char = _LOOKALIKES.get(char, char)
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.category(part) in _DROPPED:
            continue
        part = _LOOKALIKES.get(part, part)
        digit = unicodedata.decimal(part, None)
        if digit is not None:  # any script's digits: Arabic-Indic "٠١٦٣٢" is 01632
            part = str(digit)
        for folded in part.casefold():
            out.append(folded if folded.isalnum() and folded != "_" else " ")
    text = "".join(out)
    return text if text.strip() else ""


@dataclass
class Key:
    """A text's key (``chars``) and, per key character, the stretch of the original
    text it stands for and whether a match may start or end at it."""

    chars: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    can_start: list[bool] = field(default_factory=list)
    can_end: list[bool] = field(default_factory=list)

    def find(self, key: str) -> Iterable[tuple[int, int]]:
        """Where ``key`` occurs from a word boundary to a word boundary: (first, last)."""
        if not key:
            return
        at = self.chars.find(key)
        while at >= 0:
            last = at + len(key) - 1
            if self.can_start[at] and self.can_end[last]:
                yield at, last
            at = self.chars.find(key, at + 1)


@dataclass
class _Word:
    """A word's folded letters, each with the stretch of the original it came from, and
    the places in it where an invisible character stood (a match may start or end
    there: "Tom\u200bReid" may be "Tom" and "Reid" as well as "TomReid")."""

    chars: list[str] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)
    soft: set[int] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "".join(self.chars)


_ASCII_WORD: Final = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[_Word]:
    if text.isascii():
        # Most text: plain ASCII folds by lower-casing, and its words are its runs of
        # letters and digits (the same result as below, a tenth of the time).
        return [
            _Word(list(m.group()), [(at, at + 1) for at in range(m.start(), m.end())])
            for m in _ASCII_WORD.finditer(text.lower())
        ]
    words: list[_Word] = []
    current = _Word()
    for at, char in enumerate(text):
        folded = _fold(char)
        if folded is None:
            if current.chars:
                current.soft.add(len(current.chars))
                start, _ = current.origins[-1]
                current.origins[-1] = (start, at + 1)  # the mark goes with its letter
            continue
        pieces = folded.split(" ") if folded else ["", ""]
        for number, piece in enumerate(pieces):
            if number:  # a separator before this piece
                if current.chars:
                    words.append(current)
                current = _Word()
            current.chars.extend(piece)
            current.origins.extend([(at, at + 1)] * len(piece))
    if current.chars:
        words.append(current)
    return words


_PLUS: Final = re.compile(r"[+\uff0b\ufe62]\s*$")


def _country_code(text: str, word: _Word) -> tuple[int, int]:
    """How many of the word's first digits are the UK's country code (``+44`` or
    ``0044``), and where it starts in ``text`` (its plus sign); (0, 0) if none."""
    folded = word.text
    start = word.origins[0][0]
    if folded.startswith("0044"):
        return 4, start
    if folded.startswith("44"):
        plus = _PLUS.search(text[:start])
        if plus:
            return 2, plus.start()
    return 0, 0


def _national(text: str, words: list[_Word]) -> list[_Word]:
    """Numbers as dialled at home: "+44 1632 ...", "+44 (0)1632 ...", "0044 1632 ..."
    and "+441632..." all become "01632 ...", the "0" standing for the code it replaced."""
    index = 0
    while index < len(words):
        word = words[index]
        size, start = _country_code(text, word)
        if not size:
            index += 1
            continue
        code_end = word.origins[size - 1][1]
        del word.chars[:size], word.origins[:size]
        word.soft = {at - size for at in word.soft if at > size}
        if not word.chars:  # the code was a word of its own: the number goes on after it
            del words[index]
            if index == len(words):
                break
            word = words[index]
        if word.text.startswith("0"):
            word.origins[0] = (start, word.origins[0][1])
        else:
            word.chars.insert(0, "0")
            word.origins.insert(0, (start, code_end))
            word.soft = {at + 1 for at in word.soft}
        index += 1
    return words


def key_of(text: str) -> Key:
    """The key of ``text`` (see the module's docstring)."""
    key = Key("")
    chars: list[str] = []
    for word in _national(text, _words(text)):
        digits = _as_digits(word.text)
        if digits != word.text:
            word.chars = list(digits)
        replaced = STREET_WORDS.get(word.text)
        if replaced is not None:
            # A street word and its abbreviation match whole, and go whole.
            start, end = word.origins[0][0], word.origins[-1][1]
            for at, char in enumerate(replaced):
                chars.append(char)
                key.spans.append((start, end))
                key.can_start.append(at == 0)
                key.can_end.append(at == len(replaced) - 1)
            continue
        for at, char in enumerate(word.chars):
            chars.append(char)
            key.spans.append(word.origins[at])
            key.can_start.append(at == 0 or at in word.soft)
            key.can_end.append(at == len(word.chars) - 1 or at + 1 in word.soft)
    key.chars = "".join(chars)
    return key


@dataclass(frozen=True)
class Needle:
    """One withheld text, as its key, and where it may stand without being withheld.

    ``shields`` are keys of organisation names the record shows (issue 11: a withheld
    town is not struck from "Exampleton Community NHS Trust"): an occurrence lying
    wholly inside an occurrence of one of them is that organisation's name, not the
    withheld text. Only digit-free address lines get shields (see ``redaction``).
    """

    text: str
    key: str
    shields: tuple[str, ...] = ()

    def search(self, text: str) -> bool:
        """Whether ``text`` holds this withheld text (in any spelling, unshielded)."""
        return bool(spans(text, [self]))


def needle(text: str, shields: Iterable[str] = ()) -> Needle:
    key = key_of(text).chars
    if len(key) < 2:
        return Needle(text, key)
    own = tuple(k for k in (key_of(s).chars for s in shields) if key in k and k != key)
    return Needle(text, key, own)


def spans(text: str, needles: Sequence[Needle]) -> list[tuple[int, int]]:
    """The stretches of ``text`` (start, end) holding a withheld text, merged, in order."""
    if text.isascii() and "44" not in text:
        # Most text holds nothing withheld: a plain string's key letters, found in one
        # pass, rule it out before the key is built with every character's place.
        letters = "".join(
            STREET_WORDS.get(word, _as_digits(word)) for word in _ASCII_WORD.findall(text.lower())
        )
        if not any(len(one.key) >= 2 and one.key in letters for one in needles):
            return []
    key = key_of(text)
    found: list[tuple[int, int]] = []
    shielded: dict[str, list[tuple[int, int]]] = {}
    for one in needles:
        if len(one.key) < 2:
            continue  # one letter cannot identify anyone (the literal pattern still runs)
        for first, last in key.find(one.key):
            if one.shields and _inside(first, last, one.shields, key, shielded):
                continue
            found.append((key.spans[first][0], key.spans[last][1]))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(
    first: int,
    last: int,
    shields: Sequence[str],
    key: Key,
    cache: dict[str, list[tuple[int, int]]],
) -> bool:
    for shield in shields:
        if shield not in cache:
            cache[shield] = list(key.find(shield))
        if any(a <= first and last <= b for a, b in cache[shield]):
            return True
    return False


def replace(text: str, found: Sequence[tuple[int, int]], mark: str) -> str:
    out = []
    done = 0
    for start, end in found:
        out.append(text[done:start])
        out.append(mark)
        done = end
    out.append(text[done:])
    return "".join(out)
