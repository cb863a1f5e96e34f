"""The rule registries: one small rule per action code and per where-relevant section.

``docs/decisions.md`` states each rule in plain words; each rule's docstring cites its
procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reviewdocs import codes
from reviewdocs.decision.findings import (
    Review,
    escalation_reasons,
    indicated_outcome,
    needs_reassessment,
    short_term_change,
)
from reviewdocs.decision.provisional import provisional_states


@dataclass(frozen=True)
class Basis:
    """What every rule may read besides the review: the decided outcome and its kind."""

    outcome: str
    indicated: str
    reassessment: bool
    short_term: bool
    escalate: bool
    provisional: tuple[str, ...] = ()


def basis_of(review: Review) -> Basis:
    indicated = indicated_outcome(review)
    chosen = (review.get("decision") or {}).get("outcome")
    return Basis(
        outcome=chosen or indicated,
        indicated=indicated,
        reassessment=needs_reassessment(review),
        short_term=short_term_change(review) and not needs_reassessment(review),
        escalate=bool(escalation_reasons(review)),
        provisional=tuple(state.code for state in provisional_states(review)),
    )


ActionRule = Callable[[Review, Basis], "str | None"]
SectionRule = Callable[[Review, Basis], bool]

ACTION_RULES: dict[str, ActionRule] = {}
"""Action code -> rule. A rule returns the one-line reason in plain words when it applies."""
SECTION_RULES: dict[str, SectionRule] = {}
"""Where-relevant section code -> rule: True when the record must contain the section."""


def action_rule(code: str) -> Callable[[ActionRule], ActionRule]:
    """Register the rule of one action code (one rule per code)."""
    if code not in codes.ACTIONS:
        raise ValueError(f"{code!r} is not an action code")

    def register(rule: ActionRule) -> ActionRule:
        if code in ACTION_RULES:
            raise ValueError(f"action {code!r} already has a rule")
        ACTION_RULES[code] = rule
        return rule

    return register


def section_rule(code: str) -> Callable[[SectionRule], SectionRule]:
    """Register the rule of one where-relevant section code (one rule per code)."""
    if code not in codes.WHERE_RELEVANT_SECTIONS:
        raise ValueError(f"{code!r} is not a where-relevant section code")

    def register(rule: SectionRule) -> SectionRule:
        if code in SECTION_RULES:
            raise ValueError(f"section {code!r} already has a rule")
        SECTION_RULES[code] = rule
        return rule

    return register
