"""Deliveries: the list's filters and one delivery as answered."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import one_of
from chancery.messages.contracts.notifications import CHANNELS
from chancery.validation import Text, WithinDates
from notifications.domain.deliveries import STATES


class DeliveryQuery(PageQuery):
    """Who was told what, and did it arrive: the filters of ``GET /deliveries``."""

    recipient = Text(
        max_length=500,
        min_length=1,
        metadata={
            "description": "the recipient exactly as delivered to: an e-mail address, a phone "
            "number, a staff member's subject or ``webhook:<id>``"
        },
    )
    cause = Text(
        max_length=450,
        min_length=1,
        metadata={"description": "the message (or request) that caused the notices"},
    )
    kind = fields.String(
        validate=validate.Regexp(r"^[a-z_]{1,50}$"),
        metadata={"description": "the template kind, e.g. ``acknowledgement``"},
    )
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    status = one_of(STATES, "where the delivery stands")
    start = fields.AwareDateTime(
        data_key="from",
        validate=WithinDates(),
        metadata={"description": "queued at or after this instant"},
    )
    end = fields.AwareDateTime(
        data_key="to",
        validate=WithinDates(),
        metadata={"description": "queued before this instant"},
    )


DeliveryOut = answer_schema(
    "DeliveryOut",
    "id cause recipient channel kind language template_version:int subject status attempts:int "
    "next_attempt_at:datetime last_error? created_at:datetime delivered_at:datetime?",
)
