"""The directory: staff, preferences, webhooks and subscriptions."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import LANGUAGE, one_of, optional, required, required_list
from chancery.validation import StrictSchema, UpdateSchema

StaffOut = answer_schema(
    "StaffOut", "subject name email? phone? language department? roles:[str] active:bool"
)


class PreferenceIn(UpdateSchema):
    language = optional(fields.String, validate=LANGUAGE)
    channel = one_of(
        ("email", "sms"),
        "The channel the recipient prefers (none: the sender's choice).",
        load_default=None,
        allow_none=True,
    )
    opted_out = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z_]{1,50}$")),
        load_default=list,
        metadata={"description": 'kinds, or "all"; notices the law requires are sent anyway'},
    )


PreferenceOut = answer_schema(
    "PreferenceOut", "recipient language? channel? opted_out:[str] updated_at:datetime"
)


class WebhookIn(StrictSchema):
    name = required(
        fields.String,
        "A name operators recognise the webhook by.",
        validate=validate.Length(min=1, max=200),
    )
    url = required(
        fields.Url,
        "Where deliveries are posted: https, a public address.",
        require_tld=False,
        schemes={"http", "https"},
    )
    kinds = required_list(
        fields.String(validate=validate.Regexp(r"^[a-z_]+(\.[a-z_]+)+$")),
        "The message types delivered (e.g. letter.registered); all when absent.",
        at_least=1,
    )
    department = fields.String(load_default=None, allow_none=True)
    receives_confidential = fields.Boolean(
        load_default=False,
        metadata={
            "description": "operators only: also send events about confidential letters "
            "(secret ones are never sent)"
        },
    )
    receives_personal_data = fields.Boolean(
        load_default=False,
        metadata={
            "description": "operators only: include the sender's, visitors' and "
            "participants' personal data"
        },
    )


WebhookSummary = answer_schema(
    "WebhookSummary",
    "id name url kinds:[str] department? active:bool receives_confidential:bool "
    "receives_personal_data:bool previous_secret_until:datetime?",
    notes={"previous_secret_until": "after a rotation, until when the previous secret signs too"},
)


WebhookOut = answer_schema(
    "WebhookOut",
    "secret",
    base=WebhookSummary,
    notes={"secret": "whsec_…, shown once: when created or rotated"},
)


class SubscriptionIn(UpdateSchema):
    active = required(fields.Boolean, "Whether the subscription sends notices.")
    channel = one_of(
        ("email", "sms", "in_app"),
        "The channel the notices go by (the recipient's preference when absent).",
        load_default=None,
        allow_none=True,
    )


SubscriptionOut = answer_schema("SubscriptionOut", "event kind audience active:bool channel?")
