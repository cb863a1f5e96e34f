"""Our fillable PDF review form: what it asks, and that a completed copy, filled by
other PDF tools than the one that drew it, gives the same review and decision as
the JSON route; every unreadable PDF is refused in one plain line."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import random
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from reviewdocs import codes
from reviewdocs.decision.rules import decide
from reviewdocs.errors import InputError
from reviewdocs.intake.form import (
    FORM_ID,
    field_values,
    form_bytes,
    read_form,
    read_form_bytes,
    write_form,
)
from reviewdocs.intake.form._layout import Kind, all_fields, fields
from reviewdocs.intake.schemas import input_paths, validate_review

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"

_spec = importlib.util.spec_from_file_location(
    "make_sample_forms", ROOT / "tools" / "make_sample_forms.py"
)
assert _spec and _spec.loader
_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tool)
fill_with_pymupdf: Callable[[bytes, Mapping[str, str | bool]], bytes] = _tool.fill_with_pymupdf

NOT_IN_FORM = {
    "schema_version",  # set by the reader
    "review.stage",  # the form records a completed review
    "review.delay.reason",  # delay letters are written before any review form exists
    "review.delay.agreed_timeframe",
    "review.delay.next_contact_by",
}


def completed_inputs() -> list[Path]:
    """Every completed review we ship: the two test examples and the samples."""
    samples = sorted((ROOT / "samples").glob("*.json"))
    out = [DATA / "example-carer-light-touch.json", DATA / "example-care-and-support-full.json"]
    for path in samples:
        if json.loads(path.read_text(encoding="utf-8"))["review"].get("stage") != "planned":
            out.append(path)
    return out


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def blank() -> dict[str, bytes]:
    return {plan: form_bytes(plan) for plan in codes.PLAN_TYPES}


# filling with pypdf ------------------------------------------------------------


def fill_with_pypdf(form: bytes, values: Mapping[str, str | bool]) -> bytes:
    """Fill as pypdf users do: buttons get their on-state name, text its value."""
    layout = all_fields()
    pdf_values: dict[str, Any] = {}
    for name, value in values.items():
        kind = layout[name].kind
        if kind is Kind.TICK:
            pdf_values[name] = "/Yes" if value else "/Off"
        elif kind in (Kind.BOOL, Kind.RADIO):
            pdf_values[name] = f"/{value}"
        else:
            pdf_values[name] = value
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, pdf_values, auto_regenerate=False)
    return _bytes(writer)


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def edit_field(form: bytes, name: str, change: Callable[[DictionaryObject], None]) -> bytes:
    """Change one field's dictionary directly, as an unusual PDF tool might have."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    nodes = [ref.get_object() for ref in writer.root_object["/AcroForm"]["/Fields"]]
    for part in name.split("."):
        node = next(n for n in nodes if n.get("/T") == part)
        nodes = [kid.get_object() for kid in node.get("/Kids", [])]
    change(node)
    return _bytes(writer)


def kids(node: DictionaryObject) -> list[DictionaryObject]:
    return [kid.get_object() for kid in node["/Kids"]]


FILLERS = {"pymupdf": fill_with_pymupdf, "pypdf": fill_with_pypdf}


def blank_as_none(value: Any) -> Any:
    """JSON may say "" where a form has an empty box; both mean "nothing recorded"."""
    if isinstance(value, dict):
        return {k: blank_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blank_as_none(v) for v in value]
    return None if value == "" else value


# what the form asks --------------------------------------------------------------


@pytest.mark.parametrize("plan_type", codes.PLAN_TYPES)
def test_blank_form_has_a_field_for_every_question_and_the_marker(
    blank: dict[str, bytes], plan_type: str
) -> None:
    found = PdfReader(io.BytesIO(blank[plan_type])).get_fields() or {}
    names = {name for name, field in found.items() if "/FT" in field}
    assert names == {f.path for f in fields(plan_type)} | {"form.id"}


