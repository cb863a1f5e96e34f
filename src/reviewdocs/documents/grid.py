"""GOV.UK Notify's precompiled letter grid: where page 1 may carry what.

Millimetres from the top-left corner of an A4 page, as Notify's published validation
code has them. The letter templates are laid out on this grid (tools/build_templates.py),
large print keeps the address frame inside the window (``accessible.py``), and the post
stage checks finished PDFs against it (``reviewdocs.post.check``). docs/post.md explains
each area.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Box(NamedTuple):
    """A rectangle in mm: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, other: Box) -> bool:
        return (
            self.x0 <= other.x0
            and self.y0 <= other.y0
            and other.x1 <= self.x1
            and other.y1 <= self.y1
        )

    def touches(self, other: Box) -> bool:
        return not (
            other.x1 < self.x0 or other.x0 > self.x1 or other.y1 < self.y0 or other.y0 > self.y1
        )

    def describe(self) -> str:
        return f"x {_mm(self.x0)}-{_mm(self.x1)} mm, y {_mm(self.y0)}-{_mm(self.y1)} mm"


def _mm(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


A4_MM: Final = (210.0, 297.0)
MAX_PAGES: Final = 10
MAX_BYTES: Final = 2 * 1024 * 1024

PRINTABLE: Final = Box(15, 5, 195, 292)
"""Every page: nothing printed outside this."""
NOTIFY_TAG: Final = Box(0, 0, 15.2, 6.1)
"""Page 2 onwards: Notify prints its own mark here."""

ADDRESS_WINDOW: Final = Box(24.6, 39.5, 120, 66.3)
"""Page 1: the recipient's address, and nothing else, goes here."""
ADDRESS_READ: Final = Box(21.6, 36.5, 123, 69.3)
"""Page 1: every word touching this box is read as the address."""
LOGO_AREA: Final = Box(15, 5, 125, 30)
SENDER_AREA: Final = Box(125, 5, 195, 95)
BODY_TOP: Final = 95.0

ADDRESS_MIN_LINES: Final = 3
ADDRESS_MAX_LINES: Final = 7
ADDRESS_BAD_FIRST_CHARACTERS: Final = '@()=[]"\\/,<>~'
"""No address line may start with one of these (Notify's rule)."""

TWIPS_PER_MM: Final = 1440 / 25.4


def in_address_window(x_twips: int, y_twips: int) -> bool:
    """Whether a page-anchored frame placed at (x, y) starts inside the address window:
    the large print transform keeps such a frame, and its text size, as they are."""
    x, y = x_twips / TWIPS_PER_MM, y_twips / TWIPS_PER_MM
    return ADDRESS_WINDOW.x0 <= x < ADDRESS_WINDOW.x1 and ADDRESS_WINDOW.y0 <= y < ADDRESS_WINDOW.y1


def on_page_one_grid(x_twips: int, y_twips: int) -> bool:
    """Whether a page-anchored frame at (x, y) starts in the address window, the sender's
    area or the logo area: large print leaves such a frame where it is."""
    x, y = x_twips / TWIPS_PER_MM, y_twips / TWIPS_PER_MM
    return in_address_window(x_twips, y_twips) or any(
        area.x0 <= x < area.x1 and area.y0 <= y < area.y1 for area in (SENDER_AREA, LOGO_AREA)
    )
