"""Cases built from the procedures' own sentences, run through the command line.

Each test quotes the sentence it comes from (``000`` ... ``004`` are the files in
../shared/procedures/). The input is the spec's example (a carer's light touch
review) changed only where the sentence needs it, and in standard print so that
no test waits for LibreOffice.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from reviewdocs.cli import main

EXAMPLE = Path(__file__).resolve().parent / "data" / "example-carer-light-touch.json"
REVIEW_DATE = dt.date(2026, 11, 12)


def case(**changes: Any) -> dict[str, Any]:
    """The example in standard print, face to face, with dotted-path changes (``a__b=1``)."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["subject"]["preferred_format"] = "standard"
    raw["subject"]["communication_needs"] = ""
    raw["review"]["method"] = "face_to_face"
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        node = raw
        for part in parents:
            node = node[part]
        if value is DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = copy.deepcopy(value)
    return raw


DELETE = object()


def _write(tmp_path: Path, raw: dict[str, Any], name: str = "review.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def decide(tmp_path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    result = run("decide", "--json", str(_write(tmp_path, raw)))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def render(tmp_path: Path, raw: dict[str, Any], *docs: str) -> list[str]:
    out = tmp_path / "out"
    args = ["render", str(_write(tmp_path, raw)), "--out", str(out), "--format", "docx"]
    args += ["--date", "2026-11-13"]
    for doc in docs:
        args += ["--doc", doc]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return sorted(p.name for p in (out / raw["review"]["id"]).iterdir())


def share(tmp_path: Path, raw: dict[str, Any]) -> tuple[str, list[str]]:
    out = tmp_path / "shared"
    result = run("share", str(_write(tmp_path, raw)), "--out", str(out), "--date", "2026-11-13")
    assert result.exit_code == 0, result.output
    return result.output, sorted(p.name for p in (out / raw["review"]["id"]).iterdir())


def text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [c.text for row in table.rows for c in row.cells]
    return "\n".join(lines)


def recipient(rid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid.replace("-", " ").title(),
        "kind": kind,
        "involved_in_review": True,
        "responsible_for_support": kind == "provider",
        "address": ["1 High Street", "Exampleton EX1 2AB"],
        "email": f"{rid}@example.org",
        "risk_concern": False,
        **extra,
    }


# --- outcomes and reassessment ----------------------------------------------------------


def test_a_change_in_need_means_a_reassessment_and_no_review_date_yet(tmp_path: Path) -> None:
    """000: "If there has been a change in need the outcome of the review must be to carry
    out a proportionate reassessment"."""
    raw = case(
        review__review_type="full",
        findings__needs__changed=True,
        findings__needs__short_term=False,
        findings__needs__met_by_current_plan=False,
    )
    decision = decide(tmp_path, raw)
    assert decision["reassessment_required"] is True
    assert "proportionate_reassessment" in decision["actions"]
    assert (decision["outcome"], decision["outcome_number"]) == ("plan_and_budget_change", 3)
    assert decision["next_review_by"] is None
    assert any("reassessment" in w for w in decision["warnings"])
    assert "changes_and_wellbeing_impact" in decision["required_sections"]
    assert "urgent_interim_support" in decision["required_sections"]


def test_a_short_term_change_the_plan_meets_needs_monitoring_not_reassessment(
    tmp_path: Path,
) -> None:
    """000 "Short term changes in need": "a reassessment of need is not required, as long as:
    The needs can be met and are being met by the existing Support Plan"; "You will need to
    agree appropriate arrangements to monitor"."""
    raw = case(
        findings__needs__changed=True,
        findings__needs__short_term=True,
        findings__needs__met_by_current_plan=True,
        decision={"monitoring_review_by": "2026-12-10"},
    )
    decision = decide(tmp_path, raw)
    assert decision["reassessment_required"] is False
    assert "short_term_monitoring" in decision["actions"]
    assert "proportionate_reassessment" not in decision["actions"]
    assert decision["next_review_by"] == "2026-12-10"


def test_a_short_term_change_without_an_agreed_date_gets_one_within_eight_weeks(
    tmp_path: Path,
) -> None:
    """000: "This could be through another light touch review in a shorter time frame"."""
    raw = case(
        findings__needs__changed=True,
        findings__needs__short_term=True,
        findings__needs__met_by_current_plan=True,
    )
    decision = decide(tmp_path, raw)
    due = dt.date.fromisoformat(decision["next_review_by"])
    assert REVIEW_DATE < due <= REVIEW_DATE + dt.timedelta(weeks=8)
    assert decision["warnings"], "the practitioner is asked to agree a date"


def test_a_short_term_change_the_plan_does_not_meet_needs_a_reassessment(
    tmp_path: Path,
) -> None:
    """000: a reassessment is not required only "as long as: 1. The needs can be met and are
    being met by the existing Support Plan"."""
    raw = case(
        review__review_type="full",
        findings__needs__changed=True,
        findings__needs__short_term=True,
        findings__needs__met_by_current_plan=False,
    )
    assert decide(tmp_path, raw)["reassessment_required"] is True


def test_a_stable_plan_is_reviewed_within_twelve_months(tmp_path: Path) -> None:
    """003 outcome 1 "No changes required"; 002: "A review of an on-going stable Care and
    Support Plan should take place no less than 12 months after"."""
    decision = decide(tmp_path, case())
    assert (decision["outcome"], decision["outcome_number"]) == ("no_change", 1)
    assert decision["next_review_by"] == "2027-11-12"


def test_a_change_to_the_plan_alone_is_outcome_two_reviewed_within_eight_weeks(
    tmp_path: Path,
) -> None:
    """003: "2. Changes to one or more element of the Support Plan required but not to the
    personal budget (including changes to outcomes and the contingency plan)"."""
    raw = case(review__review_type="full", findings__risk__contingency_working=False)
    decision = decide(tmp_path, raw)
    assert (decision["outcome"], decision["outcome_number"]) == ("plan_change", 2)
    assert decision["next_review_by"] == "2027-01-07"
    assert "contingency_changes" in decision["required_sections"]


def test_a_budget_that_is_no_longer_sufficient_is_outcome_three(tmp_path: Path) -> None:
    """003: "3. Changes to the Support Plan and personal budget required"."""
    raw = case(review__review_type="full", findings__budget__sufficient=False)
    assert decide(tmp_path, raw)["outcome_number"] == 3


def test_a_practitioner_outcome_against_the_evidence_needs_a_rationale(tmp_path: Path) -> None:
    """003: the decision "may not be [in line with the views of the carer] ... as long as you
    have a clear rationale for your decision"."""
    raw = case(decision={"outcome": "plan_change"})
    result = run("decide", "--json", str(_write(tmp_path, raw)))
    assert result.exit_code == 1
    assert "rationale" in result.output
    assert "Traceback" not in result.output


# --- light touch -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "finding",
    ["findings__plan__in_place", "findings__plan__working"],
    ids=["support-not-in-place", "support-not-working"],
)
def test_light_touch_with_support_not_right_goes_to_a_full_review(
    tmp_path: Path, finding: str
) -> None:
    """000: "You should refer to the full review procedures if the response identifies that:
    1. Support in the Support Plan is not in place as intended; or 2. Support being provided
    is not working as intended"."""
    decision = decide(tmp_path, case(**{finding: False}))
    assert decision["escalate_to_full_review"] is True
    assert "escalate_to_full_review" in decision["actions"]


