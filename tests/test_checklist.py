"""docs/procedures-checklist.md stays true: every place and test it names exists.

The checklist is how a reviewer audits reviewdocs against the five procedures (issue 11).
A row naming a function that was renamed, or a test that was deleted, would claim an
obligation is met when nothing holds us to it; a row without a status would be neither
claimed nor explained. This test reads the document and fails on either.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = ROOT / "docs" / "procedures-checklist.md"

PROCEDURES = ("000", "001", "002", "003", "004")
STATUSES = ("DONE", "PARTIAL", "MISSING", "OUT OF SCOPE")
KINDS = ("obligation", "condition", "time limit", "record item", "action", "next step")
COLUMNS = ["ID", "Heading", "Quote", "Kind", "Status", "Where", "Test", "Note"]

PLACE = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*):([A-Za-z_][A-Za-z0-9_.]*)$")
TEST = re.compile(r"^(tests/test_[a-z0-9_]+\.py)::(test_[A-Za-z0-9_]+)$")
ROW_ID = re.compile(r"^(\d{3})-(\d{2,3})$")


@dataclass(frozen=True)
class Row:
    line: int
    procedure: str
    id: str
    heading: str
    quote: str
    kind: str
    status: str
    places: tuple[str, ...]
    tests: tuple[str, ...]
    note: str

    def __str__(self) -> str:
        return f"{self.id} (line {self.line})"


def _cells(line: str) -> list[str]:
    # A table row: | a | b | ... |. Cells hold no pipes (quotes never need one).
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _ticked(cell: str) -> tuple[str, ...]:
    """The `backticked` names in a cell; a cell may also hold "" or "—" for none."""
    return tuple(re.findall(r"`([^`]+)`", cell))


def parse(text: str) -> tuple[list[Row], dict[str, dict[str, int]]]:
    """The rows of every procedure's table, and the counts table (status -> column -> n)."""
    rows: list[Row] = []
    counts: dict[str, dict[str, int]] = {}
    procedure = ""
    header: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        heading = re.match(r"^## (\d{3}) ", line)
        if heading:
            procedure = heading.group(1)
            continue
        if line.startswith("## "):
            procedure = ""
            continue
        if not line.startswith("|"):
            header = []
            continue
        cells = _cells(line)
        if not header:
            header = cells
            continue
        if set(line.replace("|", "").strip()) <= {"-", ":", " "}:
            continue
        if header[0] == "Status":
            counts[cells[0]] = {
                name: int(value) for name, value in zip(header[1:], cells[1:], strict=True)
            }
            continue
        assert procedure, f"line {number}: a table row outside a procedure's section"
        assert header == COLUMNS, f"line {number}: the table's columns must be {COLUMNS}"
        assert len(cells) == len(COLUMNS), f"line {number}: {len(cells)} cells, not 8"
        rid, head, quote, kind, status, where, test, note = cells
        rows.append(
            Row(
                number,
                procedure,
                rid,
                head,
                quote,
                kind,
                status,
                _ticked(where),
                _ticked(test),
                note,
            )
        )
    return rows, counts


@cache
def checklist() -> tuple[list[Row], dict[str, dict[str, int]]]:
    return parse(CHECKLIST.read_text(encoding="utf-8"))


def rows() -> list[Row]:
    return checklist()[0]