@pytest.mark.parametrize("plan_type", codes.PLAN_TYPES)
def test_no_partial_field_name_contains_a_period(blank: dict[str, bytes], plan_type: str) -> None:
    """PDF 32000-1 12.7.3.2; PDFBox and PDFsharp refuse such names."""

    def partial_names(nodes: Any) -> list[str]:
        out = []
        for ref in nodes:
            node = ref.get_object()
            if "/T" in node:
                out.append(str(node["/T"]))
            out += partial_names(node.get("/Kids", []))
        return out

    root = PdfReader(io.BytesIO(blank[plan_type])).trailer["/Root"]
    names = partial_names(root["/AcroForm"]["/Fields"])
    assert names and not [n for n in names if "." in n]


def _schema_path(form_path: str) -> str:
    return re.sub(r"\.\d+\.", "[].", form_path)


def test_every_form_field_is_an_input_path_the_schema_accepts() -> None:
    assert {_schema_path(path) for path in all_fields()} <= input_paths()


@pytest.mark.parametrize("plan_type", codes.PLAN_TYPES)
def test_the_form_asks_every_input_of_its_plan_type(plan_type: str) -> None:
    other = "carer." if plan_type == "carer_support_plan" else "cared_for."
    expected = {p for p in input_paths() if p not in NOT_IN_FORM and not p.startswith(other)}
    assert expected - {_schema_path(f.path) for f in fields(plan_type)} == set()


def test_plain_questions_with_the_procedures_simple_questions_as_help() -> None:
    layout = all_fields()
    assert layout["findings.plan.in_place"].label == (
        "Is all the support in the plan in place as intended?"
    )
    assert "Has there been any change to your needs" in layout["findings.needs.changed"].help
    assert layout["findings.needs.changed"].kind is Kind.BOOL


@pytest.mark.parametrize("plan_type", codes.PLAN_TYPES)
def test_form_is_in_the_order_of_the_review_conversation(plan_type: str) -> None:
    order = [f.path for f in fields(plan_type)]
    firsts = [
        "review.id",
        "subject.name",
        "participants.0.name",
        "findings.plan.in_place",
        "findings.outcomes.achieved",
        "findings.needs.changed",
        "findings.risk.managed",
        "findings.budget.sufficient",
        "findings.information_and_advice",
        "findings.safeguarding.concern",
        "findings.views.subject",
        "narrative.plan_elements",
        "decision.outcome",
        "sharing.consent_to_share",
    ]
    assert [order.index(p) for p in firsts] == sorted(order.index(p) for p in firsts)
    narrative = [p.split(".")[1] for p in order if p.startswith("narrative.")]
    assert narrative == list(codes.SECTIONS)


def test_carer_form_asks_about_the_person_cared_for_and_the_other_about_the_carer(
    blank: dict[str, bytes],
) -> None:
    carer = set(PdfReader(io.BytesIO(blank["carer_support_plan"])).get_fields() or {})
    person = set(PdfReader(io.BytesIO(blank["care_and_support_plan"])).get_fields() or {})
    assert "cared_for.lacks_capacity" in carer and "carer.name" not in carer
    assert "carer.has_support_plan" in person and "cared_for.name" not in person


@pytest.mark.parametrize("plan_type", codes.PLAN_TYPES)
def test_blank_form_reads_as_its_plan_type_with_every_question_unanswered(
    blank: dict[str, bytes], plan_type: str
) -> None:
    raw = read_form_bytes(blank[plan_type])
    assert raw["schema_version"] == 1
    assert raw["review"]["plan_type"] == plan_type
    with pytest.raises(InputError) as caught:
        validate_review(raw)
    assert "findings.needs.changed" in caught.value.errors
    assert "subject.has_capacity" in caught.value.errors


