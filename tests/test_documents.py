"""The letters and the record: what a reader of each rendered DOCX would notice."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import statistics
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import EXAMPLE, PROVIDER_RECIPIENT, SAMPLES, with_changes
from reviewdocs import codes
from reviewdocs.decision.rules import decide
from reviewdocs.documents import (
    check_templates,
    known_paths,
    render_document,
    template_path,
)
from reviewdocs.documents.context import CONTEXT_EXTRA_PATHS, build_context, context_paths
from reviewdocs.errors import TemplateError
from reviewdocs.intake import schemas

PRODUCED = dt.date(2026, 11, 13)
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "docx"
AMENDMENT = {
    "requested_by": "Maria Lewis",
    "date": dt.date(2026, 11, 20),
    "sections": {"plan_elements": "The sitting service moved to Fridays."},
    "reason": "The day of the sitting service is wrong.",
    "evidence": "Provider rota of 2026-11-18.",
    "decision": "accept",
    "decision_reason": "The provider's rota confirms the change.",
}
PREVIOUS = {"version": 1, "produced": dt.date(2026, 11, 13)}
DELAY = {
    "reason": "We need an interpreter who is free to join the review.",
    "agreed_timeframe": "within the next six weeks",
    "next_contact_by": "2026-12-01",
}


def _review(raw: dict[str, Any]) -> dict[str, Any]:
    return schemas.validate_review(raw)


def _extras(document: str) -> dict[str, Any]:
    """What the pipeline passes for the documents that need more than the review."""
    if document == "amendment_decision_letter":
        return {"amendment": AMENDMENT, "previous": PREVIOUS, "version": 2}
    if document == "sharing_cover_letter":
        return {"recipient": PROVIDER_RECIPIENT}
    return {}


def _raw_for(raw: dict[str, Any], document: str) -> dict[str, Any]:
    if document in codes.PRE_REVIEW_DOCUMENTS:
        raw = with_changes(raw, review__stage="planned", review__delay=DELAY)
        for key in ("findings", "narrative", "decision"):
            raw.pop(key, None)
    return raw


def render(raw: dict[str, Any], document: str, variant: str = "standard", **kw: Any) -> bytes:
    review = _review(_raw_for(raw, document))
    decision = None if document in codes.PRE_REVIEW_DOCUMENTS else decide(review)
    kwargs = {**_extras(document), **kw}
    return render_document(
        review, decision, document, variant=variant, produced=PRODUCED, **kwargs
    ).data


def text_of(data: bytes) -> str:
    """Everything a reader sees: body paragraphs, table cells, footers."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.json")) if SAMPLES.exists() else []


def _is_planned(path: Path) -> bool:
    return json.loads(path.read_text(encoding="utf-8"))["review"].get("stage") == "planned"


INPUTS = [EXAMPLE, *_samples()]
# A planned review has no findings: only the pre-review letters exist for it.
CASES = [
    pytest.param(path, document, variant, id=f"{path.stem}-{document}-{variant}")
    for path in INPUTS
    for document in codes.DOCUMENTS
    for variant in ("standard", "easy_read")
    if variant == "standard" or document in codes.EASY_READ_DOCUMENTS
    if document in codes.PRE_REVIEW_DOCUMENTS or not _is_planned(path)
]


@pytest.mark.parametrize(("path", "document", "variant"), CASES)
def test_every_document_renders_with_the_subjects_details(
    path: Path, document: str, variant: str
) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    text = text_of(render(raw, document, variant))
    assert raw["review"]["id"] in text
    assert raw["subject"]["reference"] in text
    assert "{{" not in text and "{%" not in text


def test_easy_read_raises_for_a_document_without_one(example_raw: dict[str, Any]) -> None:
    with pytest.raises(TemplateError, match="no easy read"):
        render(example_raw, "review_delay_letter", "easy_read")


def test_large_print_copy_renders_with_larger_text(example_raw: dict[str, Any]) -> None:
    from reviewdocs.documents.accessible import smallest_font_pt

    data = render(example_raw, "outcome_letter", "large_print", font_size=20)
    assert smallest_font_pt(data) >= 20
    assert "The outcome of your review" in text_of(data)


# --- the record (003) -----------------------------------------------------------------


