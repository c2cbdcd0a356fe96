"""Appointments' and the visitor log's schemas."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import (
    LANGUAGE,
    PHONE,
    any_of_given,
    one_of,
    optional,
    prose,
    required,
    short_text,
)
from chancery.validation import PlausibleDate, StrictSchema
from protocol_events.http.schemas import (
    EVENT_WINDOW_YEARS,
    ROW_ID,
    local,
    local_span,
    moment,
    row_id,
)

VISIT_ACTIONS = ("arrived", "seen", "left", "no_show")


APPOINTMENT_STATUSES = (
    "pending",
    "expired",
    "booked",
    "arrived",
    "seen",
    "left",
    "no_show",
    "cancelled",
)


INTAKE_KINDS = ("application", "complaint", "proposal", "information_request", "letter")


class VisitorIn(StrictSchema):
    # What _reachable checks: an e-mail address or a phone number (or both).
    JSON_SCHEMA: ClassVar[dict[str, Any]] = any_of_given(
        {"email": "Reachable by e-mail", "phone": "Reachable by phone"}
    )

    name = required(short_text, "The visitor's full name.")
    email = optional(EmailAddress)
    phone = optional(fields.String, validate=PHONE)
    language = optional(fields.String, validate=LANGUAGE)

    @validates_schema
    def _reachable(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("email") and not data.get("phone"):
            raise ValidationError("give an e-mail address or a phone number", "email")


class AppointmentIn(StrictSchema):
    official_id = row_id("The id of the official met.")
    starts_at = required(
        moment, "The slot's start, with an offset (one of the official's free slots)."
    )
    topic = prose(
        5000, required=True, metadata={"description": "What the visitor wants to talk about."}
    )
    visitor = fields.Nested(
        VisitorIn,
        required=True,
        metadata={"description": "Who comes: a name and an e-mail address or a phone number."},
    )


class AppointmentQuery(PageQuery):
    official_id = fields.String(validate=ROW_ID)
    day = PlausibleDate(within_years=EVENT_WINDOW_YEARS)
    status = fields.String(validate=validate.OneOf(APPOINTMENT_STATUSES))


class ReasonIn(StrictSchema):
    reason = prose(5000, required=True, metadata={"description": "Why, kept with the record."})


class VisitIn(StrictSchema):
    action = one_of(
        VISIT_ACTIONS,
        "What happened at the appointment: arrived, seen, left or no_show.",
        required=True,
    )


class HandOverIn(StrictSchema):
    kind = one_of(
        INTAKE_KINDS, "The letter kind the visit becomes at intake.", load_default="application"
    )
    subject = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=500)
    )


def _visitor(appointment: Any) -> dict[str, str | None]:
    """The visitor's name and contact, one object in the answer."""
    return {
        "name": appointment.visitor_name,
        "email": appointment.visitor_email,
        "phone": appointment.visitor_phone,
        "language": appointment.visitor_language,
    }


VisitEntryOut = answer_schema("VisitEntryOut", "action at:datetime recorded_by")


AppointmentOut = answer_schema(
    "AppointmentOut",
    "id official_id official_name starts_at ends_at local_starts_at local_ends_at topic visitor "
    "status booked_by booked_at:datetime cancelled_reason? reminder_sent_at:datetime? "
    "handed_to_intake_at:datetime? intake_key? handed_over_by? letter_id? "
    "registration_number? restricted_at:datetime? version:int",
    official_name=fields.Function(lambda appointment: appointment.official.name),
    visitor=fields.Function(_visitor),
    **local_span(),
)


VisitorLogOut = answer_schema(
    "VisitorLogOut",
    "appointment_id official_id official_name visitor_name action at:datetime local_at recorded_by",
    local_at=local("at"),
)


class VisitorLogQuery(PageQuery):
    day = PlausibleDate(within_years=EVENT_WINDOW_YEARS, required=True)
