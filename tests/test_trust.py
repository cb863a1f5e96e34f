"""Issue 11 "Records that can be trusted": each finding rebuilt from its description.

Each case is built from the spec's example review (not from a sample file) with only the
findings the issue describes, rendered, and read back as its reader would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, ROOT, with_changes
from reviewdocs.cli import main
from reviewdocs.decision import decide, explain, warnings_for
from reviewdocs.documents import render_document
from reviewdocs.errors import InputError
from reviewdocs.intake.schemas import validate_review

PRODUCED = dt.date(2026, 11, 20)
CARE_EXAMPLE = ROOT / "tests" / "data" / "example-care-and-support-full.json"


def carer_raw(**changes: Any) -> dict[str, Any]:
    """The spec's carer review (Maria, light touch, telephone, in work), as a full review
    unless changed, with dotted changes."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["review"]["review_type"] = "full"
    raw["decision"] = {"wellbeing_impact": "Maria keeps her weekly break."}
    return with_changes(raw, **changes)


def care_raw(**changes: Any) -> dict[str, Any]:
    raw = json.loads(CARE_EXAMPLE.read_text(encoding="utf-8"))
    return with_changes(raw, **changes)


def text_of(raw: dict[str, Any], document: str, variant: str = "standard", **kw: Any) -> str:
    review = validate_review(raw)
    decision = decide(review)
    data = render_document(
        review, decision, document, variant=variant, produced=PRODUCED, **kw
    ).data
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


# --------------------------------------------------------------------------- reasons


def test_a_budget_that_is_not_enough_is_the_reason_not_changed_needs() -> None:
    """Samples 10 and 12: outcome 3 came from the budget alone, yet the record said "because
    needs or circumstances have changed" beside "Have needs changed? No"."""
    raw = carer_raw(findings__budget__sufficient=False)
    record = text_of(raw, "review_record")
    assert "Have Maria's needs changed? No" in record
    assert "because needs or circumstances have changed" not in record
    assert (
        "The support plan and the personal budget need to change, because the personal budget "
        "is no longer enough." in record
    )


def test_a_reassessment_does_not_claim_the_budget_must_change() -> None:
    """Sample 03 (Julie): "the personal budget need to change" beside "Is the personal budget
    still enough? Yes"; 003's example calls it "a proportionate reassessment to establish
    what has changed"."""
    raw = carer_raw(
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        findings__needs__evidence="Her brother's account and the GP's letter.",
    )
    record = text_of(raw, "review_record")
    assert "Is the personal budget still enough to meet Maria's needs and outcomes? Yes" in record
    assert "personal budget need to change" not in record
    assert (
        "A proportionate reassessment of Maria's needs will establish what has changed, and "
        "what support and personal budget are needed." in record
    )


def test_a_reassessment_for_circumstances_and_budget_does_not_say_needs_changed() -> None:
    """ "A reassessment letter says 'because your needs have changed' when the trigger was
    circumstances and budget" (004 "a change in need or circumstance, and ... a change in
    the personal budget amount")."""
    raw = carer_raw(findings__needs__circumstances_changed=True, findings__budget__sufficient=False)
    letter = text_of(raw, "outcome_letter")
    assert "your needs have changed" not in letter
    assert (
        "Because your circumstances have changed and the personal budget is no longer enough, "
        "we will reassess your needs." in letter
    )


# --------------------------------------------------------------------------- provisional states

PAUSED = {
    "findings__safeguarding": {
        "concern": True,
        "concern_about_subject": True,
        "action_taken": "Raised with the Safeguarding Adults Team.",
        "review_option": "pause",
    },
    "findings__risk__managed": False,
}


