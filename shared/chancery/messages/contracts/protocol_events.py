"""Messages the protocol-events service publishes: official events and reception hours.

Event messages carry what notifications needs to invite each participant in
their own language and to attach an iCalendar file (uid, sequence, times,
venue, the titles per language), so it never calls protocol-events back.
Participants' and residents' contacts are personal data: they stay in the
payload, never in headers, logs or spans.
"""

from typing import Annotated
from uuid import UUID

from marshmallow import fields, validate

from chancery.messages.fieldtypes import (
    LANGUAGE,
    Day,
    Id,
    Integer,
    Moment,
    OptionalEmail,
    OptionalLanguage,
    OptionalText,
    Text,
)
from chancery.messages.payloads import nested, payload_dataclass, schema_of
from chancery.vocabulary import EVENT_KINDS, PROTOCOL_LEVELS

# Texts by language: an event's title, a position's title.
_Texts = Annotated[
    dict[str, str],
    fields.Dict(keys=fields.String(validate=LANGUAGE), values=fields.String(), required=True),
]
_OptionalTexts = Annotated[
    dict[str, str],
    fields.Dict(keys=fields.String(validate=LANGUAGE), values=fields.String(), load_default=dict),
]


@payload_dataclass
class Invitee:
    """A participant to invite: how to reach them and in which language."""

    participant_id: Id
    name: Text
    email: OptionalEmail
    language: OptionalLanguage
    staff_subject: OptionalText
    role: OptionalText
    organisation: OptionalText


InviteeSchema = schema_of(Invitee)


@payload_dataclass
class EventV1:
    """The facts every event message carries."""

    event_id: Id
    kind: Annotated[str, fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))]
    protocol_level: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(PROTOCOL_LEVELS))
    ]
    title: _Texts
    description: _OptionalTexts
    starts_at: Moment
    ends_at: Moment
    time_zone: Text
    venue: OptionalText
    department_code: Text
    ical_uid: Text
    sequence: Annotated[int, fields.Integer(required=True, validate=validate.Range(min=0))]
    participants: Annotated[list[Invitee], fields.List(nested(Invitee), load_default=list)]


def _answer_urls() -> fields.Dict:
    # Each invited participant's own link to answer (accept, decline, tentative) on the
    # public pages; a secret like a booking's link: the relay and notifications forget it.
    return fields.Dict(
        keys=fields.String(), values=fields.String(), load_default=dict, metadata={"secret": True}
    )


@payload_dataclass
class EventScheduledV1(EventV1):
    """``event.scheduled`` v1: the event is confirmed; its participants are invited.

    Published once, when the event is confirmed. Consumers: notifications
    (an invitation with an .ics file to each participant, in their language).

    ``answer_urls`` (optional, since issue 17) maps each participant's id to
    their own link for answering the invitation; it is a secret (forgotten once
    delivered) and each participant's invitation carries only their own.
    """

    scheduled_at: Moment
    answer_urls: Annotated[dict[str, str], _answer_urls()]


@payload_dataclass
class EventUpdatedV1(EventV1):
    """``event.updated`` v1: a confirmed event changed its time, venue or participants.

    ``changes`` names what changed (``time``, ``venue``, ``title``,
    ``participants``); ``sequence`` grows with every change so calendars
    replace the earlier invitation. Consumers: notifications (tells every
    participant, with the updated .ics).

    ``invited`` (optional, since issue 17) lists the participants just added to
    the confirmed event: notifications then sends those an invitation and tells
    nobody else, whose invitation stands; ``answer_urls`` holds the links those
    newcomers answer with (a secret, as in ``event.scheduled``).
    """

    changes: Annotated[list[str], fields.List(fields.String(), required=True)]
    updated_at: Moment
    invited: Annotated[list[UUID], fields.List(fields.UUID(), load_default=list)]
    answer_urls: Annotated[dict[str, str], _answer_urls()]


@payload_dataclass
class EventCancelledV1(EventV1):
    """``event.cancelled`` v1: a planned or confirmed event will not take place.

    Consumers: notifications (tells the invited participants, with an .ics
    that cancels the calendar entry).
    """

    reason: Text
    cancelled_at: Moment


@payload_dataclass
class Visitor:
    """The resident who booked a reception slot."""

    name: Text
    email: OptionalEmail
    phone: OptionalText
    language: OptionalLanguage


VisitorSchema = schema_of(Visitor)


@payload_dataclass
class AppointmentV1:
    """The facts every reception-hours appointment message carries."""

    appointment_id: Id
    official_id: Id
    official_name: Text
    official_subject: OptionalText
    official_position: _OptionalTexts
    starts_at: Moment
    ends_at: Moment
    time_zone: Text
    place: OptionalText
    topic: Text
    visitor: Annotated[Visitor, nested(Visitor, required=True)]


@payload_dataclass
class AppointmentBookedV1(AppointmentV1):
    """``appointment.booked`` v1: a resident has a slot in an official's reception hours.

    Consumers: notifications (confirms to the resident in their language, and
    tells the official).
    """

    booked_by: Text
    booked_at: Moment


@payload_dataclass
class AppointmentConfirmationRequestedV1(AppointmentV1):
    """``appointment.confirmation_requested`` v1: a resident asked for a slot on the public
    pages; it is held for them until ``expires_at``.

    ``confirmation_url`` opens the booking (confirm, calendar file, cancel) and is
    a secret: the relay and notifications forget it once delivered. Consumers:
    notifications (sends the link to the resident, by e-mail else SMS, in their
    language; the official hears only of a confirmed booking).
    """

    confirmation_url: Annotated[str, fields.String(required=True, metadata={"secret": True})]
    expires_at: Moment


@payload_dataclass
class AppointmentCancelledV1(AppointmentV1):
    """``appointment.cancelled`` v1: the booking was cancelled (by the resident or the office).

    Consumers: notifications (tells the resident and the official).
    """

    reason: Text
    cancelled_by: Text
    cancelled_at: Moment


@payload_dataclass
class AppointmentReminderDueV1(AppointmentV1):
    """``appointment.reminder_due`` v1: the appointment is near (the configured lead time).

    Published once per appointment by the worker's timer. Consumers:
    notifications (reminds the resident).
    """

    hours_before: Integer


@payload_dataclass
class AccreditationDecidedV1:
    """``accreditation.decided`` v1: a journalist's press accreditation was approved or refused.

    Carries the journalist's contact (personal data: payload only) and, when
    approved, the badge number. Consumers: notifications (tells the journalist).
    """

    accreditation_id: Id
    event_id: Id
    event_title: _Texts
    starts_at: Moment
    ends_at: Moment
    time_zone: Text
    venue: OptionalText
    status: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(("approved", "refused")))
    ]
    badge_number: OptionalText
    journalist: Text
    outlet: Text
    email: OptionalEmail
    phone: OptionalText
    language: OptionalLanguage
    decided_at: Moment


@payload_dataclass
class AwardGrantedV1:
    """``award.granted`` v1: an award ceremony's decision granted a nominee the award.

    Published once per awardee, when the decision first names them (a decision recorded
    again does not announce those it already named). Carries the awardee's name and
    contact (personal data: payload only), the certificate number and the decision.
    Consumers: notifications (tells the awardee, with the ceremony's date and place).
    """

    nominee_id: Id
    event_id: Id
    event_title: _Texts
    starts_at: Moment
    ends_at: Moment
    time_zone: Text
    venue: OptionalText
    awardee: Text
    organisation: OptionalText
    email: OptionalEmail
    language: OptionalLanguage
    certificate_number: Text
    decision_reference: Text
    decided_on: Day
    decided_by_body: Text
    granted_at: Moment
