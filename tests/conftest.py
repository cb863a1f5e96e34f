"""Fixtures shared by every test module."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
EXAMPLE = ROOT / "tests" / "data" / "example-carer-light-touch.json"

SPEC_DECISION_KEYS = (
    "review_id",
    "outcome",
    "outcome_number",
    "reassessment_required",
    "escalate_to_full_review",
    "required_sections",
    "actions",
    "next_review_by",
    "warnings",
)
"""The keys of ``reviewdocs decide --json``, in spec section 3's order."""


def run_fresh(code: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``code`` run in a fresh interpreter with this checkout's ``src`` first.

    For tests that fork: this test process may hold threads by now (a server, a
    converter's reader), and forking a process with threads can deadlock the child,
    so the fork happens in an interpreter whose threads we know."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("REVIEWDOCS_BATCH_START", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PROVIDER_RECIPIENT: dict[str, Any] = {
    "id": "provider-1",
    "name": "Brightside Sitting Service",
    "kind": "provider",
    "involved_in_review": True,
    "responsible_for_support": True,
    "address": ["2 Mill Lane", "Exampleton EX3 1CC"],
    "email": "office@brightside.example",
}
"""A recipient for the sharing cover letter and a copy of the record."""

DECLINED_AMENDMENT: dict[str, Any] = {
    "requested_by": "Maria Lewis",
    "date": dt.date(2026, 11, 20),
    "sections": {"plan_elements": "The sitting service moved to Fridays."},
    "reason": "The day is wrong.",
    "evidence": "Provider rota.",
    "decision": "decline",
    "decision_reason": "The rota shows Thursdays.",
}
"""A validated, declined amendment for the amendment decision letter."""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_raw() -> dict[str, Any]:
    """The spec's complete valid input (a copy: tests may change it)."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any, str], Path]:
    def _write(data: Any, name: str = "review.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, default=str), encoding="utf-8")
        return path

    return _write


def with_changes(raw: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``raw`` with dotted-path changes (``findings__needs__changed=True``)."""
    out = copy.deepcopy(raw)
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        node = out
        for part in parents:
            node = node[part]
        node[leaf] = value
    return out
