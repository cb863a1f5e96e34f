"""The one place a template's context is built: the validated review plus plain words.

Templates see the validated review's own fields as they are (``subject.name``,
``review.id``, ``findings.plan.in_place``...) so admin staff can add any of them in
Word, and the derived content below (``letter``, ``sections``, ``next_steps``...),
already in plain words. Every derived key is always present (``None``, ``""`` or
``[]`` when it does not apply), because templates run with StrictUndefined: a
missing field must be an error, never a silent blank in a legal letter.

Content that repeats a section of the record (the subject's own words, the views of
others) is only shown when that section is in ``decision["required_sections"]``, so
a shared copy that omits a section (003 "To share the record partially, omitting
sections") carries no trace of it anywhere else in the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from reviewdocs import codes
from reviewdocs.dates import long_date
from reviewdocs.documents import letters, wording
from reviewdocs.documents.letters import previous_date
from reviewdocs.documents.wording import Voice, cap, plan_name, voice_for

TITLES = {
    "review_information_letter": "Information about the review",
    "review_delay_letter": "Delay to the review",
    "telephone_follow_up_letter": "Telephone review follow-up letter",
    "review_record": "Review record",
    "outcome_letter": "Outcome of the review",
    "amendment_decision_letter": "Decision on a request to change the review record",
    "sharing_cover_letter": "Review record shared",
}
"""Document titles (Word and PDF properties, read out by screen readers): neutral,
because a letter may go to the person or to their representative."""

WITHHELD_NOTICE = "Some information has been withheld from this copy."
"""003 "To share the record partially": the copy says so, and says nothing of what."""

# Every derived field a template may use, besides the review's own (schemas.input_paths()):
# ``templates check`` accepts exactly these. tests/test_documents.py keeps it in step
# with what build_context really returns.
CONTEXT_EXTRA_PATHS: frozenset[str] = frozenset(
    {
        "amendment",
        "amendment.accepted",
        "amendment.decision_reason",
        "amendment.decision_text",
        "amendment.evidence",
        "amendment.new_version",
        "amendment.opening",
        "amendment.reason",
        "amendment.requested",
        "amendment.requested[]",
        "amendment.requested_by",
        "amendment.title",
        "amendment_log",
        "amendment_log[]",
        "decided.actions",
        "decided.actions[]",
        "decided.escalate_to_full_review",
        "decided.next_review_by",
        "decided.outcome",
        "decided.outcome_number",
        "decided.reassessment_required",
        "decided.required_sections",
        "decided.required_sections[]",
        "decided.review_id",
        "decided.warnings",
        "decided.warnings[]",
        "delay",
        "delay.if_things_change",
        "delay.next_contact",
        "delay.opening",
        "delay.reason",
        "delay.timeframe",
        "easy.complain",
        "easy.complain[]",
        "easy.contact",
        "easy.contact[]",
        "easy.info.about",
        "easy.info.about[]",
        "easy.info.help",
        "easy.info.help[]",
        "easy.info.purpose",
        "easy.info.purpose[]",
        "easy.info.questions",
        "easy.info.questions[]",
        "easy.info.when",
        "easy.money",
        "easy.money[]",
        "easy.money_general",
        "easy.money_general[]",
        "easy.next_review",
        "easy.next_steps",
        "easy.next_steps[]",
        "easy.outcome",
        "easy.outcome_more",
        "easy.outcome_more[]",
        "easy.record.about",
        "easy.record.about[]",
        "easy.record.found",
        "easy.record.found[]",
        "easy.work",
        "easy.work[]",
        "facts.cared_for",
        "facts.cared_for_label",
        "facts.method",
        "facts.plan",
        "facts.review_type",
        "facts.trigger",
        "info.format",
        "info.opening",
        "info.purpose",
        "info.questions",
        "info.questions[].heading",
        "info.questions[].questions",
        "info.questions[].questions[]",
        "info.questions_intro",
        "info.timeframe",
        "info.what_to_expect",
        "info.what_to_expect[]",
        "letter.Your",
        "letter.about",
        "letter.address",
        "letter.addressee_name",
        "letter.advocate_note",
        "letter.copy_to",
        "letter.salutation",
        "letter.sender_address",
        "letter.to_representative",
        "letter.your",
        "meta.amended",
        "meta.amendment_notice",
        "meta.copy_for",
        "meta.document",
        "meta.produced",
        "meta.title",
        "meta.version",
        "meta.withheld",
        "meta.withheld_notice",
        "next_review.date",
        "next_review.text",
        "next_steps",
        "next_steps[]",
        "notices.advocacy",
        "notices.carers_leave",
        "notices.financial_assessment",
        "notices.financial_assessment_general",
        "notices.right_to_complain",
        "notices.show_complaints",
        "outcome.code",
        "outcome.number",
        "outcome.reassessment",
        "outcome.text",
        "outcome_letter.opening",
        "outcome_letter.record_enclosed",
        "own_words",
        "own_words.heading",
        "own_words.text",
        "own_words.whose",
        "people",
        "people[].consented",
        "people[].name",
        "people[].organisation",
        "people[].role",
        "people_intro",
        "plan.name",
        "rationale",
        "regard",
        "regard[].heading",
        "regard[].text",
        "sections",
        "sections[].code",
        "sections[].heading",
        "sections[].narrative",
        "sections[].questions",
        "sections[].questions[].answer",
        "sections[].questions[].question",
        "shared_copy",
        "shared_copy.basis",
        "shared_copy.confidential",
        "shared_copy.confidential[]",
        "shared_copy.opening",
        "telephone.corrections",
        "telephone.formal_record",
        "telephone.opening",
        "telephone.summary",
        "telephone.summary[]",
    }
)


def build_context(
    review: Mapping[str, Any],
    decision: Mapping[str, Any] | None,
    *,
    document: str,
    produced: dt.date,
    version: int = 1,
    recipient: Mapping[str, Any] | None = None,
    withheld: bool = False,
    amendment: Mapping[str, Any] | None = None,
    previous: Mapping[str, Any] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """Everything a template may print, from the validated review and the decision.

    ``decision`` is spec section 3's dict (``None`` for a planned review, which has
    no findings yet). ``recipient`` is the sharing recipient a copy is made for;
    ``amendment`` and ``previous`` (``{"version", "produced"}`` of the record being
    replaced) describe an amendment (spec section 5). ``only``: the top-level names a
    template reads; the derived ones it does not read are not built (a batch letter
    need not pay for the easy read summary), and ``meta`` always is.
    """
    decided = dict(decision) if decision else _no_decision(review)
    letter_to = addressee(review, recipient if document == "sharing_cover_letter" else None)
    record = document == "review_record"
    voice = voice_for(review["subject"], direct=letter_to["is_subject"] and not record)
    # The easy read summary of the record is written to its reader, like a letter.
    reader = voice_for(review["subject"], direct=letter_to["is_subject"])
    required = list(decided["required_sections"])
    outcome = outcome_words(review, decided, voice)
    rationale = rationale_words(review, decided, voice, required, withheld=withheld)
    derived: dict[str, Callable[[], Any]] = {
        "decided": lambda: decided,
        "meta": lambda: meta(
            review,
            document,
            produced,
            version,
            recipient=recipient,
            withheld=withheld,
            amendment=amendment,
            previous=previous,
        ),
        "letter": lambda: letter_block(review, letter_to, voice, document),
        "plan": lambda: {"name": plan_name(review)},
        "facts": lambda: facts(review),
        "outcome": lambda: outcome,
        "rationale": lambda: rationale,
        "sections": lambda: sections(
            review, required, voice, outcome["text"], rationale, withheld=withheld
        ),
        "regard": lambda: regard(review, required, decided, voice),
        "next_steps": lambda: next_steps(
            review, decided, voice, letter=not record, document=document
        ),
        "next_review": lambda: next_review(review, decided, voice),
        "own_words": lambda: own_words(review, required, voice),
        "people": lambda: people(review),
        "people_intro": lambda: people_intro(review, voice),
        "notices": lambda: notices(review, decided, voice, document),
        "info": lambda: letters.information(review, voice),
        "delay": lambda: letters.delay(review, voice),
        "telephone": lambda: letters.telephone(review, required, voice),
        "outcome_letter": lambda: letters.outcome_letter(review, voice),
        "amendment": lambda: letters.amendment_words(review, amendment, previous, version, voice),
        "amendment_log": lambda: letters.amendment_log(amendment, document),
        "shared_copy": lambda: letters.shared_copy(review, recipient, voice),
        "easy": lambda: letters.easy(review, decided, required, reader),
    }
    ctx: dict[str, Any] = dict(review)
    for name, build in derived.items():
        if only is None or name in only or name == "meta":
            ctx[name] = build()
    return ctx


def _no_decision(review: Mapping[str, Any]) -> dict[str, Any]:
    """A planned review has no decision yet: an empty one keeps every key present."""
    return {
        "review_id": review["review"]["id"],
        "outcome": None,
        "outcome_number": None,
        "reassessment_required": False,
        "escalate_to_full_review": False,
        "required_sections": [],
        "actions": [],
        "next_review_by": None,
        "warnings": [],
    }


# --- who the letter goes to (002, 003) -------------------------------------------------


def addressee(
    review: Mapping[str, Any], recipient: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Who a letter is addressed to.

    002 "You should let the person themselves know ... unless: 1. They have
    requested you liaise with a nominated representative ...; or 2. They lack
    capacity": then the appropriate person (their ``appropriate_person``) gets it;
    002 "Where available this should be a person legally authorised to represent
    them ... or an independent advocate": with no appropriate person, the advocate.
    A person who lacks capacity with no representative recorded still gets the
    letter themselves (it must go to someone; the practitioner should add one).
    A sharing cover letter goes to the recipient of the copy.
    """
    subject = review["subject"]
    if recipient is not None:
        return _party(recipient, is_subject=False, relationship=None)
    representative = subject.get("appropriate_person")
    wants_rep = bool(subject.get("correspondence_to_representative"))
    lacks_capacity = subject.get("has_capacity") is False
    if representative and (wants_rep or lacks_capacity):
        return _party(
            representative, is_subject=False, relationship=representative.get("relationship")
        )
    advocate = review.get("advocate")
    if advocate and lacks_capacity:
        return _party(advocate, is_subject=False, relationship="advocate")
    party = _party(subject, is_subject=True, relationship=None)
    party["salutation_name"] = wording.first_name(subject)
    return party


