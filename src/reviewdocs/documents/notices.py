"""The notices letters carry: financial assessment (002), carer's leave (000), advocacy
(002, 004) and the right to complain (002, 003)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewdocs.decision.findings import advocacy_duty_unmet
from reviewdocs.documents.wording import Voice, cap


def notices(
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice, document: str
) -> dict[str, Any]:
    actions = set(decided.get("actions") or [])
    p, o = voice.poss, voice.obj
    subject = review["subject"]
    general_money = (
        "A financial assessment may need to take place after the review if "
        f"{p} financial circumstances have changed, or if the care and support services "
        "the council provides change. The outcome of the financial assessment will decide "
        f"whether there will be any change to {p} current financial contribution."
    )
    carer_at_work = review["review"].get("plan_type") == "carer_support_plan" and subject.get(
        "in_work"
    )
    leave = ""
    if "carers_leave_information" in actions or (
        document == "review_information_letter" and carer_at_work
    ):
        # 000 "If the carer works, always check that they are aware of their right to
        # unpaid leave under the Carers Leave Act 2023."
        leave = (
            "The Carers Leave Act 2023 gives employees the right to take up to one week of "
            "unpaid leave every 12 months to give or arrange care for someone who needs it. "
            f"The right applies from the first day of a job. {cap(o)} can ask "
            f"{'your' if voice.direct else 'their'} employer about it."
        )
    advocate = review.get("advocate")
    if advocate:
        advocacy = (
            f"{advocate.get('name')}"
            + (f" from {advocate['organisation']}" if advocate.get("organisation") else "")
            + f" is {p} advocate and can support {o} before, during and after the review."
        )
    elif subject.get("advocacy_declined") is True:
        # 004 "If a person decides that they do not wish to engage in the advocacy support
        # that has been made available to them they do not have to do so, but the Local
        # Authority must still provide it."
        advocacy = (
            f"An independent advocate was made available to {o}, and {o} decided not to use "
            f"one. The council still provides advocacy: if {o} would like an advocate at any "
            "time, please tell us and we will arrange one. Advocacy is free."
        )
    elif advocacy_duty_unmet(dict(review)):
        # 002 "As soon as this is established you must consider whether the duty to make
        # independent advocacy applies and, if so make the necessary arrangements"; 004 "you
        # must not proceed to carry out any Care and Support process until it is in place".
        advocacy = (
            f"An independent advocate can help {o} take part in the review and make sure "
            f"{p} views are heard. As {o} may find it hard to take part and there is no one "
            f"appropriate to support {o}, we are arranging an independent advocate. The review "
            "will not go ahead until the advocate is in place. Advocacy is free."
        )
    else:
        advocacy = (
            "An independent advocate can help someone take part in their review and make sure "
            f"their views are heard. If {o} would find it hard to take part, and there is no "
            "family member or friend who can help, please tell us. We will consider arranging "
            "an advocate. Advocacy is free."
        )
    return {
        # 002 "You must inform the person ... that a financial assessment may need to take place"
        "financial_assessment": general_money if "financial_assessment_notice" in actions else "",
        "financial_assessment_general": general_money,
        "carers_leave": leave,
        # 003 "You must also make the carer aware of their right to complain"
        "show_complaints": "right_to_complain" in actions,
        "right_to_complain": _complaint_words(document, p),
        "advocacy": advocacy,
    }


def _complaint_words(document: str, poss: str) -> str:
    """What the right to complain is about, for this document."""
    about = {
        # 002 "If the person is not happy about any delays ... make them aware of their
        # right to complain"
        "review_delay_letter": "If you are not happy about the delay",
        "review_information_letter": "If you are not happy with how the review is arranged "
        "or carried out, or with its outcome",
        # 003 "make the carer aware of their right to complain about your decision"
        "amendment_decision_letter": "If you are not happy with our decision about the request",
    }.get(document, "If you are not happy with the decision we have made")
    return (
        f"{about}, you have the right to complain. We will look into your complaint and "
        f"reply to you. Making a complaint will not affect {poss} support."
    )
