"""The register: who got which version, refusals, schema, CSV, parallel writers."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import signal
import sqlite3
from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from conftest import run_fresh
from reviewdocs.disclosure.register import SCHEMA_VERSION, Entry, Register, RegisterError


def entry(**changes: object) -> Entry:
    base: dict[str, object] = {
        "review_id": "CR-1",
        "document": "review_record",
        "version": 1,
        "recipient_id": None,
        "recipient_name": None,
        "basis": "subject",
        "withheld": (),
        "produced_on": date(2026, 11, 20),
        "variant": "standard",
        "fmt": "docx",
        "path": "CR-1/review_record.docx",
        "sha256": "a" * 64,
        "input_sha256": "b" * 64,
        "template_sha256": "c" * 64,
    }
    base.update(changes)
    return Entry(**base)  # type: ignore[arg-type]


def test_an_entry_reads_back_exactly_as_written(tmp_path: Path) -> None:
    written = entry(
        recipient_id="rel-1", recipient_name="Ann", withheld=("risk", "subject.address")
    )
    with Register(tmp_path / "register.sqlite") as reg:
        reg.add(written)
    with Register(tmp_path / "register.sqlite") as reg:
        assert reg.entries() == [written]
        assert reg.entries("CR-1") == [written]
        assert reg.entries("CR-2") == []


def test_the_schema_is_versioned(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        assert reg.schema_version() == SCHEMA_VERSION


def test_a_version_1_register_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    from reviewdocs.disclosure.register import _MIGRATIONS

    path = tmp_path / "r.sqlite"
    db = sqlite3.connect(path)
    db.executescript(_MIGRATIONS[1])
    db.execute(
        "INSERT INTO refusals (review_id, recipient_id, recipient_name, reason, produced_on)"
        " VALUES ('CR-1', 'p', 'P', 'No consent.', '2026-11-20')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Register(path) as reg:
        assert reg.schema_version() == SCHEMA_VERSION
        assert [r.reason for r in reg.refusals()] == ["No consent."]
        reg.add_amendment("CR-1", 1, 2, date(2026, 11, 21), {"date": date(2026, 11, 20)})
        (stored,) = reg.amendments("CR-1")
    assert (stored.amends_version, stored.version, stored.amendment) == (
        1,
        2,
        {"date": "2026-11-20"},
    )


def test_a_register_from_a_newer_reviewdocs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    Register(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(RegisterError, match="newer reviewdocs"):
        Register(path)


def test_a_file_that_is_not_a_register_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    path.write_text("this is a letter, not a database\n" * 100)
    with pytest.raises(RegisterError, match="not a reviewdocs register"):
        Register(path)


def test_latest_version_is_none_before_any_record_then_the_highest(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        assert reg.latest_version("CR-1") is None
        reg.add(entry(version=1))
        reg.add(entry(version=3))
        reg.add(entry(version=2))
        reg.add(entry(document="outcome_letter", version=7))
        assert reg.latest_version("CR-1") == 3
        assert reg.latest_version("CR-1", "outcome_letter") == 7
        assert reg.latest_version("CR-9") is None


def test_recipients_of_lists_each_recipient_of_that_version_once(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        reg.add(entry())
        reg.add(entry(fmt="pdf", path="CR-1/review_record.pdf"))
        reg.add(entry(recipient_id="org", recipient_name="NHS", basis="joint_organisation"))
        reg.add(entry(version=2, recipient_id="late", recipient_name="Later"))
        reg.add(entry(document="sharing_cover_letter", recipient_id="org"))
        got = reg.recipients_of("CR-1", "review_record", 1)
    assert [(e.recipient_id, e.basis) for e in got] == [
        (None, "subject"),
        ("org", "joint_organisation"),
    ]
    assert got[0].fmt == "pdf"


def test_refusals_are_recorded_with_their_reason(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        reg.add_refusal("CR-1", "prov", "Home Care Ltd", "No consent.", date(2026, 11, 20))
        (refusal,) = reg.refusals("CR-1")
        assert refusal.recipient_name == "Home Care Ltd"
        assert refusal.reason == "No consent."
        assert reg.refusals("CR-2") == []


def test_the_csv_export_lists_copies_and_refusals(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        reg.add(entry(recipient_id="rel", recipient_name="Ann", withheld=("risk", "safeguarding")))
        reg.add_refusal("CR-1", "prov", "Home Care Ltd", "No consent.", date(2026, 11, 20))
        out = io.StringIO()
        reg.export_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["status"], r["recipient_id"]) for r in rows] == [
        ("sent", "rel"),
        ("no copy", "prov"),
    ]
    assert rows[0]["withheld"] == "risk;safeguarding"
    assert rows[1]["reason"] == "No consent."


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_csv(tmp_path: Path) -> None:
    with Register(tmp_path / "r.sqlite") as reg:
        reg.add(entry(recipient_id="x", recipient_name='=HYPERLINK("http://evil")'))
        out = io.StringIO()
        reg.export_csv(out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["recipient_name"].startswith("'=")


def _write_many(path: str, worker: int, count: int) -> None:
    with Register(Path(path)) as reg:
        for n in range(count):
            reg.add(entry(review_id=f"W{worker}-{n}", path=f"W{worker}/{n}.docx"))


def test_two_worker_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "register.sqlite")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(path, w, 200)) for w in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert [w.exitcode for w in workers] == [0, 0]
    with Register(Path(path)) as reg:
        ids = {e.review_id for e in reg.entries()}
    assert len(ids) == 400


def _write_then_die(path: str, synchronous: Literal["FULL", "NORMAL"]) -> None:
    reg = Register(Path(path), synchronous=synchronous)
    for n in range(50):
        reg.add(entry(review_id=f"K-{n}", path=f"K-{n}/review_record.docx"))
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint: a killed batch worker


@pytest.mark.parametrize("synchronous", ["FULL", "NORMAL"], ids=["full", "normal-batch"])
def test_every_entry_committed_before_a_kill_is_still_there(
    tmp_path: Path, synchronous: Literal["FULL", "NORMAL"]
) -> None:
    path = tmp_path / "register.sqlite"
    worker = multiprocessing.get_context("spawn").Process(
        target=_write_then_die, args=(str(path), synchronous)
    )
    worker.start()
    worker.join()
    assert worker.exitcode == -signal.SIGKILL
    with Register(path) as reg:
        assert [e.review_id for e in reg.entries()] == [f"K-{n}" for n in range(50)]


def test_an_unknown_synchronous_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="FULL or NORMAL"):
        Register(tmp_path / "r.sqlite", synchronous="OFF")  # type: ignore[arg-type]


_FORKED_WRITERS = """
import multiprocessing, sys
from datetime import date
from reviewdocs.disclosure.register import Entry, Register

def entry(review_id):
    return Entry(
        review_id=review_id, document="review_record", version=1, recipient_id=None,
        recipient_name=None, basis="subject", withheld=(), produced_on=date(2026, 11, 20),
        variant="standard", fmt="docx", path=f"{review_id}/review_record.docx",
        sha256="a" * 64, input_sha256="b" * 64, template_sha256="c" * 64,
    )

def add_in_child(reg, n):
    reg.add(entry(f"child-{n}"))

with Register(sys.argv[1]) as reg:
    reg.add(entry("parent"))
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=add_in_child, args=(reg, n)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    reg.add(entry("parent-again"))
    print([w.exitcode for w in workers], sorted(e.review_id for e in reg.entries()))
"""


def test_a_register_opened_before_fork_works_in_the_forked_worker(tmp_path: Path) -> None:
    done = run_fresh(_FORKED_WRITERS, str(tmp_path / "r.sqlite"))
    assert done.stdout.splitlines()[-1:] == [
        "[0, 0] ['child-0', 'child-1', 'parent', 'parent-again']"
    ], done.stderr