def test_a_full_review_is_never_escalated_again(tmp_path: Path) -> None:
    """001: "A full review should only be carried out when a decision has been made that a
    light touch review is not appropriate"."""
    raw = case(review__review_type="full", findings__plan__in_place=False)
    decision = decide(tmp_path, raw)
    assert decision["escalate_to_full_review"] is False
    assert "escalate_to_full_review" not in decision["actions"]


# --- carers, methods, capacity ------------------------------------------------------------


@pytest.mark.parametrize(("in_work", "told"), [(True, True), (False, False)], ids=["works", "not"])
def test_a_carer_in_work_is_told_about_carers_leave(
    tmp_path: Path, in_work: bool, told: bool
) -> None:
    """000: "If the carer works, always check that they are aware of their right to unpaid
    leave under the Carers Leave Act 2023"."""
    decision = decide(tmp_path, case(subject__in_work=in_work))
    assert ("carers_leave_information" in decision["actions"]) is told


def test_a_telephone_review_is_confirmed_by_letter(tmp_path: Path) -> None:
    """002: "In all cases where communication has been provided by telephone a follow up
    letter confirming the conversation and outcome should be sent to the person as a formal
    record"."""
    raw = case(review__method="telephone")
    assert "telephone_follow_up_letter" in decide(tmp_path, raw)["actions"]
    assert "telephone_follow_up_letter.docx" in render(tmp_path, raw)


