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
from collections.abc import Mapping, Sequence
from typing import Any

from reviewdocs import codes
from reviewdocs.documents import wording
from reviewdocs.documents.wording import Voice, long_date, voice_for

TITLES = {
    "review_information_letter": "Information about your review",
    "review_delay_letter": "Your review: a short delay",
    "telephone_follow_up_letter": "Confirming our telephone conversation",
    "review_record": "Review record",
    "outcome_letter": "The outcome of your review",
    "amendment_decision_letter": "Your request to change the review record",
    "sharing_cover_letter": "Review record shared with you",
}

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
) -> dict[str, Any]:
    """Everything a template may print, from the validated review and the decision.

    ``decision`` is spec section 3's dict (``None`` for a planned review, which has
    no findings yet). ``recipient`` is the sharing recipient a copy is made for;
    ``amendment`` and ``previous`` (``{"version", "produced"}`` of the record being
    replaced) describe an amendment (spec section 5).
    """
    decided = dict(decision) if decision else _no_decision(review)
    letter_to = addressee(review, recipient if document == "sharing_cover_letter" else None)
    record = document == "review_record"
    voice = voice_for(review["subject"], direct=letter_to["is_subject"] and not record)
    # The easy read summary of the record is written to its reader, like a letter.
    reader = voice_for(review["subject"], direct=letter_to["is_subject"])
    required = list(decided["required_sections"])
    outcome = outcome_words(review, decided, voice)
    rationale = rationale_words(review, decided, voice, required)
    steps = next_steps(review, decided, voice, letter=not record)
    ctx: dict[str, Any] = dict(review)
    ctx.update(
        decided=decided,
        meta=meta(
            review,
            document,
            produced,
            version,
            recipient=recipient,
            withheld=withheld,
            amendment=amendment,
            previous=previous,
        ),
        letter=letter_block(review, letter_to, voice, document),
        plan={"name": plan_name(review)},
        facts=facts(review),
        outcome=outcome,
        rationale=rationale,
        sections=sections(review, required, voice, outcome["text"], rationale),
        regard=regard(review, required, decided, voice),
        next_steps=steps,
        next_review=next_review(review, decided, voice),
        own_words=own_words(review, required, voice),
        people=people(review),
        people_intro=people_intro(review, voice),
        notices=notices(review, decided, voice, document),
        info=information(review, voice),
        delay=delay(review, voice),
        telephone=telephone(review, required, voice),
        outcome_letter=outcome_letter(review, voice),
        amendment=amendment_words(review, amendment, previous, version, voice),
        amendment_log=amendment_log(amendment, document),
        shared_copy=shared_copy(review, recipient, voice),
        easy=easy(review, decided, required, reader),
    )
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
            f"{previous.get('version')} of {long_date(_previous_date(previous))}."
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


def _previous_date(previous: Mapping[str, Any]) -> Any:
    return previous.get("produced") or previous.get("produced_on") or previous.get("date")


def title(review: Mapping[str, Any], document: str) -> str:
    """The document's title, with the subject's name: "Review record — Maria Lewis"."""
    return f"{TITLES[document]} — {review['subject'].get('name')}"


def plan_name(review: Mapping[str, Any]) -> str:
    return wording.PLAN_NAMES.get(review["review"].get("plan_type") or "", "support plan")


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
    found = _evidence(review.get("findings") or {}, voice, required)
    if outcome == "no_change":
        good = [text for ok, text in found if ok]
        if good:
            return "At the review we found that " + _join_clauses(good) + "."
    else:
        bad = [text for ok, text in found if not ok]
        if bad:
            return "The plan needs to change because " + _join_clauses(bad) + "."
    return "The findings recorded in the review support this outcome."