def _party(who: Mapping[str, Any], *, is_subject: bool, relationship: str | None) -> dict[str, Any]:
    lines = address_lines(who.get("address"), who.get("postcode"))
    return {
        "name": who.get("name") or "",
        "address": "\n".join(lines),
        "is_subject": is_subject,
        "relationship": relationship,
        "salutation_name": who.get("name") or "Sir or Madam",
    }


def address_lines(address: Any, postcode: Any = None) -> list[str]:
    """Address lines from a list or a multi-line string, postcode last (once)."""
    if not address:
        lines: list[str] = []
    elif isinstance(address, str):
        lines = [part.strip() for part in address.replace(",", "\n").splitlines() if part.strip()]
    else:
        lines = [str(line) for line in address if line]
    if postcode and postcode not in lines:
        lines.append(str(postcode))
    return lines


def letter_block(
    review: Mapping[str, Any], to: Mapping[str, Any], voice: Voice, document: str
) -> dict[str, Any]:
    """The addressee, salutation, and who else is told (003: the advocate is informed)."""
    subject = review["subject"]
    advocate = review.get("advocate")
    copy_to = ""
    advocate_note = ""
    if advocate and to.get("relationship") != "advocate" and document != "sharing_cover_letter":
        org = f", {advocate['organisation']}" if advocate.get("organisation") else ""
        copy_to = f"{advocate.get('name')}, independent advocate{org}"
        if document in ("outcome_letter", "telephone_follow_up_letter", "review_record"):
            # 003 "If an advocate is already involved they should be informed when the
            # review has been provided to the carer so that they can support them".
            advocate_note = (
                f"We have let {advocate.get('name')} know that the review record has been "
                f"sent, so that they can help {voice.obj} understand it."
            )
    about = ""
    if not to["is_subject"]:
        about = f"About: {subject.get('name')} (reference {subject.get('reference')})"
    la = review["review"]["local_authority"]
    return {
        "addressee_name": to["name"],
        "address": to["address"],
        "to_representative": not to["is_subject"] and document != "sharing_cover_letter",
        "salutation": f"Dear {to['salutation_name']}",
        "about": about,
        "your": voice.poss,
        "Your": voice.Poss,
        "copy_to": copy_to,
        "advocate_note": advocate_note,
        "sender_address": "\n".join(address_lines(la.get("address"))),
    }