def test_a_face_to_face_review_has_no_telephone_letter(tmp_path: Path) -> None:
    """002: the follow up letter is for "communication ... provided by telephone"."""
    assert "telephone_follow_up_letter.docx" not in render(tmp_path, case())


def test_a_carer_who_lacks_capacity_with_nobody_to_help_is_referred_for_advocacy(
    tmp_path: Path,
) -> None:
    """004 "The Advocacy Duty"; "If you are aware that advocacy support is required and is not
    yet available you must not proceed to carry out any Care and Support process until it is
    in place"."""
    raw = case(subject__has_capacity=False)
    decision = decide(tmp_path, raw)
    assert "advocacy_referral" in decision["actions"]
    assert any("advocate" in w.lower() for w in decision["warnings"])


def test_an_appropriate_person_means_no_advocacy_referral(tmp_path: Path) -> None:
    """004 "The Advocacy Duty" applies where there is no appropriate person to support them;
    "An appropriate person for general representation purposes is not the same as an
    appropriate person for independent advocacy": only one recorded as able to support the
    person's involvement meets it."""
    raw = case(
        subject__substantial_difficulty=True,
        subject__appropriate_person={
            "name": "Ann Lewis",
            "relationship": "sister",
            "supports_involvement": True,
        },
    )
    assert "advocacy_referral" not in decide(tmp_path, raw)["actions"]


def test_an_appropriate_person_for_general_purposes_is_not_an_advocate(tmp_path: Path) -> None:
    """004 "An appropriate person for general representation purposes is not the same as an
    appropriate person for independent advocacy under the Care Act"."""
    raw = case(
        subject__substantial_difficulty=True,
        subject__appropriate_person={"name": "Ann Lewis", "relationship": "sister"},
    )
    decision = decide(tmp_path, raw)
    assert "advocacy_referral" in decision["actions"]
    assert any(
        "Ann Lewis is named as appropriate person but not recorded as able to support" in w
        for w in decision["warnings"]
    )


def test_letters_go_to_the_representative_when_the_person_lacks_capacity(
    tmp_path: Path,
) -> None:
    """002: "If the person lacks capacity you should make arrangements with an appropriate
    person"; "You must inform the person (or their representative if they lack capacity)"."""
    raw = case(
        subject__has_capacity=False,
        subject__appropriate_person={
            "name": "Ann Lewis",
            "relationship": "sister",
            "address": ["3 Elm Close", "Exampleton"],
            "postcode": "EX2 9ZZ",
        },
    )
    render(tmp_path, raw, "outcome_letter")
    letter = text(tmp_path / "out" / raw["review"]["id"] / "outcome_letter.docx")
    assert "Ann Lewis" in letter
    assert "3 Elm Close" in letter