_EVIDENCE: tuple[tuple[str, tuple[str, ...], Any, str, str], ...] = (
    # (section, finding path, the value that means "working", good words, bad words)
    (
        "plan_elements",
        ("plan", "in_place"),
        True,
        "the support in the plan is in place",
        "some support in the plan is not in place",
    ),
    (
        "plan_elements",
        ("plan", "working"),
        True,
        "the support is working as intended",
        "some support is not working as intended",
    ),
    (
        "needs_and_circumstances",
        ("needs", "changed"),
        False,
        "{p} needs have not changed",
        "{p} needs have changed",
    ),
    (
        "needs_and_circumstances",
        ("needs", "circumstances_changed"),
        False,
        "{p} circumstances have not changed",
        "{p} circumstances have changed",
    ),
    (
        "outcomes",
        ("outcomes", "achieved"),
        "yes",
        "the outcomes in the plan are being achieved",
        "some outcomes in the plan are not yet achieved",
    ),
    (
        "outcomes",
        ("outcomes", "new_outcomes"),
        [],
        "there are no new outcomes",
        "there are new outcomes to work towards",
    ),
    (
        "risk",
        ("risk", "managed"),
        True,
        "risks are well managed",
        "the plan is not managing risk well",
    ),
    (
        "contingency",
        ("risk", "contingency_working"),
        True,
        "the contingency plan is working",
        "the contingency plan is not working",
    ),
    (
        "budget_sufficiency",
        ("budget", "sufficient"),
        True,
        "the personal budget is still enough",
        "the personal budget is no longer enough",
    ),
    (
        "budget_management",
        ("budget", "management_working"),
        True,
        "the way the budget is managed is working",
        "the way the budget is managed is not working",
    ),
    (
        "informal_support",
        ("informal_support", "changed"),
        False,
        "support from family and friends has not changed",
        "support from family and friends has changed",
    ),
)


def _evidence(
    f: Mapping[str, Any], voice: Voice, required: Sequence[str]
) -> list[tuple[bool, str]]:
    out = []
    for section, path, working, good, bad in _EVIDENCE:
        value = wording._get(f, *path)
        if section not in required or value is None:
            continue
        ok = value == working
        out.append((ok, (good if ok else bad).format(p=voice.poss)))
    return out


