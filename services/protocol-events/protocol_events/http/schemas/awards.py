"""Award ceremonies' schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import (
    LANGUAGE,
    optional,
    prose,
    required,
    required_list,
    short_text,
)
from chancery.validation import PlausibleDate, StrictSchema
from protocol_events.http.schemas import ROW_ID, answered_texts


class NomineeIn(StrictSchema):
    name = required(short_text, "the nominee's name, as on the certificate")
    organisation = optional(short_text)
    email = optional(EmailAddress)
    language = optional(fields.String, validate=LANGUAGE)
    citation = optional(
        prose,
        max_length=5000,
        metadata={"description": "why they are nominated (the certificate's words)"},
    )
    nominated_by = required(short_text, "who put them forward: a person, a body, an organisation")


class AwardDecisionIn(StrictSchema):
    reference = required(
        fields.String, "the decision's number", validate=validate.Length(min=1, max=100)
    )
    decided_on = PlausibleDate(required=True)
    body = required(
        fields.String,
        "who decided: the council, the mayor...",
        validate=validate.Length(min=1, max=300),
    )
    awardees = required_list(
        fields.String(validate=ROW_ID),
        "the nominees (their ids) the decision grants the award to",
        at_most=500,
    )


NomineeOut = answer_schema(
    "NomineeOut",
    "id name organisation? email? language? citation? nominated_by status certificate_number?",
)

AwardDecisionOut = answer_schema(
    "AwardDecisionOut", "reference decided_on:date body recorded_by recorded_at:aware"
)

AwardProgrammeLineOut = answer_schema(
    "AwardProgrammeLineOut",
    "title category starts_at:aware ends_at:aware local_time place?",
    notes={"local_time": "in the municipality's time zone"},
    title=answered_texts(),
)

CertificateOut = answer_schema(
    "CertificateOut",
    "certificate_number awardee organisation? citation? language? award decision_reference "
    "decided_on:date decided_by_body presented_on:date venue? municipality",
    award=answered_texts(),
    municipality=answered_texts(),
)

AwardOut = answer_schema(
    "AwardOut",
    "event_id title nominees decision awardees programme certificates",
    title=answered_texts(),
    nominees=fields.List(fields.Nested(NomineeOut)),
    decision=fields.Nested(AwardDecisionOut, allow_none=True),
    awardees=fields.List(fields.Nested(NomineeOut)),
    programme=fields.List(fields.Nested(AwardProgrammeLineOut)),
    certificates=fields.List(fields.Nested(CertificateOut)),
)
