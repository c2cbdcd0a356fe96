"""Messages the foreign-relations service publishes: invitations, visits, agreements, projects."""

from typing import Annotated

from marshmallow import fields, validate

from chancery.messages.fieldtypes import (
    Confidentiality,
    Country,
    Day,
    Id,
    Integer,
    Language,
    Moment,
    OptionalCountry,
    OptionalDay,
    OptionalEmail,
    OptionalId,
    OptionalLanguage,
    OptionalText,
    Text,
)
from chancery.messages.payloads import nested, payload_dataclass, schema_of


@payload_dataclass
class InvitationAwaitingDecisionV1:
    """``invitation.awaiting_decision`` v1: an invitation from abroad waits for a yes or no.

    Published when the invitation is proposed (from a routed letter or
    entered by hand) and again when its evaluation changes. Consumers:
    notifications (tells the foreign-relations department and the mayor's
    office).
    """

    invitation_id: Id
    title: Text
    inviter: Text
    city: OptionalText
    country: OptionalCountry
    starts_on: OptionalDay
    ends_on: OptionalDay
    respond_by: OptionalDay
    department_code: Text
    letter_id: OptionalId
    registration_number: OptionalText
    recommendation: OptionalText
    proposed_head: OptionalText
    # The invitation letter's level (decision 17): whoever lacks its clearance is told
    # neither the title nor the inviter. Older producers omitted it: ``normal``.
    confidentiality: Confidentiality


@payload_dataclass
class InvitationDecidedV1:
    """``invitation.decided`` v1: an invitation from abroad was approved, declined or withdrawn.

    The decision is the answer to the invitation letter (when it came as one).
    Consumers: routing (marks the letter answered, then closed, so it never
    goes overdue), notifications (tells the foreign-relations department and
    the mayor's office).
    """

    invitation_id: Id
    title: Text
    inviter: Text
    status: Annotated[
        str,
        fields.String(
            required=True, validate=validate.OneOf(("approved", "declined", "withdrawn"))
        ),
    ]
    note: OptionalText
    decided_by: Text
    decided_at: Moment
    city: OptionalText
    country: OptionalCountry
    starts_on: OptionalDay
    ends_on: OptionalDay
    department_code: Text
    letter_id: OptionalId
    registration_number: OptionalText
    # As for the invitation awaiting decision (decision 17): the letter's level.
    confidentiality: Confidentiality


@payload_dataclass
class ProposalReferredV1:
    """``proposal.referred`` v1: a foreign partner's proposal was passed to a body.

    ``department_code`` is set when it went to one of the municipality's
    departments; a council committee has none, and then the mayor's office
    (which serves the council) is told. Consumers: notifications.
    """

    proposal_id: Id
    title: Text
    summary: OptionalText
    received_on: Day
    referred_to: Text
    department_code: OptionalText
    referred_at: Moment


@payload_dataclass
class Delegate:
    """A member of a visiting delegation, as protocol needs them."""

    name: Text
    role: OptionalText
    organisation: OptionalText
    country: OptionalCountry
    language: OptionalLanguage
    rank: OptionalText
    email: OptionalEmail
    head: Annotated[bool, fields.Boolean(load_default=False)]


DelegateSchema = schema_of(Delegate)


@payload_dataclass
class DelegationVisitApprovedV1:
    """``delegation.visit_approved`` v1: an incoming delegation's visit was approved.

    Consumers: protocol-events (creates the visit's draft event with the
    delegation as participants, for protocol to build the programme).
    """

    visit_id: Id
    title: Text
    partner_id: OptionalId
    city: Text
    country: Country
    arrives_at: Moment
    departs_at: Moment
    purpose: OptionalText
    language: OptionalLanguage
    host_department_code: Text
    members: Annotated[
        list[Delegate],
        fields.List(nested(Delegate), required=True, validate=validate.Length(min=1)),
    ]
    approved_by: Text
    approved_at: Moment


@payload_dataclass
class AgreementExpiringV1:
    """``agreement.expiring`` v1: a cooperation agreement ends within the lead time.

    Published once per agreement term by the worker's timer. Consumers:
    notifications (tells the foreign-relations department, to renew or let end).
    """

    agreement_id: Id
    title: Text
    partner_city: Text
    partner_country: Country
    ends_on: Day
    days_left: Integer
    renewal: Text
    department_code: Text


@payload_dataclass
class ProjectDeadlineApproachingV1:
    """``project.deadline_approaching`` v1: an international project's deadline is near.

    Published once per project deadline by the worker's timer. Consumers:
    notifications (tells the responsible department).
    """

    project_id: Id
    title: Text
    programme: Text
    deadline_kind: Text
    deadline_on: Day
    days_left: Integer
    department_code: Text


@payload_dataclass
class TranslationDueSoonV1:
    """``translation.due_soon`` v1: a translation of foreign correspondence is due soon.

    Published once per translation task by the worker's timer, when the task is
    still queued or in progress within the reminder's lead time (working days,
    the municipality's calendar). Consumers: notifications (tells the
    foreign-relations department, so the translation is finished on time).
    ``working_days_left`` is 0 on the due day itself.
    """

    translation_id: Id
    title: Text
    direction: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(("incoming", "outgoing")))
    ]
    source_language: Language
    target_language: Language
    status: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(("queued", "in_progress")))
    ]
    translator: OptionalText
    registration_number: OptionalText
    partner_city: OptionalText
    due_on: Day
    working_days_left: Annotated[int, fields.Integer(required=True, validate=validate.Range(min=0))]
    department_code: Text
