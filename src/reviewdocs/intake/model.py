"""The shape of the review input (spec section 2) as marshmallow schemas.

Required or optional follows what depends on the answer: ids, names, the
subject's reference and address (letters go there), and every findings boolean
(a rule decides on it: a missing answer is never assumed to be ``false``).
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, missing, validate

from reviewdocs import codes
from reviewdocs.intake.fields import (
    LIST_MAX,
    Address,
    Bool,
    Choice,
    Date,
    Email,
    Identifier,
    Items,
    Line,
    Phone,
    Postcode,
    StrictSchema,
    Text,
    TextList,
    Version,
)
from reviewdocs.intake.jsonschema import leaf_paths

SCHEMA_VERSION = 1


def _optional(schema: type[StrictSchema]) -> fields.Nested:
    return fields.Nested(schema, load_default=None)


class PractitionerSchema(StrictSchema):
    name = Line(required=True)
    job_title = Line()
    team = Line()
    phone = Phone()
    email = Email()


class LocalAuthoritySchema(StrictSchema):
    name = Line(required=True)
    address = Address(required=True)
    phone = Phone()
    email = Email()
    # Every letter that can end in disagreement carries the right to complain
    # (003 "You must also make the carer aware of their right to complain").
    complaints_contact = Text(required=True, max_length=1_000)


class JointOrganisationSchema(StrictSchema):
    name = Line(required=True)
    contact = Line()
    address = Address()


class DelaySchema(StrictSchema):
    """002 "If you are not able to arrange the review at this first contact"."""

    reason = Text(required=True, max_length=2_000)
    agreed_timeframe = Line(required=True)
    next_contact_by = Date(load_default=None)


class ReviewSchema(StrictSchema):
    id = Identifier()
    plan_type = Choice(codes.PLAN_TYPES, required=True)
    review_type = Choice(codes.REVIEW_TYPES, required=True)
    trigger = Choice(codes.TRIGGERS, required=True)
    method = Choice(codes.METHODS, required=True)
    stage = Choice(codes.STAGES, load_default="completed")
    # Required for a completed review by a cross-field rule: a planned review may
    # not have a date yet (the delay letter).
    date = Date(load_default=None)
    plan_start_date = Date(load_default=None)
    document_date = Date(load_default=None)
    # 002 "If the person continues to disengage you should proceed to carry out a review
    # based upon the information available": false when they did not take part.
    subject_took_part = Bool(load_default=None)
    practitioner = fields.Nested(PractitionerSchema, required=True)
    local_authority = fields.Nested(LocalAuthoritySchema, required=True)
    joint_organisation = _optional(JointOrganisationSchema)
    delay = _optional(DelaySchema)
    # 002 "The indicative timeframe for review (when will it begin ...)": a planned review
    # without a date yet says when it is expected to begin (``date`` wins when given).
    expected_start = Date(load_default=None)
    # 002 "Both the person and the carer agree to a combined review process and the sharing
    # of information; or ... a best interest decision is made": for a combined review only.
    combined_agreement = Choice(codes.COMBINED_AGREEMENTS)


class AppropriatePersonSchema(StrictSchema):
    name = Line(required=True)
    relationship = Line()
    address = Address()
    postcode = Postcode()
    email = Email()
    # 004 "An appropriate person for general representation purposes is not the same as an
    # appropriate person for independent advocacy": true only when this person can support
    # and represent the person's involvement; unanswered does not meet the advocacy duty.
    supports_involvement = Bool(load_default=None)


class SubjectSchema(StrictSchema):
    name = Line(required=True)
    preferred_name = Line()
    reference = Line(required=True, max_length=64)
    date_of_birth = Date(load_default=None)
    address = Address(required=True)
    postcode = Postcode()
    email = Email()
    phone = Phone()
    preferred_format = Choice(codes.PREFERRED_FORMATS)
    communication_needs = Text(max_length=2_000)
    has_capacity = Bool(required=True)
    # 002 "Whether there is a concern about the person's capacity in relation to a particular
    # decision to be made. In this situation the Care Act requires you must carry out a face
    # to face review": a concern short of a recorded lack of capacity.
    capacity_concern = Bool(load_default=None)
    substantial_difficulty = Bool(required=True)
    appropriate_person = _optional(AppropriatePersonSchema)
    correspondence_to_representative = Bool(load_default=None)
    in_work = Bool(load_default=None)
    # 004 "If a person decides that they do not wish to engage in the advocacy support that
    # has been made available to them they do not have to do so, but the Local Authority
    # must still provide it": true when an advocate was made available and declined.
    advocacy_declined = Bool(load_default=None)


class CaredForSchema(StrictSchema):
    name = Line(required=True)
    relationship = Line()
    lacks_capacity = Bool(required=True)
    restrictions_may_deprive_liberty = Bool(required=True)


class CarerSchema(StrictSchema):
    name = Line(required=True)
    relationship = Line()
    has_support_plan = Bool(required=True)
    # 002 "The person has a carer (carer's must be involved in the person's review)".
    involvement = Choice(codes.CARER_INVOLVEMENT)


class AdvocateSchema(StrictSchema):
    name = Line(required=True)
    organisation = Line()
    email = Email()
    address = Address()
    postcode = Postcode()


class ParticipantSchema(StrictSchema):
    name = Line(required=True)
    role = Choice(codes.PARTICIPANT_ROLES, required=True)
    organisation = Line()
    # Sharing and involvement depend on consent: never assumed.
    consented = Bool(required=True)
    view = Text(max_length=5_000)


class PlanFindingsSchema(StrictSchema):
    in_place = Bool(required=True)
    working = Bool(required=True)
    everyone_satisfied = Bool(required=True)
    issues = TextList()


class NeedsFindingsSchema(StrictSchema):
    changed = Bool(required=True)
    short_term = Bool(required=True)
    met_by_current_plan = Bool(required=True)
    circumstances_changed = Bool(required=True)
    evidence = Text()
    # 000 "If there has been a change in need you should explore ... What the impact of the
    # changes are on the cared for person's Wellbeing" (a carer's review).
    cared_for_wellbeing = Text()
    # 000 "What the impact of the changes are on support; and ... The impact of the changes on
    # risk (to the carer, the cared for person and the plan)" (a carer's review).
    impact_on_support_and_risk = Text()


class OutcomesFindingsSchema(StrictSchema):
    achieved = Choice(codes.ACHIEVED, required=True)
    still_important = Bool(required=True)
    new_outcomes = TextList()
    work_education_training_recreation = Text()


class RiskFindingsSchema(StrictSchema):
    managed = Bool(required=True)
    # 003 item 5 "risk to the carer and the cared for person": in a carer's review, the
    # cared-for person's risk answered on its own (``managed`` then answers for the carer).
    cared_for_managed = Bool(load_default=None)
    contingency_working = Bool(required=True)
    new_risks = TextList()


class BudgetFindingsSchema(StrictSchema):
    sufficient = Bool(required=True)
    management_working = Bool(required=True)
    direct_payment = Bool(required=True)


class InformalSupportFindingsSchema(StrictSchema):
    changed = Bool(required=True)
    sustainable = Bool(required=True)


class FinancesFindingsSchema(StrictSchema):
    circumstances_changed = Bool(required=True)


class SafeguardingFindingsSchema(StrictSchema):
    concern = Bool(required=True)
    concern_about_subject = Bool(required=True)
    action_taken = Text()
    review_option = Choice(codes.SAFEGUARDING_OPTIONS)


class LibertyFindingsSchema(StrictSchema):
    concern = Bool(required=True)
    action_taken = Text()


class ViewsFindingsSchema(StrictSchema):
    subject = Text()
    subject_agrees_with_outcome = Bool(required=True)
    others_agree = Bool(required=True)


class FindingsSchema(StrictSchema):
    plan = fields.Nested(PlanFindingsSchema, required=True)
    needs = fields.Nested(NeedsFindingsSchema, required=True)
    outcomes = fields.Nested(OutcomesFindingsSchema, required=True)
    risk = fields.Nested(RiskFindingsSchema, required=True)
    budget = fields.Nested(BudgetFindingsSchema, required=True)
    informal_support = fields.Nested(InformalSupportFindingsSchema, required=True)
    finances = fields.Nested(FinancesFindingsSchema, required=True)
    safeguarding = fields.Nested(SafeguardingFindingsSchema, required=True)
    liberty = fields.Nested(LibertyFindingsSchema, required=True)
    urgent_need = Bool(required=True)
    information_and_advice = TextList()
    views = fields.Nested(ViewsFindingsSchema, required=True)


# One optional text per section code: a key that is not a section code is an
# "Unknown field.", and missing codes stay absent (the record says nothing more).
NarrativeSchema = StrictSchema.from_dict(
    {code: Text(load_default=missing) for code in codes.SECTIONS},
    name="NarrativeSchema",
)


class DecisionSchema(StrictSchema):
    outcome = Choice(codes.OUTCOMES)
    rationale = Text()
    # 003 "you must give regard to ... The impact of the outcome on the carer's Wellbeing".
    wellbeing_impact = Text()
    # 002 "within 6-8 weeks of the service/change commencing": when the change starts.
    change_starts = Date(load_default=None)
    # 003 "If you remain unclear about outcome you should seek advice from your line
    # manager": true while that advice is awaited (the outcome is then provisional).
    manager_advice_pending = Bool(load_default=None)
    # 004 "Following up on Information and Advice": when the follow-up is due, and who does
    # it when it is not the practitioner ("recorded ... in a way that will ensure the person
    # follows up on it at the agreed time").
    information_follow_up_by = Date(load_default=None)
    information_follow_up_who = Line()
    monitoring_review_by = Date(load_default=None)
    next_review_by = Date(load_default=None)


class RecipientSchema(StrictSchema):
    id = Identifier()
    name = Line(required=True)
    kind = Choice(codes.RECIPIENT_KINDS, required=True)
    involved_in_review = Bool(load_default=None)
    responsible_for_support = Bool(load_default=None)
    address = Address()
    email = Email()
    # A missing answer would let a copy go out unchecked (003 "Concerns about a request").
    risk_concern = Bool(required=True)
    manager_decision = Choice(codes.MANAGER_DECISIONS)
    omit_sections = fields.List(
        fields.String(validate=validate.OneOf(codes.SECTIONS)),
        load_default=list,
        validate=validate.Length(max=LIST_MAX),
    )
    redact = TextList(item_max=200)


class SharingSchema(StrictSchema):
    # Missing means no consent recorded, which the sharing rules read as no consent.
    consent_to_share = Bool(load_default=None)
    recipients = Items(RecipientSchema)


def empty_decision() -> dict[str, Any]:
    return {
        "outcome": None,
        "rationale": None,
        "wellbeing_impact": None,
        "change_starts": None,
        "manager_advice_pending": None,
        "information_follow_up_by": None,
        "information_follow_up_who": None,
        "monitoring_review_by": None,
        "next_review_by": None,
    }


def empty_sharing() -> dict[str, Any]:
    return {"consent_to_share": None, "recipients": []}


class ReviewInputSchema(StrictSchema):
    """The whole review input, spec section 2 (``schema_version: 1``)."""

    schema_version = Version(SCHEMA_VERSION, required=True)
    review = fields.Nested(ReviewSchema, required=True)
    subject = fields.Nested(SubjectSchema, required=True)
    # Required for a carer_support_plan by a cross-field rule.
    cared_for = _optional(CaredForSchema)
    carer = _optional(CarerSchema)
    advocate = _optional(AdvocateSchema)
    participants = Items(ParticipantSchema)
    # Required for a completed review by a cross-field rule; absent when planned.
    findings = _optional(FindingsSchema)
    narrative = fields.Nested(NarrativeSchema, load_default=dict)
    decision = fields.Nested(DecisionSchema, load_default=empty_decision, allow_none=True)
    sharing = fields.Nested(SharingSchema, load_default=empty_sharing, allow_none=True)


def input_paths() -> set[str]:
    """Every leaf path of the input, list items as ``participants[].name``."""
    return leaf_paths(ReviewInputSchema)