def _changed_needs(raw: dict[str, Any]) -> dict[str, Any]:
    return with_changes(
        raw,
        review__review_type="full",
        findings__needs__changed=True,
        findings__views__others_agree=False,
        participants=[
            {
                "name": "Ann Lewis",
                "role": "family",
                "organisation": None,
                "consented": True,
                "view": "Maria is exhausted and needs more help.",
            }
        ],
        narrative={"changes_and_wellbeing_impact": "Tom now needs help at night."},
        decision={"rationale": "Tom's needs at night have changed Maria's caring role."},
    )


@pytest.mark.parametrize("make", [lambda r: r, _changed_needs], ids=["no-change", "needs-changed"])
def test_record_has_each_required_section_and_no_other(
    example_raw: dict[str, Any], make: Any
) -> None:
    raw = make(example_raw)
    review = _review(raw)
    decision = decide(review)
    found = headings(render_document(review, decision, "review_record", produced=PRODUCED).data)
    ctx = build_context(review, decision, document="review_record", produced=PRODUCED)
    wanted = [s["heading"] for s in ctx["sections"]]
    assert [h for h in found if h in wanted] == wanted
    assert len(wanted) == len(decision["required_sections"])
    unrequired = set(codes.WHERE_RELEVANT_SECTIONS) - set(decision["required_sections"])
    all_headings = {
        code: s["heading"]
        for code, s in zip(
            codes.SECTIONS,
            build_context(
                review,
                {**decision, "required_sections": list(codes.SECTIONS)},
                document="review_record",
                produced=PRODUCED,
            )["sections"],
            strict=True,
        )
    }
    for code in unrequired:
        assert all_headings[code] not in found


def test_record_shows_findings_decision_regard_and_next_review(
    example_raw: dict[str, Any],
) -> None:
    text = text_of(render(_changed_needs(example_raw), "review_record"))
    assert "Is the support in the plan in place? Yes" in text
    assert "Have Maria's needs changed? Yes" in text
    assert "Tom now needs help at night." in text  # the practitioner's narrative
    assert "Tom's needs at night have changed Maria's caring role." in text  # the rationale
    assert "Regard given to views and wellbeing" in text
    assert "“The sitting service on Thursdays is what keeps me going.”" in text
    assert "Maria is exhausted and needs more help." in text  # difference of views
    assert "reassess" in text
    assert "Ann Lewis" in text


def test_participants_table_has_a_marked_header_row(example_raw: dict[str, Any]) -> None:
    data = render(_changed_needs(example_raw), "review_record")
    table = docx.Document(io.BytesIO(data)).tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["Name", "Role", "Organisation", "Agreed to take part"]
    assert header._tr.trPr.xml.count("tblHeader") == 1
    assert [c.text for c in table.rows[1].cells][:2] == ["Ann Lewis", "Family member"]


def test_amended_record_says_which_version_it_supersedes(example_raw: dict[str, Any]) -> None:
    text = text_of(
        render(example_raw, "review_record", amendment=AMENDMENT, previous=PREVIOUS, version=2)
    )
    assert "This amended version (version 2) supersedes version 1 of 13 November 2026." in text
    assert "Amendment log" in text
    assert "Version 2" in text


# --- hostile and unusual text ---------------------------------------------------------