def test_an_advocate_already_involved_is_informed(tmp_path: Path) -> None:
    """003: "If an advocate is already involved they should be informed when the review has
    been provided"."""
    raw = case(
        subject__substantial_difficulty=True,
        advocate={"name": "Lee Hart", "organisation": "Voice Advocacy", "email": "l@x.org"},
    )
    decision = decide(tmp_path, raw)
    assert "inform_advocate" in decision["actions"]
    assert "advocacy_referral" not in decision["actions"]


# --- safeguarding and liberty -------------------------------------------------------------


def test_a_safeguarding_concern_about_the_carer_needs_a_decision_to_continue_or_pause(
    tmp_path: Path,
) -> None:
    """000: "Where the safeguarding is in respect of the carer whose Support Plan is being
    reviewed ... a decision will need to be made about the need to pause the review"."""
    raw = case(
        findings__safeguarding={
            "concern": True,
            "concern_about_subject": True,
            "action_taken": "Concern raised with the safeguarding team.",
        }
    )
    result = run("validate", str(_write(tmp_path, raw)))
    assert result.exit_code == 1
    assert "findings.safeguarding.review_option" in result.output


def test_a_pause_with_interim_support_arranges_urgent_support(tmp_path: Path) -> None:
    """000: "3. The review is paused but urgent interim support is arranged to ensure needs
    are met whilst a safeguarding process takes place"."""
    raw = case(
        review__review_type="full",
        findings__safeguarding={
            "concern": True,
            "concern_about_subject": True,
            "action_taken": "Concern raised with the safeguarding team.",
            "review_option": "pause_with_interim_support",
        },
    )
    decision = decide(tmp_path, raw)
    assert {"safeguarding_decision", "urgent_interim_support"} <= set(decision["actions"])
    assert "safeguarding" in decision["required_sections"]
    assert any("provisional" in w for w in decision["warnings"])


@pytest.mark.parametrize(
    ("lacks_capacity", "considered"), [(True, True), (False, False)], ids=["lacks", "has"]
)
def test_deprivation_of_liberty_is_considered_only_when_the_cared_for_lacks_capacity(
    tmp_path: Path, lacks_capacity: bool, considered: bool
) -> None:
    """001: "You must consider any appropriate action required to authorise deprivations of
    liberty whenever: 1. The person being cared for lacks capacity ... and 2. You feel the
    level of restriction being imposed on the person is depriving them of their liberty"."""
    raw = case(
        cared_for__lacks_capacity=lacks_capacity,
        cared_for__restrictions_may_deprive_liberty=True,
    )
    decision = decide(tmp_path, raw)
    assert ("deprivation_of_liberty_consideration" in decision["actions"]) is considered
    assert ("deprivation_of_liberty" in decision["required_sections"]) is considered


# --- sharing -----------------------------------------------------------------------------


def test_the_carer_always_gets_the_record(tmp_path: Path) -> None:
    """003: "Following the review process the carer must be given a written record of their
    review"."""
    _, files = share(tmp_path, case())
    assert files == ["review_record.docx"]


def test_a_joint_review_partner_gets_a_copy_without_consent(tmp_path: Path) -> None:
    """003: "Where the review was carried out jointly with another organisation ... a copy of
    the review must be made available to the other person that carried it out with you"."""
    raw = case(
        review__method="joint",
        review__joint_organisation={
            "name": "Exampleton Housing",
            "contact": "Pat Moss",
            "address": ["Civic Centre", "Exampleton"],
        },
        sharing={
            "consent_to_share": False,
            "recipients": [recipient("exampleton-housing", "joint_organisation")],
        },
    )
    assert "share_with_joint_organisation" in decide(tmp_path, raw)["actions"]
    _, files = share(tmp_path, raw)
    assert "review_record-exampleton-housing.docx" in files


