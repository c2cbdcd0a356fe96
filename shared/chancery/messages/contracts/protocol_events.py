"""Messages the protocol-events service publishes: official events and reception hours.

Event messages carry what notifications needs to invite each participant in
their own language and to attach an iCalendar file (uid, sequence, times,
venue, the titles per language), so it never calls protocol-events back.
Participants' and residents' contacts are personal data: they stay in the
payload, never in headers, logs or spans.
"""

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import EVENT_KINDS, LANGUAGE_PATTERN, PROTOCOL_LEVELS

_language = validate.Regexp(LANGUAGE_PATTERN)
_texts = fields.Dict(keys=fields.String(validate=_language), values=fields.String(),
                     required=True)


class InviteeSchema(PayloadSchema):
    """A participant to invite: how to reach them and in which language."""

    participant_id = fields.UUID(required=True)
    name = fields.String(required=True)
    email = EmailAddress(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    staff_subject = fields.String(load_default=None, allow_none=True)
    role = fields.String(load_default=None, allow_none=True)
    organisation = fields.String(load_default=None, allow_none=True)


class EventV1(PayloadSchema):
    """The facts every event message carries."""

    event_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    protocol_level = fields.String(required=True, validate=validate.OneOf(PROTOCOL_LEVELS))
    title = _texts
    description = fields.Dict(keys=fields.String(validate=_language), values=fields.String(),
                              load_default=dict)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    time_zone = fields.String(required=True)
    venue = fields.String(load_default=None, allow_none=True)
    department_code = fields.String(required=True)
    ical_uid = fields.String(required=True)
    sequence = fields.Integer(required=True, validate=validate.Range(min=0))
    participants = fields.List(fields.Nested(InviteeSchema), load_default=list)


class EventScheduledV1(EventV1):
    """``event.scheduled`` v1: the event is confirmed; its participants are invited.

    Published once, when the event is confirmed. Consumers: notifications
    (an invitation with an .ics file to each participant, in their language).
    """

    scheduled_at = fields.AwareDateTime(required=True)


class EventUpdatedV1(EventV1):
    """``event.updated`` v1: a confirmed event changed its time, venue or participants.

    ``changes`` names what changed (``time``, ``venue``, ``title``,
    ``participants``); ``sequence`` grows with every change so calendars
    replace the earlier invitation. Consumers: notifications (tells every
    participant, with the updated .ics).

    ``invited`` (optional, since issue 17) lists the participants just added to
    the confirmed event: notifications then sends those an invitation and tells
    nobody else, whose invitation stands.
    """

    changes = fields.List(fields.String(), required=True)
    updated_at = fields.AwareDateTime(required=True)
    invited = fields.List(fields.UUID(), load_default=list)


class EventCancelledV1(EventV1):
    """``event.cancelled`` v1: a planned or confirmed event will not take place.

    Consumers: notifications (tells the invited participants, with an .ics
    that cancels the calendar entry).
    """

    reason = fields.String(required=True)
    cancelled_at = fields.AwareDateTime(required=True)


class VisitorSchema(PayloadSchema):
    """The resident who booked a reception slot."""

    name = fields.String(required=True)
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=_language)


class AppointmentV1(PayloadSchema):
    """The facts every reception-hours appointment message carries."""

    appointment_id = fields.UUID(required=True)
    official_id = fields.UUID(required=True)
    official_name = fields.String(required=True)
    official_subject = fields.String(load_default=None, allow_none=True)
    official_position = fields.Dict(keys=fields.String(validate=_language),
                                    values=fields.String(), load_default=dict)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    time_zone = fields.String(required=True)
    place = fields.String(load_default=None, allow_none=True)
    topic = fields.String(required=True)
    visitor = fields.Nested(VisitorSchema, required=True)


class AppointmentBookedV1(AppointmentV1):
    """``appointment.booked`` v1: a resident has a slot in an official's reception hours.

    Consumers: notifications (confirms to the resident in their language, and
    tells the official).
    """

    booked_by = fields.String(required=True)
    booked_at = fields.AwareDateTime(required=True)


class AppointmentCancelledV1(AppointmentV1):
    """``appointment.cancelled`` v1: the booking was cancelled (by the resident or the office).

    Consumers: notifications (tells the resident and the official).
    """

    reason = fields.String(required=True)
    cancelled_by = fields.String(required=True)
    cancelled_at = fields.AwareDateTime(required=True)


class AppointmentReminderDueV1(AppointmentV1):
    """``appointment.reminder_due`` v1: the appointment is near (the configured lead time).

    Published once per appointment by the worker's timer. Consumers:
    notifications (reminds the resident).
    """

    hours_before = fields.Integer(required=True)


class AccreditationDecidedV1(PayloadSchema):
    """``accreditation.decided`` v1: a journalist's press accreditation was approved or refused.

    Carries the journalist's contact (personal data: payload only) and, when
    approved, the badge number. Consumers: notifications (tells the journalist).
    """

    accreditation_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True)
    event_title = _texts
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    time_zone = fields.String(required=True)
    venue = fields.String(load_default=None, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(("approved", "refused")))
    badge_number = fields.String(load_default=None, allow_none=True)
    journalist = fields.String(required=True)
    outlet = fields.String(required=True)
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    decided_at = fields.AwareDateTime(required=True)
