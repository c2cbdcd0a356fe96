"""Messages the intake service (the protocol book) publishes.

They carry the facts consumers need to act without calling intake back:
routing needs the kind, addressee, language and subject to apply its rules;
notifications needs the sender's contact and preferred language and the
status-lookup code to acknowledge the letter. Payloads therefore contain
personal data: they never go into headers, logs or spans.
"""

from typing import Annotated
from uuid import UUID

from marshmallow import fields, validate

from chancery.messages.fieldtypes import (
    Confidentiality,
    Id,
    Language,
    Moment,
    OptionalEmail,
    OptionalId,
    OptionalLanguage,
    OptionalText,
    Text,
)
from chancery.messages.payloads import nested, payload_dataclass, schema_of
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CHANNELS,
    CONFIDENTIALITY_LEVELS,
    LETTER_KINDS,
    OUTGOING_KINDS,
    SENDER_TYPES,
)


@payload_dataclass
class Correspondent:
    """The sender of an incoming letter or the recipient of an outgoing one."""

    type: Annotated[str, fields.String(required=True, validate=validate.OneOf(SENDER_TYPES))]
    name: Text
    organisation: OptionalText
    email: OptionalEmail
    phone: OptionalText
    address: OptionalText
    country: OptionalText
    preferred_language: OptionalLanguage


CorrespondentSchema = schema_of(Correspondent)


@payload_dataclass
class Addressee:
    """Whom an incoming letter is addressed to inside the municipality."""

    kind: Annotated[str, fields.String(required=True, validate=validate.OneOf(ADDRESSEE_KINDS))]
    department_code: OptionalText
    name: OptionalText


AddresseeSchema = schema_of(Addressee)


@payload_dataclass
class LetterRegisteredV1:
    """``letter.registered`` v1: an incoming item got its registration number.

    Consumers: routing (applies its rules and starts the workflow),
    notifications (acknowledges to the sender with the number and the
    status-lookup code, in the sender's preferred language), foreign-relations
    (remembers who sent an invitation), protocol-events (notes the number of
    a letter handed over from reception hours, by ``source_reference``).
    """

    letter_id: Id
    registration_number: Text
    register: Text
    kind: Annotated[str, fields.String(required=True, validate=validate.OneOf(LETTER_KINDS))]
    channel: Annotated[str, fields.String(required=True, validate=validate.OneOf(CHANNELS))]
    language: Language
    subject: Text
    summary: OptionalText
    addressee: Annotated[Addressee, nested(Addressee, required=True)]
    sender: Annotated[Correspondent, nested(Correspondent, required=True)]
    confidentiality: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(CONFIDENTIALITY_LEVELS))
    ]
    received_at: Moment
    registered_at: Moment
    # Secret: the outbox and the notices that carried it forget it once sent.
    status_lookup_code: Annotated[str, fields.String(required=True, metadata={"secret": True})]
    municipality: Text
    source_reference: OptionalText


@payload_dataclass
class ReplyRegisteredV1:
    """``letter.reply_registered`` v1: an outgoing letter was registered.

    ``in_reply_to_letter_id`` is set when it answers an incoming letter.
    Consumers: routing (a reply moves the letter towards answered),
    notifications (tells the citizen an answer was sent).
    """

    letter_id: Id
    registration_number: Text
    register: Text
    kind: Annotated[str, fields.String(required=True, validate=validate.OneOf(OUTGOING_KINDS))]
    language: Language
    subject: Text
    recipient: Annotated[Correspondent, nested(Correspondent, required=True)]
    department_code: OptionalText
    in_reply_to_letter_id: OptionalId
    in_reply_to_registration_number: OptionalText
    registered_at: Moment
    # At least the answered letter's level (decision 17); older producers: normal.
    confidentiality: Confidentiality


@payload_dataclass
class LetterWeededOutV1:
    """``letter.not_ours`` v1: the registry decided the letter is not the municipality's business.

    ``forwarded_to`` names the competent body when it was forwarded.
    Consumers: routing (ends the workflow), notifications (tells the sender).
    """

    letter_id: Id
    registration_number: Text
    reason: Text
    forwarded_to: OptionalText
    decided_at: Moment


@payload_dataclass
class LetterArchivedV1:
    """``letter.archived`` v1: the item was handed to the archive; no more work on it.

    Consumers: routing (closes any open workflow).
    """

    letter_id: Id
    registration_number: Text
    archived_at: Moment
    file_reference: OptionalText


@payload_dataclass
class DestructionExecutedV1:
    """``destruction.executed`` v1: destroy these letters' contents, keep their numbers.

    Sent when an approved destruction act is executed in intake (which has
    already deleted its scans and emptied the correspondent, subject and
    summary). Each consumer deletes or empties what it holds about the
    letters' people and content, keeping the registration number and the
    fact that the letter existed. Consumers: routing (subject, sender's
    organisation), notifications (the sender's contact and the texts of
    notices about the letters), foreign-relations (the invitation letters'
    sender, subject and summary and their invitations' title, inviter and
    summary).
    """

    act_number: Annotated[
        int,
        fields.Integer(
            required=True,
            strict=True,
            validate=validate.Range(min=1),
            metadata={"description": "the destruction act's number"},
        ),
    ]
    letter_ids: Annotated[list[UUID], fields.List(fields.UUID(), required=True)]
    registration_numbers: Annotated[list[str], fields.List(fields.String(), required=True)]
    ordered_at: Moment


@payload_dataclass
class LetterVoidedV1:
    """``letter.voided`` v1: a registration was voided (a mistake); the number stays recorded.

    Consumers: routing (drops the letter from work lists).
    """

    letter_id: Id
    registration_number: Text
    reason: Text
    voided_at: Moment


@payload_dataclass
class AccessCodeIssuedV1:
    """``letter.access_code_issued`` v1: the registry gave an incoming letter a new access code.

    The old code no longer opens the status lookup. Consumers: notifications
    (sends the new code to the letter's sender, the way the acknowledgement
    went, and forgets it once sent). Never forwarded to webhooks.
    """

    letter_id: Id
    registration_number: Text
    language: Language
    status_lookup_code: Annotated[str, fields.String(required=True, metadata={"secret": True})]
    issued_at: Moment


@payload_dataclass
class LetterSubmittedV1:
    """``letter.submitted`` v1 (a command): please register this incoming item.

    Sent by another service or a department system to ``intake.commands``,
    for example by protocol-events when a resident's topic at reception hours
    is really a letter. ``idempotency_key`` makes a repeated command register
    once; the registration then follows as ``letter.registered``, whose
    ``source_reference`` repeats the key. Consumer: intake.
    """

    idempotency_key: Annotated[
        str, fields.String(required=True, validate=validate.Length(min=1, max=200))
    ]
    kind: Annotated[str, fields.String(required=True, validate=validate.OneOf(LETTER_KINDS))]
    channel: Annotated[str, fields.String(required=True, validate=validate.OneOf(CHANNELS))]
    language: Language
    subject: Annotated[str, fields.String(required=True, validate=validate.Length(min=1, max=500))]
    summary: OptionalText
    addressee: Annotated[Addressee, nested(Addressee, required=True)]
    sender: Annotated[Correspondent, nested(Correspondent, required=True)]
    received_at: Moment
    # Decision 17: a department system may submit a protected letter; older senders: normal.
    confidentiality: Confidentiality
