"""Draw the blank review form with reportlab: one column, label, help, then the widget."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reviewdocs.intake.form._layout import (
    FORM_ID,
    MARKER_FIELD,
    Field,
    Kind,
    Section,
    plan_name,
    sections,
)

PAGE_W, PAGE_H = A4
MARGIN = 42.0
WIDTH = PAGE_W - 2 * MARGIN
TOP = PAGE_H - MARGIN - 14  # room for the running header
BOTTOM = MARGIN + 14  # room for the page number

LABEL_FONT, LABEL_SIZE, LABEL_LEAD = "Helvetica-Bold", 10.0, 12.5
HELP_FONT, HELP_SIZE, HELP_LEAD = "Helvetica-Oblique", 8.5, 10.5
BODY_FONT = "Helvetica"
FIELD_SIZE = 10.0
LINE_H = 13.0  # one text line inside a box
BOX_PAD = 5.0
GAP = 9.0
RADIO = 11.0
GREY = Color(0.3, 0.3, 0.3)
BORDER = Color(0.35, 0.35, 0.45)
FILL = Color(0.94, 0.96, 1.0)
_CHOOSE = "(choose one)"
COLUMN_GAP = 14.0
_SHORT = (Kind.TEXT, Kind.DATE, Kind.COMBO)
_HALF = (WIDTH - COLUMN_GAP) / 2


def form_bytes(plan_type: str) -> bytes:
    """The blank form for ``plan_type`` as PDF bytes (the same bytes every time)."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    title = f"Review of a {plan_name(plan_type)}"
    canvas.setTitle(title)
    canvas.setSubject(FORM_ID)
    canvas.setCreator("reviewdocs")
    canvas.setAuthor("reviewdocs")
    _Drawer(canvas, title, plan_type).draw(sections(plan_type))
    canvas.save()
    return _field_tree(buf.getvalue())