def test_a_provider_gets_no_copy_without_consent(tmp_path: Path) -> None:
    """003: "If the carer consents a copy of the review should be shared with any service
    provider who was involved in the review and is responsible for providing Support"."""
    raw = case(
        sharing={"consent_to_share": False, "recipients": [recipient("sitters", "provider")]}
    )
    output, files = share(tmp_path, raw)
    assert not any("sitters" in f for f in files)
    assert "No copy for Sitters" in output and "consent" in output


def test_a_provider_gets_a_copy_with_consent(tmp_path: Path) -> None:
    """003: "If the carer consents a copy of the review should be shared with any service
    provider who was involved"."""
    raw = case(sharing={"consent_to_share": True, "recipients": [recipient("sitters", "provider")]})
    _, files = share(tmp_path, raw)
    assert {"review_record-sitters.docx", "sharing_cover_letter-sitters.docx"} <= set(files)


def test_someone_the_carer_names_gets_a_copy_even_if_not_involved(tmp_path: Path) -> None:
    """003: "A copy must also be shared with anyone that the carer requests you share a copy
    with, even if they were not involved in the review itself"."""
    asked = recipient("ann-lewis", "requested_by_subject", involved_in_review=False)
    raw = case(sharing={"consent_to_share": False, "recipients": [asked]})
    _, files = share(tmp_path, raw)
    assert "review_record-ann-lewis.docx" in files


def test_a_request_with_a_risk_concern_declined_gets_no_copy_and_says_so(
    tmp_path: Path,
) -> None:
    """003 "Concerns about a request": "3. To decline to provide a copy of the record"."""
    asked = recipient("ann-lewis", "requested_by_subject", risk_concern=True)
    asked["manager_decision"] = "decline"
    raw = case(sharing={"consent_to_share": True, "recipients": [asked]})
    output, files = share(tmp_path, raw)
    assert not any("ann-lewis" in f for f in files)
    assert "No copy for Ann Lewis" in output


def test_a_request_with_a_risk_concern_needs_a_manager_decision(tmp_path: Path) -> None:
    """003: "If this situation arises you should seek advice from your line manager and
    decide whether" to share in full, partially or not at all."""
    asked = recipient("ann-lewis", "requested_by_subject", risk_concern=True)
    raw = case(sharing={"consent_to_share": True, "recipients": [asked]})
    result = run("validate", str(_write(tmp_path, raw)))
    assert result.exit_code == 1
    assert "manager_decision" in result.output


def test_an_other_recipient_gets_no_copy_without_consent(tmp_path: Path) -> None:
    """003: "In all other cases a copy of the record can only be shared with any other person
    with the carer's consent"."""
    raw = case(sharing={"consent_to_share": False, "recipients": [recipient("gp", "other")]})
    _, files = share(tmp_path, raw)
    assert not any("-gp." in f for f in files)


# --- disagreement and amendments ------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["findings__views__subject_agrees_with_outcome", "findings__views__others_agree"],
    ids=["the-carer", "someone-else-involved"],
)
def test_a_disagreement_is_recorded_and_the_carer_told_of_the_right_to_complain(
    tmp_path: Path, who: str
) -> None:
    """003: "There may be times when the carer or another person involved disagrees"; "Make a
    record of any difference of opinion"; "You must also make the carer aware of their right
    to complain about the decision"."""
    # 003 "as long as you have a clear rationale for your decision": required with a
    # disagreement (issue 11), so the case records one.
    raw = case(**{who: False, "decision__rationale": "The evidence supports no change."})
    decision = decide(tmp_path, raw)
    assert "difference_of_views" in decision["required_sections"]
    assert {"record_difference_of_views", "right_to_complain"} <= set(decision["actions"])
    render(tmp_path, raw, "outcome_letter")
    letter = text(tmp_path / "out" / raw["review"]["id"] / "outcome_letter.docx")
    assert "complain" in letter.lower()
    assert "Complaints Team, County Hall" in letter