def test_write_form_writes_the_same_a4_form_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_form(first, "carer_support_plan")
    write_form(second, "carer_support_plan")
    assert first.read_bytes() == second.read_bytes()
    page = PdfReader(first).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert not list(tmp_path.glob(".*part")), "no temporary file is left behind"


def test_marker_is_hidden_and_read_only(blank: dict[str, bytes]) -> None:
    field = PdfReader(io.BytesIO(blank["carer_support_plan"])).get_fields()["form.id"]
    assert field["/V"] == FORM_ID
    assert int(field["/Ff"]) & 1, "read-only"


# round trips through other tools ----------------------------------------------------


@pytest.mark.parametrize("tool", FILLERS)
@pytest.mark.parametrize("source", completed_inputs(), ids=lambda p: p.stem)
def test_filled_form_gives_the_same_review_and_decision_as_the_json(
    blank: dict[str, bytes], tool: str, source: Path
) -> None:
    raw = load(source)
    filled = FILLERS[tool](blank[raw["review"]["plan_type"]], field_values(raw))
    from_form = validate_review(read_form_bytes(filled))
    from_json = validate_review(raw)
    assert blank_as_none(from_form) == blank_as_none(from_json)
    assert decide(from_form) == decide(from_json)


@pytest.mark.parametrize("name", ["form-carer-full.pdf", "form-care-and-support.pdf"])
def test_committed_sample_forms_are_valid_reviews(name: str) -> None:
    """Also fails when a sample JSON changes and the form was not made again."""
    from_form = validate_review(read_form(ROOT / "samples" / name))
    from_json = validate_review(_tool.form_source(name))
    assert blank_as_none(from_form) == blank_as_none(from_json)
    assert decide(from_form) == decide(from_json)


def test_text_in_any_language_survives(
    blank: dict[str, bytes], example_raw: dict[str, Any]
) -> None:
    values = field_values(example_raw)
    values["subject.name"] = "Zoë Ó Briain – 李小龍"
    filled = fill_with_pymupdf(blank["carer_support_plan"], values)
    assert read_form_bytes(filled)["subject"]["name"] == "Zoë Ó Briain – 李小龍"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        pytest.param(ByteStringObject("\ufeffZoë 李".encode("utf-16-be")), "Zoë 李", id="utf-16"),
        # PDFDocEncoding: 0xEB is e-diaeresis, 0x84 an em dash.
        pytest.param(ByteStringObject(b"Zo\xeb \x84 ok"), "Zoë — ok", id="pdfdocencoding"),
        pytest.param(TextStringObject("Zoë Ó Briain 李"), "Zoë Ó Briain 李", id="text-object"),
    ],
)
def test_text_stored_as_utf16_or_pdfdocencoding_is_read(
    blank: dict[str, bytes], stored: Any, expected: str
) -> None:
    def put(node: DictionaryObject) -> None:
        node[NameObject("/V")] = stored

    raw = read_form_bytes(edit_field(blank["carer_support_plan"], "subject.name", put))
    assert raw["subject"]["name"] == expected


def test_lists_are_one_item_per_line_and_blank_lines_are_dropped(
    blank: dict[str, bytes], example_raw: dict[str, Any]
) -> None:
    values = field_values(example_raw)
    values["findings.plan.issues"] = "Sitting service late twice\r\n\r\n  \rNo cover in August\n"
    raw = read_form_bytes(fill_with_pymupdf(blank["carer_support_plan"], values))
    assert raw["findings"]["plan"]["issues"] == ["Sitting service late twice", "No cover in August"]


def test_empty_participant_slots_are_ignored(
    blank: dict[str, bytes], example_raw: dict[str, Any]
) -> None:
    values = field_values(example_raw)
    values.update(
        {
            "participants.1.name": "Ruth Lewis",
            "participants.1.role": "family",
            "participants.1.consented": "Yes",
            "participants.4.name": "Dr Obi",
            "participants.4.role": "health",
            "participants.4.consented": "No",
        }
    )
    review = validate_review(
        read_form_bytes(fill_with_pymupdf(blank["carer_support_plan"], values))
    )
    assert [(p["name"], p["role"], p["consented"]) for p in review["participants"]] == [
        ("Ruth Lewis", "family", True),
        ("Dr Obi", "health", False),
    ]


