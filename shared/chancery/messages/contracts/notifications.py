"""Messages addressed to the notifications service."""

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import LANGUAGE_PATTERN

CHANNELS = ("email", "sms", "webhook", "in_app")


class RecipientSchema(PayloadSchema):
    """Whom to tell: an address for the channel, or a staff member's subject."""

    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$"))
    url = fields.Url(load_default=None, allow_none=True, require_tld=False)
    subject = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=200))
    name = fields.String(load_default=None, allow_none=True)


class NotificationRequestedV1(PayloadSchema):
    """``notification.requested`` v1 (a command): please tell this recipient.

    Any service or department system may send it to ``notifications.commands``.
    ``idempotency_key`` makes a repeated request deliver once; ``channel``
    may be left out to use the recipient's preference; ``template`` names a
    notification kind (``generic`` takes ``title`` and ``message`` in
    ``data``). Consumer: notifications.
    """

    idempotency_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    recipient = fields.Nested(RecipientSchema, required=True)
    channel = fields.String(load_default=None, allow_none=True,
                            validate=validate.OneOf(CHANNELS))
    template = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]{1,50}$"))
    language = fields.String(load_default=None, allow_none=True,
                             validate=validate.Regexp(LANGUAGE_PATTERN))
    data = fields.Dict(keys=fields.String(), load_default=dict)
