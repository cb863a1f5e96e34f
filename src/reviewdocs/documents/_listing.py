"""docxtpl's listing resolution (a newline in a value becomes a line break), fast.

docxtpl runs it over the whole part; it changes nothing in a paragraph without a
tab, newline, \\a or \\f, so running it on just those paragraphs gives the same XML
at a fraction of the cost. tests/test_engine.py compares the two.
"""

from __future__ import annotations

import itertools
import re

from reviewdocs.documents._package import DOCXTPL


def resolve_listing(xml: str) -> str:
    """docxtpl's listing resolution, applied only to the paragraphs that need it.

    docxtpl runs it over the whole part; it changes nothing in a paragraph without a
    tab, newline, \\a or \\f, so running it on just those paragraphs gives the same XML
    at a fraction of the cost.
    """
    at = _next_listing(xml, 0)
    if at < 0:
        return xml
    out = []
    done = 0
    while at >= 0:
        start = max(xml.rfind("<w:p>", done, at), xml.rfind("<w:p ", done, at))
        end = xml.find("</w:p>", at)
        if start < 0 or end < 0:
            at = _next_listing(xml, at + 1)
            continue
        end += len("</w:p>")
        out.append(xml[done:start])
        out.append(_resolve_paragraph(xml[start:end]))
        done = end
        at = _next_listing(xml, end)
    out.append(xml[done:])
    return "".join(out)


def _next_listing(xml: str, start: int) -> int:
    """Where the next tab, newline, \\a or \\f is, or -1 (``str.find`` for each: a
    regular expression's character class scans a part's text several times slower)."""
    found = [at for at in map(xml.find, _LISTING, itertools.repeat(start)) if at >= 0]
    return min(found) if found else -1


_LISTING = ("\t", "\n", "\x07", "\x0c")


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def _resolve_paragraph(xml: str) -> str:
    """docxtpl's ``resolve_listing`` for one paragraph.

    Its common case, line breaks only (an address, a multi-line answer), is done here
    with the same three patterns compiled once: docxtpl looks each pattern up again per
    paragraph, run and text, and also finds the paragraph's and run's properties, which
    only a tab, \a or \f uses. That was a fifth of a letter's rendering. With those
    characters, docxtpl's own code runs. tests/test_engine.py compares the two.
    """
    if "\t" in xml or "\x07" in xml or "\x0c" in xml:
        return str(DOCXTPL.resolve_listing(xml))

    def text(match: re.Match[str]) -> str:
        return match.group(0).replace("\n", _LINE_BREAK)

    def run(match: re.Match[str]) -> str:
        return _TEXT.sub(text, match.group(0))

    def paragraph(match: re.Match[str]) -> str:
        return _RUN.sub(run, match.group(0))

    return _PARAGRAPH.sub(paragraph, xml)