HOSTILE = [
    pytest.param("Tom & Jerry <b>bold</b> \"quoted\" 'single'", id="xml-specials"),
    pytest.param("{{ 7*7 }} {% if true %}x{% endif %}", id="template-code"),
    pytest.param("Caring 💪🏽 for Tom ❤️", id="emoji"),
    pytest.param("مرحبا بكم — שלום", id="rtl"),
    pytest.param("Line one\nLine two", id="line-break"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_prints_as_typed(example_raw: dict[str, Any], text: str) -> None:
    raw = with_changes(
        example_raw,
        narrative={"plan_elements": text},
        subject__preferred_name=text.splitlines()[0][:40],
    )
    data = render(raw, "review_record")
    for line in text.splitlines():
        assert line in text_of(data)
    outcome = text_of(render(raw, "outcome_letter"))
    assert f"Dear {text.splitlines()[0][:40]}" in outcome


def test_line_breaks_in_narrative_stay_line_breaks(example_raw: dict[str, Any]) -> None:
    raw = with_changes(example_raw, narrative={"plan_elements": "First line\nSecond line"})
    xml = zipfile.ZipFile(io.BytesIO(render(raw, "review_record"))).read("word/document.xml")
    assert re.search(rb"First line</w:t>.*?<w:br/>.*?Second line", xml)


def test_very_long_narrative_renders_whole(example_raw: dict[str, Any]) -> None:
    """Longer than the schema allows, so rendering never becomes the weak link."""
    long_text = ("The plan works well. " * 2500)[:50_000].strip()
    review = _review(example_raw)
    review["narrative"] = {"plan_elements": long_text}
    data = render_document(review, decide(review), "review_record", produced=PRODUCED).data
    assert long_text in text_of(data)


def test_empty_lists_and_missing_optional_fields_render(example_raw: dict[str, Any]) -> None:
    raw = with_changes(
        example_raw,
        participants=[],
        findings__information_and_advice=[],
        findings__plan__issues=[],
        narrative={},
    )
    raw["subject"].pop("preferred_name", None)
    for key in ("advocate", "carer"):
        raw.pop(key, None)
    for document in codes.DOCUMENTS:
        text = text_of(render(raw, document))
        assert "Maria Lewis" in text
    record = text_of(render(raw, "review_record"))
    assert "No one else took part" in record


# --- who letters go to (002, 003) -------------------------------------------------------

REPRESENTATIVE = {
    "name": "Priya Shah",
    "relationship": "sister",
    "address": ["3 Elm Close", "Exampleton"],
    "postcode": "EX4 2DD",
}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"subject__has_capacity": False}, id="lacks-capacity"),
        pytest.param({"subject__correspondence_to_representative": True}, id="asked-for-it"),
    ],
)
@pytest.mark.parametrize("document", ["outcome_letter", "telephone_follow_up_letter"])
def test_letters_go_to_the_representative(
    example_raw: dict[str, Any], changes: dict[str, Any], document: str
) -> None:
    raw = with_changes(example_raw, subject__appropriate_person=REPRESENTATIVE, **changes)
    text = text_of(render(raw, document))
    assert "Priya Shah\n3 Elm Close\nExampleton\nEX4 2DD" in text
    assert "Dear Priya Shah" in text
    assert "About: Maria Lewis (reference ASC-558201)" in text
    assert "14 Orchard Row" not in text
    assert "Maria's" in text


def test_letters_go_to_the_subject_otherwise(example_raw: dict[str, Any]) -> None:
    raw = with_changes(example_raw, subject__appropriate_person=REPRESENTATIVE)
    text = text_of(render(raw, "outcome_letter"))
    assert "Maria Lewis\n14 Orchard Row\nExampleton\nEX2 4BB" in text
    assert "Dear Maria" in text
    assert "Priya Shah" not in text


def test_advocate_is_named_as_informed(example_raw: dict[str, Any]) -> None:
    raw = with_changes(
        example_raw,
        advocate={"name": "Jo Reed", "organisation": "Voice Advocacy", "email": "jo@voice.example"},
    )
    text = text_of(render(raw, "outcome_letter"))
    assert "Copy sent to: Jo Reed, independent advocate, Voice Advocacy" in text
    assert "We have let Jo Reed know that the review record has been sent" in text


# --- the letters ------------------------------------------------------------------------


def test_information_letter_lists_light_touch_or_full_questions(
    example_raw: dict[str, Any],
) -> None:
    light = text_of(render(example_raw, "review_information_letter"))
    full = text_of(
        render(with_changes(example_raw, review__review_type="full"), "review_information_letter")
    )
    assert "Is everything in your support plan in place as intended?" in light
    assert "What did you learn about your strengths at that time?" not in light
    assert "What did you learn about your strengths at that time?" in full
    for must in (
        "Why we review",
        "What to expect",
        "How and when",
        "advocate",
        "Financial assessment",
        "Your right to complain",
    ):
        assert must in light


def test_delay_letter_gives_the_timeframe_and_what_to_do(example_raw: dict[str, Any]) -> None:
    text = text_of(render(example_raw, "review_delay_letter"))
    assert DELAY["reason"] in text
    assert "within the next six weeks" in text
    assert "by 1 December 2026" in text
    assert "If things change" in text
    assert "Your right to complain" in text


