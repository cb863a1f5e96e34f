"""Amendments (spec section 5; 003 "Sometimes the carer or anyone else ... may ask for
amendments"): versions, circulation from the register, originals never touched."""

from __future__ import annotations

import copy
import html
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reviewdocs.disclosure.amendments import amend
from reviewdocs.disclosure.register import Register
from reviewdocs.disclosure.sharing import plan_sharing, share
from reviewdocs.disclosure.versions import load_amendment, validate_amendment
from reviewdocs.errors import InputError, ReviewdocsError
from reviewdocs.files import sha256_file
from reviewdocs.intake.read import load_review
from reviewdocs.intake.schemas import validate_review

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "10-joint-review-health-sharing.json"
AMENDMENTS = ROOT / "samples" / "amendments"
ID = "CS-2026-1315"


def text_of(path: Path) -> str:
    """The document's words as a reader sees them (every part, markup removed)."""
    with zipfile.ZipFile(path) as zf:
        xml = " ".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/"))
    xml = re.sub(r"</w:p>", "\n", xml)
    return re.sub(r"[ \t]+", " ", html.unescape(re.sub(r"<[^>]+>", "", xml)))


def request(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "requested_by": "Karen Evans",
        "date": "2026-11-25",
        "sections": {"resolution_steps": "Six morning visits a week; Karen keeps Saturdays."},
        "reason": "The record says the visits are daily.",
        "evidence": "The revised rota of 2026-11-20.",
        "decision": "accept",
        "decision_reason": "The rota shows six visits a week.",
    }
    raw.update(changes)
    return raw


@pytest.fixture
def review() -> dict[str, Any]:
    return load_review(SAMPLE)


@pytest.fixture
def shared(review: dict[str, Any], tmp_path: Path) -> Register:
    """Version 1 given to the subject and shared by the rules (the register knows who)."""
    reg = Register(tmp_path / "register.sqlite")
    share(review, tmp_path, register=reg, produced=date(2026, 11, 20))
    yield reg
    reg.close()


def files(tmp_path: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted((tmp_path / ID).iterdir())}


