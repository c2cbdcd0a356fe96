"""Resources' and their bookings' schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import LANGUAGE, one_of, required, short_text
from chancery.validation import StrictSchema
from protocol_events.http.schemas import Span, local_span, moment, row_id

RESOURCE_KINDS = ("room", "vehicle", "interpreter", "equipment", "other")


BookingOut = answer_schema(
    "BookingOut",
    "id resource_id resource_name event_id item_id? "
    "starts_at ends_at local_starts_at local_ends_at booked_by",
    resource_name=fields.Function(lambda booking: booking.resource.name),
    **local_span(),
)


class ResourceIn(StrictSchema):
    kind = one_of(
        RESOURCE_KINDS,
        "What the resource is: a room, a vehicle, an interpreter, equipment or other.",
        required=True,
    )
    name = required(short_text, "The resource's name as people know it.")
    capacity = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=100_000)
    )
    languages = fields.List(fields.String(validate=LANGUAGE), load_default=list)


ResourceOut = answer_schema("ResourceOut", "id kind name capacity:int? languages:[str] active:bool")


class BookingIn(Span):
    resource_id = row_id("The id of the resource booked (a hall, a car, an interpreter, ...).")
    starts_at = required(moment, "When the booking starts, with an offset.")
    ends_at = required(moment, "When the booking ends, with an offset.")


class ScheduleQuery(PageQuery):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


ScheduleOut = answer_schema(
    "ScheduleOut",
    "booking_id event_id event_title item_id? item_title? "
    "starts_at ends_at local_starts_at local_ends_at",
    **local_span(),
)
