"""A copy held back is a recorded decision every later command respects (issue 12,
finding 3): 003 "The amended record should be circulated to the same people as the
original record, unless the carer requests otherwise or there is evidence that doing
so would put the carer or a vulnerable adult or child at risk of harm or abuse"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES
from reviewdocs.batch.run import run_batch
from reviewdocs.disclosure.amendments import amend
from reviewdocs.disclosure.audit import inconsistencies
from reviewdocs.disclosure.register import Register
from reviewdocs.disclosure.sharing import share
from reviewdocs.files import sha256_file
from reviewdocs.intake.read import load_review

ID = "CS-2026-1315"
FIRST, LATER, LAST = date(2026, 11, 20), date(2026, 11, 28), date(2026, 11, 30)
OTHERS = ("nhs-trust", "linden-home-care", "karen-evans", "michael-evans")
RISK = (
    "No copy for Michael Evans: held back (a concern about risk is recorded, so the "
    "amended record is not sent automatically; a manager must decide first (003)). "
    "Name them with --recipient once that is resolved."
)


def request(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "requested_by": "Dorothy Evans",
        "date": date(2026, 11, 25),
        "sections": {"resolution_steps": "Six morning visits a week; Karen keeps Saturdays."},
        "reason": "The record says the visits are daily.",
        "evidence": "The revised rota of 2026-11-20.",
        "decision": "accept",
        "decision_reason": "The rota shows six visits a week.",
        "circulate": True,
    }
    raw.update(changes)
    return raw


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """Sample 10, DOCX only; in a folder of its own so a batch can read it."""
    raw = json.loads((SAMPLES / "10-joint-review-health-sharing.json").read_text("utf-8"))
    raw["subject"]["preferred_format"] = "standard"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "review.json").write_text(json.dumps(raw), encoding="utf-8")
    return folder / "review.json"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def reg(source: Path, out: Path) -> Iterator[Register]:
    """Version 1 shared by the rules: Michael Evans (risk concern, a manager's partial
    decision) has a partial copy."""
    register = Register(out / "register.sqlite")
    share(load_review(source), out, register=register, produced=FIRST, input_sha256=_sha(source))
    assert (out / ID / "review_record-michael-evans.docx").is_file()
    yield register
    register.close()


def _sha(path: Path) -> str:
    return sha256_file(path)


def _amend(source: Path, out: Path, reg: Register, on: date, **changes: Any) -> Any:
    review = load_review(source)
    sha = _sha(source)
    return amend(review, request(**changes), out, register=reg, produced=on, input_sha256=sha)


def _share(source: Path, out: Path, reg: Register, **kwargs: Any) -> Any:
    review, sha = load_review(source), _sha(source)
    return share(review, out, register=reg, produced=LATER, input_sha256=sha, **kwargs)


def test_a_plain_share_after_an_amendment_keeps_the_risk_hold(
    source: Path, out: Path, reg: Register
) -> None:
    amended = _amend(source, out, reg, LATER)
    assert "not sent to Michael Evans" in amended.summary()
    shared = _share(source, out, reg)
    assert not (out / ID / "review_record-v2-michael-evans.docx").exists()
    assert "  " + RISK in shared.summary().splitlines()
    assert inconsistencies(out, reg) == []


def test_a_plain_share_after_an_uncirculated_amendment_sends_version_2_to_nobody(
    source: Path, out: Path, reg: Register
) -> None:
    _amend(source, out, reg, LATER, circulate=False)
    shared = _share(source, out, reg)
    for who in OTHERS:
        assert not (out / ID / f"review_record-v2-{who}.docx").exists(), who
    assert (
        "No copy for Karen Evans: held back (Dot asked that the amended record is not sent "
        "to others (003)). Name them with --recipient once that is resolved."
    ) in shared.summary()
    assert inconsistencies(out, reg) == []


def test_the_next_amendment_keeps_the_hold_and_records_why(
    source: Path, out: Path, reg: Register
) -> None:
    _amend(source, out, reg, LATER, circulate=False)
    again = _amend(source, out, reg, LAST, sections={"difference_of_views": "Dot agrees."})
    assert again.version == 3
    for who in OTHERS:
        assert not (out / ID / f"review_record-v3-{who}.docx").exists(), who
    assert (
        "  not sent to Linden Home Care: held back: Dot asked that the amended record is "
        "not sent to others (003)."
    ) in again.summary().splitlines()
    refused = {r.recipient_id for r in reg.refusals(ID) if r.version == 3 and r.hold}
    assert refused == set(OTHERS)
    assert inconsistencies(out, reg) == []


def test_naming_a_held_recipient_issues_their_copy_and_ends_the_hold(
    source: Path, out: Path, reg: Register
) -> None:
    _amend(source, out, reg, LATER)
    named = _share(source, out, reg, recipients=["michael-evans"])
    assert (out / ID / "review_record-v2-michael-evans.docx").is_file()
    assert "copy for Michael Evans (some information withheld)" in named.summary()
    assert reg.holds(ID) == {}
    assert "already has this version" in _share(source, out, reg).summary()


def test_a_batch_after_a_held_copy_gives_the_held_recipient_nothing(
    source: Path, out: Path, reg: Register
) -> None:
    _amend(source, out, reg, LATER)
    before = {p.name for p in (out / ID).iterdir()}
    result = run_batch(source.parent, out, jobs=1, produced=FIRST)
    assert result.failed == 0, result.summary()
    new = {p.name for p in (out / ID).iterdir()} - before
    assert new == {"outcome_letter.docx"}, "the person's letter only; no copy for anyone"
    assert set(reg.holds(ID)) == {"michael-evans"}
    assert inconsistencies(out, reg) == []


def test_a_copy_dated_before_its_version_was_made_is_refused(
    source: Path, out: Path, reg: Register
) -> None:
    """Found by bench/stress.py: a version 2 copy dated before version 2 was made."""
    from reviewdocs.errors import InputError

    _amend(source, out, reg, LATER)
    review, sha = load_review(source), _sha(source)
    with pytest.raises(InputError) as caught:
        share(review, out, register=reg, produced=FIRST, input_sha256=sha)
    assert caught.value.errors == {
        "--date": [
            "2026-11-20 is before version 2 of the record was made (2026-11-28): a copy "
            "cannot be dated before the version it is a copy of."
        ]
    }


@pytest.mark.slow
def test_post_after_an_amendment_gives_the_held_recipient_no_envelope(
    source: Path, out: Path, reg: Register
) -> None:
    """`post` is one more command that must respect a held copy: no envelope, and it
    says why."""
    from reviewdocs.post.envelopes import post_review

    _amend(source, out, reg, LATER)
    posted = post_review(
        load_review(source), out, register=reg, produced=LAST, input_sha256=_sha(source)
    )
    addressees = {envelope.recipient_name for envelope in posted.envelopes}
    assert "Michael Evans" not in addressees
    assert any(
        note.startswith("No envelope for Michael Evans: their copy is held back")
        for note in posted.held
    ), posted.held
    assert not list((out / ID).glob("post-michael-evans*"))
