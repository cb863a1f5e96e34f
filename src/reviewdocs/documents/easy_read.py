"""Easy read sentences (issue 6): short, one idea per line, key facts first, plain words.

A provisional outcome says "We have not decided yet"; the copies say how to ask for a
correction (003 "They feel that there is information missing")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reviewdocs.dates import long_date
from reviewdocs.documents import asking, wording
from reviewdocs.documents.letters import findings_summary
from reviewdocs.documents.reasons import is_overdue
from reviewdocs.documents.steps import easy_step
from reviewdocs.documents.wording import Voice, cap


def easy(
    review: Mapping[str, Any],
    decided: Mapping[str, Any],
    required: Sequence[str],
    voice: Voice,
    outcome: Mapping[str, Any] | None = None,
    *,
    produced: dt.date | None = None,
) -> dict[str, Any]:
    """Short sentences, one idea per line, key facts first, plain words (issue 6). A
    provisional outcome says "We have not decided yet" and what happens now; the copies say
    how to ask for a correction (003 "They feel that there is information missing")."""
    r = review["review"]
    p, o = voice.poss, voice.obj
    la = r["local_authority"]
    practitioner = r["practitioner"]
    code = decided.get("outcome")
    provisional = bool(outcome and outcome.get("provisional"))
    easy_outcome = wording.EASY_OUTCOMES[code].format(poss=p, Poss=voice.Poss) if code else ""
    more = []
    needs = (review.get("findings") or {}).get("needs") or {}
    if provisional:
        easy_outcome = "We have not decided yet."
        more = [
            "We will tell you when we have decided."
            if voice.direct
            else f"We will tell {o} when we have decided."
        ]
    elif decided.get("reassessment_required"):
        if needs.get("changed"):
            more.append(f"{cap(p)} needs have changed.")
        elif needs.get("circumstances_changed"):
            more.append(f"{cap(p)} life has changed.")
        more.append(f"We will look at {p} needs again.")
    steps = [s for s in (easy_step(c, voice, review) for c in decided.get("actions") or []) if s]
    if not steps and code:
        # Never an empty "What happens next" heading.
        steps = [
            "Nothing else needs to happen now."
            if code == "no_change" and not provisional
            else "We will tell you what happens next."
            if voice.direct
            else f"We will tell {o} what happens next."
        ]
    when = decided.get("next_review_by")
    next_review_text = (
        f"{cap(p)} next review is late. We will get in touch to arrange it soon."
        if is_overdue(when, produced)
        else f"{cap(p)} next review will be by {long_date(when)}."
        if when
        else f"We will tell {o} the date of {p} next review later."
        if provisional
        else f"We will agree the date of {p} next review with {o}."
    )
    actions = set(decided.get("actions") or [])
    money_general = [
        f"We may need to check {p} money after the review.",
        "This is called a financial assessment.",
        f"It tells us if what {o} pay{'' if voice.direct else 's'} will change.",
    ]
    money = money_general if "financial_assessment_notice" in actions else []
    work = (
        [
            f"{cap(o)} can take time off work to care.",
            "This can be up to 1 week each year.",
            "This time off is not paid.",
            f"{cap(o)} can ask the employer about carer's leave.",
        ]
        if "carers_leave_information" in actions
        else []
    )
    when_review = long_date(r.get("date"))
    method = _easy_method(r.get("method"))
    return {
        "outcome": easy_outcome,
        "outcome_more": more,
        "now": list((outcome or {}).get("now") or []),
        "correction": [
            "Is something wrong or missing?",
            f"Tell {practitioner.get('name')}.",
            "We can change the record.",
        ],
        "next_steps": steps,
        "next_review": next_review_text,
        "money": money,
        "money_general": money_general,
        "work": work,
        "complain": [
            "You can complain if you are not happy.",
            f"Contact: {la.get('complaints_contact')}.",
            f"Phone: {la.get('phone')}.",
        ],
        "contact": [
            f"{practitioner.get('name')} is {p} worker.",
            f"Phone: {practitioner.get('phone')}.",
            f"Email: {practitioner.get('email')}.",
        ],
        "info": {
            "when": f"{cap(p)} review is on {when_review}."
            if when_review
            else f"{cap(p)} review will start around {long_date(r['expected_start'])}."
            if r.get("expected_start")
            else f"We will review {p} plan soon.",
            "about": [f"The review will be {method}.", f"{cap(o)} can bring someone to help."],
            "purpose": [
                f"A review checks {p} plan.",
                "It checks the support is working.",
                "It checks if anything needs to change.",
            ],
            "questions": asking.EASY_QUESTIONS,
            "help": _easy_help(review, voice),
        },
        "record": {
            "about": [
                f"The review was on {when_review}.",
                f"It was {method}.",
                f"It was with {practitioner.get('name')}.",
            ],
            "found": findings_summary(review, required, voice),
        },
    }


def _easy_method(method: str | None) -> str:
    return {
        "face_to_face": "face to face",
        "telephone": "on the phone",
        "online": "on a video call",
        "combined": "together with another review",
        "joint": "with another team",
        "supported_self": "done by you, with help",
        "delegated": "done by another team for us",
    }.get(method or "", "in the way you choose")


def _easy_help(review: Mapping[str, Any], voice: Voice) -> list[str]:
    advocate = review.get("advocate")
    if advocate:
        return [f"{advocate.get('name')} is {voice.poss} advocate.", "They can help at the review."]
    if review["subject"].get("advocacy_declined") is True:
        # 004 "... they do not have to do so, but the Local Authority must still provide it".
        return [
            "An advocate can help you have your say.",
            "You said you do not want an advocate now.",
            "You can still have one. Just tell us.",
        ]
    return [
        "An advocate can help you have your say.",
        "An advocate is free.",
        "Tell us if you want one.",
    ]