# buttons as other tools leave them ------------------------------------------------------


@pytest.mark.parametrize("on_state", ["On", "1", "Checked"])
def test_a_ticked_box_is_read_from_its_own_on_state(blank: dict[str, bytes], on_state: str) -> None:
    def tick_with_another_name(node: DictionaryObject) -> None:
        for faces in node["/AP"].values():
            faces = faces.get_object()
            faces[NameObject("/" + on_state)] = faces.pop("/Yes")
        node[NameObject("/V")] = NameObject("/" + on_state)
        node[NameObject("/AS")] = NameObject("/" + on_state)

    path = "subject.correspondence_to_representative"
    raw = read_form_bytes(edit_field(blank["carer_support_plan"], path, tick_with_another_name))
    assert raw["subject"]["correspondence_to_representative"] is True


def test_an_unticked_box_leaves_the_default(blank: dict[str, bytes]) -> None:
    raw = read_form_bytes(blank["carer_support_plan"])
    assert "correspondence_to_representative" not in raw["subject"]


def _select_kid(code: str, *, set_v: bool, set_as: bool) -> Callable[[DictionaryObject], None]:
    def change(node: DictionaryObject) -> None:
        if set_v:
            node[NameObject("/V")] = NameObject("/" + code)
        for kid in kids(node):
            states = [k for k in kid["/AP"]["/N"] if k != "/Off"]
            if set_as:
                kid[NameObject("/AS")] = NameObject(
                    states[0] if states[0] == "/" + code else "/Off"
                )

    return change


@pytest.mark.parametrize(
    ("set_v", "set_as"),
    [(False, True), (True, False), (True, True)],
    ids=["kid-AS-only", "parent-V-only", "both"],
)
@pytest.mark.parametrize(("answer", "expected"), [("No", False), ("Yes", True)])
def test_yes_no_answer_is_read_from_the_kid_or_the_group(
    blank: dict[str, bytes], set_v: bool, set_as: bool, answer: str, expected: bool
) -> None:
    form = edit_field(
        blank["carer_support_plan"],
        "findings.needs.changed",
        _select_kid(answer, set_v=set_v, set_as=set_as),
    )
    assert read_form_bytes(form)["findings"]["needs"]["changed"] is expected


def test_radio_renamed_by_another_tool_maps_back_by_position(blank: dict[str, bytes]) -> None:
    """Some tools rename on-states to 0, 1, 2...: the chosen widget's place tells the answer."""

    def rename(node: DictionaryObject) -> None:
        for i, kid in enumerate(kids(node)):
            for faces in kid["/AP"].values():
                faces = faces.get_object()
                old = next(k for k in faces if k != "/Off")
                faces[NameObject(f"/{i}")] = faces.pop(old)
            kid[NameObject("/AS")] = NameObject("/1" if i == 1 else "/Off")
        node[NameObject("/V")] = NameObject("/1")

    form = edit_field(blank["carer_support_plan"], "findings.outcomes.achieved", rename)
    assert read_form_bytes(form)["findings"]["outcomes"]["achieved"] == "partly"


def test_radio_export_values_in_opt_are_used(blank: dict[str, bytes]) -> None:
    def with_opt(node: DictionaryObject) -> None:
        node[NameObject("/Opt")] = ArrayObject(
            [TextStringObject(code) for code in codes.SAFEGUARDING_OPTIONS]
        )
        node[NameObject("/V")] = NameObject("/2")
        for kid in kids(node):
            kid[NameObject("/AS")] = NameObject("/Off")

    form = edit_field(blank["carer_support_plan"], "findings.safeguarding.review_option", with_opt)
    assert read_form_bytes(form)["findings"]["safeguarding"]["review_option"] == (
        "pause_with_interim_support"
    )