def _join_clauses(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def sections(
    review: Mapping[str, Any],
    required: Sequence[str],
    voice: Voice,
    outcome_text: str,
    rationale: str,
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
            "questions": wording.section_questions(code, review, voice, extra),
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
            items.append({"heading": f"{voice.Poss} views", "text": _cap(text)})
    wellbeing = (review.get("narrative") or {}).get("changes_and_wellbeing_impact")
    if not (wellbeing and "changes_and_wellbeing_impact" in required):
        wellbeing = _wellbeing_default(decided.get("outcome"), voice)
    items.append({"heading": f"The effect on {voice.poss} wellbeing", "text": wellbeing})
    items.append({"heading": "Views of others involved", "text": _others(review, required, views)})
    return items


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    review: Mapping[str, Any], decided: Mapping[str, Any], voice: Voice, *, letter: bool
) -> list[str]:
    """One sentence per action, in the decision's order (spec 3 action codes).

    Letters give the financial assessment, carer's leave and complaints their own
    headed sections, so those actions are not repeated as next steps there.
    """
    out = []
    for code in decided.get("actions") or []:
        if letter and code in OWN_SECTION_IN_LETTERS:
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
    """The subject's own words, quoted (000 "record this word for word")."""
    words = wording._get(review.get("findings"), "views", "subject")
    if not words or "views_on_changes" not in required:
        return None
    return {"whose": voice.poss, "text": wording.quoted(str(words))}


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
    return f"{_cap(voice.obj)} and {practitioner} took part in the review. No one else took part."


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
            f"The right applies from the first day of a job. {_cap(o)} can ask "
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
        f"{_cap(o)} can have someone there for support, such as a family member or friend.",
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
    timeframe = f"The review is planned for {when}." if when else ""
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
                wording.LIGHT_TOUCH_QUESTIONS if light else wording.FULL_QUESTIONS
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


def telephone(review: Mapping[str, Any], required: Sequence[str], voice: Voice) -> dict[str, Any]:
    """002 "a follow up letter confirming the conversation and outcome should be sent to
    the person as a formal record"."""
    r = review["review"]
    return {
        "opening": (
            f"Thank you for talking with {r['practitioner'].get('name')} by telephone on "
            f"{long_date(r.get('date'))} about the review of {voice.poss} {plan_name(review)}."
        ),
        "formal_record": (
            "This letter confirms what we talked about and the outcome. "
            "It is the formal record of our telephone conversation."
        ),
        "summary": _findings_summary(review, required, voice),
        "corrections": (
            "If anything in this letter is not as you remember it, or something is missing, "
            "please tell us. You can ask for the record to be changed."
        ),
    }


def _findings_summary(
    review: Mapping[str, Any], required: Sequence[str], voice: Voice
) -> list[str]:
    """What the review found, one short sentence per finding (telephone letter, easy read)."""
    found = _evidence(review.get("findings") or {}, voice, required)
    return [_cap(text) + "." for _, text in found]


def outcome_letter(review: Mapping[str, Any], voice: Voice) -> dict[str, str]:
    r = review["review"]
    return {
        "opening": (
            f"Thank you for taking part in the review of {voice.poss} {plan_name(review)} on "
            f"{long_date(r.get('date'))}. This letter tells you the outcome and what happens next."
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
) -> dict[str, Any] | None:
    """003 "Sometimes the carer or anyone else that was involved in the review may ask
    for amendments": the request, the decision, the reasons."""
    if not amendment:
        return None
    accepted = amendment.get("decision") == "accept"
    who = _requested_by(amendment)
    subject_name = review["subject"].get("name")
    by_subject = who in (subject_name, "subject", "")
    asker = "you" if by_subject and voice.direct else (subject_name if by_subject else who)
    opening = (
        f"On {long_date(amendment.get('date'))}, {asker} asked us to change the record of the "
        f"review of {voice.poss} {plan_name(review)}, held on "
        f"{long_date(review['review'].get('date'))}."
    )
    if not by_subject:
        # 003 "If the carer whose review it is has not made the request, consult with them"
        opening += (
            f" As the request was not made by {subject_name}, we asked for their views "
            "before deciding."
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
            f" of {long_date(_previous_date(previous))}"
            if previous and _previous_date(previous)
            else ""
        )
        + ". The earlier version is kept on file, marked as replaced."
    )
    return {
        "title": "Your request to change the review record: "
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
    """The amended record's log of what changed, when and why (spec 5)."""
    if not amendment or document != "review_record" or amendment.get("decision") != "accept":
        return []
    sections_changed = ", ".join(
        wording.SECTION_HEADINGS.get(code, code).format(poss="the", Poss="The")
        for code in (amendment.get("sections") or {})
    )
    return [
        f"{long_date(amendment.get('date'))}: {_requested_by(amendment)} asked for changes to: "
        f"{sections_changed}. Reason: {amendment.get('reason') or ''} "
        f"Decision: agreed. {amendment.get('decision_reason') or ''}".strip()
    ]


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


# --- easy read (issue 6) --------------------------------------------------------------


def easy(
    review: Mapping[str, Any],
    decided: Mapping[str, Any],
    required: Sequence[str],
    voice: Voice,
) -> dict[str, Any]:
    """Short sentences, one idea per line, key facts first, plain words (issue 6)."""
    r = review["review"]
    p, o = voice.poss, voice.obj
    la = r["local_authority"]
    practitioner = r["practitioner"]
    code = decided.get("outcome")
    outcome = wording.EASY_OUTCOMES[code].format(poss=p, Poss=voice.Poss) if code else ""
    more = []
    if decided.get("reassessment_required"):
        more += [f"{_cap(p)} needs have changed.", f"We will look at {p} needs again."]
    steps = [
        s for s in (wording.easy_step(c, voice, review) for c in decided.get("actions") or []) if s
    ]
    when = decided.get("next_review_by")
    next_review_text = (
        f"{_cap(p)} next review will be by {long_date(when)}."
        if when
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
            f"{_cap(o)} can take time off work to care.",
            "This can be up to 1 week each year.",
            "This time off is not paid.",
            f"{_cap(o)} can ask the employer about carer's leave.",
        ]
        if "carers_leave_information" in actions
        else []
    )
    when_review = long_date(r.get("date"))
    method = _easy_method(r.get("method"))
    return {
        "outcome": outcome,
        "outcome_more": more,
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
            "when": f"{_cap(p)} review is on {when_review}."
            if when_review
            else f"We will review {p} plan soon.",
            "about": [f"The review will be {method}.", f"{_cap(o)} can bring someone to help."],
            "purpose": [
                f"A review checks {p} plan.",
                "It checks the support is working.",
                "It checks if anything needs to change.",
            ],
            "questions": wording.EASY_QUESTIONS,
            "help": _easy_help(review, voice),
        },
        "record": {
            "about": [
                f"The review was on {when_review}.",
                f"It was {method}.",
                f"It was with {practitioner.get('name')}.",
            ],
            "found": _findings_summary(review, required, voice),
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
    return [
        "An advocate can help you have your say.",
        "An advocate is free.",
        "Tell us if you want one.",
    ]


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