# --- the amendment file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"sections": {"bogus": "x"}}, "sections.bogus", "Unknown section code"),
        ({"sections": {}}, "sections", "at least one section"),
        ({"decision_reason": None}, "decision_reason", "null"),
        ({"decision": "maybe"}, "decision", "Must be one of"),
        ({"date": "2026-02-30"}, "date", "valid date"),
        ({"colour": "blue"}, "colour", "Unknown field"),
        ({"circulate": "no"}, "circulate", "boolean"),
    ],
    ids=[
        "unknown-section-code",
        "no-sections",
        "no-decision-reason",
        "unknown-decision",
        "impossible-date",
        "unknown-field",
        "circulate-not-a-boolean",
    ],
)
def test_a_bad_amendment_is_refused_by_path(
    changes: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        validate_amendment(request(**changes))
    assert path in caught.value.errors
    assert message.lower() in " ".join(caught.value.errors[path]).lower()


def test_a_missing_decision_reason_is_refused() -> None:
    raw = request()
    del raw["decision_reason"]
    with pytest.raises(InputError, match="decision_reason"):
        validate_amendment(raw)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        validate_amendment(request(sections={"bogus": "x"}, decision="maybe"))
    assert {"sections.bogus", "decision"} <= set(caught.value.errors)


def test_circulation_is_the_default() -> None:
    assert validate_amendment(request())["circulate"] is True


@pytest.mark.parametrize("path", sorted(AMENDMENTS.glob("*.json")), ids=lambda p: p.stem)
def test_the_sample_amendments_are_valid(path: Path) -> None:
    assert load_amendment(path)["decision"] in ("accept", "decline")


# --- accepted -------------------------------------------------------------------------


def test_an_accepted_amendment_makes_version_2_and_leaves_version_1_alone(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    before = files(tmp_path)
    result = amend(review, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    after = files(tmp_path)
    assert {name: after[name] for name in before} == before, "no earlier file changed"
    record = text_of(tmp_path / ID / "review_record-v2.docx")
    assert "supersedes version 1 of 20 November 2026" in record
    assert "Six morning visits a week; Karen keeps Saturdays." in record
    assert "(This section was amended in version 2.)" in record
    assert "Karen Evans" in record and "The record says the visits are daily." in record
    assert shared.latest_version(ID) == 2
    assert result.accepted and result.version == 2
    letter = text_of(tmp_path / ID / "amendment_decision_letter.docx")
    assert "The rota shows six visits a week." in letter


def test_the_amended_record_reaches_everyone_who_had_the_original(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    had_v1 = {e.recipient_id for e in shared.recipients_of(ID, "review_record", 1)}
    result = amend(review, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    v2 = {e.recipient_id: e for e in shared.recipients_of(ID, "review_record", 2)}
    # Michael has a risk concern recorded: a manager must look again first (003 last
    # paragraph), so he is the one person who had version 1 and is not sent version 2.
    assert set(v2) == had_v1 - {"michael-evans"}
    assert v2[None].basis == "subject"
    assert {e.basis for rid, e in v2.items() if rid} == {"amendment_circulation"}
    ((name, reason),) = result.not_circulated
    assert name == "Michael Evans" and "a manager must decide first" in reason
    assert "Version 2 not sent" in shared.refusals(ID)[-1].reason


def test_a_circulated_copy_withholds_what_the_rules_now_withhold(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    now = copy.deepcopy(review)
    now["sharing"]["recipients"][2]["omit_sections"] = ["budget_sufficiency"]
    amend(now, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    (karen,) = [
        e for e in shared.recipients_of(ID, "review_record", 2) if e.recipient_id == "karen-evans"
    ]
    assert karen.withheld == ("budget_sufficiency",)
    partial = text_of(tmp_path / ID / "review_record-v2-karen-evans.docx")
    assert "Some information has been withheld" in partial
    assert "does not cover the longer morning visits" not in partial
    assert "Six morning visits a week; Karen keeps Saturdays." in partial


def test_the_amended_record_is_not_circulated_when_the_subject_asks(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    result = amend(
        review, request(circulate=False), tmp_path, register=shared, produced=date(2026, 11, 28)
    )
    assert [e.recipient_id for e in shared.recipients_of(ID, "review_record", 2)] == [None]
    assert len(result.not_circulated) == 4
    refused = {r.recipient_id: r.reason for r in shared.refusals(ID)}
    assert "asked that the amended record is not sent" in refused["nhs-trust"]


def test_a_recipient_now_at_risk_is_left_out_of_the_circulation(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    now = copy.deepcopy(review)
    karen = now["sharing"]["recipients"][2]
    karen.update(risk_concern=True, manager_decision="full")
    result = amend(now, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    v2 = {e.recipient_id for e in shared.recipients_of(ID, "review_record", 2)}
    assert "karen-evans" not in v2
    assert "nhs-trust" in v2
    assert [name for name, _ in result.not_circulated] == ["Karen Evans", "Michael Evans"]
    assert not (tmp_path / ID / "review_record-v2-karen-evans.docx").exists()


def test_a_recipient_whose_consent_is_withdrawn_is_left_out(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    now = copy.deepcopy(review)
    now["sharing"]["consent_to_share"] = False
    amend(now, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    v2 = {e.recipient_id for e in shared.recipients_of(ID, "review_record", 2)}
    assert "linden-home-care" not in v2
    assert {"nhs-trust", "karen-evans"} <= v2


def test_a_chain_of_three_versions(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    amend(review, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    v2_files = files(tmp_path)
    second = request(
        sections={"difference_of_views": "Dorothy would prefer a 9:30 visit."},
        requested_by="Dorothy Evans",
        date="2026-12-01",
    )
    result = amend(review, second, tmp_path, register=shared, produced=date(2026, 12, 2))
    assert result.version == 3
    after = files(tmp_path)
    assert {name: after[name] for name in v2_files} == v2_files
    v3 = text_of(tmp_path / ID / "review_record-v3.docx")
    assert "supersedes version 2 of 28 November 2026" in v3
    # Both amendments are in version 3; each section says which version changed it.
    assert "Six morning visits a week; Karen keeps Saturdays." in v3
    assert "Dorothy would prefer a 9:30 visit." in v3
    assert "(This section was amended in version 2.)" in v3
    assert "(This section was amended in version 3.)" in v3
    had_v2 = {e.recipient_id for e in shared.recipients_of(ID, "review_record", 2)}
    assert {e.recipient_id for e in shared.recipients_of(ID, "review_record", 3)} == had_v2
    # A copy shared after the chain is of version 3.
    later = share(review, tmp_path, recipients=["nhs-trust"], register=shared)
    assert later.version == 3


# --- declined -------------------------------------------------------------------------


def test_a_declined_amendment_gives_reasons_and_the_right_to_complain_and_nothing_else(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    before = files(tmp_path)
    result = amend(
        review,
        load_amendment(AMENDMENTS / "10-decline-budget.json"),
        tmp_path,
        register=shared,
        produced=date(2026, 11, 28),
    )
    after = files(tmp_path)
    # Only the letter, in Dorothy's large print too (002/003 accessible format).
    assert sorted(set(after) - set(before)) == [
        "amendment_decision_letter-large_print.docx",
        "amendment_decision_letter-large_print.pdf",
        "amendment_decision_letter.docx",
    ]
    assert {name: after[name] for name in before} == before
    letter = text_of(tmp_path / ID / "amendment_decision_letter.docx")
    assert "the record is accurate" in letter
    assert "complain" in letter.lower()
    assert shared.latest_version(ID) == 1
    assert not result.accepted


def test_two_declined_requests_keep_both_letters(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    declined = load_amendment(AMENDMENTS / "10-decline-budget.json")
    amend(review, declined, tmp_path, register=shared, produced=date(2026, 11, 28))
    first = sha256_file(tmp_path / ID / "amendment_decision_letter.docx")
    # A second request (made on another day): the same request again is not decided
    # twice (test_transactions: an amendment already applied is not applied again).
    asked_again = {**declined, "date": date(2026, 11, 27)}
    amend(review, asked_again, tmp_path, register=shared, produced=date(2026, 11, 29))
    assert sha256_file(tmp_path / ID / "amendment_decision_letter.docx") == first
    assert (tmp_path / ID / "amendment_decision_letter-v2.docx").exists()


def test_the_same_request_again_is_decided_once(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    declined = load_amendment(AMENDMENTS / "10-decline-budget.json")
    amend(review, declined, tmp_path, register=shared, produced=date(2026, 11, 28))
    again = amend(review, declined, tmp_path, register=shared, produced=date(2026, 11, 29))
    assert again.summary() == (
        f"Review {ID}: this amendment was already decided on 2026-11-28 (declined); "
        "nothing was done again."
    )
    assert not (tmp_path / ID / "amendment_decision_letter-v2.docx").exists()
    assert len(shared.amendments(ID)) == 1


def test_a_file_the_register_does_not_know_is_never_overwritten(
    review: dict[str, Any], tmp_path: Path
) -> None:
    stray = tmp_path / ID / "review_record-v2.docx"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"an amended record made with another register")
    with Register(tmp_path / "fresh.sqlite") as reg, pytest.raises(ReviewdocsError, match="never"):
        amend(review, request(), tmp_path, register=reg, produced=date(2026, 11, 28))
    assert stray.read_bytes() == b"an amended record made with another register"


def test_the_amendment_is_stored_so_a_later_run_rebuilds_version_2(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    amend(review, request(), tmp_path, register=shared, produced=date(2026, 11, 28))
    (stored,) = shared.amendments(ID)
    assert (stored.amends_version, stored.version) == (1, 2)
    assert json.loads(json.dumps(stored.amendment))["date"] == "2026-11-25"


def test_a_planned_review_cannot_be_amended(example_raw: dict[str, Any], tmp_path: Path) -> None:
    raw = copy.deepcopy(example_raw)
    raw["review"]["stage"] = "planned"
    del raw["findings"], raw["narrative"]
    planned = validate_review(raw)
    with Register(tmp_path / "r.sqlite") as reg, pytest.raises(ReviewdocsError, match="planned"):
        amend(planned, request(), tmp_path, register=reg)


def test_an_amendment_to_a_withheld_section_leaves_no_trace_in_a_partial_copy(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    secret = request(
        sections={"budget_sufficiency": "SECRETBUDGET the agency charges more"},
        reason="SECRETREASON about money",
        evidence="SECRETEVIDENCE invoice",
        decision_reason="SECRETDECISION agreed",
    )
    amend(review, secret, tmp_path, register=shared, produced=date(2026, 11, 28))
    # Michael's copy needs a manager's say-so after the amendment; then it is shared.
    result = share(review, tmp_path, recipients=["michael-evans"], register=shared)
    assert result.version == 2
    for item in result.produced:
        with zipfile.ZipFile(item.path) as zf:
            blob = b" ".join(zf.read(name) for name in zf.namelist())
        for needle in (b"SECRETBUDGET", b"SECRETREASON", b"SECRETEVIDENCE", b"SECRETDECISION"):
            assert needle not in blob, (item.relpath, needle)
    assert "supersedes version 1" in text_of(tmp_path / ID / "review_record-v2-michael-evans.docx")


def test_an_amendment_dated_before_the_review_is_refused(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="before the review took place"):
        amend(review, request(date="2026-01-02"), tmp_path, register=shared)


def test_an_amendment_dated_after_the_documents_is_refused(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="is after the date of the documents"):
        amend(
            review,
            request(date="2099-11-27"),
            tmp_path,
            register=shared,
            produced=date(2026, 11, 28),
        )
    assert not (tmp_path / ID / "review_record-v2.docx").exists()


def test_amending_a_record_the_register_never_saw_warns_that_nobody_was_sent_it(
    review: dict[str, Any], tmp_path: Path
) -> None:
    with Register(tmp_path / "empty.sqlite") as reg:
        result = amend(review, request(), tmp_path, register=reg, produced=date(2026, 11, 28))
    assert "no record of version 1 being given to anyone" in result.summary()
    assert (tmp_path / ID / "review_record-v2.docx").exists()


def test_the_amend_command_reports_the_new_version_and_who_was_sent_it(
    runner: Any, tmp_path: Path
) -> None:
    from reviewdocs.cli import main

    out = tmp_path / "out"
    shared = runner.invoke(main, ["share", str(SAMPLE), "--out", str(out), "--date", "2026-11-20"])
    assert shared.exit_code == 0, shared.output
    amendment = AMENDMENTS / "10-accept-resolution-steps.json"
    result = runner.invoke(
        main, ["amend", str(SAMPLE), str(amendment), "--out", str(out), "--date", "2026-11-28"]
    )
    assert result.exit_code == 0, result.output
    assert "version 2 supersedes version 1" in result.output
    assert "sent to Exampleton Community NHS Trust" in result.output
    assert "not sent to Michael Evans" in result.output


def test_the_amend_command_refuses_a_bad_amendment_by_path(runner: Any, tmp_path: Path) -> None:
    from reviewdocs.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(request(sections={"bogus": "x"})), encoding="utf-8")
    result = runner.invoke(main, ["amend", str(SAMPLE), str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "sections.bogus: Unknown section code" in result.output
    assert not (tmp_path / "o" / ID).exists()


def test_an_earlier_amendment_to_a_withheld_section_is_not_in_a_later_partial_copy(
    review: dict[str, Any], shared: Register, tmp_path: Path
) -> None:
    from reviewdocs.disclosure.sharing import produce_copy
    from reviewdocs.disclosure.versions import current_record

    first = request(sections={"budget_sufficiency": "OLDSECRET wording"}, reason="OLDREASON money")
    amend(review, first, tmp_path, register=shared, produced=date(2026, 11, 28))
    later = request(sections={"budget_sufficiency": "New wording."}, date="2026-12-01")
    amend(review, later, tmp_path, register=shared, produced=date(2026, 12, 2))
    state = current_record(review, shared)
    assert [a["reason"] for a in state.amendment["history"]] == ["OLDREASON money"]
    (michael,) = [
        p for p in plan_sharing(state.review, state.decision) if p.recipient_id == "michael-evans"
    ]
    made = produce_copy(
        state.review,
        state.decision,
        michael,
        tmp_path / "copy",
        register=shared,
        produced=date(2026, 12, 3),
        version=state.version,
        amendment=state.amendment,
        previous=state.previous,
    )
    for item in made:
        with zipfile.ZipFile(item.path) as zf:
            blob = b" ".join(zf.read(name) for name in zf.namelist())
        assert b"OLDSECRET" not in blob and b"OLDREASON" not in blob


@pytest.mark.parametrize(
    ("requested_by", "expected"),
    [
        ("Dorothy Evans", []),
        ("Karen Evans", ["make sure Dot was consulted"]),
        ("A. Stranger", ["make sure Dot was consulted", "not recorded as taking part"]),
    ],
    ids=["the-person", "someone-involved", "someone-not-involved"],
)
def test_who_asked_is_checked_against_the_review(
    review: dict[str, Any], shared: Register, tmp_path: Path, requested_by: str, expected: list[str]
) -> None:
    result = amend(
        review,
        request(requested_by=requested_by, decision="decline"),
        tmp_path,
        register=shared,
        produced=date(2026, 11, 28),
    )
    assert len(result.warnings) == len(expected)
    for warning, words in zip(result.warnings, expected, strict=True):
        assert words in warning


def test_an_amendment_cannot_write_a_final_outcome_into_a_provisional_record(
    tmp_path: Path,
) -> None:
    """The bar: never present a provisional state as final. Sample 07 is paused for
    safeguarding; an accepted request writing "No change is needed" into its outcome and
    next steps is refused by path, and nothing is stored or written."""
    paused = load_review(ROOT / "samples" / "07-carer-safeguarding-pause.json")
    reg = Register(tmp_path / "register.sqlite")
    try:
        share(paused, tmp_path, register=reg, produced=date(2026, 12, 2))
        folder = tmp_path / paused["review"]["id"]
        before = {p.name: sha256_file(p) for p in sorted(folder.iterdir())}
        final = request(
            date="2026-11-20",
            sections={
                "outcome_and_next_steps": "No change is needed. The next review is in 12 months."
            },
        )
        with pytest.raises(InputError) as caught:
            amend(paused, final, tmp_path, register=reg, produced=date(2026, 12, 2))
        (message,) = caught.value.errors["sections.outcome_and_next_steps"]
        assert message.startswith("The record is provisional (the review is paused while")
        assert "so it has no final outcome yet: an amendment cannot write one into it." in message
        after = {p.name: sha256_file(p) for p in sorted(folder.iterdir())}
        assert after == before
        assert reg.amendments(paused["review"]["id"]) == []
        assert reg.latest_version(paused["review"]["id"]) == 1
    finally:
        reg.close()