def test_contradictory_answer_is_reported_never_guessed(blank: dict[str, bytes]) -> None:
    def contradict(node: DictionaryObject) -> None:
        _select_kid("Yes", set_v=False, set_as=True)(node)
        node[NameObject("/V")] = NameObject("/No")

    form = edit_field(blank["carer_support_plan"], "findings.risk.managed", contradict)
    with pytest.raises(InputError) as caught:
        read_form_bytes(form)
    assert list(caught.value.errors) == ["findings.risk.managed"]
    assert "shows the answer 'Yes' but stores 'No'" in str(caught.value)


def test_two_answers_selected_is_reported_never_guessed(blank: dict[str, bytes]) -> None:
    def both_on(node: DictionaryObject) -> None:
        for kid in kids(node):
            kid[NameObject("/AS")] = next(k for k in kid["/AP"]["/N"] if k != "/Off")

    form = edit_field(blank["carer_support_plan"], "findings.urgent_need", both_on)
    with pytest.raises(InputError) as caught:
        read_form_bytes(form)
    assert caught.value.errors == {
        "findings.urgent_need": ["More than one answer is selected: choose one."]
    }


def test_a_form_saved_incrementally_reads_its_latest_answers(
    blank: dict[str, bytes], example_raw: dict[str, Any], tmp_path: Path
) -> None:
    """PDF readers often append changes to the end of the file instead of rewriting it."""
    path = tmp_path / "form.pdf"
    path.write_bytes(fill_with_pymupdf(blank["carer_support_plan"], field_values(example_raw)))
    doc = pymupdf.open(path)
    for page in doc:
        for widget in page.widgets():
            if widget.field_name == "findings.needs.changed" and widget.on_state() == "Yes":
                widget.field_value = widget.on_state()
                widget.update()
            if widget.field_name == "subject.preferred_name":
                widget.field_value = "Mo"
                widget.update()
    doc.saveIncr()
    doc.close()
    raw = read_form(path)
    assert raw["findings"]["needs"]["changed"] is True
    assert raw["subject"]["preferred_name"] == "Mo"


def test_choice_value_is_read_from_its_export_value_or_its_label(blank: dict[str, bytes]) -> None:
    def pick_label(node: DictionaryObject) -> None:
        node[NameObject("/V")] = TextStringObject("Telephone")

    form = edit_field(blank["carer_support_plan"], "review.method", pick_label)
    assert read_form_bytes(form)["review"]["method"] == "telephone"


# unanswered is missing, never No ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["findings.needs.changed", "findings.safeguarding.concern", "subject.has_capacity"],
)
def test_an_unanswered_question_is_reported_by_its_path(
    blank: dict[str, bytes], example_raw: dict[str, Any], path: str
) -> None:
    values = field_values(example_raw)
    del values[path]
    raw = read_form_bytes(fill_with_pymupdf(blank["carer_support_plan"], values))
    with pytest.raises(InputError) as caught:
        validate_review(raw)
    assert path in caught.value.errors


def test_empty_text_box_is_missing(blank: dict[str, bytes], example_raw: dict[str, Any]) -> None:
    values = field_values(example_raw)
    values["subject.reference"] = "   "
    raw = read_form_bytes(fill_with_pymupdf(blank["carer_support_plan"], values))
    assert "reference" not in raw["subject"]
    with pytest.raises(InputError) as caught:
        validate_review(raw)
    assert "subject.reference" in caught.value.errors


def test_a_field_added_by_another_program_is_reported(blank: dict[str, bytes]) -> None:
    doc = pymupdf.open(stream=blank["carer_support_plan"], filetype="pdf")
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "findings.extra_notes"
    widget.field_value = "something"
    widget.rect = pymupdf.Rect(50, 50, 200, 70)
    doc[0].add_widget(widget)
    with pytest.raises(InputError) as caught:
        read_form_bytes(doc.tobytes())
    assert "findings.extra_notes" in caught.value.errors