def test_telephone_letter_is_the_formal_record(example_raw: dict[str, Any]) -> None:
    text = text_of(render(example_raw, "telephone_follow_up_letter"))
    assert "It is the formal record of our telephone conversation." in text
    assert "No changes are needed to the support plan or the personal budget." in text


def test_outcome_letter_for_a_carer_in_work(example_raw: dict[str, Any]) -> None:
    text = text_of(render(example_raw, "outcome_letter"))
    assert "Carers Leave Act 2023" in text
    assert "The next review will take place by" in text


def test_outcome_letter_without_work_has_no_carers_leave(example_raw: dict[str, Any]) -> None:
    text = text_of(render(with_changes(example_raw, subject__in_work=False), "outcome_letter"))
    assert "Carers Leave Act" not in text


def test_letters_never_name_a_safeguarding_concern(example_raw: dict[str, Any]) -> None:
    """000: the person causing harm may open the letter; only the record says it."""
    raw = with_changes(
        example_raw,
        review__review_type="full",
        findings__safeguarding={
            "concern": True,
            "concern_about_subject": True,
            "action_taken": "Concern raised with the safeguarding team.",
            "review_option": "continue",
        },
    )
    for document in ("outcome_letter", "telephone_follow_up_letter"):
        for variant in ("standard", "easy_read"):
            if variant == "easy_read" and document not in codes.EASY_READ_DOCUMENTS:
                continue
            assert "safeguarding" not in text_of(render(raw, document, variant)).lower()
    assert "Safeguarding concerns and action taken" in text_of(render(raw, "review_record"))


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_amendment_letter_gives_decision_reasons_and_right_to_complain(
    example_raw: dict[str, Any], decision: str
) -> None:
    amendment = {**AMENDMENT, "decision": decision}
    text = text_of(render(example_raw, "amendment_decision_letter", amendment=amendment))
    assert AMENDMENT["decision_reason"] in text
    assert "Your right to complain" in text
    if decision == "accept":
        assert "We have agreed to change the record." in text
        assert "version 2" in text
    else:
        assert "We have decided not to change the record." in text


@pytest.mark.parametrize("withheld", [True, False], ids=["partial", "full"])
def test_sharing_cover_letter(example_raw: dict[str, Any], withheld: bool) -> None:
    text = text_of(render(example_raw, "sharing_cover_letter", withheld=withheld))
    assert "Dear Brightside Sitting Service" in text
    assert "2 Mill Lane" in text
    assert "confidential" in text
    assert ("Some information has been withheld from this copy." in text) is withheld


def test_shared_copy_without_a_section_keeps_no_trace_of_its_words(
    example_raw: dict[str, Any],
) -> None:
    review = _review(example_raw)
    decision = decide(review)
    decision["required_sections"].remove("views_on_changes")
    data = render_document(
        review,
        decision,
        "review_record",
        produced=PRODUCED,
        recipient=PROVIDER_RECIPIENT,
        withheld=True,
    ).data
    assert "sitting service on Thursdays is what keeps me going" not in text_of(data)
    assert "Some information has been withheld from this copy." in text_of(data)


# --- easy read (issue 6) ----------------------------------------------------------------


@pytest.mark.parametrize("document", codes.EASY_READ_DOCUMENTS)
def test_easy_read_sentences_are_short(example_raw: dict[str, Any], document: str) -> None:
    text = text_of(render(example_raw, document, "easy_read"))
    body = text.split("Page ")[0]
    sentences = [s for s in re.split(r"[.?!:\n]+", body) if len(s.split()) > 1]
    assert statistics.mean(len(s.split()) for s in sentences) <= 15


@pytest.mark.parametrize("document", codes.EASY_READ_DOCUMENTS)
def test_easy_read_is_at_least_16pt(document: str) -> None:
    """Every style but the envelope window's address (issue 14: fixed at 10pt so 7 lines
    fit the window) is 16pt or more, and all the text outside the window is too."""
    from reviewdocs.documents.accessible import smallest_font_pt

    styles = zipfile.ZipFile(template_path(document, "easy_read")).read("word/styles.xml").decode()
    sizes = [int(s) for s in re.findall(r'<w:sz w:val="(\d+)"', _without_window_style(styles))]
    assert min(sizes) >= 32
    assert smallest_font_pt(template_path(document, "easy_read").read_bytes()) >= 16


# --- templates --------------------------------------------------------------------------

