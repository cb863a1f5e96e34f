"""The locks on a review folder and an output folder (issue 12: one command at a time)."""

from __future__ import annotations

import multiprocessing
import os
import stat
import time
from pathlib import Path

import pytest

from reviewdocs.errors import ReviewdocsError
from reviewdocs.locks import LOCK_NAME, LockBusy, out_lock, review_lock, timeout_s

ID = "CR/7"


def _hold_review(out: str, ready: object, release: object) -> None:
    with review_lock(Path(out), ID, "amend"):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def _hold_batch(out: str, ready: object, release: object) -> None:
    with out_lock(Path(out), "batch", shared=False):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def _holding(target: object, out: Path) -> tuple[object, object, object]:
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=target, args=(str(out), ready, release))
    proc.start()
    assert ready.wait(60)
    return proc, release, ctx


def test_the_lock_file_is_private_and_gone_with_its_folder_afterwards(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with review_lock(out, ID, "share"):
        lock = out / "CR_7" / LOCK_NAME
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
        assert lock.read_text().startswith(f"pid {os.getpid()}, `reviewdocs share`, since 20")
        with review_lock(out, ID, "share"):  # re-entrant: does not wait for itself
            pass
        assert lock.exists()
    assert not (out / "CR_7").exists(), "the folder it made, empty, is removed"
    assert list(out.iterdir()) == []


def test_a_second_process_waits_the_bounded_time_and_names_the_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    proc, release, _ = _holding(_hold_review, out)
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "0.5")
    try:
        began = time.monotonic()
        with pytest.raises(LockBusy) as caught, review_lock(out, ID, "share"):
            pass
        assert 0.5 <= time.monotonic() - began < 5
        assert caught.value.message.startswith(
            f"Review {ID} is busy: another command is working on it (pid {proc.pid}, "  # type: ignore[attr-defined]
            "`reviewdocs amend`, since 20"
        )
        assert caught.value.exit_code == 1
    finally:
        release.set()  # type: ignore[attr-defined]
        proc.join(30)  # type: ignore[attr-defined]
    with review_lock(out, ID, "share"):  # free again once the holder has gone
        pass


def test_another_review_in_the_same_folder_does_not_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    proc, release, _ = _holding(_hold_review, out)
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "0.5")
    try:
        with review_lock(out, "CR/8", "share"):
            pass
    finally:
        release.set()  # type: ignore[attr-defined]
        proc.join(30)  # type: ignore[attr-defined]


def test_a_review_waits_for_a_batch_in_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    proc, release, _ = _holding(_hold_batch, out)
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "0.2")
    try:
        busy = pytest.raises(LockBusy, match="a batch is producing documents there")
        with busy, review_lock(out, ID, "render"):
            pass
        assert not (out / "CR_7").exists()
    finally:
        release.set()  # type: ignore[attr-defined]
        proc.join(30)  # type: ignore[attr-defined]
    assert not (out / ".reviewdocs-batch").exists(), "the batch's note goes with it"


def test_a_killed_holder_leaves_nothing_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    proc, _, _ = _holding(_hold_review, out)
    proc.kill()  # type: ignore[attr-defined]
    proc.join(30)  # type: ignore[attr-defined]
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "0.5")
    with review_lock(out, ID, "share"):
        pass


def test_the_timeout_is_ten_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWDOCS_LOCK_TIMEOUT", raising=False)
    assert timeout_s() == 10.0
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "2.5")
    assert timeout_s() == 2.5
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "soon")
    with pytest.raises(ReviewdocsError, match="REVIEWDOCS_LOCK_TIMEOUT='soon' is not a number"):
        timeout_s()


def test_a_killed_batch_s_note_does_not_name_it_as_the_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    proc, _, _ = _holding(_hold_batch, out)
    proc.kill()  # type: ignore[attr-defined]
    proc.join(30)  # type: ignore[attr-defined]
    assert (out / ".reviewdocs-batch").exists(), "a SIGKILL leaves the note behind"
    holder, release, _ = _holding(_hold_review, out)
    monkeypatch.setenv("REVIEWDOCS_LOCK_TIMEOUT", "0.2")
    try:
        with pytest.raises(LockBusy) as caught, out_lock(out, "batch", shared=False):
            pass
        assert caught.value.message.startswith(
            f"{out} is busy: other commands are working there (pid {holder.pid}, "  # type: ignore[attr-defined]
            "`reviewdocs amend`, since 20"
        )
    finally:
        release.set()  # type: ignore[attr-defined]
        holder.join(30)  # type: ignore[attr-defined]
