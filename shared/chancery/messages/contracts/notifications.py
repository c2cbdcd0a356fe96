"""Messages addressed to the notifications service."""

from typing import Annotated, Any

from marshmallow import fields, validate

from chancery.messages.fieldtypes import OptionalEmail, OptionalLanguage, OptionalText
from chancery.messages.payloads import nested, payload_dataclass, schema_of

CHANNELS = ("email", "sms", "webhook", "in_app")


@payload_dataclass
class Recipient:
    """Whom to tell: an address for the channel, or a staff member's subject."""

    email: OptionalEmail
    phone: Annotated[
        str | None,
        fields.String(
            load_default=None, allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$")
        ),
    ]
    url: Annotated[str | None, fields.Url(load_default=None, allow_none=True, require_tld=False)]
    subject: Annotated[
        str | None,
        fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200)),
    ]
    name: OptionalText


RecipientSchema = schema_of(Recipient)


@payload_dataclass
class NotificationRequestedV1:
    """``notification.requested`` v1 (a command): please tell this recipient.

    Any service or department system may send it to ``notifications.commands``.
    ``idempotency_key`` makes a repeated request deliver once; ``channel``
    may be left out to use the recipient's preference; ``template`` names a
    notification kind (``generic`` takes ``title`` and ``message`` in
    ``data``). Consumer: notifications.
    """

    idempotency_key: Annotated[
        str, fields.String(required=True, validate=validate.Length(min=1, max=200))
    ]
    recipient: Annotated[Recipient, nested(Recipient, required=True)]
    channel: Annotated[
        str | None,
        fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CHANNELS)),
    ]
    template: Annotated[
        str, fields.String(required=True, validate=validate.Regexp(r"^[a-z_]{1,50}$"))
    ]
    language: OptionalLanguage
    data: Annotated[dict[str, Any], fields.Dict(keys=fields.String(), load_default=dict)]