# --- meta -----------------------------------------------------------------------------


def meta(
    review: Mapping[str, Any],
    document: str,
    produced: dt.date,
    version: int,
    *,
    recipient: Mapping[str, Any] | None,
    withheld: bool,
    amendment: Mapping[str, Any] | None,
    previous: Mapping[str, Any] | None,
) -> dict[str, Any]:
    amended = bool(amendment) and document == "review_record"
    notice = ""
    if amended and previous:
        # Spec 5: "headed as the amended version that supersedes version N of date D".
        notice = (
            f"This amended version (version {version}) supersedes version "
            f"{previous.get('version')} of {long_date(previous_date(previous))}."
        )
    copy_for = ""
    if recipient and document == "review_record":
        copy_for = f"Copy for {recipient.get('name')}"
    return {
        "document": document,
        "title": title(review, document),
        "version": version,
        "produced": produced,
        "withheld": withheld,
        "withheld_notice": WITHHELD_NOTICE if withheld else "",
        "amended": amended,
        "amendment_notice": notice,
        "copy_for": copy_for,
    }


def title(review: Mapping[str, Any], document: str) -> str:
    """The document's title, with the subject's name: "Review record — Maria Lewis"."""
    return f"{TITLES[document]} — {review['subject'].get('name')}"


def facts(review: Mapping[str, Any]) -> dict[str, str]:
    r = review["review"]
    cared_for = review.get("cared_for")
    carer = review.get("carer")
    other = cared_for or carer
    label = "Person cared for" if cared_for else "Carer"
    method = wording.METHODS.get(r.get("method") or "", "")
    joint = r.get("joint_organisation")
    if r.get("method") == "joint" and joint:
        method = f"Jointly with {joint.get('name')}"
    return {
        "review_type": wording.REVIEW_TYPES.get(r.get("review_type") or "", ""),
        "method": method,
        "trigger": wording.TRIGGERS.get(r.get("trigger") or "", ""),
        "plan": plan_name(review)[:1].upper() + plan_name(review)[1:],
        "cared_for": f"{other.get('name')} ({other.get('relationship')})" if other else "",
        "cared_for_label": label,
    }


