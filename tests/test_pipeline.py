"""pipeline.produce: the hooks a batch uses to write faster without writing wrongly."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reviewdocs.disclosure.production import produce
from reviewdocs.intake.schemas import validate_review

ON = date(2026, 11, 23)


class _Refused(Exception):
    pass


def _refuse() -> None:
    raise _Refused


def test_nothing_is_written_when_before_write_refuses(
    tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    review = validate_review(example_raw)

    with pytest.raises(_Refused):
        produce(
            review,
            tmp_path,
            documents=["outcome_letter"],
            fmt="docx",
            produced=ON,
            before_write=_refuse,
        )

    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_batch_write_without_fsync_makes_the_same_file(
    tmp_path: Path, example_raw: dict[str, Any]
) -> None:
    review = validate_review(example_raw)
    docs: dict[str, Any] = {"documents": ["outcome_letter"], "produced": ON}
    docs.update(fmt="docx", variant="standard")
    durable = produce(review, tmp_path / "a", **docs)
    fast = produce(review, tmp_path / "b", durable=False, **docs)

    assert [p.path.suffix for p in fast] == [".docx"]
    assert [p.path.read_bytes() for p in fast] == [p.path.read_bytes() for p in durable]
    assert list((tmp_path / "b").rglob("*.part")) == []
