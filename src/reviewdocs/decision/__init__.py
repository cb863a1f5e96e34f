"""Stage 2, decision: pure rules from a validated review to the decision (outcome,
actions, required record sections, next review date), each rule citing its procedure.
No I/O.

- ``rules``: ``decide``, ``explain``, ``indicated_outcome``
"""

from reviewdocs.decision.rules import decide, explain, indicated_outcome

__all__ = ["decide", "explain", "indicated_outcome"]
