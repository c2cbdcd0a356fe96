"""Messages the intake service (the protocol book) publishes.

They carry the facts consumers need to act without calling intake back:
routing needs the kind, addressee, language and subject to apply its rules;
notifications needs the sender's contact and preferred language and the
status-lookup code to acknowledge the letter. Payloads therefore contain
personal data: they never go into headers, logs or spans.
"""

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CHANNELS,
    CONFIDENTIALITY_LEVELS,
    LANGUAGE_PATTERN,
    LETTER_KINDS,
    OUTGOING_KINDS,
    SENDER_TYPES,
)

_language = validate.Regexp(LANGUAGE_PATTERN)


class CorrespondentSchema(PayloadSchema):
    """The sender of an incoming letter or the recipient of an outgoing one."""

    type = fields.String(required=True, validate=validate.OneOf(SENDER_TYPES))
    name = fields.String(required=True)
    organisation = fields.String(load_default=None, allow_none=True)
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    address = fields.String(load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True)
    preferred_language = fields.String(load_default=None, allow_none=True, validate=_language)


class AddresseeSchema(PayloadSchema):
    """Whom an incoming letter is addressed to inside the municipality."""

    kind = fields.String(required=True, validate=validate.OneOf(ADDRESSEE_KINDS))
    department_code = fields.String(load_default=None, allow_none=True)
    name = fields.String(load_default=None, allow_none=True)


class LetterRegisteredV1(PayloadSchema):
    """``letter.registered`` v1: an incoming item got its registration number.

    Consumers: routing (applies its rules and starts the workflow),
    notifications (acknowledges to the sender with the number and the
    status-lookup code, in the sender's preferred language), foreign-relations
    (remembers who sent an invitation), protocol-events (notes the number of
    a letter handed over from reception hours, by ``source_reference``).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    register = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(LETTER_KINDS))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    language = fields.String(required=True, validate=_language)
    subject = fields.String(required=True)
    summary = fields.String(load_default=None, allow_none=True)
    addressee = fields.Nested(AddresseeSchema, required=True)
    sender = fields.Nested(CorrespondentSchema, required=True)
    confidentiality = fields.String(required=True, validate=validate.OneOf(CONFIDENTIALITY_LEVELS))
    received_at = fields.AwareDateTime(required=True)
    registered_at = fields.AwareDateTime(required=True)
    # Secret: the outbox and the notices that carried it forget it once sent.
    status_lookup_code = fields.String(required=True, metadata={"secret": True})
    municipality = fields.String(required=True)
    source_reference = fields.String(load_default=None, allow_none=True)


class ReplyRegisteredV1(PayloadSchema):
    """``letter.reply_registered`` v1: an outgoing letter was registered.

    ``in_reply_to_letter_id`` is set when it answers an incoming letter.
    Consumers: routing (a reply moves the letter towards answered),
    notifications (tells the citizen an answer was sent).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    register = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(OUTGOING_KINDS))
    language = fields.String(required=True, validate=_language)
    subject = fields.String(required=True)
    recipient = fields.Nested(CorrespondentSchema, required=True)
    department_code = fields.String(load_default=None, allow_none=True)
    in_reply_to_letter_id = fields.UUID(load_default=None, allow_none=True)
    in_reply_to_registration_number = fields.String(load_default=None, allow_none=True)
    registered_at = fields.AwareDateTime(required=True)
    # At least the answered letter's level (decision 17); older producers: normal.
    confidentiality = fields.String(load_default="normal",
                                    validate=validate.OneOf(CONFIDENTIALITY_LEVELS))


class LetterWeededOutV1(PayloadSchema):
    """``letter.not_ours`` v1: the registry decided the letter is not the municipality's business.

    ``forwarded_to`` names the competent body when it was forwarded.
    Consumers: routing (ends the workflow), notifications (tells the sender).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    reason = fields.String(required=True)
    forwarded_to = fields.String(load_default=None, allow_none=True)
    decided_at = fields.AwareDateTime(required=True)


class LetterArchivedV1(PayloadSchema):
    """``letter.archived`` v1: the item was handed to the archive; no more work on it.

    Consumers: routing (closes any open workflow).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    archived_at = fields.AwareDateTime(required=True)
    file_reference = fields.String(load_default=None, allow_none=True)


class DestructionExecutedV1(PayloadSchema):
    """``destruction.executed`` v1: destroy these letters' contents, keep their numbers.

    Sent when an approved destruction act is executed in intake (which has
    already deleted its scans and emptied the correspondent, subject and
    summary). Each consumer deletes or empties what it holds about the
    letters' people and content, keeping the registration number and the
    fact that the letter existed. Consumers: routing (subject, sender's
    organisation), notifications (the sender's contact and the texts of
    notices about the letters).
    """

    act_number = fields.Integer(required=True, strict=True,
                                validate=validate.Range(min=1),
                                metadata={"description": "the destruction act's number"})
    letter_ids = fields.List(fields.UUID(), required=True)
    registration_numbers = fields.List(fields.String(), required=True)
    ordered_at = fields.AwareDateTime(required=True)


class LetterVoidedV1(PayloadSchema):
    """``letter.voided`` v1: a registration was voided (a mistake); the number stays recorded.

    Consumers: routing (drops the letter from work lists).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    reason = fields.String(required=True)
    voided_at = fields.AwareDateTime(required=True)


class AccessCodeIssuedV1(PayloadSchema):
    """``letter.access_code_issued`` v1: the registry gave an incoming letter a new access code.

    The old code no longer opens the status lookup. Consumers: notifications
    (sends the new code to the letter's sender, the way the acknowledgement
    went, and forgets it once sent). Never forwarded to webhooks.
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    language = fields.String(required=True, validate=_language)
    status_lookup_code = fields.String(required=True, metadata={"secret": True})
    issued_at = fields.AwareDateTime(required=True)


class LetterSubmittedV1(PayloadSchema):
    """``letter.submitted`` v1 (a command): please register this incoming item.

    Sent by another service or a department system to ``intake.commands``,
    for example by protocol-events when a resident's topic at reception hours
    is really a letter. ``idempotency_key`` makes a repeated command register
    once; the registration then follows as ``letter.registered``, whose
    ``source_reference`` repeats the key. Consumer: intake.
    """

    idempotency_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(LETTER_KINDS))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    language = fields.String(required=True, validate=_language)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=500))
    summary = fields.String(load_default=None, allow_none=True)
    addressee = fields.Nested(AddresseeSchema, required=True)
    sender = fields.Nested(CorrespondentSchema, required=True)
    received_at = fields.AwareDateTime(required=True)
    # Decision 17: a department system may submit a protected letter; older senders: normal.
    confidentiality = fields.String(load_default="normal",
                                    validate=validate.OneOf(CONFIDENTIALITY_LEVELS))