def test_a_paused_review_has_no_final_outcome_and_no_next_review_date() -> None:
    """Sample 07: the record said the review is paused, yet its next steps said a decision
    "will be made" about pausing, and it printed a final outcome and a next review date."""
    raw = carer_raw(**PAUSED)
    decision = decide(validate_review(raw))
    assert decision["next_review_by"] is None
    assert any("The review is paused" in w for w in decision["warnings"])
    record = text_of(raw, "review_record")
    assert "There is no final outcome yet." in record
    assert "Still to be decided:" in record
    assert "will be made" not in record
    assert "Some parts of the support plan need to change" not in record
    assert "The next review will take place by" not in record
    assert (
        "The review is paused while the safeguarding process takes place, as decided with the "
        "person leading it and with Maria." in record
    )
    letter = text_of(raw, "outcome_letter")
    assert "There is no final outcome yet." in letter
    assert "safeguarding" not in letter.lower()  # 000: the letter may be opened by the harmer
    assert "The review is paused for now" in letter
    assert "Why we decided this" not in letter
    assert "This letter tells you where the review stands and what happens next." in letter
    assert "This letter tells you the outcome" not in letter


def test_an_advocate_not_yet_in_place_leaves_the_plan_changes_undecided() -> None:
    """Sample 09 and 004 "you must not proceed to carry out any Care and Support process
    until it is in place": the plan changes were announced as decided."""
    raw = care_raw(
        subject__substantial_difficulty=True,
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
    )
    raw.pop("advocate", None)
    raw["participants"] = [p for p in raw["participants"] if p["role"] != "advocate"]
    decision = decide(validate_review(raw))
    assert "advocacy_referral" in decision["actions"]
    assert decision["next_review_by"] is None
    letter = text_of(raw, "outcome_letter")
    assert "There is no final outcome yet." in letter
    assert "we are referring for an independent advocate" in letter.lower()
    assert "Once an independent advocate is in place: we will reassess" in letter
    easy = text_of(raw, "outcome_letter", "easy_read")
    assert "We have not decided yet." in easy


def test_a_manager_decision_pending_is_provisional() -> None:
    """003 "If you remain unclear about outcome you should seek advice from your line
    manager"."""
    raw = carer_raw(decision__manager_advice_pending=True)
    decision = decide(validate_review(raw))
    assert decision["next_review_by"] is None
    assert any("line manager's advice" in w for w in decision["warnings"])
    record = text_of(raw, "review_record")
    assert "asking their line manager for advice about the outcome" in record
    assert "No changes are needed to the support plan" not in record


def test_an_escalated_light_touch_review_gets_no_12_month_date() -> None:
    """ "An escalated or paused review still gets a 12-month next review"."""
    raw = carer_raw(review__review_type="light_touch", findings__plan__working=False)
    decision = decide(validate_review(raw))
    assert decision["escalate_to_full_review"] is True
    assert decision["next_review_by"] is None
    letter = text_of(raw, "outcome_letter")
    assert "A full review will be carried out, because" in letter
    assert "November 2027" not in letter


# --------------------------------------------------------------------------- dates


def test_the_6_8_week_review_counts_from_when_the_change_starts() -> None:
    """Sample 05: John's change starts on 30 November; 002 "within 6-8 weeks of the
    service/change commencing"."""
    raw = care_raw(
        review__review_type="full",
        findings__needs__changed=False,
        findings__needs__circumstances_changed=True,
        findings__budget__sufficient=True,
        decision={"change_starts": "2026-11-30"},
    )
    decision = decide(validate_review(raw))
    assert decision["outcome"] == "plan_change"
    assert decision["next_review_by"] == "2027-01-25"  # 30 November + 8 weeks
    assert not any("No start date" in w for w in decision["warnings"])


def test_a_change_cannot_start_before_the_review() -> None:
    raw = care_raw(decision={"change_starts": "2026-01-01"})
    with pytest.raises(InputError, match=r"decision\.change_starts: Is before the review date"):
        validate_review(raw)


def test_a_record_written_long_after_the_review_is_warned_about(tmp_path: Path) -> None:
    """Sample 13 and 003 "Reviews should be recorded in a timely way"."""
    raw = carer_raw()
    review = validate_review(raw)
    late = warnings_for(review, decide(review), dt.date(2027, 3, 1))
    assert any("109 days after the review" in w for w in late)
    assert warnings_for(review, decide(review), dt.date(2026, 11, 20)) == decide(review)["warnings"]
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(path), "--out", str(tmp_path / "out"), "--date", "2027-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: The record is dated 1 March 2027, 109 days after the review" in result.stderr
    assert "Warning" not in result.stdout


