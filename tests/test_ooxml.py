"""Word will open what we make: the package and its XML as ECMA-376 (transitional) requires.

LibreOffice forgives what Word refuses ("Word found unreadable content"): property
elements out of their schema sequence, a table cell with no paragraph, a relationship
pointing at a missing part, a part without a content type. These tests check every
template in templates/docx/ and every document rendered from every sample, in the
standard, large print and easy read variants, against order tables written out by
hand from the schema's sequences (wml.xsd: CT_RPr, CT_PPr, CT_TblPr, CT_TcPr,
CT_TrPr, CT_SectPr, CT_TblBorders, CT_Style, CT_Settings).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from conftest import DECLINED_AMENDMENT, PROVIDER_RECIPIENT
from reviewdocs import codes
from reviewdocs.decision.rules import decide
from reviewdocs.documents import render_document
from reviewdocs.documents.accessible import large_print
from reviewdocs.intake import schemas

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates" / "docx").glob("*.docx"))
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
PRODUCED = dt.date(2026, 11, 13)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _seq(text: str) -> dict[str, int]:
    """A schema sequence as name -> rank; names joined by ``|`` share a rank (a choice)."""
    ranks: dict[str, int] = {}
    for rank, group in enumerate(text.split()):
        for name in group.split("|"):
            ranks[name] = rank
    return ranks


# EG_RPrBase (+ CT_ParaRPr's leading revision marks and the trailing rPrChange).
RPR = _seq(
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
    "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position "
    "sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath rPrChange"
)
# CT_PPrBase, then CT_PPr's rPr, sectPr, pPrChange.
PPR = _seq(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
    "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing "
    "mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl "
    "divId cnfStyle rPr sectPr pPrChange"
)
TBLPR = _seq(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)
TCPR = _seq(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
)
# CT_TrPrBase is a repeated choice; only the revision marks after it are ordered.
TRPR = _seq(
    "cnfStyle|divId|gridBefore|gridAfter|wBefore|wAfter|cantSplit|trHeight|tblHeader|"
    "tblCellSpacing|jc|hidden ins del trPrChange"
)
SECTPR = _seq(
    "headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
)
# Transitional names (left/right) and their strict synonyms (start/end) share a place.
BORDERS = _seq("top left|start bottom right|end insideH insideV")
CELL_BORDERS = _seq("top left|start bottom right|end insideH insideV tl2br tr2bl")
CELL_MARGINS = _seq("top left|start bottom right|end")
STYLE = _seq(
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
    "tblStylePr"
)
TBLSTYLEPR = _seq("pPr rPr tblPr trPr tcPr")
STYLES = _seq("docDefaults latentStyles style")
DOC_DEFAULTS = _seq("rPrDefault pPrDefault")
SETTINGS = _seq(
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView "
    "trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride "
    "styleLockTheme styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit "
    "hyphenationZone doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle "
    "defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
    "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
    "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin "
    "drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning "
    "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter "
    "noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml "
    "ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly "
    "useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace updateFields "
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
)
LVL = _seq("start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr")
ABSTRACT_NUM = _seq("nsid multiLevelType tmpl name styleLink numStyleLink lvl")
NUMBERING = _seq("numPicBullet abstractNum num numIdMacAtCleanup")
NUM = _seq("abstractNumId lvlOverride")

ORDER: dict[str, dict[str, int]] = {
    "rPr": RPR,
    "pPr": PPR,
    "tblPr": TBLPR,
    "tcPr": TCPR,
    "trPr": TRPR,
    "sectPr": SECTPR,
    "tblBorders": BORDERS,
    "tcBorders": CELL_BORDERS,
    "tblCellMar": CELL_MARGINS,
    "tcMar": CELL_MARGINS,
    "style": STYLE,
    "tblStylePr": TBLSTYLEPR,
    "styles": STYLES,
    "docDefaults": DOC_DEFAULTS,
    "settings": SETTINGS,
    "lvl": LVL,
    "abstractNum": ABSTRACT_NUM,
    "numbering": NUMBERING,
    "num": NUM,
}
# Where each child may appear once (the others repeat: styles, list levels, ...).
SINGLE_CHILDREN = {"rPr", "pPr", "tblPr", "tcPr", "tblBorders", "tcBorders", "style"}
REPEATED = {"tblStylePr"}  # a table style's conditional formats, one per part of the table
# Inside a table style's conditional formats, pPr/rPr/tblPr/tcPr are the same types.
# A paragraph mark's run properties (pPr/rPr) are CT_ParaRPr: covered by RPR above.

# Attributes the schema marks use="required" on the elements we write.
REQUIRED_ATTRS: dict[str, tuple[str, ...]] = {
    "pStyle": ("val",),
    "rStyle": ("val",),
    "tblStyle": ("val",),
    "basedOn": ("val",),
    "next": ("val",),
    "name": ("val",),
    "uiPriority": ("val",),
    "sz": ("val",),
    "szCs": ("val",),
    "jc": ("val",),
    "outlineLvl": ("val",),
    "numId": ("val",),
    "ilvl": ("val",),
    "abstractNumId": ("val",),
    "numFmt": ("val",),
    "lvlText": (),
    "lvlJc": ("val",),
    "start": (),
    "shd": ("val",),
    "top": (),
    "lvl": ("ilvl",),
    "abstractNum": ("abstractNumId",),
    "num": ("numId",),
    "fldSimple": ("instr",),
    "footerReference": ("type",),
    "headerReference": ("type",),
    "tblStylePr": ("type",),
    "gridCol": (),
    "defaultTabStop": ("val",),
    "characterSpacingControl": ("val",),
    "themeFontLang": (),
    "compatSetting": ("name", "uri", "val"),
    "multiLevelType": ("val",),
    "bookmarkStart": ("id", "name"),
    "bookmarkEnd": ("id",),
}
BORDER_TAGS = {"top", "left", "start", "bottom", "right", "end", "insideH", "insideV"}

W3CDTF = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?\Z")
CORE_ELEMENTS = (
    {
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}" + name
        for name in (
            [
                "category",
                "contentStatus",
                "keywords",
                "lastModifiedBy",
                "lastPrinted",
                "revision",
                "version",
            ]
        )
    }
    | {
        "{http://purl.org/dc/elements/1.1/}" + name
        for name in ["creator", "description", "identifier", "language", "subject", "title"]
    }
    | {"{http://purl.org/dc/terms/}" + name for name in ("created", "modified")}
)


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _w_children(el: Any) -> Iterator[Any]:
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).namespace == W:
            yield child


def _order_problems(part: str, root: Any) -> list[str]:
    problems = []
    for el in root.iter(f"{{{W}}}*"):
        local = _local(el)
        table = ORDER.get(local)
        if table is None:
            continue
        previous, prev_name = -1, ""
        for child in _w_children(el):
            name = _local(child)
            rank = table.get(name)
            if rank is None:
                problems.append(f"{part}: <w:{name}> is not allowed in <w:{local}>")
                continue
            if rank < previous:
                problems.append(f"{part}: <w:{name}> after <w:{prev_name}> in <w:{local}>")
            elif rank == previous and name == prev_name and local in SINGLE_CHILDREN:
                if name in REPEATED:
                    continue
                problems.append(f"{part}: <w:{name}> twice in <w:{local}>")
            previous, prev_name = rank, name
    return problems


def _attribute_problems(part: str, root: Any) -> list[str]:
    problems = []
    for el in root.iter(f"{{{W}}}*"):
        local = _local(el)
        parent = _local(el.getparent()) if el.getparent() is not None else ""
        required = REQUIRED_ATTRS.get(local, ())
        if local in BORDER_TAGS and parent in ("tblBorders", "tcBorders", "pBdr"):
            required = ("val",)
        if local == "name" and parent not in ("style", "abstractNum"):
            required = ()
        if local == "start" and parent == "lvl":
            required = ("val",)
        for attr in required:
            if el.get(f"{{{W}}}{attr}") is None:
                problems.append(f"{part}: <w:{local}> in <w:{parent}> has no w:{attr}")
        if local in ("footerReference", "headerReference") and el.get(f"{{{R}}}id") is None:
            problems.append(f"{part}: <w:{local}> has no r:id")
    return problems


def _structure_problems(part: str, root: Any) -> list[str]:
    """Word's own structural rules: a cell ends with a paragraph, a table has a row, ..."""
    problems = []
    first_child = {"p": "pPr", "r": "rPr", "tc": "tcPr", "tbl": "tblPr"}
    for el in root.iter(f"{{{W}}}*"):
        local = _local(el)
        kids = [_local(c) for c in _w_children(el)]
        for kid_name, want_first in first_child.items():
            if local == kid_name and want_first in kids and kids[0] != want_first:
                problems.append(f"{part}: <w:{want_first}> is not first in <w:{local}>")
        if local == "tc" and (not kids or kids[-1] != "p"):
            problems.append(f"{part}: a table cell does not end with a paragraph")
        if local == "tbl":
            if "tblGrid" not in kids:
                problems.append(f"{part}: a table has no grid")
            if "tr" not in kids:
                problems.append(f"{part}: a table has no rows")
        if local == "tr" and "tc" not in kids:
            problems.append(f"{part}: a table row has no cells")
        if local in ("ftr", "hdr") and "p" not in kids and "tbl" not in kids:
            problems.append(f"{part}: a header or footer has no paragraph")
        if local == "body" and "sectPr" in kids and kids[-1] != "sectPr":
            problems.append(f"{part}: the body's sectPr is not its last child")
    return problems


