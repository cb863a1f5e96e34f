"""Hostile and careless inputs through the command line.

Every case: exit 1 (2 for a bad option), a message naming the problem, no traceback,
and no file written (or, for sharing, nothing withheld left in the copy).
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewdocs.cli import main

EXAMPLE = Path(__file__).resolve().parent / "data" / "example-carer-light-touch.json"
SAMPLE_FORM = Path(__file__).resolve().parents[1] / "samples" / "form-carer-full.pdf"


def base() -> dict[str, Any]:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["subject"]["preferred_format"] = "standard"
    raw["subject"]["communication_needs"] = ""
    return raw


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def render_refused(tmp_path: Path, raw: Any, *extra: str) -> str:
    """Render ``raw``; assert it is refused plainly with nothing written; the message."""
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("render", str(path), "--out", str(out), "--format", "docx", *extra)
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert not out.exists() or not any(
        p.is_file() and p.suffix != ".sqlite" for p in out.rglob("*")
    )
    return result.output


def changed(path: str, value: Any) -> dict[str, Any]:
    raw = base()
    *parents, leaf = path.split(".")
    node = raw
    for part in parents:
        node = node[part]
    node[leaf] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("review.id", "../../etc/passwd", "review.id: Use only letters"),
        ("review.id", "..", "review.id: Use only letters"),
        ("review.id", "A" * 65, "review.id: Length must be between 1 and 64"),
        ("review.date", "9999-12-31", "review.date: Must be between 1900 and 2199"),
        ("subject.date_of_birth", "0001-01-01", "subject.date_of_birth: Must be between"),
        ("review.date", 20261112, "review.date: Not a valid date"),
        ("subject.name", 12345, "subject.name: Not a valid string"),
        ("subject.has_capacity", "true", "subject.has_capacity: Not a valid boolean"),
        ("findings.needs.changed", 1, "findings.needs.changed: Not a valid boolean"),
        ("schema_version", True, "schema_version: Must be 1"),
        ("narrative.plan_elements", "x" * 9_900_000, "narrative.plan_elements: Longer than"),
        ("subject.name", "Maria\x00Lewis", "subject.name: Contains a control character"),
    ],
    ids=[
        "id-traversal",
        "id-dot-dot",
        "id-65-chars",
        "date-year-9999",
        "date-year-1",
        "date-as-number",
        "number-for-text",
        "true-as-text",
        "one-for-true",
        "version-true",
        "9.9-MB-text",
        "nul-in-name",
    ],
)
def test_bad_values_are_refused_by_path(
    tmp_path: Path, path: str, value: Any, message: str
) -> None:
    assert message in render_refused(tmp_path, changed(path, value))


def test_a_recipient_id_that_climbs_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    raw = base()
    raw["sharing"] = {
        "consent_to_share": True,
        "recipients": [
            {"id": "../../x", "name": "X", "kind": "other", "involved_in_review": True,
             "responsible_for_support": False, "address": ["1 Road"], "email": "x@x.org"}
        ],
    }  # fmt: skip
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = invoke("share", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "sharing.recipients.0.id: Use only letters" in result.output
    assert not (tmp_path / "x").exists()


def test_a_64_character_id_is_produced(tmp_path: Path) -> None:
    raw = changed("review.id", "A" * 64)
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = invoke("render", str(path), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / ("A" * 64) / "review_record.docx").exists()


def test_deeply_nested_json_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "nested too deeply" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "message"),
    [("9999-01-01", "not between 1900 and 2199"), ("2020-01-01", "before the review date")],
    ids=["far-future", "before-the-review"],
)
def test_a_document_date_that_cannot_be_right_is_refused(
    tmp_path: Path, option: str, message: str
) -> None:
    """A letter dated before the conversation it confirms would misstate the record."""
    assert message in render_refused(tmp_path, base(), "--date", option)


def test_template_syntax_in_a_name_is_printed_not_run(tmp_path: Path) -> None:
    raw = changed("subject.name", "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}")
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("render", str(path), "--out", str(out), "--doc", "outcome_letter")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / raw["review"]["id"] / "outcome_letter.docx") as zf:
        body = zf.read("word/document.xml").decode()
    assert "{{ 7*7 }}" in body
    assert ">49<" not in body and "xxx" not in body


# --- what a partial copy withholds, however it was typed ---------------------------------


def _partial_copy(tmp_path: Path, raw: dict[str, Any], redact: list[str]) -> str:
    raw = copy.deepcopy(raw)
    raw["sharing"] = {
        "consent_to_share": True,
        "recipients": [
            {"id": "ann", "name": "Ann Lewis", "kind": "requested_by_subject",
             "involved_in_review": True, "responsible_for_support": False,
             "address": ["2 Mill Lane"], "email": "ann@example.org", "risk_concern": True,
             "manager_decision": "partial", "omit_sections": [], "redact": redact}
        ],
    }  # fmt: skip
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("share", str(path), "--out", str(out), "--recipient", "ann")
    assert result.exit_code == 0, result.output
    texts = []
    for docx in (out / raw["review"]["id"]).glob("*-ann.docx"):
        with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as zf:
            texts += [zf.read(n).decode() for n in zf.namelist() if n.endswith(".xml")]
    return unicodedata.normalize("NFC", "\n".join(texts))


@pytest.mark.parametrize(
    ("stored", "written"), [("NFD", "NFC"), ("NFC", "NFD")], ids=["nfd-address", "nfc-address"]
)
def test_a_withheld_address_goes_whichever_unicode_form_each_was_typed_in(
    tmp_path: Path, stored: str, written: str
) -> None:
    """The same "Noël" typed on two keyboards: a partial copy must withhold both."""
    street = "14 Chemin de Noël"
    raw = base()
    raw["subject"]["address"] = [unicodedata.normalize(stored, street), "Exampleton"]  # type: ignore[arg-type]
    raw["narrative"]["plan_elements"] = (
        f"Maria lives at {unicodedata.normalize(written, street)} with Tom."  # type: ignore[arg-type]
    )
    copy_text = _partial_copy(tmp_path, raw, ["subject.address"])
    assert "Noël" not in copy_text
    assert "Maria lives at [withheld] with Tom." in copy_text


@pytest.mark.parametrize(
    "written", ["07700900456", "07700-900-456", "07700 900456"], ids=["no-spaces", "hyphens", "one"]
)
def test_a_withheld_phone_number_goes_however_it_was_spaced(tmp_path: Path, written: str) -> None:
    raw = base()
    raw["narrative"]["plan_elements"] = f"Call Maria on {written} before visits."
    copy_text = _partial_copy(tmp_path, raw, ["subject.phone"])
    assert "900" not in copy_text.replace("9000", "")
    assert "Call Maria on [withheld] before visits." in copy_text


# --- PDF forms from other tools ------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftocairo") is None, reason="poppler-utils not installed")
def test_a_form_flattened_by_poppler_is_refused_as_having_no_fields(tmp_path: Path) -> None:
    flat = tmp_path / "flat.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(SAMPLE_FORM), str(flat)], check=True)
    result = invoke("render", str(flat), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "no form fields" in result.output
    assert "flattened" in result.output
    assert not (tmp_path / "out").exists()


def test_a_withheld_postcode_goes_even_typed_without_its_space(tmp_path: Path) -> None:
    raw = base()
    raw["narrative"]["plan_elements"] = "The sitting service covers EX24BB only."
    copy_text = _partial_copy(tmp_path, raw, ["subject.postcode"])
    assert "EX24BB" not in copy_text and "EX2 4BB" not in copy_text
    assert "The sitting service covers [withheld] only." in copy_text


@pytest.mark.parametrize("command", ["render", "share"])
def test_a_review_never_writes_over_another_reviews_folder(tmp_path: Path, command: str) -> None:
    """CR/2026/1 and CR_2026_1 both name the folder CR_2026_1: the second is refused."""
    first, second = changed("review.id", "CR/2026/1"), changed("review.id", "CR_2026_1")
    second["subject"]["name"] = "Other Person"
    out = tmp_path / "out"
    for n, raw in enumerate((first, second)):
        (tmp_path / f"{n}.json").write_text(json.dumps(raw), encoding="utf-8")
    assert invoke("render", str(tmp_path / "0.json"), "--out", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in (out / "CR_2026_1").iterdir()}
    result = invoke(command, str(tmp_path / "1.json"), "--out", str(out))
    assert result.exit_code == 1
    assert "holds the documents of review CR/2026/1" in result.output
    assert {p: p.read_bytes() for p in (out / "CR_2026_1").iterdir()} == before
    assert invoke("render", str(tmp_path / "0.json"), "--out", str(out)).exit_code == 0


@pytest.mark.parametrize(
    "invisible",
    ["\u00ad", "\u200b", "\u2060", "\ufeff"],
    ids=["soft-hyphen", "zero-width-space", "word-joiner", "bom"],
)
def test_a_withheld_name_goes_even_with_an_invisible_character_pasted_into_it(
    tmp_path: Path, invisible: str
) -> None:
    """Text pasted from a word processor carries invisible characters inside words:
    "Le<soft hyphen>wis" shows as "Lewis" and must be withheld as "Lewis" is."""
    raw = base()
    raw["narrative"]["plan_elements"] = f"Tom Le{invisible}wis has a sitter on Thursdays."
    copy_text = _partial_copy(tmp_path, raw, ["cared_for"])
    assert "wis has" not in copy_text
    assert "[withheld] has a sitter on Thursdays." in copy_text


@pytest.mark.parametrize(
    ("stored", "written", "expected"),
    [
        ("Tom O'Brien", "Tom O\u2019Brien", "We met [withheld] at home."),
        ("Tom O\u2019Brien", "Tom O'Brien", "We met [withheld] at home."),
        ("Tom Smith-Jones", "Mrs Jones", "We met Mrs [withheld] at home."),
        ("Tom Smith-Jones", "Smith\u2013Jones", "We met [withheld]\u2013[withheld] at home."),
    ],
    ids=["straight-stored-curly-written", "curly-stored-straight-written", "half", "en-dash"],
)
def test_a_withheld_name_goes_whatever_apostrophe_or_dash_was_typed(
    tmp_path: Path, stored: str, written: str, expected: str
) -> None:
    """Word turns ' into \u2019 as it is typed; a case-management export keeps '."""
    raw = base()
    raw["cared_for"]["name"] = stored
    raw["narrative"]["plan_elements"] = f"We met {written} at home."
    copy_text = _partial_copy(tmp_path, raw, ["cared_for"])
    assert expected in copy_text
    assert "Brien" not in copy_text and "Jones" not in copy_text


@pytest.mark.parametrize(
    ("stored", "written", "gone"),
    [
        ("Tom Zoë", "Zoe", "Zoe"),
        ("Tom José", "JOSE", "JOSE"),
        ("Tom Jose", "José", "José"),
        ("Tom Ó Briain", "O Briain", "Briain"),
    ],
    ids=["accent-dropped", "capitals", "accent-added", "fada-dropped"],
)
def test_a_withheld_name_goes_with_or_without_its_accents(
    tmp_path: Path, stored: str, written: str, gone: str
) -> None:
    """People type names without their accents (and sometimes add them)."""
    raw = base()
    raw["cared_for"]["name"] = stored
    raw["narrative"]["plan_elements"] = f"We met {written} at home."
    copy_text = _partial_copy(tmp_path, raw, ["cared_for"])
    assert gone not in copy_text
    assert "[withheld] at home." in copy_text


def _with_recipients(*ids: str) -> dict[str, Any]:
    raw = base()
    raw["sharing"] = {
        "consent_to_share": True,
        "recipients": [
            {"id": rid, "name": f"Person {n}", "kind": "requested_by_subject",
             "involved_in_review": True, "responsible_for_support": False,
             "address": ["1 Road"], "email": "p@example.org", "risk_concern": False}
            for n, rid in enumerate(ids)
        ],
    }  # fmt: skip
    return raw


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (("large_print",), "would be read as part of a file name"),
        (("easy_read",), "would be read as part of a file name"),
        (("v2",), "would be read as part of a file name"),
        (("v2-nhs-trust",), "would be read as part of a file name"),
        (("ann/lewis", "ann_lewis"), "sharing.recipients.1.id: Already used by"),
        (("Ann", "ann"), "sharing.recipients.1.id: Already used by"),
    ],
    ids=["large-print", "easy-read", "version", "version-prefix", "slash", "case"],
)
def test_a_recipient_id_that_would_name_another_file_is_refused(
    tmp_path: Path, ids: tuple[str, ...], message: str
) -> None:
    """Recipient ``large_print``'s copy would be review_record-large_print.docx: the
    subject's own large print record, overwritten by (or overwriting) a partial copy."""
    path = tmp_path / "review.json"
    path.write_text(json.dumps(_with_recipients(*ids)), encoding="utf-8")
    result = invoke("share", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "out" / "CR-2026-0417").exists()


def test_recipient_ids_that_only_look_alike_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    path.write_text(json.dumps(_with_recipients("vicar", "standard-life")), encoding="utf-8")
    assert invoke("validate", str(path)).exit_code == 0
