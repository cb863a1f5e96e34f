"""Reading review files: every unreadable file is one clear line naming the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reviewdocs.errors import InputError
from reviewdocs.intake import read as inputs
from reviewdocs.intake.read import load_review, load_review_with_hash, read_input


def one_error(path: Path) -> str:
    """The single line the CLI would print for ``path``."""
    with pytest.raises(InputError) as caught:
        read_input(path)
    lines = caught.value.lines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: ")
    assert caught.value.exit_code == 1
    return lines[0]


def test_example_reads_and_loads(example_raw: dict[str, Any], write_json: Any) -> None:
    path = write_json(example_raw)
    assert read_input(path) == example_raw
    assert load_review(path)["review"]["date"] == dt.date(2026, 11, 12)


def test_hash_is_of_the_bytes_read(example_raw: dict[str, Any], write_json: Any) -> None:
    path = write_json(example_raw)
    review, digest = load_review_with_hash(path)
    assert review["review"]["id"] == "CR-2026-0417"
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_byte_order_mark_is_tolerated(example_raw: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example_raw).encode("utf-8"))
    assert read_input(path) == example_raw


def test_content_decides_not_the_extension(example_raw: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "review.pdf"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert read_input(path) == example_raw


def test_a_pdf_goes_to_the_form_reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[tuple[bytes, str | None]] = []

    def fake_read_form_bytes(data: bytes, *, source: str | None = None) -> dict[str, Any]:
        seen.append((data, source))
        return {"schema_version": 1}

    monkeypatch.setattr("reviewdocs.intake.form.read_form_bytes", fake_read_form_bytes)
    path = tmp_path / "completed.json"  # a misleading name: the content is a PDF
    content = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    path.write_bytes(content)
    assert read_input(path) == {"schema_version": 1}
    assert seen == [(content, str(path))]


def test_form_reader_errors_name_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(data: bytes, *, source: str | None = None) -> dict[str, Any]:
        raise InputError("This PDF is not our review form.")

    monkeypatch.setattr("reviewdocs.intake.form.read_form_bytes", broken)
    path = tmp_path / "other.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    assert one_error(path) == f"{path}: This PDF is not our review form."


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "review.json"
    path.write_bytes(data)
    return path


def _file(data: bytes) -> Callable[[Path], Path]:
    return lambda folder: _write(folder, data)


BAD_FILES = [
    pytest.param(lambda d: d / "nowhere.json", "No such file.", id="missing"),
    pytest.param(lambda d: d, "Is a folder, not a review file.", id="folder"),
    pytest.param(_file(b""), "File is empty.", id="empty"),
    pytest.param(_file(b" \n\t\n"), "File is empty.", id="only-spaces"),
    pytest.param(
        _file(b"review: yes\n"),
        "Not valid JSON: Expecting value at line 1, column 1.",
        id="not-json",
    ),
    pytest.param(
        _file(b'{\n  "schema_version": 1,\n  "review": {'),
        "Not valid JSON: Expecting property name enclosed in double quotes at line 3, column 14.",
        id="truncated",
    ),
    pytest.param(
        _file(b'{"a": 1,}'),
        "Not valid JSON: a comma before a closing bracket at line 1, column 8; remove the comma.",
        id="trailing-comma",
    ),
    pytest.param(
        _file(b'{"a": [1, 2,\n  ]}'),
        "a comma before a closing bracket at line 1, column 12;",
        id="trailing-comma-in-a-list",
    ),
    pytest.param(
        _file('{"name": "Zoë"}'.encode("latin-1")),
        "Not UTF-8 text: byte 0xeb at line 1, column 13;",
        id="latin-1",
    ),
    pytest.param(_file('{"a": 1}'.encode("utf-16")), "UTF-16", id="utf-16"),
    pytest.param(_file(b"[1, 2]"), "The top level must be a JSON object", id="top-level-list"),
    pytest.param(_file(b'"review"'), "not a single value", id="top-level-text"),
    pytest.param(
        _file(b'{"review": {"id": "A", "id": "B"}}'),
        'The field "id" appears twice',
        id="duplicate-key",
    ),
    pytest.param(
        _file(b'{"a\\nb": 1, "a\\nb": 2}'),
        'The field "a\\nb" appears twice',
        id="duplicate-key-with-line-break",
    ),
    pytest.param(_file(b'{"schema_version": NaN}'), "NaN is not a JSON number", id="nan"),
    pytest.param(_file(b"[" * 100_000 + b"]" * 100_000), "nested too deeply", id="deep-nesting"),
    pytest.param(_file(b'{"a": ' + b"9" * 5000 + b"}"), "Not valid JSON", id="huge-number"),
]


@pytest.mark.parametrize(("make", "message"), BAD_FILES)
def test_unreadable_file_is_one_clear_line(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    assert message in one_error(make(tmp_path))


def test_huge_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: 12 MB on paper, nothing on disk
        handle.truncate(12 * 1024 * 1024)

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_read)
    assert one_error(path) == (
        f"{path}: File is 12.0 MB; the limit is 10 MB "
        "(a review is a few kilobytes: is this the right file?)."
    )


def test_file_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 40)
    path = _write(tmp_path, b'{"schema_version": 1}'.ljust(40))
    assert read_input(path) == {"schema_version": 1}
    path.write_bytes(b'{"schema_version": 1}'.ljust(41))
    assert "the limit is" in one_error(path)


def test_load_review_names_the_file_in_validation_errors(
    example_raw: dict[str, Any], write_json: Any
) -> None:
    example_raw["findings"]["needs"].pop("changed")
    path = write_json(example_raw)
    with pytest.raises(InputError) as caught:
        load_review(path)
    assert caught.value.lines() == [
        f"{path}: findings.needs.changed: Missing data for required field."
    ]