# --- the outcome and why (003) --------------------------------------------------------


def outcome_words(
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice
) -> dict[str, Any]:
    code = decided.get("outcome")
    text = wording.OUTCOMES[code].format(plan=plan_name(review)) if code else ""
    reassessment = ""
    if decided.get("reassessment_required"):
        # 000 "If there has been a change in need the outcome of the review must be to
        # carry out a proportionate reassessment of need."
        reassessment = (
            f"Because {voice.poss} needs have changed, we will reassess them. "
            "The reassessment will use what we learned at the review."
        )
    return {
        "code": code,
        "number": decided.get("outcome_number"),
        "text": text,
        "reassessment": reassessment,
    }


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
    that show the plan is working. Only findings of sections in the document are used,
    so a copy that omits a section does not repeat it here.
    """
    given = (review.get("decision") or {}).get("rationale")
    if given:
        return str(given)
    outcome = decided.get("outcome")
    if not outcome:
        return ""
    found = wording.evidence(review.get("findings") or {}, voice, required, withheld=withheld)
    if outcome == "no_change":
        good = [text for ok, text in found if ok]
        if good:
            return "At the review we found that " + wording.join_clauses(good) + "."
    else:
        bad = [text for ok, text in found if not ok]
        if bad:
            return "The plan needs to change because " + wording.join_clauses(bad) + "."
    return "The findings recorded in the review support this outcome."


def sections(
    review: Mapping[str, Any],
    required: Sequence[str],
    voice: Voice,
    outcome_text: str,
    rationale: str,
    *,
    withheld: bool = False,
) -> list[dict[str, Any]]:
    """Each required section, in record order: heading, structured findings, narrative.

    003 "The following information must be clearly but proportionately recorded in
    all cases" and "should be clearly recorded where relevant": exactly the sections
    the decision requires, in ``codes.SECTIONS`` order.
    """
    narrative = review.get("narrative") or {}
    extra = {"outcome": outcome_text, "rationale": rationale}
    ordered = [code for code in codes.SECTIONS if code in required]
    return [
        {
            "code": code,
            "heading": wording.section_heading(code, voice),
            "questions": wording.section_questions(code, review, voice, extra, withheld=withheld),
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
    f = review.get("findings") or {}
    views = f.get("views") or {}
    items = []
    if "views_on_changes" in required:
        agrees = views.get("subject_agrees_with_outcome")
        if agrees is not None:
            text = (
                f"{voice.obj} agrees with the outcome."
                if agrees
                else f"{voice.obj} does not agree with the outcome. "
                "This has been considered, and the reasons for the decision are given above."
            )
            items.append({"heading": f"{voice.Poss} views", "text": cap(text)})
    wellbeing = (review.get("narrative") or {}).get("changes_and_wellbeing_impact")
    if not (wellbeing and "changes_and_wellbeing_impact" in required):
        wellbeing = _wellbeing_default(decided.get("outcome"), voice)
    items.append({"heading": f"The effect on {voice.poss} wellbeing", "text": wellbeing})
    items.append({"heading": "Views of others involved", "text": _others(review, required, views)})
    return items


def _wellbeing_default(outcome: str | None, voice: Voice) -> str:
    if outcome == "no_change":
        return (
            f"Keeping the plan as it is keeps in place the support that is working for {voice.obj}."
        )
    return (
        f"The changes aim to make sure the plan meets {voice.poss} needs and supports "
        f"{voice.poss} wellbeing."
    )


def _others(review: Mapping[str, Any], required: Sequence[str], views: Mapping[str, Any]) -> str:
    participants = review.get("participants") or []
    if not participants:
        return "No one else took part in the review."
    others_agree = views.get("others_agree")
    if others_agree is None:
        return "The views of the others involved were considered."
    if others_agree:
        return "The others involved in the review agree with the outcome."
    where = (
        " Their views are set out under the difference of views."
        if "difference_of_views" in required
        else ""
    )
    return "Not everyone involved in the review agrees with the outcome." + where


# --- next steps and the next review ---------------------------------------------------


OWN_SECTION_IN_LETTERS = frozenset(
    {"financial_assessment_notice", "carers_leave_information", "right_to_complain"}
)


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
    telephone follow-up letter does not promise itself (002 "a follow up letter").
    """
    out = []
    for code in decided.get("actions") or []:
        if letter and code in OWN_SECTION_IN_LETTERS:
            continue
        if code == document:
            continue
        sentence = wording.action_sentence(code, voice, review, letter=letter)
        if sentence:
            out.append(sentence)
    return out


