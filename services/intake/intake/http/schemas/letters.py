"""A letter's request and answer schemas: registration, the registry's decisions, the
protocol book's search and its lines, attachments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.paging import sortable
from chancery.http.schemas import COUNTRY, LANGUAGE, PHONE, one_of, optional, required, text
from chancery.validation import PlausibleDateTime, StrictSchema, Text
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CHANNELS,
    CONFIDENTIALITY_LEVELS,
    LETTER_KINDS,
    LETTER_STATUSES,
    OUTGOING_KINDS,
    SENDER_TYPES,
)


class CorrespondentIn(StrictSchema):
    type = one_of(
        SENDER_TYPES, "Who writes or is written to: a person or an organisation.", required=True
    )
    name = text(
        200,
        required=True,
        metadata={
            "description": "The person's full name, or the contact person of an organisation."
        },
    )
    organisation = text(300, load_default=None, allow_none=True)
    email = optional(EmailAddress, validate=validate.Length(max=254))
    phone = optional(fields.String, validate=PHONE)
    address = text(500, load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True, validate=COUNTRY)
    preferred_language = optional(fields.String, validate=LANGUAGE)


class AddresseeIn(StrictSchema):
    kind = one_of(
        ADDRESSEE_KINDS,
        "To whom in the municipality the letter is addressed (the mayor, "
        "the administration, a department, ...).",
        required=True,
    )
    department_code = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=50)
    )
    name = text(200, load_default=None, allow_none=True)


class LetterIn(StrictSchema):
    """A new correspondence item: ``incoming`` (default) or ``outgoing``.

    Incoming items need ``sender``, ``addressee`` and ``channel``; outgoing
    ones need ``recipient`` and may name the letter they answer in
    ``in_reply_to`` (its id or registration number).
    """

    direction = one_of(
        ("incoming", "outgoing"),
        "incoming (received by the municipality) or outgoing (sent by "
        "it); decides which fields are required.",
        load_default="incoming",
    )
    kind = one_of(
        sorted(set(LETTER_KINDS + OUTGOING_KINDS)),
        "What the letter is (application, complaint, invitation, ...); "
        "decides its legal deadline and routing.",
        required=True,
    )
    channel = one_of(
        CHANNELS,
        "How an incoming letter arrived (post, e-mail, portal, in person,"
        " ...); required for incoming letters.",
        load_default=None,
        allow_none=True,
    )
    language = required(
        fields.String,
        "The language the letter is written in, a code such as lt, lv, ka, sq or en.",
        validate=LANGUAGE,
    )
    subject = text(
        500,
        required=True,
        metadata={"description": "The letter's subject as written, kept byte for byte."},
    )
    summary = Text(max_length=10_000, single_line=False, load_default=None, allow_none=True)
    sender = fields.Nested(CorrespondentIn, load_default=None)
    recipient = fields.Nested(CorrespondentIn, load_default=None)
    addressee = fields.Nested(AddresseeIn, load_default=None)
    confidentiality = one_of(
        CONFIDENTIALITY_LEVELS,
        "Who may see the letter: normal, or a confidential/secret level that needs the clearance.",
        load_default="normal",
    )
    received_at = PlausibleDateTime(
        max_future=timedelta(minutes=5),
        load_default=None,
        allow_none=True,
        metadata={
            "description": "not before the configured earliest day (INTAKE_EARLIEST_RECEIVED_AT)"
        },
    )
    in_reply_to = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=60)
    )
    file_reference = optional(
        text,
        max_length=50,
        metadata={
            "description": "a case file code of this year's file plan; proposed from the "
            "department and kind when absent (a reply follows its letter)"
        },
    )

    # What _per_direction checks, stated for generated clients and validators.
    JSON_SCHEMA: ClassVar[dict[str, Any]] = {
        "oneOf": [
            {
                "title": "Incoming letter",
                "description": "Received by the municipality: a sender, "
                "an addressee and the channel it came by; no recipient.",
                "required": ["kind", "sender", "addressee", "channel"],
                "properties": {
                    "direction": {"const": "incoming"},
                    "kind": {"enum": list(LETTER_KINDS)},
                    "sender": {"$ref": "#/components/schemas/CorrespondentIn"},
                    "addressee": {"$ref": "#/components/schemas/AddresseeIn"},
                    "channel": {"type": "string"},
                    "recipient": {"type": "null"},
                    "in_reply_to": {"type": "null"},
                },
            },
            {
                "title": "Outgoing letter",
                "description": "Sent by the municipality: a recipient; no sender or addressee.",
                "required": ["direction", "kind", "recipient"],
                "properties": {
                    "direction": {"const": "outgoing"},
                    "kind": {"enum": list(OUTGOING_KINDS)},
                    "recipient": {"$ref": "#/components/schemas/CorrespondentIn"},
                    "sender": {"type": "null"},
                    "addressee": {"type": "null"},
                },
            },
        ]
    }

    @validates_schema
    def _per_direction(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        required: tuple[str, ...]
        forbidden: tuple[str, ...]
        if data["direction"] == "incoming":
            required, forbidden, kinds = (
                ("sender", "addressee", "channel"),
                ("recipient", "in_reply_to"),
                LETTER_KINDS,
            )
        else:
            required, forbidden, kinds = ("recipient",), ("sender", "addressee"), OUTGOING_KINDS
        for name in required:
            if data.get(name) is None:
                errors[name] = [f"required for {data['direction']} letters"]
        for name in forbidden:
            if data.get(name) is not None:
                errors[name] = [f"not allowed for {data['direction']} letters"]
        if data["kind"] not in kinds:
            errors["kind"] = [f"must be one of {', '.join(kinds)} for {data['direction']} letters"]
        if errors:
            raise ValidationError(errors)


class ReasonIn(StrictSchema):
    reason = text(
        2000,
        single_line=False,
        required=True,
        metadata={
            "description": "Why, in words a colleague reading the letter's history understands."
        },
    )


class NotOursIn(StrictSchema):
    reason = text(
        2000,
        single_line=False,
        required=True,
        metadata={"description": "Why the letter is not the municipality's to answer."},
    )
    forwarded_to = text(300, load_default=None, allow_none=True)


class ArchiveIn(StrictSchema):
    file_reference = optional(
        text,
        max_length=50,
        metadata={"description": "a case file of the letter's year; absent: the file it is in"},
    )


class FileIn(StrictSchema):
    """The case file a letter moves to."""

    file_reference = text(
        50, required=True, metadata={"description": "an open case file code of the letter's year"}
    )


FiledOut = answer_schema(
    "FiledOut",
    "id registration_number year:int file_reference? version:int",
    doc="Where a letter is filed.",
)


class SearchCriteria(StrictSchema):
    """What narrows the protocol book, in a search and in the export alike."""

    direction = fields.String(validate=validate.OneOf(("incoming", "outgoing")))
    kind = fields.String(validate=validate.OneOf(sorted(set(LETTER_KINDS + OUTGOING_KINDS))))
    status = fields.String(validate=validate.OneOf(LETTER_STATUSES))
    addressee = fields.String(validate=validate.OneOf(ADDRESSEE_KINDS))
    department = fields.String(validate=validate.Length(max=50))
    register = fields.String(validate=validate.Length(max=50))
    text = fields.String(data_key="q", validate=validate.Length(min=1, max=200))


class LetterQuery(SearchCriteria, sortable("-registered", "registered")):  # type: ignore[misc]  # a run-time class
    """The protocol book's search, a page at a time (newest first unless ``sort=registered``)."""

    registered_from = fields.Date(
        data_key="from",
        metadata={"description": "registered on or after this day (municipality's time zone)"},
    )
    registered_to = fields.Date(
        data_key="to", metadata={"description": "registered on or before this day"}
    )
    text = fields.String(data_key="q", validate=validate.Length(min=1, max=200))


