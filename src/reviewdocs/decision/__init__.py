"""Stage 2, decision: pure rules from a validated review to the decision (outcome,
actions, required record sections, next review date), each rule citing its procedure.
No I/O.

- ``rules``: ``decide``, ``explain``, ``warnings_for``, ``document_warnings`` (what
  ``render`` prints and batch reports)
- ``findings``: what the findings say (``indicated_outcome``, ``decision_problems``,
  ``reassessment_reasons``, ``budget_change_reasons``...)
- ``provisional``: ``provisional_states`` (paused, advocate pending, manager pending, escalated)
- ``actions``, ``sections``, ``registry``: one rule per action and where-relevant section
- ``schedule``: the next review date and timely recording
"""

from reviewdocs.decision.findings import decision_problems, indicated_outcome
from reviewdocs.decision.provisional import provisional_states
from reviewdocs.decision.rules import decide, document_warnings, explain, warnings_for

__all__ = [
    "decide",
    "decision_problems",
    "document_warnings",
    "explain",
    "indicated_outcome",
    "provisional_states",
    "warnings_for",
]
