"""The outcome, its reasons, the record's sections, next steps and notices in plain words.

Every sentence here follows from the findings printed in the same document (issue 11):
the reasons for an outcome are the findings that call for it, a provisional outcome is
never worded as final, and an item the record must hold is never silently empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reviewdocs import codes
from reviewdocs.dates import long_date
from reviewdocs.decision.findings import indicated_outcome
from reviewdocs.decision.provisional import provisional_states
from reviewdocs.documents import wording
from reviewdocs.documents.record_findings import evidence, evidence_withheld, section_questions
from reviewdocs.documents.steps import action_sentence
from reviewdocs.documents.wording import Voice, cap, plan_name

# --- the outcome and why (003) --------------------------------------------------------


def _provisional(review: Mapping[str, Any], decided: Mapping[str, Any]) -> list[Any]:
    """The provisional states of a completed review with a decision (none for a planned one)."""
    if not decided.get("outcome") or not review.get("findings"):
        return []
    return provisional_states(dict(review))


def _reassessment_clauses(review: Mapping[str, Any], voice: Voice) -> list[str]:
    """Why a reassessment is needed, from the findings that call for it (never "needs have
    changed" where only circumstances and the budget have)."""
    f = review.get("findings") or {}
    needs = f.get("needs") or {}
    short_term = needs.get("short_term") and needs.get("met_by_current_plan")
    out = []
    if needs.get("changed") and not short_term:
        out.append(f"{voice.poss} needs have changed")
    if needs.get("circumstances_changed") and (f.get("budget") or {}).get("sufficient") is False:
        out.append(
            f"{voice.poss} circumstances have changed and the personal budget is no longer enough"
        )
    return out


def outcome_words(
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice, *, letter: bool = False
) -> dict[str, Any]:
    """The outcome in plain words, or, while it is provisional, what happens now and what is
    still to be decided (never a final outcome: the bar, and 004 "you must not proceed")."""
    code = decided.get("outcome")
    states = _provisional(review, decided)
    plan = plan_name(review)
    text = ""
    reassessment = ""
    differs = ""
    if code and not states:
        clauses = (
            _reassessment_clauses(review, voice) if decided.get("reassessment_required") else []
        )
        if code == "plan_and_budget_change" and clauses:
            # 003's Julie example: "a proportionate reassessment to establish what has changed".
            text = wording.REASSESSMENT_OUTCOME.format(p=voice.poss)
        else:
            text = wording.OUTCOMES[code].format(plan=plan)
            budget = (review.get("findings") or {}).get("budget") or {}
            if code == "plan_and_budget_change" and budget.get("sufficient") is False:
                text = text[:-1] + ", because the personal budget is no longer enough."
        if clauses:
            # 000 "If there has been a change in need the outcome of the review must be to
            # carry out a proportionate reassessment of need."
            reassessment = (
                f"Because {wording.join_clauses(clauses)}, we will reassess {voice.poss} needs. "
                "The reassessment will use what we learned at the review."
            )
        if code != indicated_outcome(dict(review)):
            # 003 "The decision you reach may be in line with the views of the carer ... but
            # equally it may not be": say so, so the outcome never reads as what the
            # findings alone show.
            differs = (
                "This outcome differs from what the recorded findings alone indicate. "
                "The reasons for it are given with it."
            )
    return {
        "code": None if states else code,
        "number": None if states else decided.get("outcome_number"),
        "text": text,
        "reassessment": reassessment,
        "differs": differs,
        "provisional": bool(states),
        "headline": "There is no final outcome yet." if states else "",
        "now": [
            cap(state.now_in_letters if letter and state.now_in_letters else state.now) + "."
            for state in states
        ],
        "to_decide": [cap(state.to_decide) + "." for state in states],
        "reasons_label": "What we have found so far: " if states else "Why we decided this: ",
    }


def outcome_in_the_records_words(
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice | None = None
) -> str:
    """The outcome as the record words it, in one line (the ``decide`` command and the web
    decision page): its reasons from the findings, and, while it is provisional, what
    happens now and what is still to be decided (never a final outcome for a paused review,
    one waiting for an advocate or a manager, or an escalation)."""
    voice = voice or wording.voice_for(review["subject"], direct=False)
    words = outcome_words(review, decided, voice)
    if words["provisional"]:
        return " ".join(
            [words["headline"], *words["now"], "Still to be decided:", *words["to_decide"]]
        )
    first = f"{words['number']}. {words['text']}"
    return " ".join(part for part in (first, words["reassessment"], words["differs"]) if part)


def rationale_words(
    review: Mapping[str, Any],
    decided: Mapping[str, Any],
    voice: Voice,
    required: Sequence[str] = codes.SECTIONS,
    *,
    withheld: bool = False,
) -> str:
    """The practitioner's rationale when recorded; otherwise the evidence in plain words.

    003 "The decision that you make about the outcome of the review must be evidence
    based": for a change, the findings that call for it; for no change, the findings
    that show the plan is working; while provisional, what has been found so far. Only
    findings of sections in the document are used, so a copy that omits a section does
    not repeat it here.
    """
    given = (review.get("decision") or {}).get("rationale")
    if given:
        return str(given)
    outcome = decided.get("outcome")
    if not outcome:
        return ""
    found = evidence(review.get("findings") or {}, voice, required, withheld=withheld)
    bad = [text for ok, text in found if not ok]
    good = [text for ok, text in found if ok]
    if _provisional(review, decided):
        so_far = bad or good
        if so_far:
            return "So far the review has found that " + wording.join_clauses(so_far) + "."
        return "The review has not reached its outcome yet."
    if outcome == "no_change":
        if good:
            return "At the review we found that " + wording.join_clauses(good) + "."
    elif decided.get("reassessment_required") and _reassessment_clauses(review, voice):
        why = "A reassessment is needed because " + wording.join_clauses(
            _reassessment_clauses(review, voice)
        )
        others = [text for text in bad if "needs have changed" not in text]
        return (
            why
            + "."
            + (
                " The review also found that " + wording.join_clauses(others) + "."
                if others
                else ""
            )
        )
    elif withheld and evidence_withheld(review.get("findings") or {}, required):
        # A copy that withholds a finding must not give the findings it shows as the cause
        # of the outcome: "need to change because not everyone is satisfied" would be false
        # where the withheld budget finding is the reason (the bar: a document never states
        # what its findings don't support). It states the outcome, what it shows, and that
        # some reasons are not in the copy, without saying which.
        return (
            f"{_change_subject(outcome)} to change."
            + (" The review found that " + wording.join_clauses(bad) + "." if bad else "")
            + " Some of the reasons for this outcome are not included in this copy."
        )
    elif bad:
        return f"{_change_subject(outcome)} to change because " + wording.join_clauses(bad) + "."
    return "The findings recorded in the review support this outcome."


def _change_subject(outcome: str) -> str:
    if outcome == "plan_and_budget_change":
        return "The plan and the personal budget need"
    return "The plan needs"


def information_given(review: Mapping[str, Any], decided: Mapping[str, Any]) -> str:
    """003 item 10 "What information and advice has been given": what the review's own
    letters give besides what the practitioner typed (000 "always check that they are aware
    of their right to unpaid leave"; 002 "You must inform the person ... that a financial
    assessment may need to take place")."""
    actions = set(decided.get("actions") or [])
    given = []
    if "carers_leave_information" in actions:
        given.append("The right to unpaid carer's leave under the Carers Leave Act 2023.")
    if "financial_assessment_notice" in actions:
        given.append("That a financial assessment may follow the review.")
    if "right_to_complain" in actions:
        given.append("The right to complain about the decision.")
    return "\n".join(given)


def sections(
    review: Mapping[str, Any],
    required: Sequence[str],
    voice: Voice,
    outcome: Mapping[str, Any],
    rationale: str,
    decided: Mapping[str, Any],
    *,
    withheld: bool = False,
) -> list[dict[str, Any]]:
    """Each required section, in record order: heading, structured findings, narrative.

    003 "The following information must be clearly but proportionately recorded in
    all cases" and "should be clearly recorded where relevant": exactly the sections
    the decision requires, in ``codes.SECTIONS`` order.
    """
    narrative = review.get("narrative") or {}
    extra = {
        "outcome": outcome["text"] or outcome["headline"],
        "rationale": rationale,
        "provisional": outcome["provisional"],
        "reassessment": bool(decided.get("reassessment_required")),
        "given": information_given(review, decided),
    }
    ordered = [code for code in codes.SECTIONS if code in required]
    return [
        {
            "code": code,
            "heading": wording.section_heading(code, voice),
            "questions": section_questions(code, review, voice, extra, withheld=withheld),
            "narrative": narrative.get(code) or "",
        }
        for code in ordered
    ]


def regard(
    review: Mapping[str, Any],
    required: Sequence[str],
    decided: Mapping[str, Any],
    voice: Voice,
) -> list[dict[str, str]]:
    """003 "When determining the outcome of the review you must give regard to" (1-3)."""
    if not decided.get("outcome"):
        return []
    provisional = bool(_provisional(review, decided))
    what = "what happens now" if provisional else "the outcome"
    f = review.get("findings") or {}
    views = f.get("views") or {}
    items = []
    if "views_on_changes" in required:
        agrees = views.get("subject_agrees_with_outcome")
        if agrees is not None:
            text = (
                f"{voice.obj} agrees with {what}."
                if agrees
                else f"{voice.obj} does not agree with {what}. "
                "This has been considered, and the reasons are given above."
            )
            items.append({"heading": f"{voice.Poss} views", "text": cap(text)})
    items.append(
        {
            "heading": f"The effect on {voice.poss} wellbeing",
            "text": _wellbeing(review, required, provisional),
        }
    )
    items.append(
        {"heading": "Views of others involved", "text": _others(review, required, views, what)}
    )
    return items


def _wellbeing(review: Mapping[str, Any], required: Sequence[str], provisional: bool) -> str:
    """003 "you must give regard to ... The impact of the outcome on the carer's Wellbeing":
    what the practitioner recorded, never a stock sentence that states no effect."""
    stated = (review.get("decision") or {}).get("wellbeing_impact")
    if stated:
        return str(stated)
    own = (review.get("narrative") or {}).get("changes_and_wellbeing_impact")
    if own and "changes_and_wellbeing_impact" in required:
        return str(own)
    if provisional:
        return "To be considered with the final outcome."
    return wording.NOT_RECORDED


def _others(
    review: Mapping[str, Any], required: Sequence[str], views: Mapping[str, Any], what: str
) -> str:
    participants = review.get("participants") or []
    if not participants:
        return "No one else took part in the review."
    others_agree = views.get("others_agree")
    if others_agree is None:
        return "The views of the others involved were considered."
    if others_agree:
        return f"The others involved in the review agree with {what}."
    where = (
        " Their views are set out under the difference of views."
        if "difference_of_views" in required
        else ""
    )
    return f"Not everyone involved in the review agrees with {what}." + where


# --- next steps and the next review ---------------------------------------------------


OWN_SECTION_IN_LETTERS = frozenset(
    {"financial_assessment_notice", "carers_leave_information", "right_to_complain"}
)

AFTER_ADVOCATE = frozenset(
    {
        "proportionate_reassessment",
        "escalate_to_full_review",
        "combined_carer_review",
        "direct_payment_review",
        "short_term_monitoring",
    }
)
"""Care and Support processes that wait for the advocate, or for a paused review to resume
(004 "you must not proceed to carry out any Care and Support process until it is in
place"); urgent interim support does not ("urgent interim measures may need to be agreed
without an advocate in place")."""


def next_steps(
    review: Mapping[str, Any],
    decided: Mapping[str, Any],
    voice: Voice,
    *,
    letter: bool,
    document: str | None = None,
) -> list[str]:
    """One sentence per action, in the decision's order (spec 3 action codes).

    Letters give the financial assessment, carer's leave and complaints their own
    headed sections, so those actions are not repeated as next steps there; the
    telephone follow-up letter does not promise itself (002 "a follow up letter"). A
    letter's "What happens next" is never an empty heading.
    """
    states = {state.code for state in _provisional(review, decided)}
    out = []
    for code in decided.get("actions") or []:
        if letter and code in OWN_SECTION_IN_LETTERS:
            continue
        if code == document:
            continue
        sentence = action_sentence(code, voice, review, letter=letter)
        if sentence and code in AFTER_ADVOCATE:
            if "advocate_pending" in states:
                sentence = "Once an independent advocate is in place: " + _lower(sentence)
            elif "safeguarding_pause" in states:
                # 000 "The review is paused with no on-going intervention by the person
                # carrying out the review": these steps wait for it to resume.
                sentence = "When the review resumes: " + _lower(sentence)
        if sentence:
            out.append(sentence)
    if letter and not out and decided.get("outcome"):
        out.append(
            f"Nothing else needs to happen now: {voice.poss} {plan_name(review)} carries on as "
            "it is."
            if decided.get("outcome") == "no_change"
            else "We will make the changes to the plan described above."
        )
    return out


def _lower(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def next_review(
    review: Mapping[str, Any],
    decided: Mapping[str, Any],
    voice: Voice,
    produced: dt.date | None = None,
) -> dict[str, Any]:
    """The next review date, or why there is none yet (003 item 11 "the proposed
    timeframe for the next review"). A date already past on the documents' date
    (``produced``) is never promised: the review is overdue and will be arranged."""
    when = decided.get("next_review_by")
    monitoring = (review.get("decision") or {}).get("monitoring_review_by")
    if when and is_overdue(when, produced):
        text = (
            f"The next review was due by {long_date(when)} and is overdue: we will contact "
            f"{voice.obj} to arrange it as soon as possible."
        )
    elif when:
        text = f"The next review will take place by {long_date(when)}."
    elif _provisional(review, decided):
        text = "There is no date for the next review yet: it will be set with the final outcome."
    elif decided.get("reassessment_required"):
        text = (
            f"A date for the next review will be set after the reassessment of {voice.poss} needs."
        )
    elif decided.get("escalate_to_full_review"):
        text = "A date for the next review will be set after the full review."
    elif decided.get("outcome"):
        text = f"We will agree a date for the next review with {voice.obj}."
    else:
        text = ""
    if monitoring and not (when and str(monitoring) == str(when)):
        text += (
            f" The check on how things are going was due by {long_date(monitoring)} and is "
            "overdue: we will arrange it as soon as possible."
            if is_overdue(monitoring, produced)
            else f" We will check how things are going by {long_date(monitoring)}."
        )
    date = dt.date.fromisoformat(when) if isinstance(when, str) else when
    return {"date": date, "text": text.strip()}


def is_overdue(when: Any, produced: dt.date | None) -> bool:
    """Whether the next review date ``when`` (a date or ISO text) is before ``produced``."""
    if not when or produced is None:
        return False
    day = dt.date.fromisoformat(when) if isinstance(when, str) else when
    return bool(day < produced)


def own_words(
    review: Mapping[str, Any], required: Sequence[str], voice: Voice
) -> dict[str, str] | None:
    """The subject's views: quoted as their own words only when recorded in quotation
    marks (000 "record this word for word"), otherwise as what they told us."""
    words = wording._get(review.get("findings"), "views", "subject")
    if not words or "views_on_changes" not in required:
        return None
    if wording.is_verbatim(str(words)):
        return {
            "whose": voice.poss,
            "heading": f"In {voice.poss} own words",
            "text": wording.quoted(str(words)),
        }
    return {"whose": voice.poss, "heading": f"What {voice.obj} told us", "text": str(words)}


def people(review: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "name": p.get("name") or "",
            "role": wording.ROLES.get(p.get("role") or "", ""),
            "organisation": p.get("organisation") or "",
            "consented": wording.yes_no(p.get("consented")) or "",
        }
        for p in review.get("participants") or []
    ]


def people_intro(review: Mapping[str, Any], voice: Voice) -> str:
    """Who took part. 002 "If the person continues to disengage you should proceed to carry
    out a review based upon the information available": the record never says a person took
    part when ``review.subject_took_part`` is false."""
    practitioner = review["review"]["practitioner"].get("name")
    if review["review"].get("subject_took_part") is False:
        intro = (
            f"{cap(voice.obj)} did not take part: {practitioner} carried out the review on the "
            "information available"
        )
        if review.get("participants"):
            return intro + ", with these people:"
        return intro + ". No one else took part."
    if review.get("participants"):
        return f"As well as {voice.obj} and {practitioner}, these people took part in the review:"
    return f"{cap(voice.obj)} and {practitioner} took part in the review. No one else took part."


def involvement(review: Mapping[str, Any], voice: Voice) -> list[str]:
    """What the record says, under "Who took part", about who had to agree or take part.

    002 "Both the person and the carer agree to a combined review process and the sharing of
    information; or ... a best interest decision is made"; 002 "The person has a carer
    (carer's must be involved in the person's review)"; 004 "If a person decides that they do
    not wish to engage in the advocacy support that has been made available to them they do
    not have to do so, but the Local Authority must still provide it". An answer not recorded
    is said to be not recorded, never assumed."""
    r = review["review"]
    out: list[str] = []
    if r.get("method") == "combined":
        out.append(
            {
                "both_agreed": "Both people agreed to a combined review and to their "
                "information being shared between the two reviews.",
                "best_interests_decision": "A best interests decision was made to carry out "
                "a combined review.",
            }.get(
                r.get("combined_agreement") or "",
                "Not recorded: whether both people agreed to a combined review and to sharing "
                "information, or a best interests decision was made.",
            )
        )
    carer = review.get("carer")
    if r.get("plan_type") == "care_and_support_plan" and carer:
        # A partial copy may have withheld the carer's name: the fact stays, unnamed.
        name = (carer.get("name") or "").strip()
        who = f"{name}, {voice.poss} carer," if name else f"{cap(voice.poss)} carer"
        out.append(
            {
                "took_part": f"{who} took part in the review.",
                "consulted_separately": f"{who} was consulted separately.",
                "not_involved": f"{who} was not involved in the review.",
            }.get(
                carer.get("involvement") or "",
                f"Not recorded: whether {who} took part in the review or was consulted.",
            )
        )
    if review["subject"].get("advocacy_declined") is True:
        out.append(
            f"An independent advocate was made available to {voice.obj}, and {voice.obj} "
            f"decided not to use advocacy. The council still provides it: {voice.obj} can ask "
            "for an advocate at any time."
        )
    return out