def _id_problems(parts: dict[str, Any]) -> list[str]:
    problems = []
    styles = parts.get("word/styles.xml")
    style_ids: set[str] = set()
    if styles is not None:
        ids = [s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style")]
        style_ids = {i for i in ids if i}
        problems += [f"styles: style id {i} twice" for i, n in Counter(ids).items() if n > 1]
        problems += ["styles: a style has no id" for i in ids if not i]
    numbering = parts.get("word/numbering.xml")
    num_ids: set[str] = set()
    if numbering is not None:
        nums = [n.get(f"{{{W}}}numId") for n in numbering.iter(f"{{{W}}}num")]
        num_ids = {n for n in nums if n}
        problems += [f"numbering: numId {i} twice" for i, n in Counter(nums).items() if n > 1]
        abstract = {a.get(f"{{{W}}}abstractNumId") for a in numbering.iter(f"{{{W}}}abstractNum")}
        for ref in numbering.iter(f"{{{W}}}abstractNumId"):
            if ref.get(f"{{{W}}}val") not in abstract:
                problems.append("numbering: a list points at a missing abstract list")
    bookmarks: list[str | None] = []
    for name, root in parts.items():
        if not name.startswith("word/"):
            continue
        bookmarks += [b.get(f"{{{W}}}id") for b in root.iter(f"{{{W}}}bookmarkStart")]
        for tag, known, what in (
            ("pStyle", style_ids, "paragraph style"),
            ("rStyle", style_ids, "character style"),
            ("tblStyle", style_ids, "table style"),
            ("basedOn", style_ids, "base style"),
            ("next", style_ids, "next style"),
        ):
            for ref in root.iter(f"{{{W}}}{tag}"):
                if ref.get(f"{{{W}}}val") not in known:
                    problems.append(f"{name}: {what} {ref.get(f'{{{W}}}val')} is not defined")
        for ref in root.iter(f"{{{W}}}numId"):
            if ref.get(f"{{{W}}}val") not in num_ids | {"0"}:
                problems.append(f"{name}: list {ref.get(f'{{{W}}}val')} is not defined")
    problems += [f"bookmark id {i} twice" for i, n in Counter(bookmarks).items() if n > 1]
    return problems


def _rels_name(part: str) -> str:
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _package_problems(zf: zipfile.ZipFile) -> list[str]:
    problems = []
    names = [i.filename for i in zf.infolist()]
    problems += [f"{n} is in the package twice" for n, c in Counter(names).items() if c > 1]
    parts = set(names) - {"[Content_Types].xml"}
    if "[Content_Types].xml" not in names:
        return ["[Content_Types].xml is missing"]
    types = etree.fromstring(zf.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{{{CT}}}Default")}
    overrides = [o.get("PartName") for o in types.iter(f"{{{CT}}}Override")]
    problems += [f"content type for {o} twice" for o, c in Counter(overrides).items() if c > 1]
    for o in overrides:
        if o.lstrip("/") not in parts:
            problems.append(f"[Content_Types].xml names {o}, which is not in the package")
    for part in sorted(parts):
        ext = part.rsplit(".", 1)[-1].lower()
        if f"/{part}" not in overrides and ext not in defaults:
            problems.append(f"{part} has no content type")
    for rels in sorted(p for p in parts if p.endswith(".rels")):
        source_folder = posixpath.dirname(posixpath.dirname(rels))
        root = etree.fromstring(zf.read(rels))
        ids = [r.get("Id") for r in root.iter(f"{{{PKG_REL}}}Relationship")]
        problems += [f"{rels}: relationship id {i} twice" for i, c in Counter(ids).items() if c > 1]
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(source_folder, target))
            )
            if resolved not in parts:
                problems.append(f"{rels}: target {target} is not in the package")
    for part in sorted(p for p in parts if p.endswith(".xml") and p.startswith("word/")):
        used = {
            v
            for el in etree.fromstring(zf.read(part)).iter()
            for k, v in el.attrib.items()
            if k.startswith(f"{{{R}}}")
        }
        defined: set[str] = set()
        if _rels_name(part) in parts:
            rels_root = etree.fromstring(zf.read(_rels_name(part)))
            defined = {r.get("Id") for r in rels_root.iter(f"{{{PKG_REL}}}Relationship")}
        for missing in sorted(used - defined):
            problems.append(f"{part}: relationship {missing} is not defined")
    return problems


