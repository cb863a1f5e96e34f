"""The command line as a user meets it: exit codes, plain-words errors, files produced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import SAMPLES, SPEC_DECISION_KEYS, with_changes
from reviewdocs import codes
from reviewdocs.cli import main


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, prefix + name + " "))
    return found


@pytest.mark.parametrize(
    ("name", "command"), _commands(main), ids=[name for name, _ in _commands(main)]
)
def test_every_command_has_help_text(runner: CliRunner, name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help text"
    result = runner.invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_validate_accepts_the_spec_example(runner: CliRunner, write_json, example_raw) -> None:
    path = write_json(example_raw)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_names_every_bad_field_by_path(runner: CliRunner, write_json, example_raw) -> None:
    del example_raw["findings"]["needs"]["changed"]
    example_raw["subject"]["preferred_format"] = "braille-ish"
    example_raw["review"]["surprise"] = 1
    path = write_json(example_raw)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "findings.needs.changed: Missing data for required field." in result.output
    assert "subject.preferred_format:" in result.output
    assert "review.surprise: Unknown field." in result.output
    assert "Traceback" not in result.output


def test_validate_reports_each_file_and_fails_if_any_is_bad(
    runner: CliRunner, write_json, example_raw
) -> None:
    good = write_json(example_raw, "good.json")
    bad = write_json({"schema_version": 1}, "bad.json")
    result = runner.invoke(main, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: valid" in result.output
    assert f"{bad}: " in result.output
    assert "1 of 2 input(s) invalid." in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "empty", id="empty-file"),
        pytest.param(b"{not json", "JSON", id="not-json"),
        pytest.param(b"[1, 2]", "object", id="top-level-list"),
        pytest.param(b"%PDF-1.4\n garbage", "PDF", id="damaged-pdf"),
        pytest.param(b"\xff\xfe\x00garbage", "UTF-8", id="not-utf8"),
    ],
)
def test_unreadable_input_is_one_clear_error(
    runner: CliRunner, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    for command in (["validate", str(path)], ["decide", str(path)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert expected.lower() in result.output.lower()
        assert "Traceback" not in result.output


def test_a_missing_file_is_named(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = runner.invoke(main, ["decide", str(missing)])
    assert result.exit_code == 1
    assert "nowhere.json" in result.output


def test_decide_json_is_exactly_the_spec_object(runner: CliRunner, write_json, example_raw) -> None:
    result = runner.invoke(main, ["decide", str(write_json(example_raw)), "--json"])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert list(decision) == list(SPEC_DECISION_KEYS)
    assert decision["review_id"] == "CR-2026-0417"
    assert decision["outcome"] == "no_change"
    assert decision["outcome_number"] == 1
    assert decision["actions"] == sorted(decision["actions"])
    assert set(decision["actions"]) <= set(codes.ACTIONS)
    assert decision["required_sections"][: len(codes.ALWAYS_SECTIONS)] == list(
        codes.ALWAYS_SECTIONS
    )


def test_decide_in_words_gives_each_action_a_reason(
    runner: CliRunner, write_json, example_raw
) -> None:
    result = runner.invoke(main, ["decide", str(write_json(example_raw))])
    assert result.exit_code == 0, result.output
    assert "Outcome: 1." in result.output
    assert "telephone_follow_up_letter:" in result.output
    assert "Next review by: 2027-11-12" in result.output


def test_decide_says_a_pending_reassessment_has_no_review_date(
    runner: CliRunner, write_json, example_raw
) -> None:
    raw = with_changes(
        example_raw,
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        review__review_type="full",
    )
    result = runner.invoke(main, ["decide", str(write_json(raw)), "--json"])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["reassessment_required"] is True
    assert decision["next_review_by"] is None
    assert any("reassessment" in w.lower() for w in decision["warnings"])


def test_usage_errors_exit_2(runner: CliRunner, write_json, example_raw) -> None:
    path = write_json(example_raw)
    assert runner.invoke(main, ["render", str(path)]).exit_code == 2  # --out missing
    bad_doc = runner.invoke(main, ["render", str(path), "--out", "x", "--doc", "letter_to_santa"])
    assert bad_doc.exit_code == 2
    assert runner.invoke(main, ["render", str(path), "--out", "x", "--date", "soon"]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_render_writes_the_documents_the_decision_calls_for(
    runner: CliRunner, write_json, example_raw, tmp_path: Path
) -> None:
    example_raw["subject"]["preferred_format"] = "standard"
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["render", str(write_json(example_raw)), "--out", str(out), "--date", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    folder = out / "CR-2026-0417"
    # Telephone review: the follow-up letter is the formal record of the call (002).
    assert sorted(p.name for p in folder.iterdir()) == [
        "outcome_letter.docx",
        "review_record.docx",
        "telephone_follow_up_letter.docx",
    ]
    assert (out / "register.sqlite").is_file()


def test_render_with_bad_input_writes_nothing(
    runner: CliRunner, write_json, example_raw, tmp_path: Path
) -> None:
    del example_raw["subject"]["name"]
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(write_json(example_raw)), "--out", str(out)])
    assert result.exit_code == 1
    assert "subject.name: Missing data for required field." in result.output
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_render_a_planned_review_refuses_post_review_documents(
    runner: CliRunner, tmp_path: Path
) -> None:
    planned = SAMPLES / "11-planned-information-letter-delay.json"
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["render", str(planned), "--out", str(out), "--doc", "review_record"]
    )
    assert result.exit_code == 1
    assert "planned" in result.output
    assert not any(out.rglob("*.docx")) if out.exists() else True


def test_form_writes_a_pdf_that_validate_reads_as_incomplete(
    runner: CliRunner, tmp_path: Path
) -> None:
    blank = tmp_path / "form.pdf"
    result = runner.invoke(main, ["form", "--out", str(blank), "--plan-type", "carer_support_plan"])
    assert result.exit_code == 0, result.output
    assert blank.read_bytes().startswith(b"%PDF-")
    # A blank form is not a review: validation names what is missing.
    checked = runner.invoke(main, ["validate", str(blank)])
    assert checked.exit_code == 1
    assert "Missing data for required field." in checked.output


def test_templates_check_passes_on_ours(runner: CliRunner) -> None:
    result = runner.invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output
    for document in codes.DOCUMENTS:
        assert f"{document}.docx" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reviewdocs", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "reviewdocs" in result.stdout


def test_a_refused_share_leaves_no_files_behind(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    result = runner.invoke(main, ["share", str(sample), "--out", str(out), "--recipient", "nobody"])
    assert result.exit_code == 1
    assert "nobody" in result.output
    assert not out.exists()


def test_decide_prints_the_outcome_in_the_records_own_words(runner: CliRunner) -> None:
    """003's Julie example: the record words outcome 3 as a proportionate reassessment, and
    ``decide`` must say the same, not the bare "support plan and budget need to change"."""
    result = runner.invoke(main, ["decide", str(SAMPLES / "03-julie-and-peter-reassessment.json")])
    assert result.exit_code == 0, result.output
    assert (
        "Outcome: 3. A proportionate reassessment of Julie's needs will establish what has "
        "changed, and what support and personal budget are needed." in result.output
    )
    assert "The support plan and the personal budget need to change" not in result.output
    paused = runner.invoke(main, ["decide", str(SAMPLES / "07-carer-safeguarding-pause.json")])
    assert (
        "Outcome: provisional, not final (see warnings). There is no final outcome yet. "
        "The review is paused while the safeguarding process takes place" in paused.output
    )
    assert "Outcome: 2." not in paused.output


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    """`reviewdocs ... | head -1`: the reader closing the pipe is not an error to report."""
    import subprocess
    import sys

    from conftest import ROOT, SAMPLES

    inputs = [str(path) for path in sorted(SAMPLES.glob("*.json"))] * 200
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "reviewdocs", "validate", *inputs]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        errors = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert first.endswith(b": valid\n")
    assert errors == b""
    assert code == 141