LetterRef = answer_schema("LetterRef", "id registration_number")

AttachmentOut = answer_schema(
    "AttachmentOut",
    "id filename media_type size:int sha256 uploaded_at:datetime extraction_state extracted_text?",
    extraction_state=fields.String(
        metadata={
            "enum": ["pending", "done", "failed"],
            "description": "the worker's extraction of the text (PDF text layer, else OCR)",
        }
    ),
)

LetterSummary = answer_schema(
    "LetterSummary",
    "id direction registration_number register kind channel? language subject addressee_kind?"
    " confidentiality received_at:datetime? registered_at:datetime status department_code?"
    " due_date:date?",
    doc="A line of the protocol book, without the correspondent's personal data.",
    register=fields.String(attribute="register_code"),
)

LetterOut = answer_schema(
    "LetterOut",
    "summary? addressee:dict? sender recipient copy_department_codes:[str]"
    " status_changed_at:datetime answered_at:datetime? in_reply_to_id? closing_reason?"
    " forwarded_to? triage_reason? file_reference? version:int",
    base=LetterSummary,
    doc="A whole letter, with personal data (reading it is audited).",
    notes={"triage_reason": "why routing left the letter to the registry's triage"},
    sender=fields.Function(
        lambda letter: letter.correspondent if letter.direction == "incoming" else None,
        allow_none=True,
    ),
    recipient=fields.Function(
        lambda letter: letter.correspondent if letter.direction == "outgoing" else None,
        allow_none=True,
    ),
)

