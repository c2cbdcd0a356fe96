"""Asking for a notification: the request and the examples of the document."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import RAISE, fields, validate

from chancery.http.schemas import LANGUAGE, any_of_given, one_of, optional, required
from chancery.messages.contracts.notifications import CHANNELS, RecipientSchema
from chancery.validation import StrictSchema


class StrictRecipient(RecipientSchema, StrictSchema):
    # The rule of Requests._recipient: a staff member's subject, an e-mail address or a phone.
    JSON_SCHEMA: ClassVar[dict[str, Any]] = any_of_given(
        {"subject": "A staff member", "email": "An e-mail address", "phone": "A phone number"}
    )

    class Meta:
        unknown = RAISE


class NotificationIn(StrictSchema):
    """Ask for a notification; the ``Idempotency-Key`` header makes a retry deliver once."""

    recipient = fields.Nested(
        StrictRecipient,
        required=True,
        metadata={
            "description": "Who is told: a staff member (subject), an e-mail address or a "
            "phone number; at least one."
        },
    )
    channel = one_of(
        [c for c in CHANNELS if c != "webhook"],
        "How to tell them (email, sms or in_app); the recipient's preference when absent.",
        load_default=None,
        allow_none=True,
    )
    template = required(
        fields.String,
        "The template the notice is written with (e.g. generic).",
        validate=validate.Regexp(r"^[a-z_]{1,50}$"),
    )
    language = optional(fields.String, validate=LANGUAGE)
    data = fields.Dict(keys=fields.String(), load_default=dict)


# An example for the OpenAPI document (tests/api sends it through a generated client).
NOTIFICATION_EXAMPLE = {
    "recipient": {"email": "arber.hoxha@example.org"},
    "template": "generic",
    "language": "sq",
    "data": {"title": "Takim", "message": "Të mërkurën në orën 14:00."},
}

# An answer as the service gives it (the document's example).
DELIVERIES_EXAMPLE = [
    {
        "id": "ff302b1e-5ebd-4b23-9a8d-dae51f04ed99",
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
        "delivered_at": None,
    }
]