def test_render_prints_the_decisions_warnings(tmp_path: Path) -> None:
    """Provisional states are first-class: `render` prints the decision's warnings."""
    raw = carer_raw(**PAUSED)
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(path), "--out", str(tmp_path / "out"), "--date", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: The review is paused while a safeguarding enquiry takes place" in (
        result.stderr
    )


# --------------------------------------------------------------------------- findings reach it


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"findings__budget__management_working": False}, "the way the personal budget is managed"),
        ({"findings__risk__new_risks": ["Falls on the stairs"]}, "there are new risks"),
    ],
    ids=["budget-management-failing", "new-risk"],
)
def test_light_touch_findings_that_lead_to_a_full_review(
    changes: dict[str, Any], reason: str
) -> None:
    """000 "A light touch review should only be carried out when ... The method of managing
    the personal budget is working" and "Risks to the carer are unchanged"."""
    review = validate_review(carer_raw(review__review_type="light_touch", **changes))
    decision = decide(review)
    assert decision["escalate_to_full_review"] is True
    assert reason in dict(explain(review, decision))["escalate_to_full_review"]


def test_a_disagreement_needs_a_written_rationale(tmp_path: Path) -> None:
    """003 "This is appropriate as long as you have a clear rationale for your decision"."""
    raw = carer_raw(findings__views__others_agree=False)
    path = tmp_path / "review.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "decision.rationale: Required because the person or someone else involved" in (
        result.output
    )


# --------------------------------------------------------------------------- required items


def test_always_recorded_items_are_never_silently_empty() -> None:
    """003 items 2-5: the evidence, the carer's views, work/education/training/recreation."""
    raw = carer_raw(
        findings__needs__evidence="",
        findings__views__subject=None,
        findings__outcomes__work_education_training_recreation="",
    )
    review = validate_review(raw)
    warnings = decide(review)["warnings"]
    for path in (
        "findings.needs.evidence",
        "findings.views.subject",
        "findings.outcomes.work_education_training_recreation",
    ):
        assert any(w.startswith(f"Not recorded: {path}") for w in warnings), path
    record = text_of(raw, "review_record")
    assert "Evidence used: Not recorded." in record
    assert "What Maria told us: Not recorded." in record
    assert "Work, education, training and recreation: Not recorded." in record
    assert "Is the plan managing risk to Maria and to" in record


def test_steps_agreed_list_more_than_the_problems() -> None:
    """003 where relevant 2 "what steps have been agreed to resolve any issues"."""
    raw = carer_raw(findings__plan__working=False, findings__plan__issues=["Late visits"])
    record = text_of(raw, "review_record")
    assert "What is not working: Some support is not working as intended.\nLate visits" in record
    assert "Agreed: Not recorded." in record
    assert any(
        w.startswith("Not recorded: narrative.resolution_steps")
        for w in decide(validate_review(raw))["warnings"]
    )
    raw["narrative"]["resolution_steps"] = "The agency moves the visit to 9am."
    record = text_of(raw, "review_record")
    assert "Agreed: Not recorded." not in record
    assert "The agency moves the visit to 9am." in record


def test_the_effect_on_wellbeing_is_stated_or_said_to_be_missing() -> None:
    """003 "you must give regard to ... The impact of the outcome on the carer's Wellbeing"."""
    record = text_of(carer_raw(), "review_record")
    assert "The effect on Maria's wellbeing: Maria keeps her weekly break." in record
    raw = carer_raw()
    raw["decision"] = {}
    record = text_of(raw, "review_record")
    assert "The effect on Maria's wellbeing: Not recorded." in record


def test_information_given_includes_carers_leave() -> None:
    """003 item 10 "What information and advice has been given", with 000's carer's leave."""
    record = text_of(carer_raw(), "review_record")
    assert "Also given in writing with this review: The right to unpaid carer's leave" in record