LetterDetailOut = answer_schema(
    "LetterDetailOut",
    "replies attachments",
    base=LetterOut,
    doc="A letter with the replies that answer it and its attachments.",
    replies=fields.List(fields.Nested(LetterRef)),
    attachments=fields.List(fields.Nested(AttachmentOut)),
)

RegisteredOut = answer_schema(
    "RegisteredOut",
    "status_lookup_code?",
    base=LetterDetailOut,
    doc="The answer to a registration: the letter and, once only, the citizen's access code.",
)

AccessCodeOut = answer_schema(
    "AccessCodeOut",
    "letter_id registration_number status_lookup_code",
    doc="A letter's new access code, shown once; the old one no longer works.",
)

FragmentOut = answer_schema(
    "FragmentOut",
    "text marked:bool",
    notes={"marked": "this piece is what was searched for"},
)

MatchOut = answer_schema(
    "MatchOut",
    "field fragments",
    doc="Where a text search matched: the field and a snippet, its matched pieces marked.",
    field=fields.String(
        metadata={
            "enum": ["subject", "correspondent", "summary", "scan"],
            "description": "the part of the letter the words were in",
        }
    ),
    fragments=fields.List(fields.Nested(FragmentOut)),
)


class LetterHit(LetterSummary):  # type: ignore[misc,valid-type]  # a class built at run time
    """A line of the protocol book found by a search, with the match's snippet (or null)."""

    match = fields.Nested(MatchOut, allow_none=True)

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        # obj is an intake.usecases.searches.Hit: the letter's fields, and the match beside them.
        if attr == "match":
            return obj.match
        return super().get_attribute(obj.letter, attr, default)


# An example for the OpenAPI document (tests/api sends it through a generated client).
LETTER_EXAMPLE = {
    "kind": "complaint",
    "channel": "email",
    "language": "lt",
    "subject": "Dėl neišvežtų šiukšlių Žalgirio gatvėje",
    "sender": {
        "type": "person",
        "name": "Ona Žemaitytė",
        "email": "ona.zemaityte@example.org",
        "preferred_language": "lt",
    },
    "addressee": {"kind": "mayor"},
}


# An answer as the service gives it (the document's example).
REGISTERED_EXAMPLE: dict[str, Any]


REGISTERED_EXAMPLE = {
    "id": "6720f49a-2ec3-4cf0-8d4a-cb8895c76b6e",
    "direction": "incoming",
    "registration_number": "P-2026-00001",
    "register": "applications",
    "kind": "complaint",
    "channel": "email",
    "language": "lt",
    "subject": "Dėl neišvežtų šiukšlių Žalgirio gatvėje",
    "addressee_kind": "mayor",
    "confidentiality": "normal",
    "received_at": "2026-12-08T12:45:00+02:00",
    "registered_at": "2026-12-08T12:45:00+02:00",
    "status": "registered",
    "department_code": None,
    "due_date": None,
    "summary": None,
    "addressee": {"kind": "mayor", "department_code": None, "name": None},
    "sender": {
        "type": "person",
        "name": "Ona Žemaitytė",
        "organisation": None,
        "email": "ona.zemaityte@example.org",
        "phone": None,
        "address": None,
        "country": None,
        "preferred_language": "lt",
    },
    "recipient": None,
    "copy_department_codes": [],
    "status_changed_at": "2026-12-08T12:45:00+02:00",
    "answered_at": None,
    "in_reply_to_id": None,
    "closing_reason": None,
    "forwarded_to": None,
    "triage_reason": None,
    "file_reference": None,
    "version": 1,
    "replies": [],
    "attachments": [],
    "status_lookup_code": "8K9MRN42GT",
}
