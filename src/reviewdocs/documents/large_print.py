"""Large print: a transform of a Word template, done once per template, before the
template is filled. Only run and paragraph properties change, never the text, so the
template's tags still work (issue 6: every run at least 16pt).

One place keeps its size: the recipient's address in the envelope window (a frame
fixed to the page inside GOV.UK Notify's address window, documents/grid.py). A window
is a fixed hole in a fixed envelope; the address must fit it (7 lines in 26.8 mm) and
Notify reprints it at 8pt anyway. Everything else on the page enlarges.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from reviewdocs.documents._page_one import in_window_frame, sender_into_body, unframe
from reviewdocs.errors import ReviewdocsError, TemplateError

MIN_FONT_PT = 16
"""Issue 6: every run of a large print copy is at least 16pt."""
DEFAULT_FONT_PT = 18
MAX_FONT_PT = 72
HEADING_SCALE = 1.33
"""Headings stay larger than the body text they head, so the page keeps its shape."""
MIN_LINE = 276
"""1.15 lines (Word counts auto line spacing in 240ths of a line)."""
WORD_DEFAULT_HALF_POINTS = 20
"""Word's size for text whose styles set none: 10pt."""
SENDER_FRAME_MAX_PT = 32
"""Above this size the council's block no longer fits its 67 mm frame beside the window
(at 48pt it grows past the page), so it opens the body instead, below y 95."""
_DEFAULT_TEXT_WIDTH = 9026
"""A4 (11906 twentieths of a point) less two 1-inch margins, when no section says."""


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS = re.compile(r"word/(document|styles|numbering|footnotes|endnotes|header\d*|footer\d*)\.xml")
_TEXT_PARTS = re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml")


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