def test_a_letter_never_has_an_empty_what_happens_next() -> None:
    raw = carer_raw(subject__in_work=False, review__method="face_to_face")
    raw["subject"]["preferred_format"] = "standard"
    raw["subject"]["communication_needs"] = ""
    raw["findings"]["information_and_advice"] = []
    raw["findings"]["budget"]["direct_payment"] = False
    letter = text_of(raw, "outcome_letter")
    assert "What happens next\nNothing else needs to happen now" in letter


# --------------------------------------------------------------------------- letter voice

RELATIVES_REQUEST = {
    "requested_by": "Graham Marsh",
    "date": dt.date(2026, 11, 25),
    "sections": {"plan_elements": "Julie now helps at night."},
    "reason": "Missing information.",
    "evidence": "GP letter.",
    "decision": "accept",
    "decision_reason": "The GP letter confirms it.",
}


def test_a_relatives_request_is_not_your_request_and_consultation_is_not_invented() -> None:
    """003 "If the carer whose review it is has not made the request, consult with them":
    stated only when it happened."""
    extras = {"previous": {"version": 1, "produced": PRODUCED}, "version": 2}
    letter = text_of(
        carer_raw(), "amendment_decision_letter", amendment=RELATIVES_REQUEST, **extras
    )
    assert "A request from Graham Marsh to change the review record: agreed" in letter
    assert "Your request" not in letter
    assert "we asked for" not in letter
    consulted = {**RELATIVES_REQUEST, "subject_consulted": True}
    letter = text_of(carer_raw(), "amendment_decision_letter", amendment=consulted, **extras)
    assert "As the request was not made by you, we asked for your views before deciding." in letter


def test_a_combined_review_is_not_offered_after_it_took_place() -> None:
    raw = care_raw(review__method="combined")
    assert raw.get("carer")
    letter = text_of(raw, "outcome_letter")
    assert "offer" not in letter.lower()


@pytest.mark.parametrize("document", ["outcome_letter", "review_record"])
def test_easy_read_copies_say_how_to_ask_for_a_correction(document: str) -> None:
    easy = text_of(carer_raw(), document, "easy_read")
    assert "Something wrong?\nIs something wrong or missing?" in easy
    assert "We can change the record." in easy


def test_a_plan_not_meeting_unchanged_needs_must_change_and_escalates() -> None:
    """000 "A light touch review should only be carried out when ... The Support Plan is
    meeting eligible needs"; 001 "When needs are not adequately being met by the support in
    place"."""
    review = validate_review(carer_raw(findings__needs__met_by_current_plan=False))
    assert decide(review)["outcome"] == "plan_change"
    light = validate_review(
        carer_raw(review__review_type="light_touch", findings__needs__met_by_current_plan=False)
    )
    reasons = dict(explain(light, decide(light)))["escalate_to_full_review"]
    assert "the plan is not meeting eligible needs" in reasons


def test_risk_not_managed_asks_about_a_formal_risk_assessment() -> None:
    """001 "Depending on the level of risk a formal risk assessment may need to be carried
    out as part of the review process"."""
    warnings = decide(validate_review(carer_raw(findings__risk__managed=False)))["warnings"]
    assert any("consider whether a formal risk assessment is needed" in w for w in warnings)
    assert not any("formal risk" in w for w in decide(validate_review(carer_raw()))["warnings"])


def test_a_combined_review_asks_for_both_peoples_agreement() -> None:
    """002 "Both the person and the carer agree to a combined review process and the sharing
    of information"."""
    warnings = decide(validate_review(care_raw(review__method="combined")))["warnings"]
    assert any(w.startswith("Not recorded: review.combined_agreement.") for w in warnings)
    agreed = care_raw(review__method="combined", review__combined_agreement="both_agreed")
    assert not any("combined" in w for w in decide(validate_review(agreed))["warnings"])


def test_steps_wait_for_the_reassessment_rather_than_go_missing() -> None:
    """000 "If the review confirms that a change in need has occurred a reassessment of need
    will be required": the steps are agreed through it."""
    raw = carer_raw(
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        findings__needs__evidence="GP letter.",
        findings__outcomes__achieved="partly",
    )
    record = text_of(raw, "review_record")
    assert "Agreed: To be agreed through the reassessment of needs." in record
    warnings = decide(validate_review(raw))["warnings"]
    assert not any(w.startswith("Not recorded: narrative.outcome_support_steps") for w in warnings)
    # What changed is still the practitioner's to record (003 where relevant 1).
    assert any(
        w.startswith("Not recorded: narrative.changes_and_wellbeing_impact") for w in warnings
    )


