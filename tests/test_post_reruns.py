"""``post`` run again, into another folder, or on bad input (the adversarial reader's
findings): the review's own register, envelopes never overwritten, inputs counted."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from reviewdocs.cli import main
from reviewdocs.disclosure.register import Entry, Register
from reviewdocs.errors import ReviewdocsError
from reviewdocs.files import sha256_file
from reviewdocs.post.envelopes import _never_overwrite

SAMPLE = SAMPLES / "10-joint-review-health-sharing.json"


def _entry(path: str, sha: str, *, document: str = "review_record") -> Entry:
    return Entry(
        review_id="CS-2026-1315",
        document=document,
        version=1,
        recipient_id=None,
        recipient_name=None,
        basis="subject",
        withheld=(),
        produced_on=dt.date(2026, 12, 1),
        variant="standard",
        fmt="pdf",
        path=path,
        sha256=sha,
        input_sha256="",
        template_sha256="",
    )


def test_post_into_a_subfolder_of_the_reviews_register_stops_and_names_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "out"
    with Register(out / "register.sqlite") as register:
        register.add(_entry("CS-2026-1315/review_record.pdf", "0" * 64))
    result = runner.invoke(main, ["post", str(SAMPLE), "--out", str(out / "post")])
    assert result.exit_code == 1
    assert (
        f"{SAMPLE}: review CS-2026-1315 is not in {out / 'post'}'s register, but "
        f"{out / 'register.sqlite'} records its documents. Post into the folder that holds "
        f"them (--out {out}), or give --register {out / 'register.sqlite'}: a new register "
        "here would post version 1 to everyone, without the review's amendments and "
        "held-back copies."
    ) in result.stdout
    assert "1 input(s) could not be posted." in result.stdout
    assert not (out / "post" / "CS-2026-1315").exists()
    # The folder post made is its owner's only, whatever the umask.
    assert stat.S_IMODE(os.stat(out / "post").st_mode) == 0o700


def test_an_input_with_several_problems_counts_once(tmp_path: Path, runner: CliRunner) -> None:
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["subject"]["postcode"] = "nowhere"
    raw["review"]["local_authority"]["email"] = "not an email"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    result = runner.invoke(main, ["post", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stdout.count(f"{bad}: ") >= 2  # two problems named...
    assert "1 input(s) could not be posted." in result.stdout  # ...one input


def test_post_check_of_a_file_that_is_not_a_pdf_says_only_our_message(tmp_path: Path) -> None:
    bad = tmp_path / "letter.pdf"
    bad.write_bytes(b"hello, not a PDF")
    done = subprocess.run(
        [sys.executable, "-m", "reviewdocs", "post", "--check", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"{bad}: is not a PDF that can be read.\n1 of 1 file(s) would be rejected.\n"
    )


def test_an_envelope_already_made_is_never_overwritten(tmp_path: Path) -> None:
    relpath = "CS-2026-1315/post-subject.pdf"
    path = tmp_path / relpath
    path.parent.mkdir()
    path.write_bytes(b"the envelope as made")
    with Register(tmp_path / "register.sqlite") as register:
        register.add(_entry(relpath, sha256_file(path), document="post_envelope"))
        _never_overwrite(register, path, relpath, sha256_file(path))  # the same bytes: fine
        with pytest.raises(ReviewdocsError) as err:
            _never_overwrite(register, path, relpath, "b" * 64)
        path.write_bytes(b"damaged since")  # not the issued file any more: made again
        _never_overwrite(register, path, relpath, "b" * 64)
    assert err.value.lines() == [
        f"{relpath} was made on 2026-12-01 (version 1) and this one would differ. An "
        "envelope already made is never overwritten (it may have been printed or sent): "
        "nothing was written under its name. Post into a new folder, or amend the record "
        "to make a new version."
    ]


@pytest.mark.slow
def test_post_after_an_amendment_makes_version_2_envelopes_and_keeps_version_1(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = str(tmp_path)
    amendment = SAMPLES / "amendments" / "10-accept-resolution-steps.json"
    assert runner.invoke(main, ["post", str(SAMPLE), "--out", out]).exit_code == 0
    first = (tmp_path / "CS-2026-1315" / "post-subject.pdf").read_bytes()
    result = runner.invoke(main, ["amend", str(SAMPLE), str(amendment), "--out", out])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["post", str(SAMPLE), "--out", out])
    assert result.exit_code == 0, result.output
    assert "CS-2026-1315/post-subject-v2.pdf: to Dorothy Evans" in result.stdout
    assert "held back: No envelope for Michael Evans: their copy is held back" in result.stdout
    assert (tmp_path / "CS-2026-1315" / "post-subject.pdf").read_bytes() == first
    with Register(tmp_path / "register.sqlite") as register:
        versions = {
            (e.path, e.version) for e in register.entries() if e.document == "post_envelope"
        }
    assert ("CS-2026-1315/post-subject.pdf", 1) in versions
    assert ("CS-2026-1315/post-subject-v2.pdf", 2) in versions
    assert not any(path.endswith("michael-evans-v2.pdf") for path, _ in versions)
    check = runner.invoke(main, ["register", "check", "--register", f"{out}/register.sqlite"])
    assert "0 inconsistencies." in check.output, check.output
    sent = runner.invoke(main, ["send", out, "--dry-run"])
    assert (
        "CS-2026-1315/post-michael-evans.pdf: held back: Michael Evans's copy is held back"
    ) in sent.stdout
    assert "CS-2026-1315/post-subject.pdf: held back: it holds version 1" in sent.stdout
    assert "CS-2026-1315/post-subject-v2.pdf: would send to Dorothy Evans" in sent.stdout
