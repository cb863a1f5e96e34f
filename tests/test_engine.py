"""The DOCX engine: what a reader of a produced letter, or a template editor, notices."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocumentObject
from docxtpl import DocxTemplate, RichText
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdocs.documents.engine import (
    CompiledTemplate,
    check_template,
    format_date,
    make_environment,
)
from reviewdocs.errors import TemplateError

# -- building small templates ------------------------------------------------------------


def _png() -> bytes:
    """A 1x1 white PNG, so a template can carry a picture (a 'media' part)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_template(
    paragraphs: list[str | list[str]] = (),  # type: ignore[assignment]
    *,
    table: list[list[str]] | None = None,
    header: str | None = None,
    footer: str | None = None,
    picture: bool = False,
) -> bytes:
    """A .docx built with python-docx; a list item is one paragraph made of several runs."""
    document = docx.Document()
    for item in paragraphs:
        paragraph = document.add_paragraph()
        for run in [item] if isinstance(item, str) else item:
            paragraph.add_run(run)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    if picture:
        document.add_picture(io.BytesIO(_png()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(template: bytes, context: dict[str, Any], **kwargs: Any) -> bytes:
    return CompiledTemplate.from_bytes(template, name="letter.docx").render(context, **kwargs)


def opened(data: bytes) -> DocumentObject:
    """The document as Word-compatible software reads it."""
    return docx.Document(io.BytesIO(data))


def texts(data: bytes) -> list[str]:
    return [p.text for p in opened(data).paragraphs]


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name).decode("utf-8")


# -- what the reader sees ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["Smith & Sons", "<w:t>not XML</w:t>", 'She said "no"', "O'Brien", "& < > \" '"],
    ids=["ampersand", "angle-brackets", "double-quotes", "apostrophe", "all-five"],
)
def test_special_characters_print_literally_and_the_file_still_opens(value: str) -> None:
    out = render(make_template(["Name: {{ name }}"]), {"name": value})
    assert texts(out) == [f"Name: {value}"]


@pytest.mark.parametrize(
    "value",
    ["{{ 7*7 }}", "{% if true %}x{% endif %}", "{# hidden #}", "{{r x }}", "{%p if 1 %}"],
    ids=["expression", "statement", "comment", "docxtpl-run-tag", "docxtpl-paragraph-tag"],
)
def test_data_is_printed_as_typed_never_run_as_template_code(value: str) -> None:
    out = render(make_template(["Name: {{ name }}"]), {"name": value})
    assert texts(out) == [f"Name: {value}"]


def test_missing_field_is_an_error_naming_the_template_and_the_field() -> None:
    template = make_template(["Dear {{ subject.name }},", "Ref {{ review.id }}"])
    with pytest.raises(TemplateError) as caught:
        render(template, {"subject": {}, "review": {"id": "R1"}})
    message = str(caught.value)
    assert "letter.docx" in message
    assert "subject.name" in message
    assert "line 2" in message


def test_missing_top_level_name_is_named() -> None:
    with pytest.raises(TemplateError, match=r"the field review is missing .*review\.id"):
        render(make_template(["Ref {{ review.id }}"]), {})


def test_none_printed_is_an_error_not_a_blank() -> None:
    with pytest.raises(TemplateError, match=r"subject\.phone is empty"):
        render(make_template(["Phone: {{ subject.phone }}"]), {"subject": {"phone": None}})


def test_none_is_fine_where_the_template_tests_for_it() -> None:
    template = make_template(["{% if phone %}Phone: {{ phone }}{% endif %}End"])
    assert texts(render(template, {"phone": None})) == ["End"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 12), "12 November 2026"),
        (dt.date(2026, 3, 1), "1 March 2026"),
        (dt.datetime(2027, 1, 5, 10, 30), "5 January 2027"),
    ],
    ids=["two-digit-day", "no-leading-zero", "datetime"],
)
def test_date_filter_writes_dates_as_an_english_letter_does(value: Any, expected: str) -> None:
    assert format_date(value) == expected
    assert texts(render(make_template(["On {{ d|date }}."]), {"d": value})) == [f"On {expected}."]