def test_a_short_term_change_says_what_to_do_if_it_lasts() -> None:
    """000 "ensure that the carer knows what action to take should the short term needs
    become more long term or the Support Plan no longer meets the needs"."""
    raw = carer_raw(
        findings__needs__changed=True,
        findings__needs__short_term=True,
        findings__needs__evidence="Hospital discharge letter.",
        decision__monitoring_review_by="2026-12-10",
    )
    letter = text_of(raw, "outcome_letter")
    assert (
        "If it lasts longer, or the plan stops meeting needs, please contact us straight away."
        in letter
    )


def test_the_financial_assessment_notice_says_what_it_decides() -> None:
    """002 "You should explain that the outcome of this will determine whether there will be
    any changes to their current financial contribution"."""
    letter = text_of(carer_raw(findings__plan__working=False), "outcome_letter")
    assert (
        "The outcome of the financial assessment will decide whether there will be any change "
        "to your current financial contribution." in letter
    )


def test_the_information_follow_up_has_a_date_and_who() -> None:
    """004 "The timescales for this follow up should reflect the individual circumstances"
    and "you must make sure that you have recorded this in a way that will ensure the person
    follows up on it at the agreed time"."""
    raw = carer_raw()
    assert any(
        w.startswith("Not recorded: decision.information_follow_up_by")
        for w in decide(validate_review(raw))["warnings"]
    )
    raw["decision"].update(
        information_follow_up_by="2026-12-10", information_follow_up_who="The carers' centre"
    )
    assert not any(
        "information_follow_up_by" in w for w in decide(validate_review(raw))["warnings"]
    )
    record = text_of(raw, "review_record")
    assert (
        "We will follow up the information and advice given at the review, to check it helped, "
        "by 10 December 2026 (The carers' centre will do this)." in record
    )


def test_a_carers_changed_needs_record_the_effect_on_the_cared_for_person() -> None:
    """000 "What the impact of the changes are on the cared for person's Wellbeing"."""
    raw = carer_raw(
        findings__needs__changed=True,
        findings__needs__short_term=True,
        findings__needs__evidence="GP letter.",
    )
    cared_for = raw["cared_for"]["name"]
    assert f"Effect on {cared_for}'s wellbeing: Not recorded." in text_of(raw, "review_record")
    assert any(
        w.startswith("Not recorded: findings.needs.cared_for_wellbeing")
        for w in decide(validate_review(raw))["warnings"]
    )
    raw["findings"]["needs"]["cared_for_wellbeing"] = "He is anxious when Maria is tired."
    record = text_of(raw, "review_record")
    assert f"Effect on {cared_for}'s wellbeing: He is anxious when Maria is tired." in record


def test_a_review_without_the_person_does_not_say_they_took_part() -> None:
    """002 "If the person continues to disengage you should proceed to carry out a review
    based upon the information available"."""
    raw = carer_raw(review__subject_took_part=False, participants=[])
    record = text_of(raw, "review_record")
    assert "Maria did not take part: " in record
    assert "took part in the review. No one else" not in record


def test_what_changed_and_the_conversations_about_a_difference_are_never_silently_empty() -> None:
    """003 where relevant 1 "what the changes are" and 003 "Make proportionate records of any
    conversations you have had to try and resolve the differences"."""
    raw = carer_raw(
        findings__needs__circumstances_changed=True,
        findings__views__others_agree=False,
        decision__rationale="The evidence supports it.",
    )
    record = text_of(raw, "review_record")
    assert "What has changed: Not recorded." in record
    assert "Conversations to resolve the difference: Not recorded." in record
    raw["narrative"].update(
        changes_and_wellbeing_impact="New shifts at work.",
        difference_of_views="Talked it through with her son on 14 November.",
    )
    record = text_of(raw, "review_record")
    assert "What has changed: Not recorded." not in record
    assert "Conversations to resolve the difference: Not recorded." not in record
    assert "Talked it through with her son on 14 November." in record


