"""Notifications' HTTP request and response schemas."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import RAISE, Schema, fields, validate

from chancery.emails import EmailAddress
from chancery.http.paging import PageQuery
from chancery.http.times import LocalDateTime
from chancery.messages.contracts.notifications import CHANNELS, RecipientSchema
from chancery.validation import StrictSchema, Text, UpdateSchema, WithinDates
from chancery.vocabulary import LANGUAGE_PATTERN, ROLES
from notifications.templating import MAX_SOURCE_CHARS

_language = validate.Regexp(LANGUAGE_PATTERN, error="a two-letter ISO 639-1 code")


class StrictRecipient(RecipientSchema, StrictSchema):
    # The rule of Commands._recipient: a staff member's subject, an e-mail address or a phone.
    JSON_SCHEMA: ClassVar[dict[str, Any]] = {"anyOf": [
        {"title": "A staff member", "required": ["subject"],
         "properties": {"subject": {"type": "string"}}},
        {"title": "An e-mail address", "required": ["email"],
         "properties": {"email": {"type": "string"}}},
        {"title": "A phone number", "required": ["phone"],
         "properties": {"phone": {"type": "string"}}},
    ]}

    class Meta:
        unknown = RAISE


class NotificationIn(StrictSchema):
    """Ask for a notification; the ``Idempotency-Key`` header makes a retry deliver once."""

    recipient = fields.Nested(StrictRecipient, required=True,
        metadata={"description": "Who is told: a staff member (subject), an e-mail address or a "
                                 "phone number; at least one."})
    channel = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        [c for c in CHANNELS if c != "webhook"]),
        metadata={"description": "How to tell them (email, sms or in_app); the "
                                 "recipient's preference when absent."})
    template = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]{1,50}$"),
        metadata={"description": "The template the notice is written with (e.g. generic)."})
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    data = fields.Dict(keys=fields.String(), load_default=dict)


class TemplateIn(StrictSchema):
    subject = fields.String(required=True, validate=validate.Length(
        min=1, max=MAX_SOURCE_CHARS["subject"]),
        metadata={"description": "The notice's subject, a template (Jinja2, sandboxed)."})
    text = Text(min_length=1, max_length=MAX_SOURCE_CHARS["text"], single_line=False,
                required=True,
        metadata={"description": "The notice's plain-text body, a template."})
    html = Text(min_length=1, max_length=MAX_SOURCE_CHARS["html"], single_line=False,
                required=True,
        metadata={"description": "The notice's HTML body, a template (optional)."})


class PreviewIn(StrictSchema):
    language = fields.String(required=True, validate=_language,
        metadata={"description": "The language to preview the template in."})
    data = fields.Dict(keys=fields.String(), required=True,
        metadata={"description": "The data the template is filled in with."})


class StaffIn(UpdateSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
        metadata={"description": "The staff member's full name."})
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$"))
    language = fields.String(required=True, validate=_language,
        metadata={"description": "The language the staff member is written to in."})
    department = fields.String(load_default=None, allow_none=True,
                               validate=validate.Regexp(r"^[A-Z][A-Z0-9_]{0,49}$"))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list,
        metadata={"description": "The roles the staff member holds."})
    active = fields.Boolean(load_default=True)


class PreferenceIn(UpdateSchema):
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    channel = fields.String(load_default=None, allow_none=True,
                            validate=validate.OneOf(("email", "sms")),
        metadata={"description": "The channel the recipient prefers (none: the sender's choice)."})
    opted_out = fields.List(fields.String(validate=validate.Regexp(r"^[a-z_]{1,50}$")),
                            load_default=list, metadata={
                                "description": 'kinds, or "all"; notices the law requires '
                                               "are sent anyway"})


class WebhookIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
        metadata={"description": "A name operators recognise the webhook by."})
    url = fields.Url(required=True, require_tld=False, schemes={"http", "https"},
        metadata={"description": "Where deliveries are posted: https, a public address."})
    kinds = fields.List(fields.String(validate=validate.Regexp(r"^[a-z_]+(\.[a-z_]+)+$")),
                        required=True, validate=validate.Length(min=1),
        metadata={"description": "The message types delivered (e.g. letter.registered); all when "
                                 "absent."})
    department = fields.String(load_default=None, allow_none=True)
    receives_confidential = fields.Boolean(load_default=False, metadata={
        "description": "operators only: also send events about confidential letters "
                       "(secret ones are never sent)"})
    receives_personal_data = fields.Boolean(load_default=False, metadata={
        "description": "operators only: include the sender's, visitors' and "
                       "participants' personal data"})


class SubscriptionIn(UpdateSchema):
    active = fields.Boolean(required=True,
        metadata={"description": "Whether the subscription sends notices."})
    channel = fields.String(load_default=None, allow_none=True,
                            validate=validate.OneOf(("email", "sms", "in_app")),
        metadata={"description": "The channel the notices go by (the recipient's preference when "
                                 "absent)."})


DELIVERY_STATES = ("queued", "sending", "delivered", "temporary_failure", "permanent_failure")


class DeliveryQuery(PageQuery):
    """Who was told what, and did it arrive: the filters of ``GET /deliveries``."""

    recipient = Text(max_length=500, min_length=1, metadata={
        "description": "the recipient exactly as delivered to: an e-mail address, a phone "
                       "number, a staff member's subject or ``webhook:<id>``"})
    cause = Text(max_length=450, min_length=1, metadata={
        "description": "the message (or request) that caused the notices"})
    kind = fields.String(validate=validate.Regexp(r"^[a-z_]{1,50}$"), metadata={
        "description": "the template kind, e.g. ``acknowledgement``"})
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    status = fields.String(validate=validate.OneOf(DELIVERY_STATES), metadata={
        "description": "where the delivery stands"})
    start = fields.AwareDateTime(data_key="from", validate=WithinDates(), metadata={
        "description": "queued at or after this instant"})
    end = fields.AwareDateTime(data_key="to", validate=WithinDates(), metadata={
        "description": "queued before this instant"})


class FeedQuery(PageQuery):
    unread = fields.Boolean(load_default=False, metadata={
        "description": "only the notices not yet read"})


class DeliveryOut(Schema):
    id = fields.String()
    cause = fields.String()
    recipient = fields.String()
    channel = fields.String()
    kind = fields.String()
    language = fields.String()
    template_version = fields.Integer()
    subject = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = LocalDateTime()
    last_error = fields.String(allow_none=True)
    created_at = LocalDateTime()
    delivered_at = LocalDateTime(allow_none=True)


class FeedOut(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    created_at = LocalDateTime()
    read_at = LocalDateTime(allow_none=True)
    registration_number = fields.String(allow_none=True, metadata={
        "description": "the letter the notice is about (a link target)"})
    assignment_id = fields.String(allow_none=True, metadata={
        "description": "the own task (assignment without a letter) the notice is about"})


class UnreadCountOut(Schema):
    unread = fields.Integer(metadata={"description": "the caller's unread notices"})


class TemplateOut(Schema):
    kind = fields.String()
    language = fields.String()
    version = fields.Integer()
    audience = fields.String()
    legal = fields.Boolean()
    variables = fields.List(fields.String())
    subject = fields.String()
    text = fields.String()
    html = fields.String()
    created_at = LocalDateTime()
    created_by = fields.String()


class RenderedOut(Schema):
    subject = fields.String()
    text = fields.String()
    html = fields.String()


class StaffOut(Schema):
    subject = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    language = fields.String()
    department = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    active = fields.Boolean()


class PreferenceOut(Schema):
    recipient = fields.String()
    language = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    opted_out = fields.List(fields.String())
    updated_at = LocalDateTime()


class WebhookSummary(Schema):
    id = fields.String()
    name = fields.String()
    url = fields.String()
    kinds = fields.List(fields.String())
    department = fields.String(allow_none=True)
    active = fields.Boolean()
    receives_confidential = fields.Boolean()
    receives_personal_data = fields.Boolean()
    previous_secret_until = LocalDateTime(allow_none=True, metadata={
        "description": "after a rotation, until when the previous secret signs too"})


class WebhookOut(WebhookSummary):
    secret = fields.String(metadata={"description": "whsec_…, shown once: when created or "
                                                    "rotated"})


class SubscriptionOut(Schema):
    event = fields.String()
    kind = fields.String()
    audience = fields.String()
    active = fields.Boolean()
    channel = fields.String(allow_none=True)


# An example for the OpenAPI document (tests/api sends it through a generated client).
NOTIFICATION_EXAMPLE = {"recipient": {"email": "arber.hoxha@example.org"},
                        "template": "generic", "language": "sq",
                        "data": {"title": "Takim", "message": "Të mërkurën në orën 14:00."}}

# An answer as the service gives it (the document's example).
DELIVERIES_EXAMPLE = [{"id": "ff302b1e-5ebd-4b23-9a8d-dae51f04ed99",
                       "cause": "request:registrar-ona:6b3eba59fa8941fd9ad1f7b57a750450",
                       "recipient": "arber.hoxha@example.org",
                       "channel": "email",
                       "kind": "generic",
                       "language": "sq",
                       "template_version": 1,
                       "subject": "Takim",
                       "status": "queued",
                       "attempts": 0,
                       "next_attempt_at": "2026-12-08T12:45:00+02:00",
                       "last_error": None,
                       "created_at": "2026-12-08T12:45:00+02:00",
                       "delivered_at": None}]
