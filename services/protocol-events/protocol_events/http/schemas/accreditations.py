"""Press accreditations' schemas."""

from __future__ import annotations

from marshmallow import fields

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import (
    LANGUAGE,
    PHONE,
    one_of,
    optional,
    required,
    short_text,
)
from chancery.validation import StrictSchema

ACCREDITATION_DECISIONS = ("approved", "refused")


class AccreditationIn(StrictSchema):
    outlet = required(short_text, "The media outlet the journalist works for.")
    journalist = required(short_text, "The journalist's full name.")
    email = optional(EmailAddress)
    phone = optional(fields.String, validate=PHONE)
    language = optional(fields.String, validate=LANGUAGE)


class AccreditationDecisionIn(StrictSchema):
    status = one_of(ACCREDITATION_DECISIONS, "approved or refused.", required=True)


AccreditationOut = answer_schema(
    "AccreditationOut", "id outlet journalist email? phone? language? status badge_number?"
)