def _field_tree(pdf: bytes) -> bytes:
    """Turn the flat dotted names reportlab writes into a tree of fields.

    A partial field name must not contain a period (PDF 32000-1 12.7.3.2), and
    PDFBox, PDFsharp and PdfPig refuse or misread one that does. So ``a.b.c``
    becomes field ``c`` under ``b`` under ``a``: the fully qualified name that
    every PDF tool reports is still ``a.b.c``.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    acro: Any = writer.root_object["/AcroForm"].get_object()
    roots = ArrayObject()
    branches: dict[str, tuple[IndirectObject, ArrayObject]] = {}
    for ref in acro["/Fields"]:
        node = ref.get_object()
        *path, leaf = str(node["/T"]).split(".")
        kids, parent = roots, None
        for depth in range(len(path)):
            name = ".".join(path[: depth + 1])
            if name not in branches:
                branch_kids = ArrayObject()
                branch = DictionaryObject(
                    {
                        NameObject("/T"): TextStringObject(path[depth]),
                        NameObject("/Kids"): branch_kids,
                    }
                )
                if parent is not None:
                    branch[NameObject("/Parent")] = parent
                branches[name] = (writer._add_object(branch), branch_kids)
                kids.append(branches[name][0])
            parent, kids = branches[name]
        node[NameObject("/T")] = TextStringObject(leaf)
        if parent is not None:
            node[NameObject("/Parent")] = parent
        kids.append(ref)
    acro[NameObject("/Fields")] = roots
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Drawer:
    def __init__(self, canvas: Canvas, title: str, plan_type: str) -> None:
        self.c = canvas
        self.form = canvas.acroForm
        self.title = title
        self.plan_type = plan_type
        self.page = 1
        self.y = TOP
        self.x = MARGIN  # the column being drawn: the full width, or half of it
        self.w = WIDTH

    def draw(self, all_sections: tuple[Section, ...]) -> None:
        self._header()
        self._marker()
        self._intro()
        for section in all_sections:
            self._section(section)
        self._footer()

    # pages -----------------------------------------------------------------

    def _header(self) -> None:
        self.c.setFont(BODY_FONT, 8)
        self.c.setFillColor(GREY)
        self.c.drawString(MARGIN, PAGE_H - MARGIN + 4, self.title)
        self.c.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN + 4, "Official: sensitive")
        self.c.setFillColor(black)

    def _footer(self) -> None:
        self.c.setFont(BODY_FONT, 8)
        self.c.setFillColor(GREY)
        self.c.drawString(MARGIN, MARGIN - 6, FORM_ID)
        self.c.drawRightString(PAGE_W - MARGIN, MARGIN - 6, f"Page {self.page}")
        self.c.setFillColor(black)

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._footer()
            self.c.showPage()
            self.page += 1
            self.y = TOP
            self._header()

    # blocks ----------------------------------------------------------------

    def _marker(self) -> None:
        # Hidden and read-only: identifies a completed copy as our form, and its version.
        self.form.textfield(
            name=MARKER_FIELD,
            value=FORM_ID,
            x=MARGIN,
            y=PAGE_H - 10,
            width=1,
            height=1,
            borderWidth=0,
            maxlen=0,
            annotationFlags="hidden",
            fieldFlags="readOnly",
        )

    def _intro(self) -> None:
        self.c.setFont("Helvetica-Bold", 16)
        self.c.drawString(MARGIN, self.y - 16, self.title)
        self.y -= 26
        text = (
            "Fill this form in during or after the review conversation. Answer every Yes/No "
            "question: an unanswered question is reported, never taken as No. Lists take one "
            "item per line. Dates are YYYY-MM-DD. Then run: reviewdocs validate FORM.pdf"
        )
        self._paragraph(text, HELP_FONT, 9.5, 12)
        self.y -= GAP

    def _section(self, section: Section) -> None:
        first = section.fields[0]
        intro = simpleSplit(section.intro, HELP_FONT, 9, WIDTH) if section.intro else []
        self._need(22 + len(intro) * 11 + self._field_height(first))
        self.c.setFillColor(Color(0.12, 0.2, 0.45))
        self.c.setFont("Helvetica-Bold", 13)
        self.c.drawString(MARGIN, self.y - 13, section.title)
        self.c.setFillColor(black)
        self.y -= 20
        if intro:
            self._paragraph(section.intro, HELP_FONT, 9, 11)
        self.y -= 4
        for row in _rows(section.fields):
            self._row(row)
        self.y -= GAP

    def _row(self, row: tuple[Field, ...]) -> None:
        """One field across the page, or two short ones side by side."""
        width = (WIDTH - COLUMN_GAP * (len(row) - 1)) / len(row)
        self._need(max(self._field_height(f, width) for f in row))
        # Boxes side by side line up even when only one of them has help text.
        heading = max(self._heading_height(f, width) for f in row)
        top, bottom = self.y, self.y
        for i, field in enumerate(row):
            self.x, self.w, self.y = MARGIN + i * (width + COLUMN_GAP), width, top
            self._field(field, heading)
            bottom = min(bottom, self.y)
        self.x, self.w, self.y = MARGIN, WIDTH, bottom

    def _paragraph(self, text: str, font: str, size: float, lead: float) -> None:
        self.c.setFont(font, size)
        for line in simpleSplit(text, font, size, WIDTH):
            self.c.drawString(MARGIN, self.y - size, line)
            self.y -= lead

    def _label_lines(self, field: Field, width: float) -> tuple[list[str], list[str]]:
        label = simpleSplit(field.label, LABEL_FONT, LABEL_SIZE, width)
        helps = simpleSplit(field.help, HELP_FONT, HELP_SIZE, width) if field.help else []
        return label, helps

    def _heading_height(self, field: Field, width: float) -> float:
        label, helps = self._label_lines(field, width)
        return len(label) * LABEL_LEAD + len(helps) * HELP_LEAD

    def _field_height(self, field: Field, width: float = WIDTH) -> float:
        return self._heading_height(field, width) + self._widget_height(field, width) + GAP + 2

    def _widget_height(self, field: Field, width: float = WIDTH) -> float:
        if field.kind in (Kind.NOTE, Kind.LINES):
            return field.lines * LINE_H + BOX_PAD
        if field.kind in (Kind.RADIO, Kind.BOOL):
            return len(self._option_rows(field, width)) * (RADIO + 6)
        return LINE_H + BOX_PAD + 2

    def _field(self, field: Field, heading: float) -> None:
        top = self.y
        label, helps = self._label_lines(field, self.w)
        self.c.setFont(LABEL_FONT, LABEL_SIZE)
        for line in label:
            self.c.drawString(self.x, self.y - LABEL_SIZE, line)
            self.y -= LABEL_LEAD
        self.c.setFillColor(GREY)
        self.c.setFont(HELP_FONT, HELP_SIZE)
        for line in helps:
            self.c.drawString(self.x, self.y - HELP_SIZE, line)
            self.y -= HELP_LEAD
        self.c.setFillColor(black)
        self.y = top - heading - 2
        _WIDGETS[field.kind](self, field)
        self.y -= GAP

    # widgets ---------------------------------------------------------------

    def _common(self, field: Field) -> dict[str, object]:
        return {
            "name": field.path,
            "tooltip": field.label + (" " + field.help if field.help else ""),
            "borderColor": BORDER,
            "fillColor": FILL,
            "textColor": black,
            "borderWidth": 0.8,
        }

    def _text(self, field: Field) -> None:
        height = self._widget_height(field)
        multiline = field.kind in (Kind.NOTE, Kind.LINES)
        self.form.textfield(
            x=self.x,
            y=self.y - height,
            width=self.w if multiline or field.kind is Kind.TEXT else min(self.w, 120),
            height=height,
            value="",
            maxlen=0,
            fontName=BODY_FONT,
            fontSize=FIELD_SIZE,
            fieldFlags="multiline" if multiline else "",
            **self._common(field),
        )
        self.y -= height

    def _combo(self, field: Field) -> None:
        height = self._widget_height(field)
        self.form.choice(
            x=self.x,
            y=self.y - height,
            width=min(self.w, 300),
            height=height,
            # A first choice exporting a blank (" ": PyMuPDF refuses empty strings) that
            # reads as "not answered";
            # it is also the initial value, as reportlab needs one.
            value=_CHOOSE,
            options=[(_CHOOSE, " ")] + [(label, code) for code, label in field.options],
            fontName=BODY_FONT,
            fontSize=FIELD_SIZE,
            **self._common(field),
        )
        self.y -= height

    def _option_rows(self, field: Field, width: float) -> list[list[tuple[str, str, float]]]:
        """Options flowed into rows: (code, label, width) each."""
        rows: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        for code, label in field.options:
            w = RADIO + 4 + self.c.stringWidth(label, BODY_FONT, FIELD_SIZE) + 16
            if rows[-1] and used + w > width:
                rows.append([])
                used = 0.0
            rows[-1].append((code, label, w))
            used += w
        return rows

    def _radio(self, field: Field) -> None:
        # Kids are drawn in option order: a reader can map a renamed on-state back by position.
        common = self._common(field)
        for row in self._option_rows(field, self.w):
            x = self.x
            for code, label, w in row:
                self.form.radio(
                    value=code,
                    selected=False,
                    x=x,
                    y=self.y - RADIO,
                    size=RADIO,
                    buttonStyle="circle",
                    shape="circle",
                    fieldFlags="noToggleToOff radio",
                    **common,
                )
                self.c.setFont(BODY_FONT, FIELD_SIZE)
                self.c.drawString(x + RADIO + 4, self.y - RADIO + 2, label)
                x += w
            self.y -= RADIO + 6

    def _tick(self, field: Field) -> None:
        self.form.checkbox(
            x=MARGIN,
            y=self.y - RADIO - 2,
            size=RADIO + 2,
            checked=False,
            buttonStyle="check",
            fieldFlags="",
            **self._common(field),
        )
        self.c.setFont(BODY_FONT, FIELD_SIZE)
        self.c.drawString(MARGIN + RADIO + 8, self.y - RADIO + 1, "Yes")
        self.y -= self._widget_height(field)

    def _fixed(self, field: Field) -> None:
        # The plan type is chosen when the form is made (its questions differ), so the
        # value is hidden and read-only; the page shows its name.
        self.c.setFont(BODY_FONT, FIELD_SIZE)
        self.c.drawString(MARGIN, self.y - FIELD_SIZE, plan_name(self.plan_type))
        self.form.textfield(
            name=field.path,
            value=self.plan_type,
            x=MARGIN,
            y=self.y - 1,
            width=1,
            height=1,
            maxlen=0,
            borderWidth=0,
            annotationFlags="hidden",
            fieldFlags="readOnly",
        )
        self.y -= self._widget_height(field)


_WIDGETS: dict[Kind, Callable[[_Drawer, Field], None]] = {
    Kind.TEXT: _Drawer._text,
    Kind.DATE: _Drawer._text,
    Kind.NOTE: _Drawer._text,
    Kind.LINES: _Drawer._text,
    Kind.BOOL: _Drawer._radio,
    Kind.RADIO: _Drawer._radio,
    Kind.COMBO: _Drawer._combo,
    Kind.TICK: _Drawer._tick,
    Kind.FIXED: _Drawer._fixed,
}


def _rows(fields: tuple[Field, ...]) -> list[tuple[Field, ...]]:
    """Pair consecutive short one-line fields (names, phones, dates, choices) to save pages."""
    rows: list[tuple[Field, ...]] = []
    pending: Field | None = None
    for f in fields:
        if not _fits_half(f):
            if pending:
                rows.append((pending,))
                pending = None
            rows.append((f,))
        elif pending:
            rows.append((pending, f))
            pending = None
        else:
            pending = f
    if pending:
        rows.append((pending,))
    return rows


def _fits_half(field: Field) -> bool:
    if field.kind in _SHORT:
        return True
    # A short Yes/No question without help reads as well in half the width.
    return (
        field.kind is Kind.BOOL
        and not field.help
        and stringWidth(field.label, LABEL_FONT, LABEL_SIZE) <= _HALF
    )