def next_review(
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice
) -> dict[str, Any]:
    """The next review date, or why there is none yet (003 item 11 "the proposed
    timeframe for the next review")."""
    when = decided.get("next_review_by")
    monitoring = (review.get("decision") or {}).get("monitoring_review_by")
    if when:
        text = f"The next review will take place by {long_date(when)}."
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
    if monitoring:
        text += f" We will check how things are going by {long_date(monitoring)}."
    date = dt.date.fromisoformat(when) if isinstance(when, str) else when
    return {"date": date, "text": text.strip()}


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
    practitioner = review["review"]["practitioner"].get("name")
    if review.get("participants"):
        return f"As well as {voice.obj} and {practitioner}, these people took part in the review:"
    return f"{cap(voice.obj)} and {practitioner} took part in the review. No one else took part."


# --- notices (002, 000, 003) -----------------------------------------------------------


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


def context_paths(value: Any, prefix: str = "") -> set[str]:
    """The field paths in a context, in the schema's notation (``people[].name``)."""
    if isinstance(value, Mapping):
        out: set[str] = set()
        for key, item in value.items():
            out |= context_paths(item, f"{prefix}.{key}" if prefix else str(key))
        return out or {prefix}
    if isinstance(value, list | tuple):
        out = {prefix}
        for item in value:
            out |= context_paths(item, f"{prefix}[]")
        return out
    return {prefix}
