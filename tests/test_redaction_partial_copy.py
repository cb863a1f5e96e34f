"""What an adversarial reader found printed in Michael Evans's partial copy of sample 10
(``reviewdocs share FILE --recipient michael-evans``), asserted in the DOCX text:

* a withheld address's street without its house number, with "Crt", with the number
  in words; a withheld phone number's local part, with "44" and no plus, with I and O
  typed for 1 and 0 (issue 12 finding 4: when in doubt, withhold);
* a money amount from an omitted section, quoted in another section.
"""

from __future__ import annotations

import copy
import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES
from reviewdocs.disclosure.redaction import WITHHELD_MARK
from reviewdocs.disclosure.register import Register
from reviewdocs.disclosure.sharing import share
from reviewdocs.intake.schemas import validate_review

SAMPLE = SAMPLES / "10-joint-review-health-sharing.json"
FOUND = (
    "She moved to Linden Court last year. 12 Linden Crt. Twelve Linden Court. "
    "44 1632 961 370. 961 370. 0I632 96I 370."
)


def text_of(path: Path) -> str:
    """The document's words as a reader sees them (every part, markup removed)."""
    with zipfile.ZipFile(path) as zf:
        xml = " ".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/"))
    xml = re.sub(r"</w:p>", "\n", xml)
    return re.sub(r"[ \t]+", " ", html.unescape(re.sub(r"<[^>]+>", "", xml)))


def michaels_record(tmp_path: Path, change: Any) -> str:
    raw: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    change(raw)
    review = validate_review(raw)
    with Register(tmp_path / "register.sqlite") as reg:
        share(review, tmp_path, recipients=["michael-evans"], register=reg)
    return text_of(tmp_path / "CS-2026-1315" / "review_record-michael-evans.docx")


def _found(raw: dict[str, Any]) -> None:
    raw["findings"]["views"]["subject"] = FOUND
    michael = raw["sharing"]["recipients"][3]
    michael["redact"] = ["subject.address", "subject.phone", "participants.1"]


def test_every_spelling_the_reader_found_is_withheld(tmp_path: Path) -> None:
    text = michaels_record(tmp_path, _found)
    m = WITHHELD_MARK
    assert f"She moved to {m} last year. {m}. {m}. {m}. {m}. {m}." in text
    for leak in ["Linden Court", "Linden Crt", "Twelve", "1632 961", "961", "96I", "I632", "370"]:
        assert leak not in text, leak


def test_the_joint_organisations_town_still_stays(tmp_path: Path) -> None:
    text = michaels_record(tmp_path, _found)
    assert "Exampleton Community NHS Trust" in text


@pytest.mark.parametrize(
    "spelling",
    ["Linden Ct", "LINDEN COURT", "Twenty-one Linden Court", "Flat 2, 12 Linden Court",
     "No. 12 Linden Ct.", "0044 1632 961370", "1632 961 370", "2961370", "O1632 96l 37O"],
)  # fmt: skip
def test_other_spellings_of_the_street_and_number_are_withheld(spelling: str) -> None:
    from test_redaction_spellings import copy_says

    said = copy_says(f"Noted: {spelling} today.")
    assert "Linden" not in said and "LINDEN" not in said and "961" not in said, said
    assert WITHHELD_MARK in said


def test_an_omitted_sections_money_amounts_go_from_every_section(tmp_path: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["narrative"]["budget_sufficiency"] = (
            "The budget pays £312 a week; the longer visits need £1,045.50 a month."
        )
        raw["narrative"]["resolution_steps"] = (
            "Visits extended; the budget of £312 a week (312 pounds) rises by 1045.50."
        )

    text = michaels_record(tmp_path, change)
    assert "312" not in text and "1045" not in text and "1,045" not in text
    assert "Visits extended; the budget of" in text


# -- the outcome's reasons in a copy that withholds one (documents/reasons.py) -----------


def test_a_copy_withholding_a_reason_does_not_give_the_rest_as_the_cause(
    tmp_path: Path,
) -> None:
    # Michael's copy omits the budget sections: the budget is the reason the plan and
    # the budget change, so "because not everyone involved is satisfied" would be false.
    text = michaels_record(tmp_path, lambda raw: None)
    assert (
        "Reasons: The plan and the personal budget need to change. The review found that "
        "not everyone involved is satisfied with the plan. Some of the reasons for this "
        "outcome are not included in this copy.\n"
    ) in text
    assert "change because" not in text


def test_a_copy_withholding_no_finding_keeps_its_reasons_as_the_cause(tmp_path: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        michael = raw["sharing"]["recipients"][3]
        michael["omit_sections"] = []
        michael["redact"] = ["subject.address"]

    text = michaels_record(tmp_path, change)
    assert (
        "Reasons: The plan and the personal budget need to change because not everyone "
        "involved is satisfied with the plan and the personal budget is no longer enough.\n"
    ) in text
    assert "not included in this copy" not in text
