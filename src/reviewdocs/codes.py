"""The codes of the product contract (docs/contract.md sections 3 and 4).

Other programs depend on these strings: never rename or drop one.
The rule behind each action and where-relevant section lives in ``reviewdocs.decision``.
"""

from __future__ import annotations

from typing import Final

OUTCOMES: Final = ("no_change", "plan_change", "plan_and_budget_change")
"""003 "Broadly there are 3 possible outcomes", in the procedure's order (number = index + 1)."""

OUTCOME_NUMBER: Final = {code: n for n, code in enumerate(OUTCOMES, start=1)}

ALWAYS_SECTIONS: Final = (
    "plan_elements",
    "needs_and_circumstances",
    "views_on_changes",
    "outcomes",
    "risk",
    "contingency",
    "budget_sufficiency",
    "budget_management",
    "informal_support",
    "information_and_advice",
    "outcome_and_next_steps",
)
"""003 "The following information must be clearly but proportionately recorded in all cases"."""

WHERE_RELEVANT_SECTIONS: Final = (
    "changes_and_wellbeing_impact",
    "resolution_steps",
    "outcome_support_steps",
    "new_outcomes_plan",
    "risk_changes",
    "contingency_changes",
    "urgent_interim_support",
    "safeguarding",
    "deprivation_of_liberty",
    "difference_of_views",
)
"""003 "The following information should be clearly recorded where relevant" (1-10)."""

SECTIONS: Final = ALWAYS_SECTIONS + WHERE_RELEVANT_SECTIONS
"""Record order: the 11 always-recorded items, then the where-relevant ones, as in 003."""

ACTIONS: Final = (
    "accessible_format",
    "advocacy_referral",
    "carers_leave_information",
    "combined_carer_review",
    "deprivation_of_liberty_consideration",
    "direct_payment_review",
    "escalate_to_full_review",
    "face_to_face_review_required",
    "financial_assessment_notice",
    "inform_advocate",
    "information_and_advice_follow_up",
    "proportionate_reassessment",
    "record_difference_of_views",
    "right_to_complain",
    "safeguarding_decision",
    "share_with_joint_organisation",
    "short_term_monitoring",
    "telephone_follow_up_letter",
    "urgent_interim_support",
)

DOCUMENTS: Final = (
    "review_information_letter",
    "review_delay_letter",
    "telephone_follow_up_letter",
    "review_record",
    "outcome_letter",
    "amendment_decision_letter",
    "sharing_cover_letter",
)

PRE_REVIEW_DOCUMENTS: Final = ("review_information_letter", "review_delay_letter")
"""Documents written before the review conversation: they need no findings."""

VARIANTS: Final = ("standard", "large_print", "easy_read")
FORMATS: Final = ("docx", "pdf")

EASY_READ_DOCUMENTS: Final = ("review_information_letter", "outcome_letter", "review_record")
"""Issue 6: easy read exists for these (the record's easy read copy is a summary)."""

PLAN_TYPES: Final = ("carer_support_plan", "care_and_support_plan")
REVIEW_TYPES: Final = ("light_touch", "full")
TRIGGERS: Final = (
    "scheduled_6_8_week",
    "scheduled_annual",
    "requested_change",
    "change_in_circumstances",
    "safeguarding",
    "other",
)
METHODS: Final = (
    "face_to_face",
    "telephone",
    "online",
    "combined",
    "joint",
    "supported_self",
    "delegated",
)
PREFERRED_FORMATS: Final = ("standard", "large_print", "easy_read", "pdf")
PARTICIPANT_ROLES: Final = ("family", "provider", "health", "advocate", "other")
ACHIEVED: Final = ("yes", "partly", "no")
SAFEGUARDING_OPTIONS: Final = ("continue", "pause", "pause_with_interim_support")
RECIPIENT_KINDS: Final = ("joint_organisation", "provider", "requested_by_subject", "other")
MANAGER_DECISIONS: Final = ("full", "partial", "decline")
STAGES: Final = ("planned", "completed")
COMBINED_AGREEMENTS: Final = ("both_agreed", "best_interests_decision")
"""002 "Both the person and the carer agree to a combined review process and the sharing of
information; or ... lacks capacity to agree but a best interest decision is made"."""
CARER_INVOLVEMENT: Final = ("took_part", "consulted_separately", "not_involved")
"""002 "The person has a carer (carer's must be involved in the person's review)"."""

REMOTE_METHODS = ("telephone", "online", "supported_self")
"""Review methods that cannot be face to face (002 "Possible review methods include")."""
