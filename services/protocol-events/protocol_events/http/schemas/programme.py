"""Programme items' schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import (
    one_of,
    optional,
    prose,
    required,
    short_text,
)
from chancery.validation import UpdateSchema
from chancery.vocabulary import PROGRAMME_CATEGORIES
from protocol_events.http.schemas import ROW_ID, Span, local_span, moment, texts
from protocol_events.http.schemas.costs import CostOut
from protocol_events.http.schemas.resources import BookingOut


class ItemIn(Span):
    category = one_of(
        PROGRAMME_CATEGORIES,
        "What the programme item is (business meeting, meal, transfer, ...).",
        required=True,
    )
    title = required(texts, "The item's title per language.", validate=validate.Length(min=1))
    starts_at = required(moment, "When the item starts, with an offset; within the event.")
    ends_at = required(moment, "When the item ends, with an offset; within the event.")
    place = optional(short_text)
    responsible = optional(short_text)
    counterpart = optional(
        short_text,
        metadata={"description": "council committee, department or local organisation met"},
    )
    notes = prose(5000, load_default=None, allow_none=True)
    resource_ids = fields.List(fields.String(validate=ROW_ID), load_default=list)


class ItemPatch(Span, UpdateSchema):
    category = one_of(
        PROGRAMME_CATEGORIES, "What the programme item is (business meeting, meal, transfer, ...)."
    )
    title = texts(
        validate=validate.Length(min=1), metadata={"description": "The item's title per language."}
    )
    starts_at = moment(
        metadata={
            "description": "When the item starts, with an offset; within the event (its bookings "
            "move with it)."
        }
    )
    ends_at = moment(
        metadata={"description": "When the item ends, with an offset; within the event."}
    )
    place = short_text(allow_none=True)
    responsible = short_text(allow_none=True)
    counterpart = short_text(
        allow_none=True,
        metadata={"description": "council committee, department or local organisation met"},
    )
    notes = prose(5000, allow_none=True)


ItemOut = answer_schema(
    "ItemOut",
    "id category title:dict starts_at ends_at local_starts_at local_ends_at "
    "place? responsible? counterpart? notes? bookings costs",
    bookings=fields.List(fields.Nested(BookingOut)),
    costs=fields.List(fields.Nested(CostOut)),
    **local_span(),
)
