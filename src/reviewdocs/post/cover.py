"""The letter page that starts each envelope of a split posting: "Envelope 1 of 2".

Drawn with reportlab straight onto Notify's page-1 grid (documents/grid.py): the
address at the same fixed place and size as the letter templates' window frame, the
council's block at the top right, and from y 95 the review number, reference and date,
then what this envelope holds. Text is in the variant's size (12pt, 16pt easy read, the
large print size), except the address, which the window fixes. Liberation Sans (metric
twin of Arial) is embedded, as Notify requires.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reviewdocs.documents import grid
from reviewdocs.errors import ReviewdocsError

_FONT_DIRS: Final = (
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/liberation"),
    Path("/usr/share/fonts/liberation-sans"),
)
ADDRESS_PT: Final = 10
ADDRESS_LEADING: Final = 10.5
ADDRESS_X_MM: Final = 25.5
ADDRESS_Y_MM: Final = 40.5
SENDER_X_MM: Final = 127
SENDER_Y_MM: Final = 10
SENDER_W_MM: Final = 67
LEFT_MM: Final = 20
RIGHT_MM: Final = 190


@dataclass(frozen=True)
class CoverPage:
    number: int
    of: int
    address: Sequence[str]
    sender: Sequence[str]
    references: Sequence[str]
    holds: Sequence[str]
    font_pt: float


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("ReviewdocsSans", "ReviewdocsSans-Bold")
    if names[0] in pdfmetrics.getRegisteredFontNames():
        return names
    for folder in _FONT_DIRS:
        regular, bold = folder / "LiberationSans-Regular.ttf", folder / "LiberationSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(names[0], str(regular)))
            pdfmetrics.registerFont(TTFont(names[1], str(bold)))
            return names
    raise ReviewdocsError(
        "The Liberation Sans font is not installed (fonts-liberation): it is needed for "
        "the envelope cover pages."
    )


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` points; a word longer than a line (an
    email address in large print) is broken between characters rather than overflow."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while stringWidth(word, font, size) > width:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def cover_pdf(page: CoverPage, *, title: str) -> bytes:
    """An A4 page, "Envelope N of M", addressed for the window (more pages only when the
    text is too large for one)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1, invariant=1, initialFontName=regular)
    pdf.setTitle(title)
    pdf.setAuthor(page.sender[0] if page.sender else "")
    _, height = A4

    def top(y_mm: float) -> float:
        return height - y_mm * mm

    # The address: fixed size and place, inside the window (grid.ADDRESS_WINDOW).
    y = top(ADDRESS_Y_MM) - ADDRESS_PT
    pdf.setFont(regular, ADDRESS_PT)
    for line in page.address:
        pdf.drawString(ADDRESS_X_MM * mm, y, line)
        y -= ADDRESS_LEADING

    # The council's block, x 127-194 mm, where it fits above the body at this size
    # (it may run on a little below y 95, beside the body). Where it would not (very
    # large print), it opens the body instead: Notify needs no sender block.
    size, leading = page.font_pt, page.font_pt * 1.2
    blocks = [
        (part, bold if i == 0 else regular)
        for i, line in enumerate(page.sender)
        for part in wrap(line, bold if i == 0 else regular, size, SENDER_W_MM * mm)
    ]
    in_frame = len(blocks) * leading <= (grid.BODY_TOP + 40 - SENDER_Y_MM) * mm
    y = top(SENDER_Y_MM) - size
    sender_bottom = height * 2
    if in_frame:
        for part, font in blocks:
            pdf.setFont(font, size)
            pdf.drawString(SENDER_X_MM * mm, y, part)
            y -= leading
        sender_bottom = y + leading - size * 0.3
    y = top(grid.BODY_TOP) - size

    def write(text: str, font: str, pt: float, after: float = 0.0) -> None:
        """Left column beside the council's block while it runs on, then full width."""
        nonlocal y, sender_bottom
        words = text.split()
        while words:
            if y < 25 * mm:
                # Very large print: the cover runs on to a second page (split() allows
                # for it), which only the every-page rules govern.
                pdf.showPage()
                y, sender_bottom = top(20) - pt, height * 2
            beside = y + pt > sender_bottom
            width = ((SENDER_X_MM - 3 if beside else RIGHT_MM) - LEFT_MM) * mm
            line = wrap(" ".join(words), font, pt, width)[0]
            pdf.setFont(font, pt)
            pdf.drawString(LEFT_MM * mm, y, line)
            y -= pt * 1.25
            words = " ".join(words)[len(line) :].split()
        y -= after

    if not in_frame:
        for i, line in enumerate(page.sender):
            write(line, bold if i == 0 else regular, size)
        y -= size * 0.5
    for line in page.references:
        write(line, regular, size)
    y -= size * 0.5
    write(f"Envelope {page.number} of {page.of}", bold, size * 1.4, after=size * 0.5)
    write(
        f"Your letter and what comes with it were too long for one envelope, so we have "
        f"sent them in {page.of} envelopes. Please keep them together.",
        regular,
        size,
        after=size * 0.5,
    )
    write("This envelope holds:", bold, size)
    for line in page.holds:
        write(f"\u2022 {line}", regular, size)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
