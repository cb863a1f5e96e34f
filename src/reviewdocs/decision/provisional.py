"""Provisional states: a review whose outcome cannot be final yet.

A paused review, an advocate not yet in place, a line manager's advice awaited and a light
touch review that must become a full review each leave the outcome open. The documents then
say what happens now and what is still to be decided, and print no final outcome and no
next review date (the bar: never present a provisional state as final). The decision keeps
spec section 3's keys: ``outcome`` stays the outcome the findings point to, and the
warnings say it is provisional.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewdocs.decision.findings import (
    Review,
    advocacy_duty_unmet,
    escalation_reasons,
    findings_of,
)

PAUSE_OPTIONS = ("pause", "pause_with_interim_support")


@dataclass(frozen=True)
class Provisional:
    """One reason the outcome is not final: what it is, what happens now, what is open.

    ``now`` and ``to_decide`` are plain clauses about "the person" with no subject, so each
    document words them in its own voice; ``warning`` is the practitioner's line."""

    code: str
    now: str
    to_decide: str
    warning: str
    now_in_letters: str = ""
    """What a letter says instead of ``now`` when ``now`` must not be posted: 000 "Where the
    safeguarding is in respect of the carer ... (for example if the cared for person is
    causing harm to the carer)" means a letter may be opened by the person causing harm."""


def provisional_states(review: Review) -> list[Provisional]:
    """Every provisional state of a completed review, in a fixed order."""
    f = findings_of(review)
    states = []
    option = f["safeguarding"]["review_option"]
    if option in PAUSE_OPTIONS:
        # 000 "Safeguarding": options 2 and 3, "The review is paused ... whilst a safeguarding
        # process takes place". A paused review has not reached its outcome.
        # The protective reading of 000 "Safeguarding and Deprivation of Liberty": the options
        # are offered where the concern is about the person, but a pause that is recorded is a
        # pause whoever the concern is about (a carer's review paused over the carer's own
        # safety, say). The review is provisional; a final outcome and a next review date
        # would tell the person it is over when it has not resumed.
        interim = option == "pause_with_interim_support"
        states.append(
            Provisional(
                "safeguarding_pause",
                "the review is paused while the safeguarding process takes place"
                + (
                    ", and urgent interim support is arranged so that needs are met"
                    if interim
                    else ""
                ),
                "the outcome of the review, and the date of the next review, once it resumes",
                "The review is paused while a safeguarding enquiry takes place: the outcome is "
                "provisional and no next review date is set until the review resumes "
                '(000 "Safeguarding", options 2 and 3).',
                "the review is paused for now"
                + (", and extra support is arranged so that needs are met" if interim else "")
                + "; we will be in touch about what happens next",
            )
        )
    if advocacy_duty_unmet(review):
        person = review["subject"].get("appropriate_person")
        why_not = (
            f" {person['name']} is named as appropriate person but not recorded as able to "
            "support and represent the person's involvement "
            '(subject.appropriate_person.supports_involvement; 004 "An appropriate person for '
            'general representation purposes is not the same").'
            if person
            else ""
        )
        # 004 "If you are aware that advocacy support is required and is not yet available you
        # must not proceed to carry out any Care and Support process until it is in place".
        states.append(
            Provisional(
                "advocate_pending",
                "we are referring for an independent advocate; only urgent interim measures "
                "can be agreed until the advocate is in place",
                "the outcome of the review and any change to the plan, with the advocate's support",
                "An independent advocate must be in place before any Care and Support process "
                "goes ahead (reassessment, plan changes); only urgent interim measures may be "
                'agreed without one (004 "What to do if Independent Advocacy is not available '
                'or delayed"). The outcome is provisional and no next review date is set.'
                + why_not,
            )
        )
    if (review.get("decision") or {}).get("manager_advice_pending"):
        # 003 "If you remain unclear about outcome you should seek advice from your line
        # manager about how best to proceed" (000 the same for light touch).
        states.append(
            Provisional(
                "manager_decision_pending",
                "the practitioner is asking their line manager for advice about the outcome",
                "the outcome of the review, after that advice",
                "The practitioner is seeking their line manager's advice on the outcome "
                '(003 "If you remain unclear about outcome you should seek advice from your '
                'line manager"): the outcome is provisional and no next review date is set.',
            )
        )
    reasons = escalation_reasons(review)
    if reasons:
        # 000 "You should refer to the full review procedures if the response identifies
        # that": a light touch review that must become a full review decides nothing final.
        states.append(
            Provisional(
                "escalated",
                "a full review will be carried out, because " + _join(reasons),
                "the outcome, any change to the plan or the personal budget, and the date of "
                "the next review, at the full review",
                "This light touch review must become a full review: its outcome is provisional "
                "and no next review date is set until the full review "
                '(000 "You should refer to the full review procedures").',
            )
        )
    return states


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def is_provisional(review: Review) -> bool:
    return bool(provisional_states(review))
