"""The record's findings in plain words: one question list per section (003), and the
evidence clauses an outcome rests on (003 "evidence based and robust")."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from reviewdocs.codes import ALWAYS_SECTIONS
from reviewdocs.documents.wording import (
    ACHIEVED,
    NONE,
    NOT_RECORDED,
    ROLES,
    SAFEGUARDING_OPTIONS,
    STILL_TO_DECIDE,
    Voice,
    is_verbatim,
    join_list,
    quoted,
    yes_no,
)
from reviewdocs.documents.wording import get as _get

# --- structured findings, one question list per section (003) -------------------------

Question = tuple[str, str | None]


def section_questions(
    code: str,
    review: Mapping[str, Any],
    voice: Voice,
    extra: Mapping[str, Any],
    *,
    withheld: bool = False,
) -> list[dict[str, str]]:
    """The questions a section answers, each with its answer in plain words.

    A question whose answer is absent (``None``: not recorded, or removed from a
    shared copy) is left out entirely, so a redacted value leaves no trace. In a copy
    with information withheld, an empty list may be one that was emptied, so it is
    left out too rather than answered "None": a copy must never claim there were no
    new risks when they were withheld.
    """
    f = review.get("findings") or {}
    pairs = _QUESTIONS[code](f, review, voice, {**extra, "withheld": withheld})
    blank = {None, ""} | ({NONE} if withheld else set())
    return [{"question": q, "answer": a} for q, a in pairs if a is not None and a not in blank]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _or_missing(value: Any, x: Mapping[str, Any]) -> Any:
    """A text 003 always records: "Not recorded." when empty, so the gap is visible. In a copy
    with information withheld the value may have been removed, so it is left out instead."""
    if _blank(value) and not x.get("withheld"):
        return NOT_RECORDED
    return value


def _steps(r: Any, code: str, x: Mapping[str, Any], label: str = "Agreed:") -> Question:
    """The steps or changes agreed (003 where relevant 2-6): typed by the practitioner in
    ``narrative.<code>``, printed under the heading; when empty, the record says plainly
    that they were not recorded, or that they are still to be decided."""
    if not _blank(_get(r, "narrative", code)) or x.get("withheld"):
        return (label, None)
    if x.get("provisional"):
        return (label, STILL_TO_DECIDE)
    if x.get("reassessment"):
        # 000 "The reassessment must make effective use of the information gathered during
        # the review": what changes is agreed through the reassessment, not at the review.
        return (label, "To be agreed through the reassessment of needs.")
    return (label, NOT_RECORDED)


def _plan_elements(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        ("Is the support in the plan in place?", yes_no(_get(f, "plan", "in_place"))),
        ("Is the support working as intended?", yes_no(_get(f, "plan", "working"))),
        (
            "Is everyone involved satisfied with the plan?",
            yes_no(_get(f, "plan", "everyone_satisfied")),
        ),
        ("Issues raised:", join_list(_get(f, "plan", "issues"))),
    ]


def _needs(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    changed = _get(f, "needs", "changed")
    out: list[Question] = [(f"Have {v.poss} needs changed?", yes_no(changed))]
    if changed:
        out.append(
            ("Is the change likely to be short term?", yes_no(_get(f, "needs", "short_term")))
        )
    out += [
        (
            "Are the needs met by the current plan?",
            yes_no(_get(f, "needs", "met_by_current_plan")),
        ),
        (
            f"Have {v.poss} circumstances changed?",
            yes_no(_get(f, "needs", "circumstances_changed")),
        ),
        ("Evidence used:", _or_missing(_get(f, "needs", "evidence"), x)),
    ]
    return out


def _views(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    words = _get(f, "views", "subject")
    view: Question = (
        (f"In {v.poss} own words:", quoted(words))
        if words and is_verbatim(words)
        else (f"What {v.obj} told us:", _or_missing(words, x))
    )
    return [view, _agrees(f, v, x)]


def _agrees(f: Any, v: Voice, x: Mapping[str, Any]) -> Question:
    """The person's agreement. While the record is provisional there is no outcome to agree
    with (the bar: never present a provisional state as final), so the question is about
    what happens now, as the record's "regard" section words it (003 "When determining the
    outcome of the review you must give regard to")."""
    what = "what happens now" if x.get("provisional") else "the outcome"
    return (
        f"Does {v.obj} agree with {what}?",
        yes_no(_get(f, "views", "subject_agrees_with_outcome")),
    )


def _outcomes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    achieved = _get(f, "outcomes", "achieved")
    return [
        ("Have the outcomes in the plan been achieved?", ACHIEVED.get(achieved or "")),
        (
            f"Are these outcomes still important to {v.obj}?",
            yes_no(_get(f, "outcomes", "still_important")),
        ),
        ("New outcomes:", join_list(_get(f, "outcomes", "new_outcomes"))),
        (
            "Work, education, training and recreation:",
            _or_missing(_get(f, "outcomes", "work_education_training_recreation"), x),
        ),
    ]


