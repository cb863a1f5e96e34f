"""The letters' own wording: information, delay, telephone, outcome, amendment, sharing.

Each function returns the plain-words block one letter prints (``info``, ``delay``,
``telephone``...), built from the validated review; :func:`context.build_context`
puts them together. Easy read sentences (issue 6) are in ``easy_read``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reviewdocs.dates import long_date
from reviewdocs.documents import asking, wording
from reviewdocs.documents.record_findings import evidence
from reviewdocs.documents.wording import Voice, cap, plan_name


def previous_date(previous: Mapping[str, Any]) -> Any:
    """The date of the version an amendment replaces (the register calls it produced_on)."""
    return previous.get("produced") or previous.get("produced_on") or previous.get("date")


# --- the letters ----------------------------------------------------------------------


def information(review: Mapping[str, Any], voice: Voice) -> dict[str, Any]:
    """002 "The information that should be provided is as follows" (1-6), and 002
    "You should also provide a list of any questions": 000's simple questions for a
    light touch review, 001's fuller conversation for a full one."""
    r = review["review"]
    p, o = voice.poss, voice.obj
    plan = plan_name(review)
    light = r.get("review_type") == "light_touch"
    expect = [
        (
            "This will be a light touch review: a short conversation to check that the plan "
            "is still working well."
            if light
            else "This will be a full review: a conversation about what is working and what is "
            f"not, {p} outcomes, needs and any risks."
        ),
        f"{cap(o)} can have someone there for support, such as a family member or friend.",
        "We will not ask for information we already have, unless we need to check something.",
        "After the review we will decide the outcome and send a written record of the review.",
    ]
    carer = review.get("carer")
    if carer:
        expect.append(
            f"{carer.get('name')} will be asked to take part too, as the Care Act requires "
            "carers to be involved."
        )
    when = long_date(r.get("date"))
    expected = long_date(r.get("expected_start"))
    # 002 "The indicative timeframe for review (when will it begin and how long is it likely
    # to take)": the date when there is one, else the indicative start; ``planned_warnings``
    # warns when there is neither.
    if when:
        timeframe = f"The review is planned for {when}."
    elif expected:
        timeframe = (
            f"We expect the review to begin around {expected}. We will be in touch to agree "
            "the date."
        )
    else:
        timeframe = ""
    timeframe += (
        " A light touch review is usually one short conversation."
        if light
        else " A full review may take more than one conversation."
    )
    return {
        "opening": f"We are writing to let you know that we will soon review {p} {plan}.",
        "purpose": (
            f"A review checks how {p} {plan} is working: whether the support is in place and "
            f"working, whether {p} needs or circumstances have changed, and whether anything "
            "needs to change. The Care Act 2014 says we must review plans regularly."
        ),
        "what_to_expect": expect,
        "format": _format_sentence(review),
        "timeframe": timeframe.strip(),
        "questions_intro": (
            "As this is a light touch review, we will ask a few simple questions, such as:"
            if light
            else "As this is a full review, we will talk in more detail. These are the kinds of "
            "questions we will ask. You may like to think about them beforehand."
        ),
        "questions": [
            {"heading": heading, "questions": questions}
            for heading, questions in (
                asking.LIGHT_TOUCH_QUESTIONS if light else asking.FULL_QUESTIONS
            )
        ],
    }


def _format_sentence(review: Mapping[str, Any]) -> str:
    r = review["review"]
    method = r.get("method")
    joint = (r.get("joint_organisation") or {}).get("name") or "another organisation"
    return {
        "face_to_face": "The review will take place face to face.",
        "telephone": "The review will take place by telephone.",
        "online": "The review will take place online, by video call.",
        "combined": "The review will be combined with the review of another plan, "
        "so that nobody has to repeat themselves.",
        "joint": f"The review will be carried out jointly with {joint}.",
        "supported_self": "This will be a supported self review: the review is completed with "
        "support, and we agree the outcome together.",
        "delegated": "The review will be carried out on the council's behalf by another "
        "organisation. The council stays responsible for it.",
    }.get(method or "", "We will agree with you how the review will take place.")


