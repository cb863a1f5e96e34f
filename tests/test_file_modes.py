"""Issue 12 finding 8 (file modes): register.sqlite, batch-report.csv and the register
export were world-readable (0644) though they hold names and amendment texts; folders
were 0755. Everything we write is owner-only (0600, folders 0700) whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from reviewdocs.cli import main
from reviewdocs.disclosure.register import Register
from reviewdocs.files import make_private_dirs, open_private, write_atomic

SAMPLE = SAMPLES / "10-joint-review-health-sharing.json"


@pytest.fixture(params=[0o022, 0o000, 0o002], ids=["umask-022", "umask-000", "umask-002"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_render_and_share_write_owner_only_files_and_folders(umask: int, tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["render", str(SAMPLE), "--out", str(out)]).exit_code == 0
    assert runner.invoke(main, ["share", str(SAMPLE), "--out", str(out)]).exit_code == 0
    written = sorted(out.rglob("*"))
    assert {p.name for p in written} >= {"register.sqlite", "outcome_letter.docx"}
    wide = {str(p.relative_to(tmp_path)): oct(mode(p)) for p in written if p.is_file()}
    assert {p: m for p, m in wide.items() if m != "0o600"} == {}
    folders = [tmp_path / "new", out, *(p for p in written if p.is_dir())]
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}


def test_the_registers_wal_files_are_owner_only_too(umask: int, tmp_path: Path) -> None:
    with Register(tmp_path / "r" / "register.sqlite") as reg:
        reg.entries()
        files = sorted((tmp_path / "r").iterdir())
        assert [p.name for p in files] == [
            "register.sqlite",
            "register.sqlite-shm",
            "register.sqlite-wal",
        ]
        assert [oct(mode(p)) for p in files] == ["0o600"] * 3
    assert mode(tmp_path / "r") == 0o700


def test_an_existing_world_readable_register_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    Register(path).close()
    path.chmod(0o644)
    with Register(path):
        assert mode(path) == 0o600


def test_write_atomic_makes_each_missing_folder_owner_only(umask: int, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "letter.docx"
    write_atomic(target, b"x")
    assert mode(target) == 0o600
    assert [mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3


def test_open_private_for_reports_and_exports(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "reports" / "batch-report.csv"
    with open_private(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("review_id\n")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    path.chmod(0o644)  # an older, world-readable report is tightened when rewritten
    with open_private(path, "a", encoding="utf-8") as fh:
        fh.write("CR-1\n")
    assert mode(path) == 0o600
    assert path.read_text(encoding="utf-8") == "review_id\nCR-1\n"


def test_make_private_dirs_leaves_existing_folders_alone(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir(mode=0o755)
    (tmp_path / "shared").chmod(0o755)
    make_private_dirs(tmp_path / "shared" / "mine")
    assert mode(tmp_path / "shared") == 0o755
    assert mode(tmp_path / "shared" / "mine") == 0o700


def test_a_batchs_output_folder_is_owner_only(umask: int, tmp_path: Path) -> None:
    from reviewdocs.batch.run import run_batch

    out = tmp_path / "batch" / "out"
    result = run_batch(SAMPLE, out, documents=["outcome_letter"], jobs=1)
    assert result.produced == 1
    assert [oct(mode(p)) for p in (tmp_path / "batch", out)] == ["0o700", "0o700"]
    documents = [p for p in out.rglob("*.docx")]
    assert documents and all(mode(p) == 0o600 for p in documents)
    assert mode(out / "register.sqlite") == 0o600
