"""Atomic writes: a letter's path is absent, the old file, or the complete new one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reviewdocs import files as outputs
from reviewdocs.files import write_atomic


def test_a_new_folder_and_file_are_made_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "out" / "CR-1" / "outcome_letter.docx"
    write_atomic(path, b"letter", durable=False)
    assert path.read_bytes() == b"letter"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # letters hold personal data
    assert os.listdir(path.parent) == ["outcome_letter.docx"]


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "CR-1" / "outcome_letter.docx"
    write_atomic(path, b"old")
    write_atomic(path, b"new" * 100_000)
    assert path.read_bytes() == b"new" * 100_000
    assert os.listdir(path.parent) == ["outcome_letter.docx"]


def test_a_leftover_with_this_process_s_temporary_name_is_not_written_into(
    tmp_path: Path,
) -> None:
    """A killed process with the same pid left its temporary file: it is not reused."""
    path = tmp_path / "CR-1" / "outcome_letter.docx"
    path.parent.mkdir()
    leftover = path.parent / f".outcome_letter.docx.{os.getpid()}.part"
    leftover.write_bytes(b"half a letter")
    write_atomic(path, b"letter")
    assert path.read_bytes() == b"letter"
    assert leftover.read_bytes() == b"half a letter"
    assert sorted(os.listdir(path.parent)) == sorted([leftover.name, "outcome_letter.docx"])


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "CR-1" / "outcome_letter.docx"
    write_atomic(path, b"old")

    def disk_full(_fd: int, _data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert os.listdir(path.parent) == ["outcome_letter.docx"]


def test_dates_are_written_in_english_as_a_letter_does() -> None:
    import datetime as dt

    from reviewdocs.dates import long_date

    assert long_date(dt.date(2026, 11, 2)) == "2 November 2026"
    assert long_date("2027-01-31") == "31 January 2027"
    assert [long_date(dt.date(2026, m, 1)).split()[1] for m in (2, 3, 5, 12)] == [
        "February",
        "March",
        "May",
        "December",
    ]
    assert long_date(None) == long_date("") == ""