_RPR_ORDER = (  # noqa: SIM905
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
    "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position "
    "sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath rPrChange"
).split()
_PPR_ORDER = (  # noqa: SIM905
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
_STYLE_ORDER = (  # noqa: SIM905
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()
_TBLPR_ORDER = (  # noqa: SIM905
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
).split()
_DOC_DEFAULTS_ORDER = ["rPrDefault", "pPrDefault"]
_STYLES_ORDER = ["docDefaults", "latentStyles", "style"]


def large_print(template_docx: bytes, font_size: int = DEFAULT_FONT_PT) -> bytes:
    """The large print form of a Word template (with its docxtpl tags intact).

    Every size is scaled so that body text becomes ``font_size`` pt and nothing is
    under it: the document defaults (which styles and runs without a size inherit),
    every style, direct formatting in the body, headers, footers and notes, and
    paragraph marks. Headings become at least ``font_size`` x 1.33. Line spacing is
    at least 1.15 and exact line heights, which would clip large text, become
    minimums. Tables are 100% of the text width with columns scaled to fit, and
    frames become ordinary paragraphs so that nothing is squeezed into a narrow box.

    ``font_size`` below 16 (issue 6: large print is at least 16pt) or above 72 is a
    ``ReviewdocsError``; a file that is not a Word document is a ``TemplateError``.
    """
    if not MIN_FONT_PT <= font_size <= MAX_FONT_PT:
        raise ReviewdocsError(
            f"Large print needs a font size from {MIN_FONT_PT} to {MAX_FONT_PT} points; "
            f"{font_size} was asked for."
        )
    infos, data = _read_package(template_docx)
    try:
        roots = {name: etree.fromstring(data[name]) for name in data if _PARTS.fullmatch(name)}
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"The Word template is damaged: {exc}") from None
    styles = roots.get("word/styles.xml")
    if styles is None or "word/document.xml" not in roots:
        raise TemplateError("The Word template has no styles or no document part.")

    resolver = _Styles(styles)
    target = font_size * 2
    scale = max(1.0, target / resolver.body_size())
    heading_min = round(target * HEADING_SCALE)
    headings = {sid: resolver.size(sid, "sz") for sid in resolver.heading_ids()}
    text_width = _text_width(roots["word/document.xml"])

    def scaled(half_points: int) -> int:
        return max(target, round(half_points * scale))

    fixed: set[Any] = set()
    for name, root in roots.items():
        if _TEXT_PARTS.fullmatch(name):
            fixed |= _pin_window_paragraphs(root, resolver)
    if font_size > SENDER_FRAME_MAX_PT:
        sender_into_body(roots["word/document.xml"])
    for root in roots.values():
        _enlarge_sizes(root, scaled, fixed)
        _open_line_spacing(root, font_size, fixed)
        _unclip_rows(root)
        unframe(root)
        for tbl_pr in root.iter(_w("tblPr")):
            _loosen_table_properties(tbl_pr)
    for name, root in roots.items():
        if _TEXT_PARTS.fullmatch(name):
            for tbl in root.iter(_w("tbl")):
                _fit_table(tbl, text_width)

    _set_document_defaults(styles, target)
    for sid, size in headings.items():
        rpr = _child(resolver.by_id[sid], "rPr", _STYLE_ORDER)
        _set_size(rpr, max(scaled(size), heading_min))

    for name, root in roots.items():
        data[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _write_package(infos, data)


def smallest_font_pt(docx: bytes) -> float:
    """The smallest effective size, in points, of any run of text in ``docx``.

    Resolves each run as Word does: direct formatting, then its character style,
    then its paragraph style (or the default paragraph style), then the style of
    the table it is in, each through its ``basedOn`` chain, then the document
    defaults, then Word's 10pt. Both ``sz`` and ``szCs`` (complex scripts) count.
    ``inf`` when there is no text. The address in the envelope window is not counted:
    its size is fixed by the window (see the module's docstring).
    """
    _, data = _read_package(docx)
    styles_xml = data.get("word/styles.xml")
    resolver = _Styles(etree.fromstring(styles_xml) if styles_xml else None)
    smallest = math.inf
    for name, xml in data.items():
        if not _TEXT_PARTS.fullmatch(name):
            continue
        for run in etree.fromstring(xml).iter(_w("r")):
            if run.find(_w("t")) is None or in_window_frame(run):
                continue
            for tag in ("sz", "szCs"):
                smallest = min(smallest, resolver.run_size(run, tag) / 2)
    return smallest


class _Styles:
    """Size lookups through a styles part's ``basedOn`` chains."""

    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.defaults: dict[str, str] = {}
        self.doc_size = {"sz": WORD_DEFAULT_HALF_POINTS, "szCs": WORD_DEFAULT_HALF_POINTS}
        if root is None:
            return
        for style in root.iter(_w("style")):
            sid = style.get(_w("styleId"))
            if sid is None:
                continue
            self.by_id[sid] = style
            if style.get(_w("default")) in ("1", "true", "on"):
                self.defaults.setdefault(style.get(_w("type")) or "", sid)
        rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        for tag in ("sz", "szCs"):
            found = _size_of(rpr, tag)
            if found is not None:
                self.doc_size[tag] = found

    def _chain(self, sid: str | None) -> Iterable[Any]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            yield style
            based = style.find(_w("basedOn"))
            sid = None if based is None else based.get(_w("val"))

    def style_size(self, sid: str | None, tag: str) -> int | None:
        for style in self._chain(sid):
            found = _size_of(style.find(_w("rPr")), tag)
            if found is not None:
                return found
        return None

    def size(self, sid: str | None, tag: str) -> int:
        found = self.style_size(sid, tag)
        return self.doc_size[tag] if found is None else found

    def body_size(self) -> int:
        return self.size(self.defaults.get("paragraph"), "sz")

    def heading_ids(self) -> list[str]:
        """Paragraph styles with an outline level 1-9 (directly or inherited), or named so."""
        found = []
        for sid, style in self.by_id.items():
            if style.get(_w("type")) != "paragraph":
                continue
            name_el = style.find(_w("name"))
            name = "" if name_el is None else name_el.get(_w("val"), "")
            if re.fullmatch(r"(heading \d|title)", name.lower()) or any(
                _outline_level(s) is not None for s in self._chain(sid)
            ):
                found.append(sid)
        return found

    def run_size(self, run: Any, tag: str) -> int:
        direct = _size_of(run.find(_w("rPr")), tag)
        if direct is not None:
            return direct
        rstyle = run.find(f"{_w('rPr')}/{_w('rStyle')}")
        if rstyle is not None:
            found = self.style_size(rstyle.get(_w("val")), tag)
            if found is not None:
                return found
        para = next(run.iterancestors(_w("p")), None)
        pstyle = None if para is None else para.find(f"{_w('pPr')}/{_w('pStyle')}")
        found = self.style_size(
            self.defaults.get("paragraph") if pstyle is None else pstyle.get(_w("val")), tag
        )
        if found is not None:
            return found
        table = next(run.iterancestors(_w("tbl")), None)
        if table is not None:
            tstyle = table.find(f"{_w('tblPr')}/{_w('tblStyle')}")
            found = self.style_size(
                self.defaults.get("table") if tstyle is None else tstyle.get(_w("val")), tag
            )
            if found is not None:
                return found
        return self.doc_size[tag]


def _outline_level(style: Any) -> int | None:
    level = style.find(f"{_w('pPr')}/{_w('outlineLvl')}")
    if level is None:
        return None
    value = int(level.get(_w("val"), "9"))
    # Level 9 is Word's "body text": not a heading.
    return value if value < 9 else None


def _size_of(rpr: Any, tag: str) -> int | None:
    if rpr is None:
        return None
    el = rpr.find(_w(tag))
    if el is None or el.get(_w("val")) is None:
        return None
    return int(el.get(_w("val")))


def _child(parent: Any, tag: str, order: list[str]) -> Any:
    """``parent``'s ``w:tag`` child, made in its schema position when missing."""
    found = parent.find(_w(tag))
    if found is not None:
        return found
    new = etree.Element(_w(tag))
    rank = order.index(tag)
    for i, existing in enumerate(parent):
        local = etree.QName(existing).localname if isinstance(existing.tag, str) else ""
        if local in order and order.index(local) > rank:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


def _set_size(rpr: Any, half_points: int) -> None:
    for tag in ("sz", "szCs"):
        _child(rpr, tag, _RPR_ORDER).set(_w("val"), str(half_points))


def _pin_window_paragraphs(root: Any, resolver: _Styles) -> set[Any]:
    """Give the address window's paragraphs their sizes and line spacing directly, as
    the styles have them now, and return their property elements, which large print
    then leaves alone (the styles they use are enlarged for everything else)."""
    pinned: set[Any] = set()
    for para in root.iter(_w("p")):
        if not in_window_frame(para):
            continue
        ppr = _child(para, "pPr", ["pPr"])
        style = ppr.find(_w("pStyle"))
        sid = None if style is None else style.get(_w("val"))
        spacing = _child(ppr, "spacing", _PPR_ORDER)
        for attr in ("line", "lineRule"):
            if spacing.get(_w(attr)) is None:
                for chain in resolver._chain(sid):
                    found = chain.find(f"{_w('pPr')}/{_w('spacing')}")
                    if found is not None and found.get(_w(attr)) is not None:
                        spacing.set(_w(attr), found.get(_w(attr)))
                        break
        pinned.add(spacing)
        mark = _child(ppr, "rPr", _PPR_ORDER)
        targets = [mark, *(_run_properties(r) for r in para.iter(_w("r")))]
        for rpr in targets:
            for tag in ("sz", "szCs"):
                if _size_of(rpr, tag) is None:
                    run = rpr.getparent()
                    size = (
                        resolver.run_size(run, tag)
                        if run.tag == _w("r")
                        else resolver.size(sid or resolver.defaults.get("paragraph"), tag)
                    )
                    _child(rpr, tag, _RPR_ORDER).set(_w("val"), str(size))
            pinned.add(rpr)
    return pinned


def _run_properties(run: Any) -> Any:
    """A run's ``w:rPr``, made as its first child when missing (the schema's place)."""
    found = run.find(_w("rPr"))
    if found is None:
        found = etree.Element(_w("rPr"))
        run.insert(0, found)
    return found


def _enlarge_sizes(root: Any, scaled: Any, fixed: set[Any]) -> None:
    """Scale every ``w:sz``/``w:szCs``; a size for one script is given to the other too."""
    for rpr in root.iter(_w("rPr")):
        if rpr in fixed:
            continue
        sizes = [_size_of(rpr, "sz"), _size_of(rpr, "szCs")]
        present = [s for s in sizes if s is not None]
        if not present:
            continue
        sz, sz_cs = (scaled(s if s is not None else present[0]) for s in sizes)
        _child(rpr, "sz", _RPR_ORDER).set(_w("val"), str(sz))
        _child(rpr, "szCs", _RPR_ORDER).set(_w("val"), str(sz_cs))


def _open_line_spacing(root: Any, font_size: int, fixed: set[Any]) -> None:
    """At least 1.15 lines; an exact height (which clips large text) becomes a minimum."""
    smallest_fixed = round(font_size * 20 * MIN_LINE / 240)
    for spacing in root.iter(_w("spacing")):
        if spacing in fixed:
            continue
        if spacing.getparent().tag != _w("pPr") or spacing.get(_w("line")) is None:
            continue
        rule = spacing.get(_w("lineRule"), "auto")
        line = int(spacing.get(_w("line")))
        if rule == "auto" or line < smallest_fixed:
            spacing.set(_w("lineRule"), "auto")
            spacing.set(_w("line"), str(max(line, MIN_LINE) if rule == "auto" else MIN_LINE))
        else:
            spacing.set(_w("lineRule"), "atLeast")


def _unclip_rows(root: Any) -> None:
    for height in root.iter(_w("trHeight")):
        if height.get(_w("hRule")) == "exact":
            height.set(_w("hRule"), "atLeast")


def _loosen_table_properties(tbl_pr: Any) -> None:
    """Autofit layout and no indent: a fixed layout or an indent pushes large text off the page."""
    layout = tbl_pr.find(_w("tblLayout"))
    if layout is not None:
        tbl_pr.remove(layout)
    indent = tbl_pr.find(_w("tblInd"))
    if indent is not None:
        indent.set(_w("w"), "0")
        indent.set(_w("type"), "dxa")


def _fit_table(tbl: Any, text_width: int) -> None:
    """100% of the text width, with the grid scaled to it and cell widths as shares."""
    tbl_pr = tbl.find(_w("tblPr"))
    if tbl_pr is None:
        tbl_pr = etree.Element(_w("tblPr"))
        tbl.insert(0, tbl_pr)
    width = _child(tbl_pr, "tblW", _TBLPR_ORDER)
    width.set(_w("w"), "5000")  # fiftieths of a percent
    width.set(_w("type"), "pct")

    grid = tbl.find(_w("tblGrid"))
    cols = [] if grid is None else list(grid.iter(_w("gridCol")))
    total = sum(int(c.get(_w("w"), "0")) for c in cols)
    nested = next(tbl.iterancestors(_w("tbl")), None) is not None
    if total > 0 and (not nested or total > text_width):
        for col in cols:
            col.set(_w("w"), str(int(int(col.get(_w("w"), "0")) * text_width / total)))
    for row in tbl.iter(_w("tr")):
        if next(row.iterancestors(_w("tbl"))) is not tbl:
            continue
        widths = [w for w in row.iterfind(f"{_w('tc')}/{_w('tcPr')}/{_w('tcW')}")]
        fixed = [w for w in widths if w.get(_w("type"), "dxa") == "dxa"]
        # Cell widths that add up to more than the grid would still overflow as shares.
        whole = max(total, sum(int(w.get(_w("w"), "0")) for w in fixed))
        for tc_w in fixed:
            share = int(tc_w.get(_w("w"), "0"))
            if whole > 0 and share > 0:
                tc_w.set(_w("w"), str(5000 * share // whole))
                tc_w.set(_w("type"), "pct")
            else:
                tc_w.set(_w("w"), "0")
                tc_w.set(_w("type"), "auto")


def _text_width(document: Any) -> int:
    """The narrowest section's page width less its margins and gutter."""
    widths = []
    for sect in document.iter(_w("sectPr")):
        size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
        if size is None or margins is None or size.get(_w("w")) is None:
            continue
        used = sum(int(margins.get(_w(side), "0")) for side in ("left", "right", "gutter"))
        widths.append(int(size.get(_w("w"))) - used)
    return min((w for w in widths if w > 0), default=_DEFAULT_TEXT_WIDTH)


def _set_document_defaults(styles: Any, target: int) -> None:
    """What every style and run without its own size or spacing inherits."""
    defaults = _child(styles, "docDefaults", _STYLES_ORDER)
    rpr = _child(_child(defaults, "rPrDefault", _DOC_DEFAULTS_ORDER), "rPr", ["rPr"])
    for tag in ("sz", "szCs"):
        el = _child(rpr, tag, _RPR_ORDER)
        el.set(_w("val"), str(max(target, int(el.get(_w("val"), "0")))))
    ppr = _child(_child(defaults, "pPrDefault", _DOC_DEFAULTS_ORDER), "pPr", ["pPr"])
    spacing = _child(ppr, "spacing", _PPR_ORDER)
    if spacing.get(_w("line")) is None:
        spacing.set(_w("line"), str(MIN_LINE))
        spacing.set(_w("lineRule"), "auto")


def _read_package(docx: bytes) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            infos = zf.infolist()
            return infos, {info.filename: zf.read(info) for info in infos}
    except zipfile.BadZipFile as exc:
        raise TemplateError(f"Not a Word document (.docx): {exc}") from None


def _write_package(infos: list[zipfile.ZipInfo], data: Mapping[str, bytes]) -> bytes:
    # Same entries, order and dates as the template: the same template gives the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in infos:
            zf.writestr(info, data[info.filename], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
