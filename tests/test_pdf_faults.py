"""PDF conversion under faults (issue 12 findings 8 and 9).

8: SIGKILL during ``render --format pdf`` left the full record as DOCX and PDF in the
temp folder and orphan ``soffice.bin`` processes running; every batch left a
LibreOffice profile behind. 9: LibreOffice crashing mid-conversion failed the
command ("Binary URP bridge disposed") instead of restarting once and retrying.

Each test gets its own temp folder (``TMPDIR``), so "nothing left" means that folder
is empty and no process names it on its command line.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from conftest import ROOT, SAMPLES
from reviewdocs.documents.pdf import Converter
from reviewdocs.errors import ConversionError

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed"),
]

SAMPLE = SAMPLES / "10-joint-review-health-sharing.json"


@pytest.fixture
def tmpdir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own, for this process and its children."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR again
    return folder


def processes_naming(text: str) -> dict[int, str]:
    """Live processes whose command line contains ``text``: pid -> program name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found[int(entry.name)] = name
    return found


def wait_for(check: Callable[[], bool], seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


def left_in(folder: Path) -> list[str]:
    """What is in ``folder`` now. os.walk, not rglob: the folder is being removed while
    we look, and a file gone between listing and stat is simply not there."""
    found = []
    for top, dirs, files in os.walk(folder):
        found += [str(Path(top, name).relative_to(folder)) for name in dirs + files]
    return sorted(found)


def test_sigkill_during_render_pdf_leaves_nothing_behind(tmpdir_env: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = ["render", str(SAMPLE), "--out", str(tmp_path / "out"), "--format", "pdf"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "reviewdocs", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        converting = wait_for(lambda: bool(list(tmpdir_env.glob("*/in-*.docx"))), 180, 0.005)
        assert converting, "no conversion was seen in progress"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert wait_for(lambda: not left_in(tmpdir_env), 30), left_in(tmpdir_env)
    assert wait_for(lambda: not processes_naming(str(tmpdir_env)), 30), processes_naming(
        str(tmpdir_env)
    )


PARENT = """
import sys
from reviewdocs.documents.pdf import Converter
conv = Converter()
conv._ensure_started()
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_parent_killed_while_idle_takes_its_libreoffice_with_it(tmpdir_env: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    assert "soffice.bin" in processes_naming(str(tmpdir_env)).values()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert wait_for(lambda: not processes_naming(str(tmpdir_env)), 30), processes_naming(
        str(tmpdir_env)
    )
    assert wait_for(lambda: not left_in(tmpdir_env), 30), left_in(tmpdir_env)


def test_a_dead_processs_leftovers_are_removed_on_the_next_start(tmpdir_env: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmpdir_env / f"reviewdocs-pdf-{gone.pid}-abcd1234"
    (stale / "profile").mkdir(parents=True)
    (stale / "in-1.docx").write_bytes(b"the full record")
    mine = tmpdir_env / f"reviewdocs-pdf-{os.getppid()}-live0000"  # a live process's: kept
    mine.mkdir()
    with Converter() as conv:
        conv._ensure_started()
        assert not stale.exists()
        assert mine.exists()
    mine.rmdir()
    assert left_in(tmpdir_env) == []


def test_a_batch_leaves_no_libreoffice_profile(tmpdir_env: Path, tmp_path: Path) -> None:
    from reviewdocs.batch.run import run_batch

    source = tmp_path / "records"
    source.mkdir()
    for name in ("01-carer-light-touch-no-change.json", "10-joint-review-health-sharing.json"):
        shutil.copy(SAMPLES / name, source / name)
    result = run_batch(source, tmp_path / "out", documents=["outcome_letter"], fmt="pdf", jobs=2)
    assert result.produced == 2, result.report.read_text()
    assert left_in(tmpdir_env) == []
    assert processes_naming(str(tmpdir_env)) == {}


# -- finding 9: LibreOffice crashing mid-conversion ---------------------------------------


def long_document(pages: int = 150) -> bytes:
    """A document LibreOffice takes a while to convert, so a crash can land inside it."""
    document = docx.Document()
    document.core_properties.title = "A long record"
    for page in range(pages):
        document.add_heading(f"Section {page}", level=1)
        for _ in range(6):
            document.add_paragraph("The person's needs and outcomes were reviewed. " * 12)
        document.add_page_break()
    document.add_paragraph("The last line of the record.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def long_docx() -> bytes:
    return long_document()


def crash_during(conv: Converter, conversions: int) -> Iterator[int]:
    """Kill LibreOffice (soffice.bin) inside each of the first ``conversions`` requests."""
    for number in range(1, conversions + 1):
        seen = wait_for(
            lambda n=number: conv._tmp is not None and (conv._tmp / f"in-{n}.docx").exists(),
            120,
            0.01,
        )
        if not seen:
            return
        time.sleep(0.3)
        assert conv._tmp is not None
        for pid, name in processes_naming(str(conv._tmp)).items():
            if name == "soffice.bin":
                os.kill(pid, signal.SIGKILL)
                yield pid


def _killer(conv: Converter, conversions: int, killed: list[int]) -> threading.Thread:
    thread = threading.Thread(target=lambda: killed.extend(crash_during(conv, conversions)))
    thread.start()
    return thread


def test_a_crash_mid_conversion_restarts_libreoffice_and_retries_once(
    tmpdir_env: Path, long_docx: bytes, tmp_path: Path
) -> None:
    killed: list[int] = []
    with Converter() as conv:
        conv._ensure_started()
        thread = _killer(conv, 1, killed)
        pdf = conv.convert(long_docx)
        thread.join()
        assert len(killed) == 1
        assert conv.starts == 2
    (tmp_path / "out.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "out.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "The last line of the record." in text
    assert left_in(tmpdir_env) == []


def test_a_second_crash_is_a_clear_conversion_error(tmpdir_env: Path, long_docx: bytes) -> None:
    killed: list[int] = []
    with Converter() as conv:
        conv._ensure_started()
        thread = _killer(conv, 2, killed)
        with pytest.raises(ConversionError) as caught:
            conv.convert(long_docx)
        thread.join()
        assert len(killed) == 2
    assert str(caught.value) == (
        "LibreOffice stopped while converting the document to PDF, and again after it was "
        "restarted, so no PDF was made. Try again; if it keeps happening, convert the "
        "DOCX copy by hand or make the DOCX format instead (--format docx)."
    )
    assert wait_for(lambda: not processes_naming(str(tmpdir_env)), 30)
    assert left_in(tmpdir_env) == []