# PDFs we cannot read: one clear line each --------------------------------------------------


def _plain_pdf() -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    canvas.drawString(72, 720, "A letter, not a form")
    canvas.save()
    return buf.getvalue()


def _other_form() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "review.id"
    widget.field_value = "CR-1"
    widget.rect = pymupdf.Rect(50, 50, 200, 70)
    page.add_widget(widget)
    return bytes(doc.tobytes())


def _encrypted(form: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    return _bytes(writer)


def _xfa(form: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    writer._root_object["/AcroForm"][NameObject("/XFA")] = ArrayObject(
        [TextStringObject("template"), NumberObject(0)]
    )
    return _bytes(writer)


def _damaged(form: bytes) -> bytes:
    # Header and end intact, the objects in between overwritten.
    return form[:15] + b"\n" + b"\x00garbage" * 2000 + form[-200:]


def _newer(form: bytes) -> bytes:
    return edit_field(
        form,
        "form.id",
        lambda node: node.__setitem__(
            NameObject("/V"), TextStringObject("reviewdocs-review-form/2")
        ),
    )


BAD = {
    "json-text": (lambda form: b'{"schema_version": 1}', "Not a PDF file"),
    "random-bytes": (lambda form: bytes(range(256)) * 4, "Not a PDF file"),
    "truncated": (lambda form: form[: len(form) // 2], "incomplete"),
    "cut-and-patched": (lambda form: form[: len(form) // 2] + b"\n%%EOF\n", "damaged"),
    "damaged": (_damaged, "damaged"),
    "encrypted": (_encrypted, "encrypted"),
    "xfa": (_xfa, "XFA form"),
    "no-fields": (lambda form: _plain_pdf(), "no form fields"),
    "other-form": (lambda form: _other_form(), "not the reviewdocs review form"),
    "newer-version": (_newer, "reviewdocs-review-form/2"),
}


@pytest.mark.parametrize("case", BAD)
def test_unreadable_pdf_is_refused_in_one_plain_line(
    blank: dict[str, bytes], tmp_path: Path, case: str
) -> None:
    make, words = BAD[case]
    path = tmp_path / "review.pdf"
    path.write_bytes(make(blank["carer_support_plan"]))
    with pytest.raises(InputError) as caught:
        read_form(path)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert message.startswith(f"{path}: ")
    assert words in message
    assert "Traceback" not in message and "pypdf" not in message.lower()


@pytest.mark.parametrize("seed", range(3))
def test_corrupted_bytes_never_give_a_traceback(seed: int) -> None:
    """Flipped bytes anywhere: the form reads, or is refused in plain words; nothing else."""
    form = (ROOT / "samples" / "form-carer-full.pdf").read_bytes()
    rng = random.Random(seed)
    for _ in range(10):
        damaged = bytearray(form)
        for _ in range(rng.choice([1, 5, 50])):
            damaged[rng.randrange(20, len(damaged) - 30)] = rng.randrange(256)
        # Any other exception fails the test: the CLI would show it as an internal error.
        with contextlib.suppress(InputError):
            read_form_bytes(bytes(damaged))


def test_cli_writes_a_form_that_validates_once_filled(
    runner: Any, tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    from reviewdocs.cli import main

    out = tmp_path / "form.pdf"
    result = runner.invoke(main, ["form", "--out", str(out), "--plan-type", "carer_support_plan"])
    assert result.exit_code == 0, result.output
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(fill_with_pymupdf(out.read_bytes(), field_values(example_raw)))
    result = runner.invoke(main, ["validate", str(filled)])
    assert result.exit_code == 0, result.output
    out.write_bytes(_plain_pdf())
    result = runner.invoke(main, ["validate", str(out)])
    assert result.exit_code == 1
    assert "no form fields" in result.output