TEMPLATE_FILES = sorted(TEMPLATES.glob("*.docx"))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.stem)
def test_template_is_lean_and_in_house_style(path: Path) -> None:
    assert path.stat().st_size < 50_000
    with zipfile.ZipFile(path) as zf:
        footer = zf.read("word/footer1.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    for field in (
        "PAGE",
        "NUMPAGES",
        "review.id",
        "subject.reference",
        "meta.version",
        "meta.produced",
    ):
        assert field in footer
    assert 'w:lang w:val="en-GB"' in styles
    assert 'w:ascii="Arial"' in styles
    for style in ("Title", "Heading1", "Heading2", "Normal"):
        assert f'w:styleId="{style}"' in styles
    sizes = [int(s) for s in re.findall(r'<w:sz w:val="(\d+)"', _without_window_style(styles))]
    assert min(sizes) >= 24  # 12pt


def _without_window_style(styles: str) -> str:
    """The styles part less the envelope window's Address style (fixed at 10pt, issue 14)."""
    window = re.compile(r'<w:style [^>]*w:styleId="Address">.*?</w:style>')
    assert window.search(styles), "the Address style is gone: update this test"
    return window.sub("", styles)


def test_templates_exist_for_every_document_and_easy_read_copy() -> None:
    names = {p.stem for p in TEMPLATE_FILES}
    assert set(codes.DOCUMENTS) <= names
    assert {f"{d}-easy_read" for d in codes.EASY_READ_DOCUMENTS} <= names


def test_our_templates_pass_the_check() -> None:
    assert check_templates() == []


def test_check_names_the_template_with_an_unknown_field(tmp_path: Path) -> None:
    source = TEMPLATES / "outcome_letter.docx"
    target = tmp_path / "outcome_letter.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ letter.salutation }}", b"{{ shoe_size }}")
            zout.writestr(item, data)
    problems = check_templates(tmp_path)
    assert problems and "outcome_letter.docx" in problems[0] and "shoe_size" in problems[0]


def test_letters_put_the_address_in_the_envelope_window() -> None:
    """Issue 14: a frame fixed to the page inside Notify's address window (x 24.6-120,
    y 39.5-66.3 mm), not the text flow 20 mm from the left that Notify rejected."""
    with zipfile.ZipFile(TEMPLATES / "outcome_letter.docx") as zf:
        document = zf.read("word/document.xml").decode()
    frame = re.search(
        r'<w:pStyle w:val="Address"/><w:framePr w:w="(\d+)" w:wrap="around" '
        r'w:vAnchor="page" w:hAnchor="page" w:x="(\d+)" w:y="(\d+)"/>',
        document,
    )
    assert frame is not None
    width, x, y = (int(v) / 56.7 for v in frame.groups())
    assert x >= 24.6 and x + width <= 120
    assert 39.5 <= y <= 41


def test_rendering_is_deterministic(example_raw: dict[str, Any]) -> None:
    assert render(example_raw, "review_record") == render(example_raw, "review_record")


def test_properties_name_the_document_and_the_council(example_raw: dict[str, Any]) -> None:
    data = render(example_raw, "review_record")
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.title == "Review record — Maria Lewis"
    assert core.author == "Example County Council"
    assert core.language == "en-GB"


# --- the context ------------------------------------------------------------------------


@pytest.mark.parametrize("document", codes.DOCUMENTS)
def test_context_keeps_raw_fields_and_declares_every_derived_one(
    example_raw: dict[str, Any], document: str
) -> None:
    review = _review(_raw_for(example_raw, document))
    decision = None if document in codes.PRE_REVIEW_DOCUMENTS else decide(review)
    ctx = build_context(review, decision, document=document, produced=PRODUCED, **_extras(document))
    for key, value in review.items():
        assert ctx[key] is value
    derived = {k: v for k, v in ctx.items() if k not in review}
    undeclared = {p for k, v in derived.items() for p in context_paths(v, k)} - set(
        CONTEXT_EXTRA_PATHS
    )
    assert undeclared == set()
    assert set(CONTEXT_EXTRA_PATHS) <= known_paths()


def test_template_folder_can_be_copied_and_checked(tmp_path: Path) -> None:
    for path in TEMPLATE_FILES:
        shutil.copy(path, tmp_path / path.name)
    assert check_templates(tmp_path) == []


