"""Nothing lost: commands on one review that overlap, are killed, or fill the disk.

Each test runs the real command line in subprocesses (so a SIGKILL is a real one) and
ends with ``audit.inconsistencies``: every registered file on disk with its hash,
every file registered, no half-done amendment, every earlier recipient holding the
latest version or a recorded reason.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SAMPLES
from reviewdocs.disclosure.audit import inconsistencies
from reviewdocs.disclosure.register import Register
from reviewdocs.files import sha256_file

ID = "CS-2026-1315"
FIRST = "2026-11-20"
LATER = "2026-11-28"


def review_file(tmp_path: Path) -> Path:
    """Sample 10 (a joint review, four recipients, one with a risk concern and a
    manager's partial decision), its documents as DOCX only (no LibreOffice: quick)."""
    raw = json.loads((SAMPLES / "10-joint-review-health-sharing.json").read_text("utf-8"))
    raw["subject"]["preferred_format"] = "standard"
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def amendment_file(tmp_path: Path, name: str = "a", **changes: Any) -> Path:
    raw: dict[str, Any] = {
        "requested_by": "Dorothy Evans",
        "date": "2026-11-25",
        "sections": {"resolution_steps": f"Six morning visits a week ({name})."},
        "reason": "The record says the visits are daily.",
        "evidence": "The revised rota of 2026-11-20.",
        "decision": "accept",
        "decision_reason": "The rota shows six visits a week.",
    }
    raw.update(changes)
    path = tmp_path / f"amendment-{name}.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def _env(fault: str | None, lock_timeout: float | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("REVIEWDOCS_FAULT", None)
    if fault:
        env["REVIEWDOCS_FAULT"] = fault
    if lock_timeout is not None:
        env["REVIEWDOCS_LOCK_TIMEOUT"] = str(lock_timeout)
    return env


def start(*args: object, fault: str | None = None, lock_timeout: float | None = None) -> Any:
    return subprocess.Popen(
        [sys.executable, "-m", "reviewdocs", *map(str, args)],
        env=_env(fault, lock_timeout),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: object, fault: str | None = None, lock_timeout: float | None = None) -> Any:
    proc = start(*args, fault=fault, lock_timeout=lock_timeout)
    out, err = proc.communicate(timeout=180)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def finish(proc: Any) -> Any:
    out, err = proc.communicate(timeout=180)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def audit(out: Path) -> list[str]:
    with Register(out / "register.sqlite") as reg:
        return inconsistencies(out, reg)


def versions_made(out: Path) -> list[int | None]:
    with Register(out / "register.sqlite") as reg:
        return sorted(a.version or 0 for a in reg.amendments(ID))


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """Version 1 given to the person and shared by the rules."""
    review, out = review_file(tmp_path), tmp_path / "out"
    done = run("share", review, "--out", out, "--date", FIRST)
    assert done.returncode == 0, done.stderr
    return review, out


# --- finding 1: two commands at once on one review -------------------------------------


def test_two_amends_at_once_make_versions_2_and_3_and_lose_nothing(
    shared: tuple[Path, Path], tmp_path: Path
) -> None:
    review, out = shared
    first = start(
        "amend", review, amendment_file(tmp_path, "a"), "--out", out, "--date", LATER,
        fault="amend.read=sleep:4",
    )  # fmt: skip
    time.sleep(1.5)
    second = run("amend", review, amendment_file(tmp_path, "b"), "--out", out, "--date", LATER)
    first_done = finish(first)
    assert (first_done.returncode, second.returncode) == (0, 0), first_done.stderr + second.stderr
    assert versions_made(out) == [2, 3]
    assert audit(out) == []


def test_share_and_amend_at_once_leave_every_recipient_the_latest_version_or_a_reason(
    tmp_path: Path,
) -> None:
    review, out = review_file(tmp_path), tmp_path / "out"
    sharing = start("share", review, "--out", out, "--date", FIRST, fault="share.read=sleep:4")
    time.sleep(1.5)
    amending = run("amend", review, amendment_file(tmp_path), "--out", out, "--date", LATER)
    assert finish(sharing).returncode == 0
    assert amending.returncode == 0, amending.stderr
    assert audit(out) == []
    assert (out / ID / "review_record-v2-karen-evans.docx").is_file()


def test_a_second_command_waits_then_names_who_holds_the_review(
    shared: tuple[Path, Path], tmp_path: Path
) -> None:
    review, out = shared
    holder = start(
        "amend", review, amendment_file(tmp_path), "--out", out, "--date", LATER,
        fault="amend.read=sleep:8",
    )  # fmt: skip
    time.sleep(2.5)
    began = time.monotonic()
    waiting = run("share", review, "--out", out, "--date", LATER, lock_timeout=1)
    waited = time.monotonic() - began
    assert finish(holder).returncode == 0
    assert waiting.returncode == 1
    assert (
        f"Review {ID} is busy: another command is working on it (pid {holder.pid}, "
        "`reviewdocs amend`, since 20"
    ) in waiting.stderr
    assert "Waited 1 s; nothing was written. Run this again when it has finished." in (
        waiting.stderr
    )
    assert "Traceback" not in waiting.stderr
    assert waited < 8, "it waited for the holder instead of the bounded time"
    assert audit(out) == []


# --- finding 2: an amendment is finished or resumed, never half-done -------------------


@pytest.mark.parametrize(
    "point",
    [
        "amend.recorded",  # the decision stored, nothing written
        "produce.write#1",  # the person's version 2 not yet written
        "produce.write#2",  # version 2 written, the decision letter not
        "produce.write#4",  # part-way through the copies for others
        "produce.write#7",  # the last copy
        "amend.circulated",  # every file written, the "not sent" decisions not recorded
    ],
)
def test_an_amend_killed_at_any_step_is_finished_by_the_next_run(
    shared: tuple[Path, Path], tmp_path: Path, point: str
) -> None:
    review, out = shared
    amendment = amendment_file(tmp_path)
    killed = run("amend", review, amendment, "--out", out, "--date", LATER, fault=f"{point}=kill")
    assert killed.returncode == -signal.SIGKILL
    again = run("amend", review, amendment, "--out", out, "--date", LATER)
    assert again.returncode == 0, again.stderr
    assert versions_made(out) == [2], "the amendment was applied once"
    assert audit(out) == []
    assert "Michael Evans" in again.stdout  # told who was not sent version 2 and why
    for who in ("nhs-trust", "linden-home-care", "karen-evans"):
        assert (out / ID / f"review_record-v2-{who}.docx").is_file()


def test_a_full_disk_during_amend_stops_clearly_and_the_next_run_finishes_it(
    shared: tuple[Path, Path], tmp_path: Path
) -> None:
    review, out = shared
    amendment = amendment_file(tmp_path)
    full = run("amend", review, amendment, "--out", out, "--date", LATER,
               fault="produce.write#3=enospc")  # fmt: skip
    assert full.returncode == 1
    assert "No space left on device" in full.stderr
    assert "Version 2 is recorded as in progress" in full.stderr
    assert "Traceback" not in full.stderr
    again = run("amend", review, amendment, "--out", out, "--date", LATER)
    assert again.returncode == 0, again.stderr
    assert "Finished the amendment interrupted earlier" in again.stdout
    assert versions_made(out) == [2]
    assert audit(out) == []


def test_an_amendment_already_applied_is_not_applied_again(
    shared: tuple[Path, Path], tmp_path: Path
) -> None:
    review, out = shared
    amendment = amendment_file(tmp_path)
    assert run("amend", review, amendment, "--out", out, "--date", LATER).returncode == 0
    before = {p.name: sha256_file(p) for p in (out / ID).iterdir()}
    again = run("amend", review, amendment, "--out", out, "--date", LATER)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (
        f"Review {ID}: this amendment was already decided on {LATER} (version 2 made); "
        "nothing was done again."
    )
    assert {p.name: sha256_file(p) for p in (out / ID).iterdir()} == before
    assert versions_made(out) == [2]


# --- finding 7: an issued document is never overwritten ---------------------------------


def test_render_with_a_later_date_is_refused_and_the_issued_letter_kept(tmp_path: Path) -> None:
    review, out = review_file(tmp_path), tmp_path / "out"
    assert run("render", review, "--out", out, "--date", FIRST).returncode == 0
    letter = out / ID / "outcome_letter.docx"
    issued = sha256_file(letter)
    later = run("render", review, "--out", out, "--date", "2026-11-27")
    assert later.returncode == 1
    assert (
        f"{ID}/review_record.docx was issued on {FIRST} and this one would differ "
        f"(dated 2026-11-27, not {FIRST})." in later.stderr
    )
    assert "An issued document is never overwritten" in later.stderr
    assert sha256_file(letter) == issued
    assert audit(out) == []
    same = run("render", review, "--out", out, "--date", FIRST)
    assert same.returncode == 0, same.stderr
    assert sha256_file(letter) == issued
    assert audit(out) == []


# --- finding 1: batches -------------------------------------------------------------------


def _batch_source(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    review_file(tmp_path).rename(folder / "review.json")
    return folder


def test_a_second_batch_into_one_out_waits_then_names_the_first(tmp_path: Path) -> None:
    source, out = _batch_source(tmp_path), tmp_path / "out"
    first = start("batch", source, "--out", out, "--jobs", "1", "--date", FIRST,
                  fault="produce.write=sleep:8")  # fmt: skip
    time.sleep(2.5)
    racing = start("share", source / "review.json", "--out", out, "--date", FIRST, lock_timeout=1)
    second = run("batch", source, "--out", out, "--jobs", "1", "--date", FIRST, lock_timeout=1)
    single = finish(racing)
    done = finish(first)
    assert single.returncode == 1
    assert f"{out} is busy: a batch is producing documents there (pid {first.pid}" in (
        single.stderr
    )
    assert done.returncode == 0, done.stderr
    assert second.returncode == 1
    assert (
        f"{out} is busy: a batch is producing documents there (pid {first.pid}, "
        "`reviewdocs batch`, since 20"
    ) in second.stderr
    assert "Waited 1 s; nothing was written." in second.stderr
    assert "Traceback" not in second.stderr
    assert (out / "batch-report.csv").read_text("utf-8").splitlines()[1].startswith(f"{ID},"), (
        "the first batch's report is whole"
    )
    assert audit(out) == []


def test_a_batch_waits_for_a_command_on_one_of_its_reviews_then_names_it(
    shared: tuple[Path, Path], tmp_path: Path
) -> None:
    review, out = shared
    source = tmp_path / "in"
    source.mkdir()
    (source / "review.json").write_bytes(review.read_bytes())
    holder = start(
        "amend", review, amendment_file(tmp_path), "--out", out, "--date", LATER,
        fault="amend.read=sleep:6",
    )  # fmt: skip
    time.sleep(2.5)
    waiting = run("batch", source, "--out", out, "--jobs", "1", "--date", FIRST, lock_timeout=1)
    assert finish(holder).returncode == 0
    assert waiting.returncode == 1
    assert (
        f"{out} is busy: other commands are working there (pid {holder.pid}, "
        f"`reviewdocs amend`, since 20"
    ) in waiting.stderr
    assert f"UTC, on {ID}). Waited 1 s; nothing was written." in waiting.stderr
    assert not (out / "batch-report.csv").exists()
    assert audit(out) == []


def test_batches_and_a_share_wait_for_each_other_and_lose_nothing(tmp_path: Path) -> None:
    source, out = _batch_source(tmp_path), tmp_path / "out"
    review = source / "review.json"
    first = start("batch", source, "--out", out, "--jobs", "1", "--date", FIRST,
                  fault="produce.write=sleep:3")  # fmt: skip
    time.sleep(2)
    second = start("batch", source, "--out", out, "--jobs", "1", "--date", FIRST)
    sharing = run("share", review, "--out", out, "--date", FIRST, lock_timeout=60)
    assert sharing.returncode == 0, sharing.stderr
    assert finish(first).returncode == 0
    assert finish(second).returncode == 0
    assert audit(out) == []


def test_register_check_counts_what_disagrees(shared: tuple[Path, Path]) -> None:
    _, out = shared
    reg = out / "register.sqlite"
    clean = run("register", "check", "--register", reg)
    assert (clean.returncode, clean.stdout) == (0, "0 inconsistencies.\n")
    (out / ID / "review_record-nhs-trust.docx").write_bytes(b"replaced")
    (out / ID / "stray.docx").write_bytes(b"unregistered")
    found = run("register", "check", "--register", reg)
    assert found.returncode == 1
    assert found.stdout.splitlines() == [
        f"{ID}/review_record-nhs-trust.docx is not the file the register recorded ({ID} "
        f"review_record v1 for Exampleton Community NHS Trust, {FIRST}): it was replaced.",
        f"{ID}/stray.docx is not in the register.",
        "2 inconsistencies.",
    ]


def test_a_half_written_file_left_by_a_killed_command_is_removed_by_the_next(
    shared: tuple[Path, Path],
) -> None:
    review, out = shared
    leftover = out / ID / ".review_record-v2.docx.4242.part"
    leftover.write_bytes(b"half a document")
    assert audit(out) == [
        f"{ID}/.review_record-v2.docx.4242.part is a half-written file left behind."
    ]
    assert run("share", review, "--out", out, "--date", LATER).returncode == 0
    assert not leftover.exists()
    assert audit(out) == []