def delay(review: Mapping[str, Any], voice: Voice) -> dict[str, str] | None:
    """002 "If you are not able to arrange the review at this first contact" (1-7)."""
    info = review["review"].get("delay")
    if not info:
        return None
    p, o = voice.poss, voice.obj
    agreed = info.get("agreed_timeframe")
    if isinstance(agreed, dt.date):
        timeframe = f"We have agreed that the review will take place by {long_date(agreed)}."
    else:
        # Typed as the practitioner wrote it ("By the end of January"): a label, not a
        # sentence, so its capitals and wording stay as typed.
        timeframe = f"The timeframe we agreed for the review: {agreed}" if agreed else ""
    contact = info.get("next_contact_by")
    phone = review["review"]["local_authority"].get("phone")
    return {
        "opening": (
            f"We are writing about the review of {p} {plan_name(review)}. We are not able to "
            "arrange the review yet. This letter explains why, and what we have agreed."
        ),
        "reason": str(info.get("reason") or ""),
        "timeframe": timeframe,
        "next_contact": f"We will contact {o} again by {long_date(contact)}." if contact else "",
        "if_things_change": (
            f"If {p} situation changes before the review, for example if needs increase or the "
            f"support stops working, please contact us straight away on {phone}, so that we can "
            "look at it sooner. If anyone is in immediate danger, call 999."
        ),
    }


def telephone(
    review: Mapping[str, Any], required: Sequence[str], voice: Voice, *, provisional: bool = False
) -> dict[str, Any]:
    """002 "a follow up letter confirming the conversation and outcome should be sent to
    the person as a formal record"."""
    r = review["review"]
    return {
        "opening": (
            f"Thank you for talking with {r['practitioner'].get('name')} by telephone on "
            f"{long_date(r.get('date'))} about the review of {voice.poss} {plan_name(review)}."
        ),
        "formal_record": (
            "This letter confirms what we talked about and "
            + (
                "where the review stands: there is no final outcome yet. "
                if provisional
                else "the outcome. "
            )
            + "It is the formal record of our telephone conversation."
        ),
        "summary": findings_summary(review, required, voice),
        "corrections": (
            "If anything in this letter is not as you remember it, or something is missing, "
            "please tell us. You can ask for the record to be changed."
        ),
    }


def findings_summary(review: Mapping[str, Any], required: Sequence[str], voice: Voice) -> list[str]:
    """What the review found, one short sentence per finding (telephone letter, easy read)."""
    found = evidence(review.get("findings") or {}, voice, required)
    return [cap(text) + "." for _, text in found]


def outcome_letter(
    review: Mapping[str, Any], voice: Voice, *, provisional: bool = False
) -> dict[str, str]:
    r = review["review"]
    return {
        "opening": (
            f"Thank you for taking part in the review of {voice.poss} {plan_name(review)} on "
            f"{long_date(r.get('date'))}. This letter tells you "
            + ("where the review stands" if provisional else "the outcome")
            + " and what happens next."
        ),
        "record_enclosed": (
            "The written record of the review is enclosed. Please read it, and tell us if "
            "anything is missing or not as you remember it."
        ),
    }


# --- amendments (003, spec 5) --------------------------------------------------------


def _requested_by(amendment: Mapping[str, Any]) -> str:
    who = amendment.get("requested_by")
    if isinstance(who, Mapping):
        return str(who.get("name") or "")
    return str(who or "")


def amendment_words(
    review: Mapping[str, Any],
    amendment: Mapping[str, Any] | None,
    previous: Mapping[str, Any] | None,
    version: int,
    voice: Voice,
    *,
    addressed_to: str = "",
) -> dict[str, Any] | None:
    """003 "Sometimes the carer or anyone else that was involved in the review may ask
    for amendments": the request, the decision, the reasons.

    The letter speaks to its reader: "Your request" only when the reader asked (the person,
    or the representative it is addressed to), otherwise the request of whoever asked.
    003 "If the carer whose review it is has not made the request, consult with them": the
    letter says they were consulted only when the amendment records it
    (``subject_consulted: true``), and says plainly when it records that they were not."""
    if not amendment:
        return None
    accepted = amendment.get("decision") == "accept"
    who = _requested_by(amendment)
    subject_name = review["subject"].get("name")
    by_subject = who in (subject_name, "subject", "")
    by_reader = (by_subject and voice.direct) or (bool(who) and who == addressed_to)
    asker = "you" if by_reader else (subject_name if by_subject else who)
    opening = (
        f"On {long_date(amendment.get('date'))}, {asker} asked us to change the record of the "
        f"review of {voice.poss} {plan_name(review)}, held on "
        f"{long_date(review['review'].get('date'))}."
    )
    consulted = amendment.get("subject_consulted")
    if not by_subject and consulted is True:
        whom = "you" if voice.direct else subject_name
        opening += (
            f" As the request was not made by {whom}, we asked for {voice.poss} views "
            "before deciding."
        )
    elif not by_subject and consulted is False:
        whom = "you" if voice.direct else subject_name
        opening += f" We did not ask for {voice.poss} views before deciding."
    whose = (
        "Your request"
        if by_reader
        else (f"{subject_name}'s request" if by_subject else f"A request from {who}")
    )
    requested = [
        f"{_heading_or_code(code, voice)}: {text}"
        for code, text in (amendment.get("sections") or {}).items()
    ]
    prev_version = (previous or {}).get("version") or max(version - 1, 1)
    new_version = (
        f"The amended record (version {prev_version + 1}) is enclosed. It replaces version "
        f"{prev_version}"
        + (
            f" of {long_date(previous_date(previous))}"
            if previous and previous_date(previous)
            else ""
        )
        + ". The earlier version is kept on file, marked as replaced."
    )
    return {
        "title": f"{whose} to change the review record: "
        + ("agreed" if accepted else "not agreed"),
        "opening": opening,
        "requested_by": who,
        "requested": requested,
        "reason": str(amendment.get("reason") or ""),
        "evidence": str(amendment.get("evidence") or ""),
        "accepted": accepted,
        "decision_text": "We have agreed to change the record."
        if accepted
        else "We have decided not to change the record.",
        "decision_reason": str(amendment.get("decision_reason") or ""),
        "new_version": new_version if accepted else "",
    }