# --- redaction, unusual addressees, real clients ---------------------------------------


def test_a_removed_finding_leaves_no_question_and_no_claim(example_raw: dict[str, Any]) -> None:
    """A value removed from a shared copy (None) is left out, never read as "No"."""
    review = _review(example_raw)
    review["findings"]["needs"]["changed"] = None
    review["findings"]["views"]["subject"] = None
    data = render_document(
        review, decide(_review(example_raw)), "review_record", produced=PRODUCED
    ).data
    text = text_of(data)
    assert "Have Maria's needs changed?" not in text
    assert "needs have changed" not in text and "needs have not changed" not in text
    assert "own words" not in text


def test_person_lacking_capacity_with_only_an_advocate_writes_to_the_advocate(
    example_raw: dict[str, Any],
) -> None:
    """002: "a person legally authorised to represent them ... or an independent advocate"."""
    raw = with_changes(
        example_raw,
        subject__has_capacity=False,
        advocate={
            "name": "Jo Reed",
            "organisation": "Voice Advocacy",
            "email": "jo@voice.example",
            "address": ["Voice Advocacy", "9 High Street", "Exampleton"],
            "postcode": "EX1 2ZZ",
        },
    )
    text = text_of(render(raw, "outcome_letter"))
    assert "Dear Jo Reed" in text
    assert "9 High Street" in text
    assert "Copy sent to" not in text


def test_unknown_document_is_a_template_error(example_raw: dict[str, Any]) -> None:
    review = _review(example_raw)
    with pytest.raises(TemplateError, match="No such document"):
        render_document(review, decide(review), "birthday_card", produced=PRODUCED)


@pytest.mark.slow
def test_libreoffice_opens_every_document(example_raw: dict[str, Any]) -> None:
    """Issue 3: a real client must open what we make (one LibreOffice for all)."""
    from reviewdocs.documents.pdf import get_converter

    converter = get_converter()
    for document in codes.DOCUMENTS:
        for variant in ("standard", "easy_read", "large_print"):
            if variant == "easy_read" and document not in codes.EASY_READ_DOCUMENTS:
                continue
            pdf = converter.convert(render(example_raw, document, variant))
            assert pdf.startswith(b"%PDF"), (document, variant)


def test_a_partial_copy_never_answers_an_emptied_list_with_none(
    example_raw: dict[str, Any],
) -> None:
    """A withheld list arrives empty: "New risks: None" would be a false statement."""
    review = _review(example_raw)
    decision = decide(review)
    kwargs = {"produced": PRODUCED, "recipient": PROVIDER_RECIPIENT}
    full = text_of(render_document(review, decision, "review_record", **kwargs).data)
    partial = text_of(
        render_document(review, decision, "review_record", withheld=True, **kwargs).data
    )
    assert "New risks: None" in full
    assert "New risks:" not in partial
    assert "there are no new outcomes" not in partial


def test_build_script_writes_the_same_lean_templates_every_time(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "tools" / "build_templates.py"
    for out in ("a", "b"):
        subprocess.run(
            [sys.executable, str(script), "--out", str(tmp_path / out)],
            check=True,
            capture_output=True,
        )
    first = sorted((tmp_path / "a").glob("*.docx"))
    assert {p.name for p in first} == {p.name for p in TEMPLATE_FILES}
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
        assert path.stat().st_size < 10_000
    assert check_templates(tmp_path / "a") == []


@pytest.mark.parametrize(
    ("views", "label", "shown"),
    [
        pytest.param(
            '"I manage, just."', "In Maria's own words:", "“I manage, just.”", id="quoted"
        ),
        pytest.param(
            "Maria says she manages.",
            "What Maria told us:",
            "Maria says she manages.",
            id="summary",
        ),
    ],
)
def test_only_words_in_quotation_marks_are_called_the_persons_own(
    example_raw: dict[str, Any], views: str, label: str, shown: str
) -> None:
    """000 "record this word for word": a practitioner's summary is never shown as a quote."""
    example_raw["findings"]["views"]["subject"] = views
    text = text_of(render(example_raw, "review_record", "standard"))
    assert f"{label} {shown}" in text
    summary = text_of(render(example_raw, "review_record", "easy_read"))
    assert label.rstrip(":") in summary
