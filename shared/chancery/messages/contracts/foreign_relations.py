"""Messages the foreign-relations service publishes: invitations, visits, agreements, projects."""

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import CONFIDENTIALITY_LEVELS, LANGUAGE_PATTERN

_language = validate.Regexp(LANGUAGE_PATTERN)
_country = validate.Regexp(r"^[A-Z]{2}$")


class InvitationAwaitingDecisionV1(PayloadSchema):
    """``invitation.awaiting_decision`` v1: an invitation from abroad waits for a yes or no.

    Published when the invitation is proposed (from a routed letter or
    entered by hand) and again when its evaluation changes. Consumers:
    notifications (tells the foreign-relations department and the mayor's
    office).
    """

    invitation_id = fields.UUID(required=True)
    title = fields.String(required=True)
    inviter = fields.String(required=True)
    city = fields.String(load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True, validate=_country)
    starts_on = fields.Date(load_default=None, allow_none=True)
    ends_on = fields.Date(load_default=None, allow_none=True)
    respond_by = fields.Date(load_default=None, allow_none=True)
    department_code = fields.String(required=True)
    letter_id = fields.UUID(load_default=None, allow_none=True)
    registration_number = fields.String(load_default=None, allow_none=True)
    recommendation = fields.String(load_default=None, allow_none=True)
    proposed_head = fields.String(load_default=None, allow_none=True)
    # The invitation letter's level (decision 17): whoever lacks its clearance is told
    # neither the title nor the inviter. Older producers omitted it: ``normal``.
    confidentiality = fields.String(load_default="normal",
                                    validate=validate.OneOf(CONFIDENTIALITY_LEVELS))


class InvitationDecidedV1(PayloadSchema):
    """``invitation.decided`` v1: an invitation from abroad was approved, declined or withdrawn.

    The decision is the answer to the invitation letter (when it came as one).
    Consumers: routing (marks the letter answered, then closed, so it never
    goes overdue), notifications (tells the foreign-relations department and
    the mayor's office).
    """

    invitation_id = fields.UUID(required=True)
    title = fields.String(required=True)
    inviter = fields.String(required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(("approved", "declined", "withdrawn")))
    note = fields.String(load_default=None, allow_none=True)
    decided_by = fields.String(required=True)
    decided_at = fields.AwareDateTime(required=True)
    city = fields.String(load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True, validate=_country)
    starts_on = fields.Date(load_default=None, allow_none=True)
    ends_on = fields.Date(load_default=None, allow_none=True)
    department_code = fields.String(required=True)
    letter_id = fields.UUID(load_default=None, allow_none=True)
    registration_number = fields.String(load_default=None, allow_none=True)
    # As for the invitation awaiting decision (decision 17): the letter's level.
    confidentiality = fields.String(load_default="normal",
                                    validate=validate.OneOf(CONFIDENTIALITY_LEVELS))


class ProposalReferredV1(PayloadSchema):
    """``proposal.referred`` v1: a foreign partner's proposal was passed to a body.

    ``department_code`` is set when it went to one of the municipality's
    departments; a council committee has none, and then the mayor's office
    (which serves the council) is told. Consumers: notifications.
    """

    proposal_id = fields.UUID(required=True)
    title = fields.String(required=True)
    summary = fields.String(load_default=None, allow_none=True)
    received_on = fields.Date(required=True)
    referred_to = fields.String(required=True)
    department_code = fields.String(load_default=None, allow_none=True)
    referred_at = fields.AwareDateTime(required=True)


class DelegateSchema(PayloadSchema):
    """A member of a visiting delegation, as protocol needs them."""

    name = fields.String(required=True)
    role = fields.String(load_default=None, allow_none=True)
    organisation = fields.String(load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True, validate=_country)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    rank = fields.String(load_default=None, allow_none=True)
    email = EmailAddress(load_default=None, allow_none=True)
    head = fields.Boolean(load_default=False)


class DelegationVisitApprovedV1(PayloadSchema):
    """``delegation.visit_approved`` v1: an incoming delegation's visit was approved.

    Consumers: protocol-events (creates the visit's draft event with the
    delegation as participants, for protocol to build the programme).
    """

    visit_id = fields.UUID(required=True)
    title = fields.String(required=True)
    partner_id = fields.UUID(load_default=None, allow_none=True)
    city = fields.String(required=True)
    country = fields.String(required=True, validate=_country)
    arrives_at = fields.AwareDateTime(required=True)
    departs_at = fields.AwareDateTime(required=True)
    purpose = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    host_department_code = fields.String(required=True)
    members = fields.List(fields.Nested(DelegateSchema), required=True,
                          validate=validate.Length(min=1))
    approved_by = fields.String(required=True)
    approved_at = fields.AwareDateTime(required=True)


class AgreementExpiringV1(PayloadSchema):
    """``agreement.expiring`` v1: a cooperation agreement ends within the lead time.

    Published once per agreement term by the worker's timer. Consumers:
    notifications (tells the foreign-relations department, to renew or let end).
    """

    agreement_id = fields.UUID(required=True)
    title = fields.String(required=True)
    partner_city = fields.String(required=True)
    partner_country = fields.String(required=True, validate=_country)
    ends_on = fields.Date(required=True)
    days_left = fields.Integer(required=True)
    renewal = fields.String(required=True)
    department_code = fields.String(required=True)


class ProjectDeadlineApproachingV1(PayloadSchema):
    """``project.deadline_approaching`` v1: an international project's deadline is near.

    Published once per project deadline by the worker's timer. Consumers:
    notifications (tells the responsible department).
    """

    project_id = fields.UUID(required=True)
    title = fields.String(required=True)
    programme = fields.String(required=True)
    deadline_kind = fields.String(required=True)
    deadline_on = fields.Date(required=True)
    days_left = fields.Integer(required=True)
    department_code = fields.String(required=True)
