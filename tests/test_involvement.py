"""Who had to agree to, take part in, or be offered a part in the review (issue 11, the
checklist's last PARTIAL and MISSING rows), rebuilt from the procedures' words and read
back as a practitioner would see them: the warning, the record, the letter.

- 002 "Both the person and the carer agree to a combined review process and the sharing of
  information; or ... lacks capacity to agree but a best interest decision is made".
- 002 "The person has a carer (carer's must be involved in the person's review)".
- 002 "The indicative timeframe for review (when will it begin and how long is it likely
  to take)".
- 004 "If a person decides that they do not wish to engage in the advocacy support that has
  been made available to them they do not have to do so, but the Local Authority must still
  provide it."
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from conftest import ROOT, SAMPLES, with_changes
from reviewdocs.decision import decide, document_warnings
from reviewdocs.documents import render_document
from reviewdocs.errors import InputError
from reviewdocs.intake.form import field_values, form_bytes, read_form_bytes
from reviewdocs.intake.form._layout import Kind, all_fields
from reviewdocs.intake.schemas import validate_review

PRODUCED = dt.date(2026, 11, 20)
CARE = ROOT / "tests" / "data" / "example-care-and-support-full.json"
PLANNED = SAMPLES / "11-planned-information-letter-delay.json"


def care(**changes: Any) -> dict[str, Any]:
    return with_changes(json.loads(CARE.read_text(encoding="utf-8")), **changes)


def text_of(raw: dict[str, Any], document: str, variant: str = "standard") -> str:
    review = validate_review(raw)
    decision = None if review["review"]["stage"] == "planned" else decide(review)
    data = render_document(review, decision, document, variant=variant, produced=PRODUCED).data
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def problems(raw: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InputError) as err:
        validate_review(raw)
    return err.value.errors


def warnings(raw: dict[str, Any]) -> list[str]:
    return decide(validate_review(raw))["warnings"]


# --- 002 combined review: both agreed, or a best interests decision ---------------------


def test_a_combined_review_without_the_agreement_recorded_warns_and_the_record_says_so() -> None:
    raw = care(review__method="combined")
    assert (
        "Not recorded: review.combined_agreement. A combined review needs both people's "
        "agreement to it and to sharing information, or a best interests decision "
        '(002 "Both the person and the carer agree to a combined review process and the '
        'sharing of information"). The record says it was not recorded.'
    ) in warnings(raw)
    assert (
        "Not recorded: whether both people agreed to a combined review and to sharing "
        "information, or a best interests decision was made."
    ) in text_of(raw, "review_record")


def test_a_combined_review_both_people_agreed_to_is_recorded_without_a_warning() -> None:
    raw = care(review__method="combined", review__combined_agreement="both_agreed")
    assert not any("combined" in w for w in warnings(raw))
    assert (
        "Both people agreed to a combined review and to their information being shared "
        "between the two reviews."
    ) in text_of(raw, "review_record")


def test_a_best_interests_decision_is_recorded_and_checked_against_capacity() -> None:
    raw = care(review__method="combined", review__combined_agreement="best_interests_decision")
    record = text_of(raw, "review_record")
    assert "A best interests decision was made to carry out a combined review." in record
    # Nobody in this record lacks capacity: the practitioner checks the other person does.
    assert any(w.startswith("A best interests decision to combine") for w in warnings(raw))
    lacking = with_changes(raw, subject__has_capacity=False)
    assert not any(w.startswith("A best interests decision") for w in warnings(lacking))


def test_an_agreement_to_combine_only_for_a_combined_review() -> None:
    assert problems(care(review__combined_agreement="both_agreed")) == {
        "review.combined_agreement": ["Only when review.method is combined."]
    }


def test_the_combined_sample_records_both_peoples_agreement() -> None:
    raw = json.loads((SAMPLES / "04-ahmed-combined-review-disagreement.json").read_text("utf-8"))
    record = text_of(raw, "review_record")
    assert "Both people agreed to a combined review" in record
    assert "Nasreen Rahman, Ahmed's carer, took part in the review." in record


# --- 002 the person's carer must be involved --------------------------------------------


@pytest.mark.parametrize(
    ("involvement", "said"),
    [
        ("took_part", "Daniel Ó Briain, Zoë's carer, took part in the review."),
        ("consulted_separately", "Daniel Ó Briain, Zoë's carer, was consulted separately."),
        ("not_involved", "Daniel Ó Briain, Zoë's carer, was not involved in the review."),
        (
            None,
            "Not recorded: whether Daniel Ó Briain, Zoë's carer, took part in the review or "
            "was consulted.",
        ),
    ],
)
def test_the_record_says_how_the_carer_was_involved(involvement: str | None, said: str) -> None:
    raw = care()
    if involvement is None:
        del raw["carer"]["involvement"]
    else:
        raw["carer"]["involvement"] = involvement
    assert said in text_of(raw, "review_record")


def test_a_carer_not_involved_or_not_recorded_is_warned_about() -> None:
    raw = care(carer__involvement="not_involved")
    assert (
        "Daniel Ó Briain (carer) was not involved in the review: 002 \"carer's must be "
        "involved in the person's review\". Consult them before the outcome is final, or "
        "record why not in the rationale."
    ) in warnings(raw)
    del raw["carer"]["involvement"]
    assert any(w.startswith("Not recorded: carer.involvement. Daniel") for w in warnings(raw))
    for answer in ("took_part", "consulted_separately"):
        said = warnings(care(carer__involvement=answer))
        assert not any("carer.involvement" in w or "(carer)" in w for w in said)


def test_a_carer_involvement_answer_is_one_of_the_codes() -> None:
    assert "carer.involvement" in problems(care(carer__involvement="yes"))


# --- 002 the indicative timeframe: when the review will begin ---------------------------


def planned(**changes: Any) -> dict[str, Any]:
    raw = json.loads(PLANNED.read_text(encoding="utf-8"))
    raw["review"].pop("delay", None)
    raw["review"].pop("date", None)
    return with_changes(raw, **changes)


def test_a_planned_review_without_a_date_gives_its_indicative_start() -> None:
    raw = planned(review__expected_start="2027-01-11")
    letter = text_of(raw, "review_information_letter")
    assert "We expect the review to begin around 11 January 2027." in letter
    assert "Not recorded: review.date" not in " ".join(
        document_warnings(validate_review(raw), PRODUCED)
    )
    easy = text_of(raw, "review_information_letter", "easy_read")
    assert "review will start around 11 January 2027." in easy


def test_a_planned_review_with_neither_date_nor_start_is_warned_about() -> None:
    raw = planned()
    assert (
        "Not recorded: review.date or review.expected_start. The information letter cannot "
        'say when the review will begin (002 "The indicative timeframe for review (when will '
        'it begin and how long is it likely to take)").'
    ) in document_warnings(validate_review(raw), PRODUCED)


def test_the_review_date_wins_over_the_indicative_start() -> None:
    raw = planned(review__expected_start="2027-01-11", review__date="2027-01-20")
    letter = text_of(raw, "review_information_letter")
    assert "The review is planned for 20 January 2027." in letter
    assert "11 January 2027" not in letter


# --- 004 an advocate made available and declined ----------------------------------------


def declined(**changes: Any) -> dict[str, Any]:
    raw = care(**changes)
    del raw["advocate"]
    raw["subject"]["advocacy_declined"] = True
    return raw


WAITING = "are referring for an independent advocate"


def test_without_the_answer_the_advocate_is_asked_for_and_the_review_waits() -> None:
    raw = care()
    del raw["advocate"]
    decision = decide(validate_review(raw))
    assert "advocacy_referral" in decision["actions"]
    assert WAITING in text_of(raw, "review_record")


def test_an_advocate_declined_is_not_asked_for_again_and_the_review_goes_ahead() -> None:
    raw = declined()
    decision = decide(validate_review(raw))
    assert "advocacy_referral" not in decision["actions"]
    assert "inform_advocate" not in decision["actions"]
    assert not any("advocate" in w for w in decision["warnings"])
    record = text_of(raw, "review_record")
    assert WAITING not in record
    assert "Once an independent advocate is in place" not in record
    assert (
        "An independent advocate was made available to Zoë, and Zoë decided not to "
        "use advocacy. The council still provides it: Zoë can ask for an advocate at any "
        "time."
    ) in record


def test_the_information_letter_says_advocacy_is_still_provided() -> None:
    raw = planned(review__expected_start="2027-01-11", subject__advocacy_declined=True)
    raw["subject"]["substantial_difficulty"] = True
    letter = text_of(raw, "review_information_letter")
    assert (
        "An independent advocate was made available to you, and you decided not to use one. "
        "The council still provides advocacy: if you would like an advocate at any time, "
        "please tell us and we will arrange one. Advocacy is free."
    ) in letter
    assert "we are arranging an independent advocate" not in letter
    assert document_warnings(validate_review(raw), PRODUCED) == []
    easy = text_of(raw, "review_information_letter", "easy_read")
    assert "You can still have one. Just tell us." in easy


def test_a_person_lacking_capacity_is_not_recorded_as_declining() -> None:
    raw = declined(subject__has_capacity=False)
    assert problems(raw)["subject.advocacy_declined"] == [
        "The person is recorded as lacking capacity: an advocate must still be arranged for "
        'them (004 "Advocacy for people who lack Capacity"). Leave this blank.'
    ]


def test_a_declined_advocate_is_not_named_as_the_persons_advocate() -> None:
    raw = care(subject__advocacy_declined=True)
    assert problems(raw)["subject.advocacy_declined"] == [
        "An advocate is named or took part: remove them, or leave this blank. A person who "
        "declined advocacy has no advocate to write to."
    ]


# --- the form asks each of them ---------------------------------------------------------


def test_the_form_carries_the_new_answers_back() -> None:
    raw = declined(review__method="combined", review__combined_agreement="both_agreed")
    raw["carer"]["involvement"] = "consulted_separately"
    raw["review"]["expected_start"] = "2026-11-02"
    layout = all_fields()
    values: dict[str, Any] = {}
    for name, value in field_values(raw).items():
        kind = layout[name].kind
        if kind is Kind.TICK:
            values[name] = "/Yes" if value else "/Off"
        else:
            values[name] = f"/{value}" if kind in (Kind.BOOL, Kind.RADIO) else value
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form_bytes("care_and_support_plan"))))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    again = validate_review(read_form_bytes(out.getvalue()))
    assert again["review"]["combined_agreement"] == "both_agreed"
    assert again["review"]["expected_start"] == dt.date(2026, 11, 2)
    assert again["carer"]["involvement"] == "consulted_separately"
    assert again["subject"]["advocacy_declined"] is True


# --- 000 the impact of a change in need on support and on risk --------------------------


def test_a_carers_changed_needs_record_their_effect_on_support_and_risk() -> None:
    """000 "If there has been a change in need you should explore: ... What the impact of the
    changes are on support; and ... The impact of the changes on risk (to the carer, the cared
    for person and the plan)"."""
    raw = json.loads((ROOT / "tests" / "data" / "example-carer-light-touch.json").read_text())
    raw["review"]["review_type"] = "full"
    raw["findings"]["needs"].update(changed=True, short_term=True, evidence="GP letter.")
    cared_for = raw["cared_for"]["name"]
    label = f"Effect on the support, and on risk to Maria, {cared_for} and the plan:"
    assert f"{label} Not recorded." in text_of(raw, "review_record")
    assert any(
        w.startswith("Not recorded: findings.needs.impact_on_support_and_risk")
        for w in warnings(raw)
    )
    raw["findings"]["needs"]["impact_on_support_and_risk"] = (
        "Maria can no longer give the evening support; Tom is at risk of falls after 6pm."
    )
    record = text_of(raw, "review_record")
    assert f"{label} Maria can no longer give the evening support;" in record
    assert not any("impact_on_support_and_risk" in w for w in warnings(raw))
    # Unchanged needs ask nothing of it.
    raw["findings"]["needs"]["changed"] = False
    assert "Effect on the support" not in text_of(raw, "review_record")


def test_a_planned_combined_review_asks_for_the_agreement_before_it_takes_place() -> None:
    raw = planned(review__expected_start="2027-01-11", review__method="combined")
    assert document_warnings(validate_review(raw), PRODUCED) == [
        "Not recorded: review.combined_agreement. Before a combined review, both people agree "
        'to it and to sharing information, or a best interests decision is made (002 "Both '
        "the person and the carer agree to a combined review process and the sharing of "
        'information").'
    ]
    raw["review"]["combined_agreement"] = "both_agreed"
    assert document_warnings(validate_review(raw), PRODUCED) == []


def test_a_partial_copy_without_the_carers_name_still_says_how_they_took_part() -> None:
    from reviewdocs.disclosure.redaction import redact

    review = validate_review(care())
    copy = redact(review, (), ["carer.name"])
    data = render_document(
        copy, decide(review), "review_record", produced=PRODUCED, withheld=True
    ).data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Zoë's carer took part in the review." in text
    assert "Daniel" not in text
