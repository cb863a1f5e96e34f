"""Issue 12 finding 10: one input with a million keys made a million error lines (60 MB on
stderr) and a 22 MB report cell. A record's problems are capped at 50, with the rest
counted, in the CLI's output and in the batch report."""

from __future__ import annotations

import csv
import itertools
import json
import string
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewdocs.batch.run import run_batch
from reviewdocs.cli import main
from reviewdocs.errors import MAX_PROBLEMS, InputError, ReviewdocsError

MORE = "and 999950 more problems (only the first 50 are listed; fix them and run again)"


def _million_keys(raw: dict[str, Any]) -> dict[str, Any]:
    # Four-letter keys, so that the file stays under the 10 MB input limit.
    letters = string.ascii_lowercase + string.digits
    keys = itertools.islice(itertools.product(letters, repeat=4), 1_000_000)
    return raw | {"".join(key): 0 for key in keys}


def test_an_input_error_lists_fifty_problems_and_counts_the_rest() -> None:
    err = InputError({f"k{i:07d}": ["Unknown field."] for i in range(1_000_000)})
    lines = err.messages()
    assert MAX_PROBLEMS == 50
    assert lines[:2] == ["k0000000: Unknown field.", "k0000001: Unknown field."]
    assert lines[49] == "k0000049: Unknown field."
    assert lines[50:] == [MORE]
    assert err.lines() == lines


def test_a_few_problems_are_all_listed() -> None:
    err = InputError({"b": ["Two.", "Three."], "a": ["One."], "_schema": ["Whole."]})
    assert err.messages() == ["Whole.", "a: One.", "b: Two.", "b: Three."]


def test_any_error_message_is_capped_in_lines() -> None:
    err = ReviewdocsError("\n".join(f"line {i}" for i in range(200)), source="x.json")
    assert err.lines()[-1] == (
        "x.json: and 150 more problems (only the first 50 are listed; fix them and run again)"
    )
    assert len(err.lines()) == 51


@pytest.fixture(scope="module")
def million_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE

    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("million")
    path = folder / "million.json"
    path.write_text(json.dumps(_million_keys(raw), separators=(",", ":")), encoding="utf-8")
    return path


def test_validate_prints_fifty_lines_for_a_million_key_input(million_file: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(million_file)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 52
    assert lines[0] == f"{million_file}: a000: Unknown field."
    assert lines[50] == f"{million_file}: {MORE}"
    assert lines[51] == "1 of 1 input(s) invalid."


def test_the_batch_report_cell_is_capped_for_a_million_key_input(
    million_file: Path, tmp_path: Path
) -> None:
    result = run_batch(million_file.parent, tmp_path / "out", documents=["outcome_letter"])
    assert result.failed == 1
    with result.report.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert len(row["error"]) < 5_000
    assert row["error"].startswith("a000: Unknown field.; a001: Unknown field.")
    assert row["error"].endswith(MORE)
