"""Issue 12 finding 6: a register held by another process (an open write transaction)
hung ``share`` for more than 100 s with nothing printed. A command now waits a bounded
time (10 s; ``REVIEWDOCS_REGISTER_TIMEOUT`` in seconds) and then exits 1 naming the
register and what to do."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT
from reviewdocs.disclosure.register import Register, RegisterError, lock_timeout

SAMPLE = ROOT / "samples" / "10-joint-review-health-sharing.json"

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


@contextmanager
def held(register: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with a write transaction open on ``register``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(register)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=30)


def _cli(*args: str, timeout: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REVIEWDOCS_REGISTER_TIMEOUT=timeout, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "reviewdocs", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _message(register: Path, seconds: str) -> str:
    return (
        f"The register {register} is in use by another process, which did not let go of it "
        f"within {seconds} seconds: another reviewdocs command may still be writing to it "
        "(wait for it to finish), or a program has it open (close that program); then run "
        "this command again.\n"
    )


@pytest.mark.parametrize("command", ["share", "render"])
def test_a_held_register_ends_the_command_with_a_message_not_a_hang(
    tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    assert _cli("render", str(SAMPLE), "--out", str(out), timeout="10").returncode == 0
    register = out / "register.sqlite"
    with held(register):
        started = time.monotonic()
        result = _cli(command, str(SAMPLE), "--out", str(out), "--date", "2026-12-01", timeout="2")
        waited = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr == _message(register, "2")
    assert result.stdout == ""
    assert 2 <= waited < 20


def test_a_register_let_go_of_within_the_time_is_waited_for(tmp_path: Path) -> None:
    register = tmp_path / "register.sqlite"
    Register(register).close()
    with held(register) as holder:
        assert holder.stdin is not None
        holder.stdin.close()  # let go at once: the open below waits, then succeeds
        with Register(register) as reg:
            assert reg.entries() == []


def test_opening_a_held_register_raises_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register = tmp_path / "register.sqlite"
    Register(register).close()
    monkeypatch.setenv("REVIEWDOCS_REGISTER_TIMEOUT", "0.5")
    with held(register), pytest.raises(RegisterError) as caught:
        Register(register)
    assert str(caught.value) + "\n" == _message(register, "0.5")


def test_the_wait_is_ten_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWDOCS_REGISTER_TIMEOUT", raising=False)
    assert lock_timeout() == 10.0
    monkeypatch.setenv("REVIEWDOCS_REGISTER_TIMEOUT", "soon")
    with pytest.raises(RegisterError, match="REVIEWDOCS_REGISTER_TIMEOUT must be a number"):
        lock_timeout()
