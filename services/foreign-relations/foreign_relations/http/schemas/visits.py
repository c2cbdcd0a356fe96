"""Incoming visits' request and answer schemas: the delegation and its members."""

from __future__ import annotations

from marshmallow import fields

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import COUNTRY, LANGUAGE, Id, optional, required, short_text
from chancery.http.times import LocalDateTime
from chancery.validation import StrictSchema
from foreign_relations.http.schemas import EXACTLY_ONE_HEAD, delegation, notes


class DelegateIn(StrictSchema):
    name = required(short_text, "The delegate's full name.")
    role = optional(short_text)
    organisation = optional(short_text)
    country = optional(fields.String, validate=COUNTRY)
    language = optional(fields.String, validate=LANGUAGE)
    rank = optional(short_text)
    email = optional(EmailAddress)
    head = fields.Boolean(load_default=False)


class VisitIn(StrictSchema):
    partner_id = Id(load_default=None, allow_none=True)
    invitation_id = Id(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The approved invitation (from its letter) the visit follows; one "
            "visit per invitation."
        },
    )
    title = required(short_text, "What the visit is.")
    city = required(short_text, "The city the delegation comes from.")
    country = required(
        fields.String, "The delegation's country, ISO 3166-1 alpha-2.", validate=COUNTRY
    )
    arrives_at = LocalDateTime(required=True)
    departs_at = LocalDateTime(required=True)
    purpose = optional(notes)
    language = optional(fields.String, validate=LANGUAGE)
    members = delegation(
        DelegateIn,
        "The delegation's members: exactly one of them is flagged as the head.",
        EXACTLY_ONE_HEAD,
        required=True,
    )


VisitOut = answer_schema(
    "VisitOut",
    """id status partner_id? invitation_id? title city country arrives_at:datetime
    departs_at:datetime purpose? language? decided_by? decided_at:datetime? decision_note?
    version:int""",
)
VisitDetailOut = answer_schema("VisitDetailOut", "members:[dict]", base=VisitOut)