def _core_problems(zf: zipfile.ZipFile) -> list[str]:
    if "docProps/core.xml" not in zf.namelist():
        return []
    root = etree.fromstring(zf.read("docProps/core.xml"))
    problems = []
    seen = Counter(child.tag for child in root if isinstance(child.tag, str))
    for tag, count in seen.items():
        if tag not in CORE_ELEMENTS:
            problems.append(f"core.xml: {tag} is not a core property")
        if count > 1:
            problems.append(f"core.xml: {tag} twice")
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag.startswith("{http://purl.org/dc/terms/}"):
            if child.get(XSI_TYPE) != "dcterms:W3CDTF":
                problems.append(f"core.xml: {_local(child)} without xsi:type dcterms:W3CDTF")
            if not W3CDTF.match(child.text or ""):
                problems.append(f"core.xml: {_local(child)} {child.text!r} is not W3CDTF")
        if child.attrib and not child.tag.startswith("{http://purl.org/dc/terms/}"):
            problems.append(f"core.xml: {_local(child)} must have no attributes")
    return problems


def package_problems(data: bytes) -> list[str]:
    """Everything here that Word would refuse or repair, in plain words."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        problems = _package_problems(zf)
        parts = {}
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    parts[name] = etree.fromstring(zf.read(name))
                except etree.XMLSyntaxError as exc:
                    problems.append(f"{name}: not well-formed XML: {exc}")
        problems += _core_problems(zf)
    for name, root in parts.items():
        if name.startswith("word/"):
            problems += _order_problems(name, root)
            problems += _attribute_problems(name, root)
            problems += _structure_problems(name, root)
    problems += _id_problems(parts)
    return problems


# --- the checker checks ------------------------------------------------------------


def _package(document_xml: str, styles_xml: str = "") -> bytes:
    """A minimal package around the given body, to prove the checker catches things."""
    ns = f'xmlns:w="{W}" xmlns:r="{R}"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="a"/>'
            '<Default Extension="xml" ContentType="b"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="t" '
            'Target="word/document.xml"/></Relationships>',
        )
        zf.writestr(
            "word/document.xml", f"<w:document {ns}><w:body>{document_xml}</w:body></w:document>"
        )
        if styles_xml:
            zf.writestr("word/styles.xml", f"<w:styles {ns}>{styles_xml}</w:styles>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<w:p><w:r><w:rPr><w:sz w:val='24'/><w:b/></w:rPr></w:r></w:p>", "<w:b> after <w:sz>"),
        ("<w:p><w:pPr><w:jc w:val='left'/><w:spacing/></w:pPr></w:p>", "<w:spacing> after <w:jc>"),
        ("<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc/></w:tr></w:tbl>", "does not end with a par"),
        ("<w:tbl><w:tblPr/><w:tblGrid/></w:tbl>", "a table has no rows"),
        ("<w:p><w:pPr><w:pStyle w:val='Nope'/></w:pPr></w:p>", "Nope is not defined"),
        ("<w:sectPr><w:pgMar/><w:pgSz/></w:sectPr>", "<w:pgSz> after <w:pgMar>"),
        ("<w:p><w:pPr><w:jc/></w:pPr></w:p>", "<w:jc> in <w:pPr> has no w:val"),
        ("<w:p><w:r/><w:pPr/></w:p>", "<w:pPr> is not first"),
        (
            "<w:sectPr><w:footerReference w:type='default' r:id='rId9'/></w:sectPr>",
            "relationship rId9 is not defined",
        ),
    ],
    ids=[
        "run-properties-order",
        "paragraph-properties-order",
        "cell-without-paragraph",
        "table-without-rows",
        "undefined-style",
        "section-order",
        "missing-required-attribute",
        "properties-not-first",
        "dangling-relationship",
    ],
)
def test_the_checker_finds_what_word_refuses(body: str, expected: str) -> None:
    problems = package_problems(_package(body))
    assert any(expected in p for p in problems), problems


def test_the_checker_finds_border_and_style_order() -> None:
    styles = (
        "<w:style w:type='table' w:styleId='T'><w:tblPr><w:tblBorders><w:bottom w:val='nil'/>"
        "<w:top w:val='nil'/></w:tblBorders></w:tblPr><w:name w:val='T'/></w:style>"
    )
    problems = package_problems(_package("", styles))
    assert any("<w:top> after <w:bottom>" in p for p in problems), problems
    assert any("<w:name> after <w:tblPr>" in p for p in problems), problems


def test_the_checker_finds_core_dates_without_their_type() -> None:
    buf = io.BytesIO(_package("<w:p/>"))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/">'
            "<dcterms:created>13/11/2026</dcterms:created></cp:coreProperties>",
        )
    problems = package_problems(buf.getvalue())
    assert "core.xml: created without xsi:type dcterms:W3CDTF" in problems
    assert any("is not W3CDTF" in p for p in problems)


# --- every template and every document ------------------------------------------------


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_every_template_is_a_package_word_opens(path: Path) -> None:
    assert package_problems(path.read_bytes()) == []


@pytest.mark.parametrize(
    "path", [p for p in TEMPLATES if "easy_read" not in p.stem], ids=lambda p: p.stem
)
def test_the_large_print_form_of_every_template_is_a_package_word_opens(path: Path) -> None:
    assert package_problems(large_print(path.read_bytes(), 20)) == []


def _documents_of(review: dict[str, Any]) -> list[str]:
    if review["review"]["stage"] == "planned":
        return list(codes.PRE_REVIEW_DOCUMENTS)
    return [d for d in codes.DOCUMENTS if d not in codes.PRE_REVIEW_DOCUMENTS]


def _extras(document: str) -> dict[str, Any]:
    if document == "amendment_decision_letter":
        return {
            "amendment": DECLINED_AMENDMENT,
            "previous": {"version": 1, "produced": PRODUCED},
            "version": 1,
        }
    if document == "sharing_cover_letter":
        return {"recipient": PROVIDER_RECIPIENT}
    return {}


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_document_of_every_sample_is_a_package_word_opens(sample: Path) -> None:
    review = schemas.validate_review(json.loads(sample.read_text(encoding="utf-8")))
    decision = None if review["review"]["stage"] == "planned" else decide(review)
    problems = []
    for document in _documents_of(review):
        for variant in codes.VARIANTS:
            if variant == "easy_read" and document not in codes.EASY_READ_DOCUMENTS:
                continue
            data = render_document(
                review, decision, document, variant=variant, produced=PRODUCED, **_extras(document)
            ).data
            problems += [f"{document} ({variant}): {p}" for p in package_problems(data)]
            withheld = render_document(
                review,
                decision,
                document,
                variant=variant,
                produced=PRODUCED,
                withheld=True,
                recipient=PROVIDER_RECIPIENT,
                **{k: v for k, v in _extras(document).items() if k != "recipient"},
            ).data
            problems += [
                f"{document} ({variant}, partial): {p}" for p in package_problems(withheld)
            ]
    assert problems == []


def _with_tracked_formatting(template: bytes) -> bytes:
    """The template as Word saves it after an edit with Track Changes on."""
    tracked = (
        '<w:r><w:rPr><w:sz w:val="20"/><w:rPrChange w:id="901" w:author="Admin" '
        'w:date="2026-01-01T00:00:00Z"><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr>'
        "<w:t>Edited</w:t></w:r>"
    )
    table = (
        '<w:tbl><w:tblPr><w:tblStyle w:val="ReviewTable"/><w:tblPrChange w:id="902" '
        'w:author="Admin"><w:tblPr/></w:tblPrChange></w:tblPr><w:tblGrid>'
        '<w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", f"<w:body><w:p>{tracked}</w:p>{table}".encode())
            dst.writestr(info, data)
    return out.getvalue()


def test_large_print_puts_new_sizes_before_a_tracked_change_of_formatting() -> None:
    """Word saves a template edited with Track Changes with rPrChange last in rPr."""
    template = _with_tracked_formatting((ROOT / "templates/docx/outcome_letter.docx").read_bytes())
    assert package_problems(template) == []
    assert package_problems(large_print(template, 20)) == []


def test_a_template_saved_by_another_word_processor_stays_conformant() -> None:
    """Admin staff edit templates in Word: a package with a theme, latent styles and a
    table style's conditional formats goes through large print and rendering intact."""
    import docx
    from docx.shared import Pt

    from reviewdocs.documents.context import build_context
    from reviewdocs.documents.engine import CompiledTemplate

    edited = docx.Document()
    edited.add_heading("Record {{ review.id }}", 0)
    run_ = edited.add_paragraph("Name: ").add_run("{{ subject.name }}")
    run_.font.size, run_.bold = Pt(9), True
    grid = edited.add_table(rows=2, cols=2)
    grid.style = "Table Grid"
    grid.cell(0, 0).text = "Reference"
    grid.cell(1, 0).text = "{{ subject.reference }}"
    buf = io.BytesIO()
    edited.save(buf)
    template = large_print(buf.getvalue(), 20)
    assert package_problems(template) == []

    review = schemas.validate_review(json.loads(SAMPLES[0].read_text(encoding="utf-8")))
    context = build_context(review, decide(review), document="review_record", produced=PRODUCED)
    rendered = CompiledTemplate.from_bytes(template, name="edited.docx").render(context)
    assert package_problems(rendered) == []
