"""Our own check of GOV.UK Notify's precompiled letter rules (documents/grid.py).

Written from Notify's published rules, not by calling Notify: A4 portrait, at most 10
pages and 2 MB, fonts embedded; on every page no ink outside x 15-195, y 5-292 mm, and
from page 2 none in Notify's tag box; on page 1 the address alone in its window, read
as Notify reads it (every word touching the reading box), 3 to 7 lines, a UK postcode
on the last line, and nothing between y 30 and 95 outside the logo, sender and address
areas. Ink is found by rendering each page at 200 dpi with poppler's ``pdftoppm`` and
looking for any pixel that is not white; words and their positions come from
``pdftotext -bbox``. Each problem names the page and the area in plain words.

The pages are rendered into a private temporary folder (in memory, /dev/shm, where
there is one) that is removed before the check returns: a letter's pixels never
outlive the command.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reviewdocs.documents import grid
from reviewdocs.documents.grid import Box
from reviewdocs.errors import ReviewdocsError

DPI: Final = 200
_PT_PER_MM: Final = 72 / 25.4
_A4_PT: Final = (grid.A4_MM[0] * _PT_PER_MM, grid.A4_MM[1] * _PT_PER_MM)
_A4_TOLERANCE_PT: Final = 2.0
_TIMEOUT_S: Final = 120

POSTCODE: Final = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
"""A UK postcode in the format Royal Mail issues (letters as they may occur in each
position). We cannot know that a postcode is in use without Royal Mail's address file,
so a well-formed one passes; a misspelt or missing one does not."""

_EVERY_PAGE: Final = (
    ("the top margin", Box(0, 0, 210, grid.PRINTABLE.y0)),
    ("the bottom margin", Box(0, grid.PRINTABLE.y1, 210, 297)),
    ("the left margin", Box(0, 0, grid.PRINTABLE.x0, 297)),
    ("the right margin", Box(grid.PRINTABLE.x1, 0, 210, 297)),
)
_LATER_PAGES: Final = (("Notify's tag box at the top left", grid.NOTIFY_TAG),)
_W, _A = grid.ADDRESS_WINDOW, grid.LOGO_AREA
_PAGE_ONE: Final = (
    ("the space above the address window", Box(_A.x0, _A.y1, grid.SENDER_AREA.x0, _W.y0)),
    ("the space left of the address window", Box(_A.x0, _W.y0, _W.x0, _W.y1)),
    ("the space right of the address window", Box(_W.x1, _W.y0, grid.SENDER_AREA.x0, _W.y1)),
    ("the space below the address window", Box(_A.x0, _W.y1, grid.SENDER_AREA.x0, grid.BODY_TOP)),
)
"""Page 1, between y 30 and 95: only the address window and the sender's block may print."""


@dataclass(frozen=True)
class Problem:
    page: int | None
    message: str

    def line(self, source: str) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{source}: {where}{self.message}"


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