@cache
def functions_in(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


def resolve(place: str) -> object:
    """The object ``module:attr`` names under reviewdocs (``attr`` may be dotted)."""
    match = PLACE.match(place)
    assert match, f"{place!r} is not module:function"
    module, attr = match.groups()
    obj: object = importlib.import_module(f"reviewdocs.{module}")
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


# --- the document's shape -------------------------------------------------------------


def test_every_procedure_has_its_table_with_rows() -> None:
    found = Counter(row.procedure for row in rows())
    assert set(found) == set(PROCEDURES)
    assert sum(found.values()) > 100


def test_ids_are_unique_in_order_and_name_their_procedure() -> None:
    seen: dict[str, Row] = {}
    last: dict[str, int] = {}
    for row in rows():
        match = ROW_ID.match(row.id)
        assert match, f"{row}: id must be NNN-NN"
        assert match.group(1) == row.procedure, f"{row}: id is not under its procedure"
        assert row.id not in seen, f"{row}: id also used at line {seen[row.id].line}"
        seen[row.id] = row
        n = int(match.group(2))
        assert n > last.get(row.procedure, 0), f"{row}: ids must increase down the table"
        last[row.procedure] = n


@pytest.mark.parametrize("row", rows(), ids=str)
def test_row_is_complete(row: Row) -> None:
    assert row.status in STATUSES, f"{row}: status {row.status!r} is not one of {STATUSES}"
    assert row.kind in KINDS, f"{row}: kind {row.kind!r} is not one of {KINDS}"
    assert row.heading, f"{row}: no heading"
    assert row.quote.startswith('"') and row.quote.endswith('"'), f"{row}: quote in quotes"
    if row.status == "DONE":
        assert row.places, f"{row}: DONE names no module:function"
        assert row.tests, f"{row}: DONE names no test"
    else:
        assert row.note, f"{row}: {row.status} needs a note saying what or why"
    if row.status == "PARTIAL":
        assert row.places, f"{row}: PARTIAL names no module:function for the part done"


@pytest.mark.parametrize("row", [r for r in rows() if r.places], ids=str)
def test_every_place_exists(row: Row) -> None:
    for place in row.places:
        try:
            resolve(place)
        except (ImportError, AttributeError) as err:
            pytest.fail(f"{row}: {place} does not exist ({err})")


@pytest.mark.parametrize("row", [r for r in rows() if r.tests], ids=str)
def test_every_test_exists(row: Row) -> None:
    for test in row.tests:
        match = TEST.match(test)
        assert match, f"{row}: {test!r} is not tests/test_x.py::test_name"
        path, name = match.groups()
        assert (ROOT / path).is_file(), f"{row}: {path} does not exist"
        assert name in functions_in(path), f"{row}: {path} has no {name}"


def test_counts_match_the_rows() -> None:
    actual: dict[str, dict[str, int]] = {status: {p: 0 for p in PROCEDURES} for status in STATUSES}
    for row in rows():
        if row.status in actual:  # an unknown status fails test_row_is_complete
            actual[row.status][row.procedure] += 1
    for status in STATUSES:
        actual[status]["total"] = sum(actual[status][p] for p in PROCEDURES)
    actual["Total"] = {
        column: sum(actual[s][column] for s in STATUSES) for column in [*PROCEDURES, "total"]
    }
    assert checklist()[1] == actual, "update the counts table to:\n" + "\n".join(
        f"| {status} | " + " | ".join(str(n) for n in numbers.values()) + " |"
        for status, numbers in actual.items()
    )


# --- the checker itself ---------------------------------------------------------------

PLACE_CELL = "`decision.rules:decide`"
TEST_CELL = "`tests/test_decision.py::test_the_plain_baseline_has_no_actions`"
SAMPLE = f"""
## 000 A procedure

| ID | Heading | Quote | Kind | Status | Where | Test | Note |
|---|---|---|---|---|---|---|---|
| 000-01 | 1. Here | "You must." | obligation | DONE | {PLACE_CELL} | {TEST_CELL} | |
| 000-02 | 1. Here | "You should." | action | | | | |
"""


def test_the_parser_reads_cells_places_and_tests() -> None:
    parsed, _ = parse(SAMPLE)
    assert [(r.id, r.status, r.places, r.tests) for r in parsed] == [
        (
            "000-01",
            "DONE",
            ("decision.rules:decide",),
            ("tests/test_decision.py::test_the_plain_baseline_has_no_actions",),
        ),
        ("000-02", "", (), ()),
    ]


def test_a_row_without_a_status_fails() -> None:
    row = parse(SAMPLE)[0][1]
    with pytest.raises(AssertionError, match="status '' is not one of"):
        test_row_is_complete(row)


def test_a_place_or_test_that_does_not_exist_fails() -> None:
    good = parse(SAMPLE)[0][0]
    gone = Row(**{**good.__dict__, "places": ("decision.rules:no_such_rule",)})
    with pytest.raises(pytest.fail.Exception, match="no_such_rule does not exist"):
        test_every_place_exists(gone)
    missing_module = Row(**{**good.__dict__, "places": ("decision.nowhere:decide",)})
    with pytest.raises(pytest.fail.Exception, match="does not exist"):
        test_every_place_exists(missing_module)
    renamed = Row(**{**good.__dict__, "tests": ("tests/test_decision.py::test_not_there",)})
    with pytest.raises(AssertionError, match="has no test_not_there"):
        test_every_test_exists(renamed)