def _risk(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    """003 item 5 "Whether the plan is effectively reducing risk to the carer and the cared
    for person": in a carer's review the question names both."""
    cared_for = _get(r, "cared_for", "name")
    apart = _get(f, "risk", "cared_for_managed")
    whom = f" to {v.obj}" if apart is not None else f" to {v.obj} and to {cared_for}"
    return [
        (
            f"Is the plan managing risk{whom if cared_for else ''} well?",
            yes_no(_get(f, "risk", "managed")),
        ),
        (f"Is the plan managing risk to {cared_for} well?", yes_no(apart) if cared_for else None),
        ("New risks:", join_list(_get(f, "risk", "new_risks"))),
    ]


def _contingency(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Is the contingency plan working?", yes_no(_get(f, "risk", "contingency_working")))]


def _budget_sufficiency(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            f"Is the personal budget still enough to meet {v.poss} needs and outcomes?",
            yes_no(_get(f, "budget", "sufficient")),
        )
    ]


def _budget_management(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Is the way the personal budget is managed working?",
            yes_no(_get(f, "budget", "management_working")),
        ),
        ("Is it paid as a direct payment?", yes_no(_get(f, "budget", "direct_payment"))),
    ]


def _informal(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Has support from family, friends or others changed?",
            yes_no(_get(f, "informal_support", "changed")),
        ),
        ("Can that support carry on?", yes_no(_get(f, "informal_support", "sustainable"))),
    ]


