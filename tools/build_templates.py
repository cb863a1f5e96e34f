"""Regenerate the Word templates in templates/docx/ in the house style.

The .docx files are the source of truth: admin staff edit them in Word. This script
is how developers rebuild them from scratch (new house style, new document). It
writes lean packages by hand (a few KB each) instead of python-docx's default
template, which carries hundreds of KB of unused styles.

House style (issue 3, issue 6): Arial (LibreOffice maps it to Liberation Sans),
12pt or more, left aligned, line spacing 1.15, real Title / Heading 1 / Heading 2
styles, en-GB language, a table style whose first row repeats as a marked header
row, "Page X of Y" and the review id, reference, version and date in the footer.
Page 1 of every letter is on GOV.UK Notify's precompiled letter grid (``letter_head``):
the address alone in a window envelope's view, the council's block top right, the body
from 95 mm. Easy read copies use 16pt and larger headings.

Tags use docxtpl syntax: ``{{ field }}``, ``{%p if ... %}`` in a paragraph of its
own, ``{%tr for ... %}`` in a table row of its own. Each tag sits in one run.

Usage: python tools/build_templates.py [--out templates/docx]
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Twips (1/1440 inch): 1 mm = 56.7 twips.
MM = 56.7
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN = round(20 * MM)
BODY_W = PAGE_W - 2 * MARGIN


# --- runs and paragraphs ---------------------------------------------------------------


def run(text: str, *, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str | tuple[str, bool], style: str | None = None, ppr_extra: str = "") -> str:
    """A paragraph; each item is a plain string or (text, bold)."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr += ppr_extra
    body = "".join(run(r) if isinstance(r, str) else run(r[0], bold=r[1]) for r in runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def tag(statement: str) -> str:
    """A paragraph holding only a docxtpl paragraph tag: ``{%p if x %}``."""
    return para(f"{{%p {statement} %}}")


def heading(text: str, level: int = 1) -> str:
    return para(text, style=f"Heading{level}")


def bullet(text: str) -> str:
    return para(text, style="ListBullet")


def field_run(instr: str) -> str:
    return f'<w:fldSimple w:instr=" {instr} \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def table(header: Iterable[str], row_cells: Iterable[str], loop: str, widths: list[int]) -> str:
    """A data table: a marked header row (repeats on each page), then one row per item.

    ``loop`` is the docxtpl row loop, e.g. ``for p in people``.
    """
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def cell(content: str, width: int) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'

    def row(cells: list[str], trpr: str = "") -> str:
        return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"

    def tag_row(statement: str) -> str:
        return row(
            [cell(para(f"{{%tr {statement} %}}"), widths[0])]
            + [cell(para(), w) for w in widths[1:]]
        )

    head = row(
        [cell(para((h, True)), w) for h, w in zip(header, widths, strict=True)],
        "<w:cantSplit/><w:tblHeader/>",
    )
    body = row([cell(para(c), w) for c, w in zip(row_cells, widths, strict=True)], "<w:cantSplit/>")
    return (
        "<w:tbl><w:tblPr>"
        '<w:tblStyle w:val="ReviewTable"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"{head}{tag_row(loop)}{body}{tag_row('endfor')}</w:tbl>"
    )


# --- the parts of every letter ---------------------------------------------------------


# GOV.UK Notify's precompiled letter grid, in mm from the top-left of A4 (docs/post.md).
# The address frame sits inside the window Notify reads (x 24.6-120, y 39.5-66.3) at a
# fixed size that fits 7 lines; the council's contact block is in x 125-195 above y 95;
# the logo slot is x 15-125, y 5-30; the body, with the review number, reference and
# date, starts at y 95, below what any DL or C5 window shows.
ADDRESS_X, ADDRESS_Y, ADDRESS_W = 25.5, 40.5, 93.5
ADDRESS_PT, ADDRESS_LINE_PT = 10, 10.5
SENDER_X, SENDER_Y, SENDER_W = 127, 10, 67
LOGO_X, LOGO_Y, LOGO_W, LOGO_H = 15.2, 5.2, 109.6, 24.6  # inside x 15-125, y 5-30 after rounding
BODY_TOP = 95


def _frame(x_mm: float, y_mm: float, w_mm: float, h_mm: float | None = None) -> str:
    height = f'w:h="{round(h_mm * MM)}" w:hRule="exact" ' if h_mm else ""
    return (
        f'<w:framePr w:w="{round(w_mm * MM)}" {height}w:wrap="around" '
        f'w:vAnchor="page" w:hAnchor="page" w:x="{round(x_mm * MM)}" w:y="{round(y_mm * MM)}"/>'
    )


def letter_head() -> list[str]:
    """Page 1 on Notify's grid: logo slot, the council's block, the address, then the body.

    Three frames fixed to the page: an empty logo slot (x 15-125, y 5-30) where a
    council may put its logo; the council's details (x 127-194, from y 10); the
    addressee (x 25.5-119, from y 40.5, 10pt on a 10.5pt line, so 7 lines end by
    y 66.3). A spacer of exactly the height from the top margin to y 95 starts the
    body there, so the review number, reference and date (first in the body) never
    show through a window envelope. Large print keeps the address frame as it is and
    enlarges everything else (documents/accessible.py).
    """
    sender = _frame(SENDER_X, SENDER_Y, SENDER_W)
    window = _frame(ADDRESS_X, ADDRESS_Y, ADDRESS_W)
    logo = _frame(LOGO_X, LOGO_Y, LOGO_W, LOGO_H)
    spacer = f'<w:spacing w:before="0" w:after="0" w:line="{round((BODY_TOP - 20) * MM)}" '
    return [
        para(style="LogoSlot", ppr_extra=logo),
        para(("{{ review.local_authority.name }}", True), style="Sender", ppr_extra=sender),
        para("{{ letter.sender_address }}", style="Sender", ppr_extra=sender),
        para("Telephone: {{ review.local_authority.phone }}", style="Sender", ppr_extra=sender),
        para("Email: {{ review.local_authority.email }}", style="Sender", ppr_extra=sender),
        para("{{ letter.addressee_name }}", style="Address", ppr_extra=window),
        para("{{ letter.address }}", style="Address", ppr_extra=window),
        para(style="PageOneSpacer", ppr_extra=spacer + 'w:lineRule="exact"/>'),
        para("Review number: {{ review.id }}", style="Sender"),
        para("Reference: {{ subject.reference }}", style="Sender"),
        para("Date: {{ meta.produced|date }}", style="AddressLast"),
    ]


def letter_opening(title: str) -> list[str]:
    return [
        *letter_head(),
        para(title, style="Title"),
        tag("if letter.about"),
        para(("{{ letter.about }}", True)),
        tag("endif"),
        para("{{ letter.salutation }}"),
    ]


def letter_close() -> list[str]:
    return [
        para("If you have any questions, please contact me. My details are below."),
        para("Yours sincerely"),
        para(("{{ review.practitioner.name }}", True), style="Signature"),
        para(
            "{{ review.practitioner.job_title }}, {{ review.practitioner.team }}", style="Signature"
        ),
        para("Telephone: {{ review.practitioner.phone }}", style="Signature"),
        para("Email: {{ review.practitioner.email }}"),
        tag("if letter.copy_to"),
        para(("Copy sent to: ", True), "{{ letter.copy_to }}"),
        tag("endif"),
        tag("if letter.advocate_note"),
        para("{{ letter.advocate_note }}"),
        tag("endif"),
        para(
            "If you would like this letter in another format, such as large print, easy read "
            "or another language, please contact us."
        ),
    ]


def complain_block() -> list[str]:
    return [
        heading("Your right to complain"),
        para("{{ notices.right_to_complain }}"),
        para(("Complaints: ", True), "{{ review.local_authority.complaints_contact }}"),
    ]


def notices_block() -> list[str]:
    """The notices a letter carries when the decision calls for them (002, 000)."""
    return [
        tag("if notices.financial_assessment"),
        heading("Financial assessment"),
        para("{{ notices.financial_assessment }}"),
        tag("endif"),
        tag("if notices.carers_leave"),
        heading("Carer's leave if you work"),
        para("{{ notices.carers_leave }}"),
        tag("endif"),
    ]


def outcome_block(*, bold: bool) -> list[str]:
    """The outcome, or, while it is provisional, that there is none yet, what happens now and
    what is still to be decided (never a provisional state worded as final)."""
    return [
        tag("if outcome.provisional"),
        para(("{{ outcome.headline }}", True)),
        para(("What happens now:", True)),
        tag("for line in outcome.now"),
        bullet("{{ line }}"),
        tag("endfor"),
        para(("Still to be decided:", True)),
        tag("for line in outcome.to_decide"),
        bullet("{{ line }}"),
        tag("endfor"),
        tag("endif"),
        tag("if outcome.text"),
        para(("{{ outcome.text }}", True) if bold else "{{ outcome.text }}"),
        tag("endif"),
        tag("if outcome.differs"),
        para("{{ outcome.differs }}"),
        tag("endif"),
        tag("if outcome.reassessment"),
        para("{{ outcome.reassessment }}"),
        tag("endif"),
    ]


def next_steps_block() -> list[str]:
    return [
        heading("What happens next"),
        tag("for step in next_steps"),
        bullet("{{ step }}"),
        tag("endfor"),
        heading("Your next review"),
        para("{{ next_review.text }}"),
    ]


# --- the seven documents ---------------------------------------------------------------


def review_information_letter() -> list[str]:
    """002 "The information that should be provided is as follows" (1-6) and the questions."""
    return [
        *letter_opening("Information about {{ letter.your }} review"),
        para("{{ info.opening }}"),
        heading("Why we review support plans"),
        para("{{ info.purpose }}"),
        heading("What to expect"),
        tag("for line in info.what_to_expect"),
        bullet("{{ line }}"),
        tag("endfor"),
        heading("How and when the review will take place"),
        para("{{ info.format }}"),
        para("{{ info.timeframe }}"),
        heading("The questions we will ask"),
        para("{{ info.questions_intro }}"),
        tag("for group in info.questions"),
        heading("{{ group.heading }}", 2),
        tag("for question in group.questions"),
        bullet("{{ question }}"),
        tag("endfor"),
        tag("endfor"),
        heading("Help from an advocate"),
        para("{{ notices.advocacy }}"),
        heading("Financial assessment"),
        para("{{ notices.financial_assessment_general }}"),
        tag("if notices.carers_leave"),
        heading("Carer's leave if you work"),
        para("{{ notices.carers_leave }}"),
        tag("endif"),
        *complain_block(),
        *letter_close(),
    ]


def review_delay_letter() -> list[str]:
    """002 "If you are not able to arrange the review at this first contact" (1-7)."""
    return [
        *letter_opening("{{ letter.Your }} review: a short delay"),
        para("{{ delay.opening }}"),
        heading("Why we cannot arrange the review yet"),
        para("{{ delay.reason }}"),
        heading("When the review will happen"),
        para("{{ delay.timeframe }}"),
        para("{{ delay.next_contact }}"),
        para(
            "If this timeframe changes, we will let you know as soon as possible. "
            "We will keep in touch with you until the review takes place."
        ),
        heading("If things change"),
        para("{{ delay.if_things_change }}"),
        *complain_block(),
        *letter_close(),
    ]


def telephone_follow_up_letter() -> list[str]:
    """002 "In all cases where communication has been provided by telephone a follow up letter"."""
    return [
        *letter_opening("Confirming our telephone conversation"),
        para("{{ telephone.opening }}"),
        para(("{{ telephone.formal_record }}", True)),
        heading("What we talked about"),
        tag("for line in telephone.summary"),
        bullet("{{ line }}"),
        tag("endfor"),
        heading("The outcome"),
        *outcome_block(bold=False),
        *next_steps_block(),
        *notices_block(),
        heading("If something is not right"),
        para("{{ telephone.corrections }}"),
        tag("if notices.show_complaints"),
        *complain_block(),
        tag("endif"),
        *letter_close(),
    ]


def review_record() -> list[str]:
    """003 "The following information must be clearly but proportionately recorded"."""
    facts = [
        ("Name", "{{ subject.name }}"),
        ("Reference", "{{ subject.reference }}"),
        ("Review", "{{ review.id }}"),
        ("Date of the review", "{{ review.date|date }}"),
        ("Type of review", "{{ facts.review_type }}"),
        ("How the review took place", "{{ facts.method }}"),
        ("Why the review took place", "{{ facts.trigger }}"),
        ("Plan reviewed", "{{ facts.plan }}"),
        ("Practitioner", "{{ review.practitioner.name }}, {{ review.practitioner.job_title }}"),
    ]
    return [
        para("{{ meta.title }}", style="Title"),
        tag("if meta.amendment_notice"),
        para(("{{ meta.amendment_notice }}", True)),
        tag("endif"),
        tag("if meta.withheld_notice"),
        para(("{{ meta.withheld_notice }}", True)),
        tag("endif"),
        tag("if meta.copy_for"),
        para("{{ meta.copy_for }}"),
        tag("endif"),
        heading("About this review"),
        *[para((label + ": ", True), value) for label, value in facts],
        tag("if facts.cared_for"),
        para(("{{ facts.cared_for_label }}: ", True), "{{ facts.cared_for }}"),
        tag("endif"),
        heading("Summary"),
        *outcome_block(bold=False),
        para("{{ next_review.text }}"),
        tag("for section in sections"),
        heading("{{ section.heading }}"),
        tag("for item in section.questions"),
        para(("{{ item.question }} ", True), "{{ item.answer }}"),
        tag("endfor"),
        tag("if section.narrative"),
        para("{{ section.narrative }}"),
        tag("endif"),
        tag('if section.code == "outcome_and_next_steps"'),
        heading("Regard given to views and wellbeing", 2),
        tag("for item in regard"),
        para(("{{ item.heading }}: ", True), "{{ item.text }}"),
        tag("endfor"),
        heading("Next steps", 2),
        tag("for step in next_steps"),
        bullet("{{ step }}"),
        tag("endfor"),
        tag("if not next_steps"),
        para("No further action is needed."),
        tag("endif"),
        heading("Next review", 2),
        para("{{ next_review.text }}"),
        tag("endif"),
        tag("endfor"),
        heading("Who took part"),
        para("{{ people_intro }}"),
        tag("if people"),
        table(
            ["Name", "Role", "Organisation", "Agreed to take part"],
            ["{{ p.name }}", "{{ p.role }}", "{{ p.organisation }}", "{{ p.consented }}"],
            "for p in people",
            [2800, 2000, 2800, BODY_W - 7600],
        ),
        tag("endif"),
        tag("for line in involvement"),
        para("{{ line }}"),
        tag("endfor"),
        tag("if amendment_log"),
        heading("Amendment log"),
        tag("for entry in amendment_log"),
        para("{{ entry }}"),
        tag("endfor"),
        tag("endif"),
        heading("If you disagree"),
        para("{{ notices.right_to_complain }}"),
        para(("Complaints: ", True), "{{ review.local_authority.complaints_contact }}"),
    ]


def outcome_letter() -> list[str]:
    """003 "Following the review process the carer must be given a written record"."""
    return [
        *letter_opening("The outcome of {{ letter.your }} review"),
        para("{{ outcome_letter.opening }}"),
        heading("The outcome"),
        *outcome_block(bold=True),
        para(("{{ outcome.reasons_label }}", True), "{{ rationale }}"),
        *next_steps_block(),
        *notices_block(),
        para("{{ outcome_letter.record_enclosed }}"),
        tag("if notices.show_complaints"),
        *complain_block(),
        tag("endif"),
        *letter_close(),
    ]


def amendment_decision_letter() -> list[str]:
    """003 "Sometimes the carer or anyone else that was involved in the review may ask"."""
    return [
        *letter_opening("{{ amendment.title }}"),
        para("{{ amendment.opening }}"),
        heading("What was asked for"),
        tag("for line in amendment.requested"),
        bullet("{{ line }}"),
        tag("endfor"),
        para(("Reason given: ", True), "{{ amendment.reason }}"),
        tag("if amendment.evidence"),
        para(("Evidence provided: ", True), "{{ amendment.evidence }}"),
        tag("endif"),
        heading("Our decision"),
        para(("{{ amendment.decision_text }}", True)),
        para(("Our reasons: ", True), "{{ amendment.decision_reason }}"),
        tag("if amendment.accepted"),
        para("{{ amendment.new_version }}"),
        tag("endif"),
        *complain_block(),
        *letter_close(),
    ]


def sharing_cover_letter() -> list[str]:
    """003 "Where the review was carried out jointly" and the consent rules for copies."""
    return [
        *letter_opening("Review record shared with you"),
        para("{{ shared_copy.opening }}"),
        heading("Why we are sharing it"),
        para("{{ shared_copy.basis }}"),
        tag("if meta.withheld_notice"),
        para(("{{ meta.withheld_notice }}", True)),
        tag("endif"),
        heading("Keeping it confidential"),
        tag("for line in shared_copy.confidential"),
        bullet("{{ line }}"),
        tag("endfor"),
        para("Yours sincerely"),
        para(("{{ review.practitioner.name }}", True), style="Signature"),
        para(
            "{{ review.practitioner.job_title }}, {{ review.practitioner.team }}", style="Signature"
        ),
        para("Telephone: {{ review.practitioner.phone }}", style="Signature"),
        para("Email: {{ review.practitioner.email }}"),
    ]


# --- easy read (issue 6): short sentences, one idea per line, key facts first ----------


def review_information_letter_easy_read() -> list[str]:
    return [
        *letter_head(),
        para("Your review", style="Title"),
        para("{{ letter.salutation }}"),
        para(("{{ easy.info.when }}", True)),
        tag("for line in easy.info.about"),
        para("{{ line }}"),
        tag("endfor"),
        heading("What is a review?"),
        tag("for line in easy.info.purpose"),
        para("{{ line }}"),
        tag("endfor"),
        heading("What we will ask you"),
        tag("for question in easy.info.questions"),
        bullet("{{ question }}"),
        tag("endfor"),
        heading("Help you can get"),
        tag("for line in easy.info.help"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Money"),
        tag("for line in easy.money_general"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Not happy?"),
        tag("for line in easy.complain"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Talk to us"),
        tag("for line in easy.contact"),
        para("{{ line }}"),
        tag("endfor"),
    ]


def outcome_letter_easy_read() -> list[str]:
    return [
        *letter_head(),
        para("Your review: what we decided", style="Title"),
        para("{{ letter.salutation }}"),
        para(("{{ easy.outcome }}", True)),
        tag("for line in easy.outcome_more"),
        para("{{ line }}"),
        tag("endfor"),
        heading("What happens next"),
        tag("for step in easy.next_steps"),
        bullet("{{ step }}"),
        tag("endfor"),
        heading("Your next review"),
        para("{{ easy.next_review }}"),
        tag("if easy.money"),
        heading("Money"),
        tag("for line in easy.money"),
        para("{{ line }}"),
        tag("endfor"),
        tag("endif"),
        tag("if easy.work"),
        heading("Your job"),
        tag("for line in easy.work"),
        para("{{ line }}"),
        tag("endfor"),
        tag("endif"),
        heading("Something wrong?"),
        tag("for line in easy.correction"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Not happy?"),
        tag("for line in easy.complain"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Talk to us"),
        tag("for line in easy.contact"),
        para("{{ line }}"),
        tag("endfor"),
    ]


def review_record_easy_read() -> list[str]:
    return [
        para("Your review: a summary", style="Title"),
        tag("if meta.amendment_notice"),
        para(("{{ meta.amendment_notice }}", True)),
        tag("endif"),
        para(("{{ easy.outcome }}", True)),
        tag("for line in easy.outcome_more"),
        para("{{ line }}"),
        tag("endfor"),
        heading("About your review"),
        tag("for line in easy.record.about"),
        para("{{ line }}"),
        tag("endfor"),
        heading("What we found"),
        tag("for line in easy.record.found"),
        bullet("{{ line }}"),
        tag("endfor"),
        tag("if own_words"),
        heading("{{ own_words.heading }}"),
        para("{{ own_words.text }}", style="Quote"),
        tag("endif"),
        heading("What happens next"),
        tag("for step in easy.next_steps"),
        bullet("{{ step }}"),
        tag("endfor"),
        heading("Your next review"),
        para("{{ easy.next_review }}"),
        heading("Something wrong?"),
        tag("for line in easy.correction"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Not happy?"),
        tag("for line in easy.complain"),
        para("{{ line }}"),
        tag("endfor"),
        heading("Talk to us"),
        tag("for line in easy.contact"),
        para("{{ line }}"),
        tag("endfor"),
    ]


# --- the package ------------------------------------------------------------------------

BUILDERS: dict[str, tuple[Callable[[], list[str]], bool]] = {
    "review_information_letter": (review_information_letter, False),
    "review_delay_letter": (review_delay_letter, False),
    "telephone_follow_up_letter": (telephone_follow_up_letter, False),
    "review_record": (review_record, False),
    "outcome_letter": (outcome_letter, False),
    "amendment_decision_letter": (amendment_decision_letter, False),
    "sharing_cover_letter": (sharing_cover_letter, False),
    "review_information_letter-easy_read": (review_information_letter_easy_read, True),
    "outcome_letter-easy_read": (outcome_letter_easy_read, True),
    "review_record-easy_read": (review_record_easy_read, True),
}


BUILTIN = {"Normal", "Title", "Heading1", "Heading2", "Quote", "ListBullet", "Footer", "Signature"}
"""Word's own style ids: not marked custom, so Word shows them under their usual names."""


def styles_xml(easy_read: bool) -> str:
    """Arial, en-GB, 1.15 line spacing, left aligned; 16pt body for easy read."""
    body = 32 if easy_read else 24  # half-points
    title, h1, h2 = (48, 40, 34) if easy_read else (40, 32, 28)
    line = 336 if easy_read else 276  # 1.4 / 1.15 lines

    def pstyle(sid: str, name: str, ppr: str, rpr: str, *, based: str = "Normal") -> str:
        return (
            f'<w:style w:type="paragraph" w:customStyle="{int(sid not in BUILTIN)}" '
            f'w:styleId="{sid}"><w:name w:val="{name}"/><w:basedOn w:val="{based}"/>'
            f'<w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr>'
            "</w:style>"
        )

    def hstyle(sid: str, name: str, size: int, level: int) -> str:
        return pstyle(
            sid,
            name,
            f'<w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/>'
            f'<w:outlineLvl w:val="{level}"/>',
            f'<w:b/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        )

    tight = '<w:spacing w:after="0"/>'
    return (
        XML_DECL + f"<w:styles {W_NS}>"
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'<w:spacing w:after="160" w:line="{line}" w:lineRule="auto"/><w:jc w:val="left"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>"
        + pstyle(
            "Title",
            "Title",
            '<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:outlineLvl w:val="0"/>',
            f'<w:b/><w:sz w:val="{title}"/><w:szCs w:val="{title}"/>',
        )
        + hstyle("Heading1", "heading 1", h1, 0)
        + hstyle("Heading2", "heading 2", h2, 1)
        + pstyle("Sender", "Sender", tight, "")
        + pstyle(
            "Address",
            "Address",
            f'<w:spacing w:before="0" w:after="0" w:line="{round(ADDRESS_LINE_PT * 20)}" '
            'w:lineRule="exact"/>',
            f'<w:sz w:val="{ADDRESS_PT * 2}"/><w:szCs w:val="{ADDRESS_PT * 2}"/>',
        )
        + pstyle("AddressLast", "Address last line", '<w:spacing w:after="480"/>', "")
        + pstyle("LogoSlot", "Logo slot", tight, "")
        + pstyle("PageOneSpacer", "Page one spacer", tight, "")
        + pstyle("Signature", "Signature", tight, "")
        + pstyle("Quote", "Quote", '<w:ind w:left="567"/>', "")
        + pstyle(
            "ListBullet",
            "List Bullet",
            '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="80"/>',
            "",
        )
        + pstyle("Footer", "footer", tight, "")
        + '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
        '<w:style w:type="table" w:customStyle="1" w:styleId="ReviewTable">'
        '<w:name w:val="Review Table"/><w:basedOn w:val="TableNormal"/><w:pPr>'
        '<w:spacing w:before="60" w:after="60"/></w:pPr><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/></w:tcPr>'
        "</w:tblStylePr></w:style>"
        "</w:styles>"
    )


def numbering_xml() -> str:
    return (
        XML_DECL + f"<w:numbering {W_NS}>"
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="340"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def footer_xml() -> str:
    """ "Page X of Y", the version and date produced, the review id and reference (spec 4)."""
    return (
        XML_DECL + f"<w:ftr {W_NS}>"
        '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        + run("Page ")
        + field_run("PAGE")
        + run(" of ")
        + field_run("NUMPAGES")
        + run(" | Version {{ meta.version }} | Produced {{ meta.produced|date }}")
        + "</w:p>"
        + para("Review {{ review.id }} | Reference {{ subject.reference }}", style="Footer")
        + "</w:ftr>"
    )


def document_xml(body: list[str]) -> str:
    sect = (
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{round(25 * MM)}" '
        f'w:left="{MARGIN}" w:header="567" w:footer="454" w:gutter="0"/></w:sectPr>'
    )
    return XML_DECL + f"<w:document {W_NS}><w:body>{''.join(body)}{sect}</w:body></w:document>"


def settings_xml() -> str:
    return (
        XML_DECL + f"<w:settings {W_NS}>"
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-GB"/></w:settings>'
    )


CONTENT_TYPES = (
    XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="/{part}" ContentType="{ctype}"/>'
        for part, ctype in (
            (
                "word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            (
                "word/styles.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            ),
            (
                "word/settings.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
            ),
            (
                "word/numbering.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
            ),
            (
                "word/footer1.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
            ),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            (
                "docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            ),
        )
    )
    + "</Types>"
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    XML_DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    XML_DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdNumbering" Type="{REL}/numbering" Target="numbering.xml"/>'
    f'<Relationship Id="rIdFooter" Type="{REL}/footer" Target="footer1.xml"/>'
    "</Relationships>"
)


def core_xml(name: str) -> str:
    return (
        XML_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(name)}</dc:title><dc:creator>reviewdocs</dc:creator>"
        "<dc:language>en-GB</dc:language></cp:coreProperties>"
    )


APP_XML = (
    XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>reviewdocs</Application></Properties>'
)


def build(name: str, body: list[str], easy_read: bool) -> bytes:
    """One template package, byte-identical on every run (fixed zip timestamps)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": core_xml(name),
        "docProps/app.xml": APP_XML,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/document.xml": document_xml(body),
        "word/styles.xml": styles_xml(easy_read),
        "word/settings.xml": settings_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/footer1.xml": footer_xml(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, xml in parts.items():
            info = zipfile.ZipInfo(part, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, xml.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates" / "docx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (builder, easy_read) in BUILDERS.items():
        data = build(name, builder(), easy_read)
        (args.out / f"{name}.docx").write_bytes(data)
        print(f"{name}.docx: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