def test_date_filter_refuses_an_empty_date_naming_the_field() -> None:
    with pytest.raises(TemplateError, match=r"review\.date is empty"):
        render(make_template(["On {{ review.date|date }}."]), {"review": {"date": None}})


def test_date_filter_on_a_missing_field_names_the_field() -> None:
    with pytest.raises(TemplateError, match=r"the field review\.date is missing"):
        render(make_template(["On {{ review.date|date }}."]), {"review": {}})


def test_newlines_in_a_value_become_line_breaks_in_the_same_paragraph() -> None:
    out = render(make_template(["Notes: {{ notes }}", "After"]), {"notes": "one\ntwo\nthree"})
    assert texts(out) == ["Notes: one\ntwo\nthree", "After"]
    assert part(out, "word/document.xml").count("<w:br/>") == 2


# Characters XML cannot hold: C0 controls (bar tab and line ends), surrogates, U+FFFE/F.
_CONTROL = (
    {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\x0b"}
    | {chr(c) for c in range(0xD800, 0xE000)}
    | {"\ufffe", "\uffff"}
)
_ANY_TEMPLATE = make_template(["Said: {{ said }}"])


def _as_shown(value: str) -> str:
    """What a reader sees: line ends and Word's vertical tab as line breaks, the rest gone."""
    value = value.replace("\r\n", "\n")
    return "".join("\n" if c in "\r\x0b" else c for c in value if c not in _CONTROL)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\x07\x0c")))
def test_any_text_prints_as_typed_and_never_corrupts_the_file(value: str) -> None:
    assert texts(render(_ANY_TEMPLATE, {"said": value})) == ["Said: " + _as_shown(value)]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ab \x07\x0c\n\t<&"))
def test_paragraph_and_page_break_characters_never_corrupt_the_file(value: str) -> None:
    # docxtpl's listing: \a starts a new paragraph and \f a new page.
    shown = "".join(texts(render(_ANY_TEMPLATE, {"said": value})))
    assert shown == "Said: " + value.replace("\x07", "").replace("\x0c", "")


def test_windows_line_ends_and_control_characters_do_not_corrupt_the_file() -> None:
    out = render(make_template(["{{ v }}"]), {"v": "a\r\nb\x0bc\x01d\ud800e"})
    assert texts(out) == ["a\nb\ncde"]


def test_headers_and_footers_are_rendered() -> None:
    template = make_template(["Body {{ x }}"], header="Review {{ review_id }}", footer="v{{ v }}")
    section = opened(render(template, {"x": 1, "review_id": "R-7", "v": 2})).sections[0]
    assert section.header.paragraphs[0].text == "Review R-7"
    assert section.footer.paragraphs[0].text == "v2"


def test_table_rows_repeat_with_tr_loops() -> None:
    template = make_template(
        ["People"],
        table=[
            ["Name", "Role"],
            ["{%tr for p in people %}", ""],
            ["{{ p.name }}", "{{ p.role }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    people = [{"name": "Ann", "role": "carer"}, {"name": "Bo", "role": "advocate"}]
    table = opened(render(template, {"people": people})).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Role"],
        ["Ann", "carer"],
        ["Bo", "advocate"],
    ]


def test_paragraph_tags_remove_their_paragraph() -> None:
    template = make_template(["Start", "{%p if show %}", "Shown", "{%p endif %}", "End"])
    assert texts(render(template, {"show": False})) == ["Start", "End"]
    assert texts(render(template, {"show": True})) == ["Start", "Shown", "End"]


def test_tag_split_across_runs_still_renders_as_docxtpl_does() -> None:
    template = make_template([["Dear {{ subj", "ect.name }}, hello"]])
    assert texts(render(template, {"subject": {"name": "Ann"}})) == ["Dear Ann, hello"]


# -- the file itself ---------------------------------------------------------------------

PROPERTIES = {
    "title": "Outcome & next steps <draft>",
    "subject": "Care Act review",
    "creator": "Northshire County Council",
    "keywords": "review; outcome",
    "created": "2026-11-12",
}


def test_same_input_gives_a_byte_identical_file() -> None:
    template = make_template(["Dear {{ name }}"], footer="{{ name }}", picture=True)
    first = render(template, {"name": "Ann"}, properties=PROPERTIES)
    again = CompiledTemplate.from_bytes(template, name="other.docx").render(
        {"name": "Ann"}, properties=dict(PROPERTIES)
    )
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.testzip() is None


def test_different_data_gives_a_different_file() -> None:
    template = make_template(["Dear {{ name }}"])
    assert render(template, {"name": "Ann"}) != render(template, {"name": "Bo"})


def _raw_members(data: bytes) -> dict[str, tuple[int, int, bytes]]:
    """Each member's CRC, size and compressed bytes as stored."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
            begin = start + 30 + name_len + extra_len
            out[info.filename] = (
                info.CRC,
                info.file_size,
                data[begin : begin + info.compress_size],
            )
    return out


def test_parts_without_tags_are_copied_byte_for_byte() -> None:
    template = make_template(["Dear {{ name }}"], picture=True)
    before, after = _raw_members(template), _raw_members(render(template, {"name": "Ann"}))
    assert list(after) == list(before)
    media = [name for name in before if name.startswith("word/media/")]
    assert media
    for name in ["word/styles.xml", "word/settings.xml", *media]:
        assert after[name] == before[name], name
    assert after["word/document.xml"] != before["word/document.xml"]


def test_properties_are_written_escaped_and_replace_the_templates() -> None:
    out = render(make_template(["x"]), {}, properties=PROPERTIES)
    core = opened(out).core_properties
    assert core.title == "Outcome & next steps <draft>"
    assert core.author == "Northshire County Council"
    assert core.subject == "Care Act review"
    assert core.keywords == "review; outcome"
    assert core.language == "en-GB"
    assert core.created == dt.datetime(2026, 11, 12, tzinfo=dt.UTC)
    assert core.modified == core.created
    assert "python-docx" not in part(out, "docProps/core.xml")


def _without_core_properties(template: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                continue
            if info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/core.xml"[^>]*/>', b"", data)
            dst.writestr(info, data)
    return out.getvalue()


def test_properties_are_added_when_the_template_has_none() -> None:
    template = _without_core_properties(make_template(["x"]))
    assert "docProps/core.xml" not in zipfile.ZipFile(io.BytesIO(template)).namelist()
    out = render(template, {}, properties=PROPERTIES)
    assert opened(out).core_properties.title == PROPERTIES["title"]
    assert "core-properties+xml" in part(out, "[Content_Types].xml")


def test_output_matches_plain_docxtpl(tmp_path: Path) -> None:
    template = make_template(
        [
            "Dear {{ subject.name }},",
            [
                "Your review on {{ review.date|",
                "date }} found: {{ outcome }}",
            ],
            "{%p if carer %}",
            "Your carer {{ carer.name }} was there.",
            "{%p endif %}",
            "{%p for step in steps %}",
            "Next: {{ step }}",
            "{%p endfor %}",
            "Notes: {{ notes }}",
        ],
        table=[
            ["Who", "Said"],
            ["{%tr for v in views %}", ""],
            ["{{ v.who }}", "{{ v.said }}"],
            ["{%tr endfor %}", ""],
        ],
        header="Ref {{ review.id }}",
        footer="{{ review.id }} v{{ version }}",
    )
    context = {
        "subject": {"name": "Ann O'Brien & family"},
        "review": {"date": dt.date(2026, 11, 12), "id": "R-1"},
        "outcome": "no change <needed>",
        "carer": {"name": "Bo"},
        "steps": ["Keep the plan", "Review in 12 months"],
        "notes": "line one\nline two",
        "views": [{"who": "Ann", "said": '"Happy"'}, {"who": "Bo", "said": "Tired\nbut OK"}],
        "version": 1,
    }
    path = tmp_path / "t.docx"
    path.write_bytes(template)
    plain = DocxTemplate(path)
    plain.render(context, make_environment())
    expected = io.BytesIO()
    plain.save(expected)

    ours, theirs = opened(render(template, context)), opened(expected.getvalue())
    assert [p.text for p in ours.paragraphs] == [p.text for p in theirs.paragraphs]
    assert [[c.text for r in t.rows for c in r.cells] for t in ours.tables] == [
        [c.text for r in t.rows for c in r.cells] for t in theirs.tables
    ]
    for mine, plain_section in zip(ours.sections, theirs.sections, strict=True):
        assert mine.header.paragraphs[0].text == plain_section.header.paragraphs[0].text
        assert mine.footer.paragraphs[0].text == plain_section.footer.paragraphs[0].text


def test_tags_that_break_word_structure_are_an_error_not_a_corrupt_file() -> None:
    # The if opens in a paragraph and closes inside a table cell: false, it cuts the XML.
    template = make_template(["{% if show %}Before"], table=[["Cell {% endif %}"]])
    with pytest.raises(TemplateError, match="broken Word XML"):
        render(template, {"show": False})


def test_same_name_different_bytes_is_never_served_from_the_cache() -> None:
    first = CompiledTemplate.from_bytes(make_template(["A {{ x }}"]), name="same.docx")
    second = CompiledTemplate.from_bytes(make_template(["B {{ x }}"]), name="same.docx")
    assert first.sha256 != second.sha256
    assert texts(first.render({"x": 1})) == ["A 1"]
    assert texts(second.render({"x": 1})) == ["B 1"]


@pytest.mark.parametrize(
    "data",
    [b"", b"this is not a word document", b"PK\x03\x04broken", "no-document-part"],
    ids=["empty", "text", "truncated-zip", "zip-without-document"],
)
def test_a_file_that_is_not_a_word_template_is_a_template_error(data: bytes | str) -> None:
    if data == "no-document-part":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    assert isinstance(data, bytes)
    with pytest.raises(TemplateError, match=r"bad\.docx"):
        CompiledTemplate.from_bytes(data, name="bad.docx")


def test_a_missing_template_file_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="cannot read"):
        CompiledTemplate.from_path(tmp_path / "absent.docx")


def test_a_syntax_error_is_a_template_error_at_compile_time() -> None:
    with pytest.raises(TemplateError, match=r"word/document.xml, line 3"):
        CompiledTemplate.from_bytes(make_template(["ok", "{% if x %}never closed"]), name="t")


# -- field paths and checking ------------------------------------------------------------


def test_field_paths_name_list_items_and_skip_template_variables() -> None:
    template = make_template(
        [
            "{{ subject.name }} {{ review['id'] }}",
            "{% for p in review.participants %}{{ p.name }}{{ loop.index }}{% endfor %}",
            "{% set who = subject.name %}{{ who }}",
            "{% for code, text in narrative.items() %}{{ text }}{% endfor %}",
            "{{ when|date }}",
        ],
        footer="{{ meta.version }}",
    )
    assert CompiledTemplate.from_bytes(template, name="t").field_paths() == {
        "subject.name",
        "review.id",
        "review.participants",
        "review.participants[].name",
        "narrative",
        "when",
        "meta.version",
    }


KNOWN = {"subject.name", "review.id", "review.participants[].name", "meta.version"}


def _write(tmp_path: Path, data: bytes, name: str = "letter.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_check_passes_a_good_template(tmp_path: Path) -> None:
    template = make_template(
        [
            "Dear {{ subject.name }}",
            "{%p for p in review.participants %}",
            "{{ p.name }}",
            "{%p endfor %}",
        ],
        footer="{{ review.id }} {{ meta.version }}",
    )
    assert check_template(_write(tmp_path, template), KNOWN) == []


def test_check_names_an_unknown_field_with_file_part_and_line(tmp_path: Path) -> None:
    template = make_template(["Dear {{ subject.name }}", "Phone {{ subject.phnoe }}"])
    problems = check_template(_write(tmp_path, template), KNOWN)
    assert len(problems) == 1
    assert problems[0].startswith("letter.docx: word/document.xml, line 3")
    assert "unknown field subject.phnoe" in problems[0]


def test_check_finds_an_unknown_field_in_a_footer(tmp_path: Path) -> None:
    problems = check_template(_write(tmp_path, make_template(["x"], footer="{{ meta.v }}")), KNOWN)
    assert len(problems) == 1
    assert "footer" in problems[0]
    assert "unknown field meta.v" in problems[0]


def test_check_reports_a_tag_split_across_runs(tmp_path: Path) -> None:
    template = make_template(["ok", ["Dear {{ subject.", "name }}"]])
    problems = check_template(_write(tmp_path, template), KNOWN)
    assert len(problems) == 1
    assert "line 3" in problems[0]
    assert "split across Word text runs" in problems[0]


def test_check_reports_a_syntax_error_with_its_line(tmp_path: Path) -> None:
    template = make_template(["ok", "{% if subject.name %}never closed"])
    problems = check_template(_write(tmp_path, template), KNOWN)
    assert len(problems) == 1
    assert problems[0].startswith("letter.docx: word/document.xml, line 3")
    assert "endif" in problems[0]


def test_check_reports_a_file_that_is_not_a_template_and_does_not_raise(tmp_path: Path) -> None:
    problems = check_template(_write(tmp_path, b"not a zip"), KNOWN)
    assert problems == ["letter.docx: not a Word (.docx) file: not a zip package"]


def test_check_reports_tags_that_would_break_word_structure(tmp_path: Path) -> None:
    template = make_template(["{% if subject.name %}Before"], table=[["Cell {% endif %}"]])
    problems = check_template(_write(tmp_path, template), KNOWN)
    assert len(problems) == 1
    assert "line 2" in problems[0]
    assert "{%p if ... %}" in problems[0]


def test_a_template_check_cannot_prove_is_still_rendered_when_its_xml_holds() -> None:
    template = make_template(["{% if show %}Before"], table=[["Cell {% endif %}"]])
    assert "Before" in texts(render(template, {"show": True}))[0]


@pytest.mark.parametrize(
    "tag",
    ["{% autoescape false %}{{ x }}{% endautoescape %}", "{{ x|safe }}", "{{ x|urlize }}"],
    ids=["autoescape-off", "safe-filter", "urlize-filter"],
)
def test_templates_cannot_switch_escaping_off(tag: str) -> None:
    with pytest.raises(TemplateError, match=r"letter\.docx"):
        render(make_template([tag]), {"x": "</w:t>"})


def test_table_columns_repeat_with_tc_loops(tmp_path: Path) -> None:
    template = make_template(
        ["Grid"],
        table=[["Name", "{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]],
    )
    out = render(template, {"cols": ["A", "B", "C", "D"]})
    table = opened(out).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Name", "A", "B", "C", "D"]
    assert part(out, "word/document.xml").count("<w:gridCol ") == 5


def test_cell_shading_tag_sets_the_colour() -> None:
    template = make_template(["x"], table=[["{% cellbg colour %}Shaded"]])
    out = render(template, {"colour": "FF0000"})
    assert 'w:fill="FF0000"' in part(out, "word/document.xml")
    assert [c.text for c in opened(out).tables[0].rows[0].cells] == ["Shaded"]


def test_a_compiled_template_can_be_sent_to_a_worker_process() -> None:
    template = CompiledTemplate.from_bytes(make_template(["Dear {{ name }}"]), name="w.docx")
    copy = pickle.loads(pickle.dumps(template))
    assert (copy.name, copy.sha256) == ("w.docx", template.sha256)
    assert copy.render({"name": "Ann"}) == template.render({"name": "Ann"})


def test_docxtpl_rich_text_in_a_run_tag_keeps_its_formatting() -> None:
    out = render(
        make_template(["Note: {{r warning }}"]), {"warning": RichText("Urgent", bold=True)}
    )
    assert texts(out) == ["Note: Urgent"]
    assert any(run.bold for run in opened(out).paragraphs[0].runs if run.text == "Urgent")


def test_plain_tags_spanning_paragraphs_are_fine_and_pass_the_check(tmp_path: Path) -> None:
    # The body of this loop closes the paragraph and opens the next: repeatable.
    template = make_template(
        ["Steps: {% for p in review.participants %}{{ p.name }}", "{% endfor %}"]
    )
    out = render(template, {"review": {"participants": [{"name": "Ann"}, {"name": "Bo"}]}})
    assert texts(out) == ["Steps: Ann", "Bo", ""]
    assert check_template(_write(tmp_path, template), KNOWN) == []


def test_check_reports_a_loop_that_would_break_word_structure(tmp_path: Path) -> None:
    template = make_template(
        ["{% for p in review.participants %}{{ p.name }}"], table=[["{% endfor %}"]]
    )
    problems = check_template(_write(tmp_path, template), KNOWN)
    assert len(problems) == 1
    assert "{%p for ... %}" in problems[0]


_XML_PIECES = st.sampled_from(
    [
        "<w:p>",
        '<w:p w:rsidR="1">',
        "</w:p>",
        '<w:pPr><w:jc w:val="left"/></w:pPr>',
        "<w:r>",
        '<w:r w:rsidR="2">',
        "</w:r>",
        "<w:rPr><w:b/></w:rPr>",
        "<w:t>",
        '<w:t xml:space="preserve">',
        "</w:t>",
        "<w:tab/>",
        "<w:br/>",
        '<w:hyperlink r:id="x">',
        "</w:hyperlink>",
        "Line one",
        "\n",
        "\n\n",
        "a\nb",
        "&amp;",
        "’",
        '<w:fldSimple w:instr="A\nB">',
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_XML_PIECES, max_size=30))
def test_line_breaks_are_resolved_exactly_as_docxtpl_resolves_them(pieces: list[str]) -> None:
    """The engine's own resolution of line breaks (an address, a multi-line answer)
    gives docxtpl's XML for any arrangement of paragraphs, runs and texts."""
    from docxtpl import DocxTemplate

    from reviewdocs.documents.engine import _resolve_paragraph

    xml = "".join(pieces)
    docxtpl = DocxTemplate.__new__(DocxTemplate)  # resolve_listing reads no state
    assert _resolve_paragraph(xml) == docxtpl.resolve_listing(xml)


def test_small_rendered_parts_are_stored_and_large_ones_deflated() -> None:
    """Small parts (a footer, the properties) are stored, since deflating them costs as
    much as the body; every reader takes both kinds, and the text is the same."""
    from reviewdocs.documents._zip import STORE_BELOW

    long_text = "A long paragraph of the letter. " * (STORE_BELOW // 16)
    template = make_template(["Dear {{ name }}", long_text], footer="{{ name }}")
    data = render(template, {"name": "Ann"}, properties=PROPERTIES)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        kinds = {info.filename: info.compress_type for info in zf.infolist()}
        sizes = {info.filename: info.file_size for info in zf.infolist()}
    assert sizes["word/document.xml"] >= STORE_BELOW
    assert kinds["word/document.xml"] == zipfile.ZIP_DEFLATED
    assert sizes["word/footer1.xml"] < STORE_BELOW
    assert kinds["word/footer1.xml"] == zipfile.ZIP_STORED
    assert kinds["docProps/core.xml"] == zipfile.ZIP_STORED
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Dear Ann"
    assert document.sections[0].footer.paragraphs[0].text == "Ann"