def test_a_participant_without_consent_is_warned_about() -> None:
    """002 "you are only permitted to consult with those people that the person has consented
    to you consulting with (unless they lack capacity to provide consent)"."""
    raw = carer_raw(participants=[{"name": "Tom Hill", "role": "family", "consented": False}])
    warnings = decide(validate_review(raw))["warnings"]
    assert any(
        w.startswith("Tom Hill is recorded as taking part without the person's consent")
        for w in warnings
    )


def test_a_planned_review_needing_an_advocate_says_one_is_arranged_first(tmp_path: Path) -> None:
    """002 "As soon as this is established you must consider whether the duty to make
    independent advocacy applies and, if so make the necessary arrangements"."""
    raw = carer_raw(subject__substantial_difficulty=True, review__stage="planned")
    for key in ("findings", "narrative", "decision"):
        raw.pop(key, None)
    review = validate_review(raw)
    data = render_document(review, None, "review_information_letter", produced=PRODUCED).data
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "we are arranging an independent advocate" in letter
    assert "The review will not go ahead until the advocate is in place." in letter
    path = tmp_path / "planned.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Warning: An independent advocate must be arranged before the review" in result.stderr


def test_the_cared_for_persons_risk_can_be_recorded_apart() -> None:
    """003 item 5 "Whether the plan is effectively reducing risk to the carer and the cared
    for person"; 001 "reducing any identified risk to the carer or the cared for person"."""
    raw = carer_raw(findings__risk__cared_for_managed=False)
    cared_for = raw["cared_for"]["name"]
    decision = decide(validate_review(raw))
    assert decision["outcome"] == "plan_change"
    assert "risk_changes" in decision["required_sections"]
    record = text_of(raw, "review_record")
    assert "Is the plan managing risk to Maria well? Yes" in record
    assert f"Is the plan managing risk to {cared_for} well? No" in record
    with pytest.raises(InputError, match="Only for a carer_support_plan"):
        validate_review(care_raw(findings__risk__cared_for_managed=True))


def test_a_delay_gives_the_date_of_the_next_contact() -> None:
    """002 "Agree a proposed timeframe for the review to be carried out and further contact
    to be made"."""
    raw = carer_raw(
        review__stage="planned",
        review__delay={"reason": "No interpreter yet.", "agreed_timeframe": "Within 6 weeks"},
    )
    for key in ("findings", "narrative", "decision"):
        raw.pop(key, None)
    with pytest.raises(InputError, match=r"review\.delay\.next_contact_by: Required"):
        validate_review(raw)


def test_an_amendment_without_evidence_is_refused() -> None:
    """003 "Review any evidence or information you have which may support or refute the
    request": the amendment must say what the decision rested on."""
    from reviewdocs.disclosure.versions import validate_amendment

    bare = {key: value for key, value in RELATIVES_REQUEST.items() if key != "evidence"}
    bare["date"] = "2026-11-25"
    with pytest.raises(InputError, match="evidence: Missing data for required field"):
        validate_amendment(bare)


def test_a_paused_review_does_not_start_a_reassessment_meanwhile() -> None:
    """000 "The review is paused with no on-going intervention by the person carrying out the
    review whilst a safeguarding process takes place"."""
    raw = carer_raw(
        **PAUSED,
        findings__needs__changed=True,
        findings__needs__met_by_current_plan=False,
        findings__needs__evidence="GP letter.",
    )
    record = text_of(raw, "review_record")
    assert "When the review resumes: we will reassess Maria's needs" in record
    assert "\nWe will reassess" not in record


def test_a_concern_about_capacity_needs_a_face_to_face_review() -> None:
    """002 "Whether there is a concern about the person's capacity in relation to a
    particular decision to be made. In this situation the Care Act requires you must carry
    out a face to face review"."""
    raw = care_raw(subject__capacity_concern=True, review__method="telephone")
    with pytest.raises(InputError, match="concern about the person's capacity, so the review"):
        validate_review(raw)
    validate_review(care_raw(subject__capacity_concern=True, review__method="face_to_face"))