def _information(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    """003 item 10 "What information and advice has been given": what the practitioner
    recorded, and what the review's own letters give (carer's leave, financial assessment)."""
    return [
        ("Information and advice given:", join_list(f.get("information_and_advice"))),
        ("Also given in writing with this review:", x.get("given") or None),
    ]


def _outcome_and_next_steps(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Outcome:", x.get("outcome")), ("Reasons:", x.get("rationale"))]


def _changes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    """003 where relevant 1; in a carer's review with changed needs, 000 "What the impact of
    the changes are on the cared for person's Wellbeing", "on support" and "on risk"."""
    out = _needs(f, r, v, x)[:-1]
    if _blank(_get(r, "narrative", "changes_and_wellbeing_impact")) and not x.get("withheld"):
        # 003 where relevant 1 "what the changes are": typed in the narrative, or said missing.
        out.append(("What has changed:", NOT_RECORDED))
    cared_for = _get(r, "cared_for", "name")
    if cared_for and _get(f, "needs", "changed"):
        effect = _or_missing(_get(f, "needs", "cared_for_wellbeing"), x)
        out.append((f"Effect on {cared_for}'s wellbeing:", effect))
        # 000 "What the impact of the changes are on support; and ... The impact of the
        # changes on risk (to the carer, the cared for person and the plan)".
        impact = _or_missing(_get(f, "needs", "impact_on_support_and_risk"), x)
        out.append(
            (f"Effect on the support, and on risk to {v.obj}, {cared_for} and the plan:", impact)
        )
    return out


def _resolution(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    plan = f.get("plan") or {}
    problems = [
        text
        for key, text in (
            ("in_place", "Some support in the plan is not in place."),
            ("working", "Some support is not working as intended."),
            ("everyone_satisfied", "Not everyone involved is satisfied with the plan."),
        )
        if plan.get(key) is False
    ] + list(plan.get("issues") or [])
    return [
        ("What is not working:", join_list(problems) if problems else None),
        _steps(r, "resolution_steps", x),
    ]


def _outcome_support(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [*_outcomes(f, r, v, x)[:2], _steps(r, "outcome_support_steps", x)]


def _new_outcomes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        ("New outcomes:", join_list(_get(f, "outcomes", "new_outcomes"))),
        _steps(r, "new_outcomes_plan", x),
    ]


def _risk_changes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [*_risk(f, r, v, x), _steps(r, "risk_changes", x)]


def _contingency_changes(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [*_contingency(f, r, v, x), _steps(r, "contingency_changes", x)]


def _urgent(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [("Is urgent or interim support needed?", yes_no(f.get("urgent_need")))]


def _safeguarding(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    option = _get(f, "safeguarding", "review_option")
    return [
        ("Has a safeguarding concern been raised?", yes_no(_get(f, "safeguarding", "concern"))),
        (
            f"Is the concern about {v.obj}?",
            yes_no(_get(f, "safeguarding", "concern_about_subject")),
        ),
        ("Action taken:", _get(f, "safeguarding", "action_taken")),
        ("What happens to the review:", SAFEGUARDING_OPTIONS.get(option or "")),
    ]


def _liberty(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    return [
        (
            "Has a Deprivation of Liberty concern been raised?",
            yes_no(_get(f, "liberty", "concern")),
        ),
        ("Action taken:", _get(f, "liberty", "action_taken")),
    ]


def _difference(f: Any, r: Any, v: Voice, x: Any) -> list[Question]:
    others = "Do the others involved agree" + (
        " with what happens now?" if x.get("provisional") else "?"
    )
    out: list[Question] = [_agrees(f, v, x), (others, yes_no(_get(f, "views", "others_agree")))]
    for person in r.get("participants") or []:
        if person.get("view"):
            role = ROLES.get(person.get("role") or "", "")
            out.append((f"View of {person.get('name')} ({role.lower()}):", person["view"]))
    # 003 "Make proportionate records of any conversations you have had to try and resolve the
    # differences": the narrative, or said to be missing.
    if _blank(_get(r, "narrative", "difference_of_views")) and not x.get("withheld"):
        out.append(("Conversations to resolve the difference:", NOT_RECORDED))
    return out


_QUESTIONS: dict[str, Callable[[Any, Any, Voice, Any], list[Question]]] = {
    "plan_elements": _plan_elements,
    "needs_and_circumstances": _needs,
    "views_on_changes": _views,
    "outcomes": _outcomes,
    "risk": _risk,
    "contingency": _contingency,
    "budget_sufficiency": _budget_sufficiency,
    "budget_management": _budget_management,
    "informal_support": _informal,
    "information_and_advice": _information,
    "outcome_and_next_steps": _outcome_and_next_steps,
    "changes_and_wellbeing_impact": _changes,
    "resolution_steps": _resolution,
    "outcome_support_steps": _outcome_support,
    "new_outcomes_plan": _new_outcomes,
    "risk_changes": _risk_changes,
    "contingency_changes": _contingency_changes,
    "urgent_interim_support": _urgent,
    "safeguarding": _safeguarding,
    "deprivation_of_liberty": _liberty,
    "difference_of_views": _difference,
}


# --- the evidence for an outcome (003 "evidence based and robust") -------------------

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
        ("needs", "met_by_current_plan"),
        True,
        "the plan is meeting {p} needs",
        "the plan is not meeting {p} needs",
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
        "plan_elements",
        ("plan", "everyone_satisfied"),
        True,
        "everyone involved is satisfied with the plan",
        "not everyone involved is satisfied with the plan",
    ),
    (
        "outcomes",
        ("outcomes", "still_important"),
        True,
        "the outcomes in the plan are still important",
        "some outcomes in the plan are no longer important",
    ),
    (
        "risk",
        ("risk", "cared_for_managed"),
        True,
        "risks to the person cared for are well managed",
        "the plan is not managing risks to the person cared for well",
    ),
    (
        "risk",
        ("risk", "new_risks"),
        [],
        "there are no new risks",
        "there are new risks",
    ),
    (
        "informal_support",
        ("informal_support", "sustainable"),
        True,
        "support from family and friends can carry on",
        "support from family and friends cannot carry on as it is",
    ),
    (
        "urgent_interim_support",
        ("urgent_need",),
        False,
        "there is no urgent need",
        "there is an urgent need to meet",
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


def evidence(
    f: Mapping[str, Any], voice: Voice, required: Sequence[str], *, withheld: bool = False
) -> list[tuple[bool, str]]:
    """(working?, clause) for each finding of the sections in ``required``; absent
    findings, and in a copy with information withheld empty lists, are left out."""
    out = []
    for section, path, working, good, bad in _EVIDENCE:
        value = _get(f, *path)
        if section not in required or value is None or (withheld and value == []):
            continue
        ok = value == working
        out.append((ok, (good if ok else bad).format(p=voice.poss)))
    return out


def evidence_withheld(f: Mapping[str, Any], required: Sequence[str]) -> bool:
    """Whether a copy with information withheld lacks a finding an outcome may rest on:
    a section 003 says must always be recorded is omitted, or one of its findings has
    been emptied. The reasons that remain must then not be given as the whole cause."""
    for section, path, _working, _good, _bad in _EVIDENCE:
        if section not in ALWAYS_SECTIONS:
            continue
        if section not in required:
            return True
        if _get(f, *path) is None and path not in _MAY_BE_ABSENT:
            return True
    return False


_MAY_BE_ABSENT: Final = frozenset({("risk", "cared_for_managed")})
"""Findings of always-recorded sections the input may leave out (``intake/model.py``:
risks to a person cared for only where there is one); every other is required, so an
empty one in a copy has been withheld."""