def test_an_agreed_outcome_letter_does_not_dwell_on_complaints_it_does_not_need(
    tmp_path: Path,
) -> None:
    """003: the right to complain is given "where ongoing disagreement persists"."""
    assert "right_to_complain" not in decide(tmp_path, case())["actions"]


def _amend(tmp_path: Path, raw: dict[str, Any], amendment: dict[str, Any]) -> tuple[Any, Path]:
    out = tmp_path / "amended"
    review = _write(tmp_path, raw)
    first = run("render", str(review), "--out", str(out), "--format", "docx", "--doc",
                "review_record", "--date", "2026-11-13")  # fmt: skip
    assert first.exit_code == 0, first.output
    path = tmp_path / "amendment.json"
    path.write_text(json.dumps(amendment), encoding="utf-8")
    return run("amend", str(review), str(path), "--out", str(out)), out / raw["review"]["id"]


AMENDMENT = {
    "requested_by": "Maria Lewis",
    "date": "2026-11-20",
    "sections": {"plan_elements": "The sitting service moved to Fridays."},
    "reason": "The day of the sitting service is wrong.",
    "evidence": "Provider rota of 2026-11-18.",
}


def test_a_declined_amendment_gives_reasons_and_the_right_to_complain(tmp_path: Path) -> None:
    """003: "If you reach a decision not to amend the record you should be clear about your
    reasons for not doing so, and you should make the carer aware of their right to complain
    about your decision"."""
    amendment = {
        **AMENDMENT,
        "decision": "decline",
        "decision_reason": "The provider confirmed the visits are on Thursdays.",
    }
    result, folder = _amend(tmp_path, case(), amendment)
    assert result.exit_code == 0, result.output
    letter = text(next(folder.glob("amendment_decision_letter*.docx")))
    assert "The provider confirmed the visits are on Thursdays." in letter
    assert "complain" in letter.lower()
    assert "Complaints Team, County Hall" in letter


def test_an_accepted_amendment_is_a_new_version_and_the_original_stays(tmp_path: Path) -> None:
    """003: "Where doing so results in 2 versions of the same review being available on the
    system it must be clear which the amended version is"."""
    amendment = {**AMENDMENT, "decision": "accept", "decision_reason": "The rota confirms it."}
    original_before = None
    result, folder = _amend(tmp_path, case(), amendment)
    assert result.exit_code == 0, result.output
    original_before = (folder / "review_record.docx").read_bytes()
    amended = text(folder / "review_record-v2.docx")
    assert "The sitting service moved to Fridays." in amended
    assert "supersedes version 1" in amended.lower() or "amended" in amended.lower()
    assert "Fridays" not in text(folder / "review_record.docx")
    assert original_before == (folder / "review_record.docx").read_bytes()


def test_the_telephone_follow_up_letter_is_the_letter_it_promises(tmp_path: Path) -> None:
    """002: "a follow up letter confirming the conversation and outcome should be sent to
    the person as a formal record": the letter itself must not promise another one."""
    raw = case(review__method="telephone")
    render(tmp_path, raw, "telephone_follow_up_letter", "outcome_letter")
    folder = tmp_path / "out" / raw["review"]["id"]
    letter = text(folder / "telephone_follow_up_letter.docx")
    assert "It is the formal record of our telephone conversation." in letter
    assert "We will send a letter confirming" not in letter
    assert "We will send a letter confirming" in text(folder / "outcome_letter.docx")


def test_communication_needs_in_standard_print_are_promised_plainly(tmp_path: Path) -> None:
    """002: "The method of communication should reflect ... any specific communication
    needs they may have"."""
    raw = case(subject__communication_needs="Hard of hearing: face her and speak clearly.")
    assert "accessible_format" in decide(tmp_path, raw)["actions"]
    render(tmp_path, raw, "outcome_letter")
    letter = text(tmp_path / "out" / raw["review"]["id"] / "outcome_letter.docx")
    assert "We will keep to your communication needs in our letters and contact." in letter
    assert "the format asked for" not in letter