def check_pdf(path: Path) -> list[Problem]:
    """Every way ``path`` breaks Notify's precompiled letter rules (empty: it passes)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Problem(None, f"cannot be read: {exc.strerror or exc}.")]
    return check_bytes(data, path)


def check_bytes(data: bytes, path: Path | None = None) -> list[Problem]:
    problems: list[Problem] = []
    if len(data) > grid.MAX_BYTES:
        problems.append(
            Problem(None, f"is {len(data) / 1048576:.1f} MB; Notify takes at most 2 MB.")
        )
    pages = _page_sizes(data)
    if pages is None:
        return [*problems, Problem(None, "is not a PDF that can be read.")]
    if len(pages) > grid.MAX_PAGES:
        problems.append(
            Problem(None, f"has {len(pages)} pages; Notify takes at most {grid.MAX_PAGES}.")
        )
    for number, (width, height, rotate) in enumerate(pages, start=1):
        portrait = (width, height) if rotate % 180 == 0 else (height, width)
        if not all(abs(a - b) <= _A4_TOLERANCE_PT for a, b in zip(portrait, _A4_PT, strict=True)):
            problems.append(
                Problem(
                    number,
                    f"is {portrait[0] / _PT_PER_MM:.0f} x {portrait[1] / _PT_PER_MM:.0f} mm; "
                    "Notify takes A4 portrait (210 x 297 mm) only.",
                )
            )
    with _quiet_pypdf():
        problems += [Problem(page, msg) for page, msg in _unembedded_fonts(data)]
    with tempfile.TemporaryDirectory(prefix="reviewdocs-check-", dir=_memory_folder()) as tmp:
        source = Path(tmp) / "letter.pdf"
        if path is None:
            source.write_bytes(data)
        else:
            source = path
        problems += _ink_problems(source, Path(tmp), len(pages))
        if pages:
            problems += address_problems(_words(source, page=1))
    return problems


def _memory_folder() -> str | None:
    """/dev/shm where there is one (memory, never the disk: a letter's pages are 4 MB
    each at 200 dpi, and personal); else the system's temporary folder."""
    import os

    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _page_sizes(data: bytes) -> list[tuple[float, float, int]] | None:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            sizes = []
            for page in reader.pages:
                box = page.mediabox
                sizes.append(
                    (float(box.width), float(box.height), int(page.get("/Rotate", 0) or 0))
                )
        return sizes
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf's own log lines and warnings ("invalid pdf header", "EOF marker not found")
    are not for the user: a file that is not a PDF gets our one clear message instead."""
    import logging
    import warnings

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _unembedded_fonts(data: bytes) -> list[tuple[int, str]]:
    """Fonts used but not embedded: Notify's printer would substitute them."""
    import io

    from pypdf import PdfReader

    found: list[tuple[int, str]] = []
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                continue
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                name = str(font.get("/BaseFont", "unnamed")).lstrip("/")
                found.append((number, f"uses the font {name} without embedding it."))
    return found


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(list(args), capture_output=True, timeout=_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise ReviewdocsError(
            f"{args[0]} is not installed: the check needs poppler-utils "
            "(apt-get install poppler-utils)."
        ) from None


def _ink_problems(source: Path, tmp: Path, page_count: int) -> list[Problem]:
    from PIL import Image

    if page_count == 0:
        return []
    done = _run(["pdftoppm", "-r", str(DPI), "-gray", str(source), str(tmp / "page")])
    rendered = sorted(tmp.glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if done.returncode != 0 or len(rendered) != page_count:
        return [Problem(None, "could not be rendered to check where ink falls.")]
    problems: list[Problem] = []
    for number, image_path in enumerate(rendered, start=1):
        with Image.open(image_path) as image:
            # Ink: any pixel that is not pure white (255 stays white, all else black).
            ink = image.convert("L").point([255] * 255 + [0])
        areas = _EVERY_PAGE + (_PAGE_ONE if number == 1 else _LATER_PAGES)
        for name, area in areas:
            found = _ink_in(ink, area)
            if found is not None:
                problems.append(
                    Problem(
                        number, f"has ink in {name} ({area.describe()}), at {found.describe()}."
                    )
                )
        image_path.unlink()
    return problems


def _ink_in(ink: object, area: Box) -> Box | None:
    """Where ``ink`` (white ink on black) has ink inside ``area``, to the nearest pixel.

    A pixel counts when it lies wholly inside the area, so ink exactly on an allowed
    edge is never reported."""
    px = DPI / 25.4
    width, height = ink.size  # type: ignore[attr-defined]
    x0, y0 = min(width, _ceil(area.x0 * px)), min(height, _ceil(area.y0 * px))
    x1, y1 = min(width, int(area.x1 * px)), min(height, int(area.y1 * px))
    if x1 <= x0 or y1 <= y0:
        return None
    box = ink.crop((x0, y0, x1, y1)).getbbox()  # type: ignore[attr-defined]
    if box is None:
        return None
    return Box((x0 + box[0]) / px, (y0 + box[1]) / px, (x0 + box[2]) / px, (y0 + box[3]) / px)


def _ceil(value: float) -> int:
    whole = int(value)
    return whole if whole == value else whole + 1


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def _words(source: Path, *, page: int) -> list[Word]:
    import html

    done = _run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(source), "-"])
    if done.returncode != 0:
        return []
    words = []
    for match in _WORD.finditer(done.stdout.decode("utf-8", "replace")):
        x0, y0, x1, y1 = (float(match.group(i)) / _PT_PER_MM for i in range(1, 5))
        words.append(Word(html.unescape(match.group(5)), Box(x0, y0, x1, y1)))
    return words


def address_lines(words: Sequence[Word]) -> list[str]:
    """The lines Notify would read as the address: every word touching the reading box."""
    touching = [w for w in words if grid.ADDRESS_READ.touches(w.box)]
    lines: list[list[Word]] = []
    for word in sorted(touching, key=lambda w: (w.box.y0, w.box.x0)):
        middle = (word.box.y0 + word.box.y1) / 2
        if lines and lines[-1][0].box.y0 <= middle <= lines[-1][0].box.y1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.box.x0)) for line in lines]


def address_problems(words: Sequence[Word]) -> list[Problem]:
    """Page 1's address as Notify reads it: alone in the window, 3-7 lines, a postcode last."""
    window, read = grid.ADDRESS_WINDOW, grid.ADDRESS_READ
    outside = [
        w
        for w in words
        if read.touches(w.box)
        and not (
            window.x0 <= (w.box.x0 + w.box.x1) / 2 <= window.x1
            and window.y0 <= (w.box.y0 + w.box.y1) / 2 <= window.y1
        )
    ]
    problems = []
    if outside:
        text = " ".join(w.text for w in outside[:8]) + (" ..." if len(outside) > 8 else "")
        problems.append(
            Problem(
                1,
                f'has "{text}" outside the address window ({window.describe()}) but close '
                f"enough that Notify would read it as part of the address "
                f"(it reads every word touching {read.describe()}).",
            )
        )
    lines = address_lines(words)
    if not lines:
        return [
            *problems,
            Problem(1, f"has no address in the address window ({window.describe()})."),
        ]
    shown = " / ".join(lines)
    if not grid.ADDRESS_MIN_LINES <= len(lines) <= grid.ADDRESS_MAX_LINES:
        problems.append(
            Problem(
                1,
                f"has an address of {len(lines)} lines ({shown}); Notify takes "
                f"{grid.ADDRESS_MIN_LINES} to {grid.ADDRESS_MAX_LINES}.",
            )
        )
    if not POSTCODE.match(re.sub(r"\s+", " ", lines[-1].strip().upper())):
        problems.append(
            Problem(
                1,
                f'has no UK postcode on the last line of the address ("{lines[-1]}"); '
                "Notify needs one there.",
            )
        )
    for line in lines:
        if line[:1] in grid.ADDRESS_BAD_FIRST_CHARACTERS:
            problems.append(
                Problem(
                    1,
                    f'has an address line starting with "{line[0]}" ("{line}"); Notify refuses '
                    f"lines starting with any of {grid.ADDRESS_BAD_FIRST_CHARACTERS}.",
                )
            )
    return problems
