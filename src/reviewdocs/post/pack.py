"""The print pack for an in-house post room: one PDF, sorted by postcode, and a manifest.

The pack's first page counts the envelopes and pages; every envelope follows, its first
page addressed for the window, in postcode order (a mail sorter's order, and the order
Royal Mail's bulk discounts ask for). The CSV manifest lists each envelope with its
pages in the pack: UTF-8 with a byte order mark (so Excel reads accents), every cell
safe from being read as a formula, readable by its owner only.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from reviewdocs.files import write_atomic
from reviewdocs.post.envelopes import Envelope

PACK_PDF: Final = "post-pack.pdf"
PACK_CSV: Final = "post-pack.csv"
MANIFEST_COLUMNS: Final = (
    "sequence",
    "postcode",
    "recipient",
    "review_id",
    "envelope",
    "pages",
    "pack_first_page",
    "pack_last_page",
    "variant",
    "file",
    "sha256",
)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def postcode_key(envelope: Envelope) -> tuple[str, int, str, str, str, int]:
    """Area letters, district number as a number (EX9 before EX10), the rest of the
    outward code, the inward code, then the file and envelope number: a stable order."""
    code = re.sub(r"\s+", "", envelope.postcode.upper())
    outward, inward = code[:-3], code[-3:]
    found = re.fullmatch(r"([A-Z]+)(\d+)(\w*)", outward)
    area, district, rest = found.groups() if found else (outward, "0", "")
    return area, int(district), rest, inward, envelope.relpath, envelope.number


def safe_cell(value: object) -> str:
    """A manifest cell that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_pack(envelopes: Sequence[Envelope], out_dir: Path, *, left_out: int = 0) -> list[str]:
    """Write ``post-pack.pdf`` and ``post-pack.csv``; the lines to tell the user."""
    from pypdf import PdfReader, PdfWriter

    ordered = sorted(envelopes, key=postcode_key)
    total_pages = sum(e.pages for e in ordered)
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(_first_page(ordered, total_pages, left_out))).pages[0])
    rows = []
    page = 2
    for sequence, env in enumerate(ordered, start=1):
        reader = PdfReader(env.path)
        for one in reader.pages:
            writer.add_page(one)
        rows.append(
            (
                sequence,
                env.postcode,
                env.recipient_name,
                env.review_id,
                f"{env.number} of {env.of}",
                env.pages,
                page,
                page + env.pages - 1,
                env.variant,
                env.relpath,
                env.sha256,
            )
        )
        page += env.pages
    writer.add_metadata({"/Title": "Print pack"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(out_dir / PACK_PDF, buffer.getvalue())
    text = io.StringIO(newline="")
    table = csv.writer(text)
    table.writerow(MANIFEST_COLUMNS)
    for row in rows:
        table.writerow([safe_cell(v) for v in row])
    write_atomic(out_dir / PACK_CSV, text.getvalue().encode("utf-8-sig"))
    return [
        f"Print pack: {out_dir / PACK_PDF} ({len(ordered)} envelope(s), {total_pages} page(s), "
        f"sorted by postcode); manifest: {out_dir / PACK_CSV}"
        + (
            f"; {left_out} envelope(s) left out because they fail Notify's rules"
            if left_out
            else ""
        )
    ]


def _first_page(envelopes: Sequence[Envelope], total_pages: int, left_out: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from reviewdocs.post.cover import _fonts

    regular, bold = _fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1, invariant=1, initialFontName=regular)
    pdf.setTitle("Print pack")
    y = A4[1] - 30 * mm

    def line(text: str, font: str = regular, size: float = 12) -> None:
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawString(20 * mm, y, text)
        y -= size * 1.5

    line("Print pack", bold, 20)
    line(f"Envelopes: {len(envelopes)}")
    line(f"Pages: {total_pages} (this page not counted)")
    line(f"Sheets if printed single-sided: {total_pages}")
    by_pages = Counter(e.pages for e in envelopes)
    for pages in sorted(by_pages):
        line(f"Envelopes of {pages} page(s): {by_pages[pages]}")
    by_variant = Counter(e.variant.replace("_", " ") for e in envelopes)
    for variant in sorted(by_variant):
        line(f"{variant.capitalize()}: {by_variant[variant]} envelope(s)")
    split = sum(1 for e in envelopes if e.of > 1)
    if split:
        line(f'Envelopes in numbered sets ("envelope 1 of 2"): {split}; keep each set together.')
    if left_out:
        line(
            f"Left out: {left_out} envelope(s) that fail Notify's rules (see the command's output)."
        )
    line("Sorted by postcode. The manifest (post-pack.csv) lists each envelope's pages.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
