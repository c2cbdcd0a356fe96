"""People's rights (GDPR): the request intake sends every other service and their answers.

A subject access or erasure request is started by the data protection
officer in intake, which owns it (decision 60). The payloads carry the
person's name, e-mail and phone and, in the answers, everything a service
holds about them (confidential letters included: it is the person's own
data); like every payload they never go into headers, logs or spans.
"""

from typing import Annotated, Any

from marshmallow import fields, validate

from chancery.messages.fieldtypes import Moment, OptionalEmail, Text
from chancery.messages.payloads import nested, payload_dataclass, schema_of
from chancery.personal_data import ACTIONS, ERASED, KEPT, RESTRICTED


@payload_dataclass
class Person:
    """Who the request is about: at least one of name, e-mail and phone (checked by intake)."""

    name: Annotated[
        str | None,
        fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300)),
    ]
    email: OptionalEmail
    phone: Annotated[
        str | None,
        fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50)),
    ]


PersonSchema = schema_of(Person)


@payload_dataclass
class PersonalDataRequestedV1:
    """``personal_data.requested`` v1: say what you hold about this person, erase or restrict it.

    Intake, the owner of the request, has gathered (or erased) its own part
    already. Each consumer finds its records about the person and answers
    with ``personal_data.answered`` naming ``request_number``: for
    ``access`` the records, for ``erase`` and ``restrict`` per record whether
    it was erased (restricted) or kept as it was and why (retention, a legal
    obligation). Consumers: routing, notifications,
    protocol-events, foreign-relations.
    """

    request_number: Annotated[
        int,
        fields.Integer(
            required=True,
            strict=True,
            validate=validate.Range(min=1, max=2147483647),
            metadata={"description": "the request's number in intake"},
        ),
    ]
    action: Annotated[
        str,
        fields.String(
            required=True,
            validate=validate.OneOf(ACTIONS),
            metadata={"description": "access: gather; erase, restrict: where the law allows"},
        ),
    ]
    person: Annotated[Person, nested(Person, required=True)]
    requested_at: Moment


@payload_dataclass
class PersonalRecord:
    """One record a service holds about the person."""

    kind: Annotated[
        str,
        fields.String(
            required=True, metadata={"description": "e.g. letter, delivery, appointment, traveller"}
        ),
    ]
    reference: Annotated[
        str,
        fields.String(
            required=True,
            metadata={
                "description": "what people call the record: a registration number, a date and name"
            },
        ),
    ]
    confidentiality: Annotated[str, fields.String(load_default="normal")]
    data: Annotated[
        dict[str, Any],
        fields.Dict(
            keys=fields.String(),
            required=True,
            metadata={"description": "the personal data, field by field"},
        ),
    ]


PersonalRecordSchema = schema_of(PersonalRecord)


@payload_dataclass
class ErasureOutcome:
    """What a service did with one record it was asked to erase."""

    kind: Text
    reference: Text
    outcome: Annotated[
        str, fields.String(required=True, validate=validate.OneOf((ERASED, RESTRICTED, KEPT)))
    ]
    reason: Annotated[
        str | None,
        fields.String(
            load_default=None,
            allow_none=True,
            metadata={
                "description": "why it was kept: the retention that "
                "forbids erasing it and its legal basis"
            },
        ),
    ]


ErasureOutcomeSchema = schema_of(ErasureOutcome)


@payload_dataclass
class PersonalDataAnsweredV1:
    """``personal_data.answered`` v1 (a command): my part of intake's request ``request_number``.

    Sent by each service that received ``personal_data.requested`` to
    ``intake.commands``; the sending service is the envelope's producer.
    ``records`` (access) or ``outcomes`` (erase, restrict) are capped at 256 KiB of
    JSON; ``truncated`` says some were left out. Consumer: intake, which
    stores the part once per service.
    """

    request_number: Annotated[
        int,
        fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2147483647)),
    ]
    action: Annotated[str, fields.String(required=True, validate=validate.OneOf(ACTIONS))]
    records: Annotated[list[PersonalRecord], fields.List(nested(PersonalRecord), load_default=list)]
    outcomes: Annotated[
        list[ErasureOutcome], fields.List(nested(ErasureOutcome), load_default=list)
    ]
    truncated: Annotated[bool, fields.Boolean(load_default=False)]
    answered_at: Moment
