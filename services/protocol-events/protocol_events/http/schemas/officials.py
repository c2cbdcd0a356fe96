"""Officials', reception hours' and slots' schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import one_of, optional, required, required_list, short_text
from chancery.validation import StrictSchema, UpdateSchema
from chancery.vocabulary import ADDRESSEE_KINDS
from protocol_events.http.schemas import ClosedDayOut, texts


class OfficialIn(StrictSchema):
    name = required(short_text, "The official's full name.")
    position = required(
        texts, "The official's position per language.", validate=validate.Length(min=1)
    )
    staff_subject = optional(
        short_text,
        metadata={
            "description": "the official's subject in the identity provider (for notifications)"
        },
    )
    addressee_kind = one_of(
        ADDRESSEE_KINDS,
        "Which addressee of letters the official is (letters to them reach their desk).",
        load_default="mayor",
    )
    place = optional(short_text)
    email = optional(EmailAddress)


class OfficialPatch(UpdateSchema):
    name = short_text()
    position = texts(validate=validate.Length(min=1))
    staff_subject = short_text(allow_none=True)
    addressee_kind = one_of(ADDRESSEE_KINDS, "Which addressee of letters the official is.")
    place = short_text(allow_none=True)
    email = EmailAddress(allow_none=True)
    active = fields.Boolean()


class WindowIn(StrictSchema):
    weekday = required(
        fields.Integer, "0 = Monday .. 6 = Sunday", validate=validate.Range(min=0, max=6)
    )
    start = required(fields.Time, "When the reception window opens (HH:MM, local time).")
    end = required(
        fields.Time, "When the reception window closes (HH:MM, local time); after start."
    )
    slot_minutes = required(
        fields.Integer,
        "How long each slot of the window is, in minutes.",
        validate=validate.Range(min=5, max=240),
    )
    valid_from = optional(fields.Date)
    valid_until = optional(fields.Date)

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")


class HoursIn(StrictSchema):
    hours = required_list(fields.Nested(WindowIn), "The official's reception windows.", at_most=50)


WindowOut = answer_schema(
    "WindowOut",
    "weekday:int start:time end:time slot_minutes:int valid_from:date? valid_until:date?",
)


OfficialOut = answer_schema(
    "OfficialOut",
    "id name position:dict staff_subject? addressee_kind place? email? active:bool hours",
    hours=fields.List(fields.Nested(WindowOut)),
)


class SlotQuery(StrictSchema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


SlotOut = answer_schema("SlotOut", "starts_at:datetime ends_at:datetime free:bool")


SlotsOut = answer_schema(
    "SlotsOut",
    "slots closed_days",
    slots=fields.List(fields.Nested(SlotOut)),
    closed_days=fields.List(fields.Nested(ClosedDayOut)),
)


FeedOut = answer_schema("FeedOut", "url token")
