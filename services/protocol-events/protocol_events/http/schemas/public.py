"""The public pages' schemas (residents' bookings, invitation answers)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from chancery.explanations import EXPLANATION_LANGUAGES
from chancery.http.answers import answer_schema
from chancery.http.schemas import one_of, required
from chancery.http.times import LocalDateTime
from chancery.validation import StrictSchema, Text
from protocol_events.http.schemas import ClosedDayOut, answered_texts, local, moment, row_id
from protocol_events.http.schemas.appointments import VisitorIn

PublicInvitationView = answer_schema(
    "PublicInvitationView",
    "participant_name answer? answered_at:datetime? title starts_at:datetime ends_at:datetime "
    "venue? status",
    notes={"status": "The event's status: answers are taken while it is confirmed."},
    title=answered_texts(),
)


PublicOfficialOut = answer_schema(
    "PublicOfficialOut",
    "id name position place?",
    notes={
        "id": "Ask for the official's slots with it.",
        "place": "Where they receive.",
    },
    position=answered_texts(metadata={"description": "The position per language."}),
)


class PublicSlotQuery(StrictSchema):
    start = fields.Date(required=True, data_key="from")
    end = required(fields.Date, "At most 30 days after from.", data_key="to")

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data and not 0 <= (data["end"] - data["start"]).days <= 30:
            raise ValidationError("0 to 30 days after from", "to")


FreeSlotOut = answer_schema("FreeSlotOut", "starts_at:datetime ends_at:datetime")


class PublicSlotsOut(Schema):
    slots = fields.List(
        fields.Nested(FreeSlotOut),
        metadata={
            "description": "Only the free slots that have not begun; nothing of who holds the "
            "others."
        },
    )
    closed_days = fields.List(fields.Nested(ClosedDayOut))


class PublicVisitorIn(VisitorIn):
    language = one_of(
        EXPLANATION_LANGUAGES,
        "The language of the resident's notices.",
        load_default=None,
        allow_none=True,
    )


class PublicBookingIn(StrictSchema):
    official_id = row_id("The official's id from /public/officials.")
    starts_at = required(moment, "The start of one of the official's free slots, with an offset.")
    topic = required(
        Text,
        "What the resident wants to talk about.",
        min_length=1,
        max_length=2000,
        single_line=False,
    )
    visitor = fields.Nested(
        PublicVisitorIn,
        required=True,
        metadata={
            "description": "A name and an e-mail address or a phone number: the "
            "confirmation link goes there."
        },
    )


class PublicBookingOut(Schema):
    official_name = fields.Function(lambda a: a.official.name)
    official_position = fields.Function(lambda a: a.official.position)
    place = fields.Function(lambda a: a.official.place)
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    local_starts_at = local("starts_at")
    status = fields.String(
        metadata={
            "description": "pending (waiting for the resident's "
            "confirmation), expired, booked, "
            "cancelled, or what the visit became"
        }
    )
    hold_expires_at = LocalDateTime(
        allow_none=True,
        metadata={"description": "Until when a pending booking waits for its confirmation."},
    )


PublicBookingView = answer_schema(
    "PublicBookingView", "topic visitor_name visitor_language?", base=PublicBookingOut
)
