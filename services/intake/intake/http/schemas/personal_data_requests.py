"""Data subjects' requests (GDPR): the request and every service's answer."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import one_of, optional
from chancery.http.times import LocalDateTime
from chancery.validation import StrictSchema


class PersonIn(StrictSchema):
    """Whom a request is about: at least one of name, e-mail and phone."""

    name = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=300),
        metadata={"description": "the person's full name"},
    )
    email = optional(EmailAddress)
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ()-]{6,30}$"),
        metadata={"description": "digits, spaces, dashes, a leading +"},
    )


class PersonalDataRequestIn(StrictSchema):
    """A data subject's request: what the services hold about a person, or erase it."""

    action = one_of(
        ("access", "erase", "restrict"),
        "access: gather and export; erase, restrict: erase or restrict "
        "where the law allows, each record saying what was done or why not",
        required=True,
    )
    person = fields.Nested(
        PersonIn,
        required=True,
        metadata={
            "description": "whom the request is about: a name, an e-mail or a phone, at least one"
        },
    )


PersonalRecordOut = answer_schema("PersonalRecordOut", "kind reference confidentiality data:dict")

ErasureOutcomeOut = answer_schema("ErasureOutcomeOut", "kind reference outcome reason?")

PersonalDataPartOut = answer_schema(
    "PersonalDataPartOut",
    "service answered_at:datetime records outcomes truncated:bool",
    doc="One service's answer.",
    notes={"truncated": "some records were left out to keep the answer under 256 KiB"},
    records=fields.List(fields.Nested(PersonalRecordOut)),
    outcomes=fields.List(fields.Nested(ErasureOutcomeOut)),
)

PersonOut = answer_schema("PersonOut", "name? email? phone?")

PersonalDataRequestOut = answer_schema(
    "PersonalDataRequestOut",
    "number action person requested_at requested_by answered:[str] outstanding:[str] parts",
    doc="A request, who has answered it and what they said (the JSON export).",
    number=fields.Integer(attribute="request.number"),
    action=fields.String(attribute="request.action"),
    person=fields.Nested(PersonOut, attribute="request.person"),
    requested_at=LocalDateTime(attribute="request.requested_at"),
    requested_by=fields.String(attribute="request.requested_by"),
    parts=fields.Function(
        lambda view: [PersonalDataPartOut().dump(view.parts[service]) for service in view.answered]
    ),
)