def _heading_or_code(code: str, voice: Voice) -> str:
    if code in wording.SECTION_HEADINGS:
        return wording.section_heading(code, voice)
    return code


def amendment_log(amendment: Mapping[str, Any] | None, document: str) -> list[str]:
    """The amended record's log: every accepted amendment, oldest first (spec 5, 003).

    ``amendment["history"]`` holds the earlier accepted amendments, so version 3
    still says what changed in version 2. Each entry says what changed, who asked,
    why, the evidence and the decision.
    """
    if not amendment or document != "review_record" or amendment.get("decision") != "accept":
        return []
    return [_log_entry(a) for a in [*(amendment.get("history") or []), amendment]]


def _log_entry(amendment: Mapping[str, Any]) -> str:
    codes_changed = amendment.get("sections") or {}
    # In a partial copy the changed sections may all be withheld: say only that changes were asked.
    what = (
        "asked for changes to: "
        + ", ".join(
            wording.SECTION_HEADINGS.get(code, code).format(poss="the", Poss="The")
            for code in codes_changed
        )
        + "."
        if codes_changed
        else "asked for changes."
    )
    return (
        f"{long_date(amendment.get('date'))}: {_requested_by(amendment)} {what} "
        f"Reason: {amendment.get('reason') or ''} "
        f"Evidence: {amendment.get('evidence') or ''} "
        f"Decision: agreed. {amendment.get('decision_reason') or ''}"
    ).strip()


# --- sharing (003) --------------------------------------------------------------------


def shared_copy(
    review: Mapping[str, Any], recipient: Mapping[str, Any] | None, voice: Voice
) -> dict[str, Any] | None:
    """What is shared with a recipient, on what basis, and that it is confidential (003)."""
    if not recipient:
        return None
    subject = review["subject"]
    name = subject.get("name")
    bases = {
        # 003 "Where the review was carried out jointly with another organisation"
        "joint_organisation": "The review was carried out jointly with you, so a copy of the "
        "record is made available to you.",
        # 003 "If the carer consents a copy of the review should be shared with any service
        # provider who was involved in the review""
        "provider": f"You were involved in the review and provide support to {name}, and "
        f"{name} has agreed to the record being shared with you.",
        # 003 "A copy must also be shared with anyone that the carer requests"
        "requested_by_subject": f"{name} asked us to send you a copy.",
        # 003 "In all other cases a copy of the record can only be shared with any other
        # person with the carer's consent""
        "other": f"{name} has agreed to the record being shared with you.",
    }
    return {
        "opening": (
            f"Please find enclosed a copy of the record of the review of {name}'s "
            f"{plan_name(review)}, held on {long_date(review['review'].get('date'))}."
        ),
        "basis": bases.get(recipient.get("kind") or "", bases["other"]),
        "confidential": [
            f"The record contains personal and confidential information about {name}.",
            f"Please keep it secure and use it only to support {name}.",
            f"Do not share it with anyone else without {name}'s consent, unless the law "
            "requires it.",
            "When you no longer need it, please destroy it securely.",
        ],
    }
