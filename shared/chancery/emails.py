"""E-mail addresses: one validator for every API, every message contract and the sender.

The check is ``email-validator``'s syntax check (RFC 5321/5322 with
internationalised addresses, so ``ona.žemaitytė@example.lt`` and
``თამარ@example.ge`` pass), without DNS lookups: whether a domain takes mail
is the SMTP server's answer to give, and an office network may have no
resolver. What passes is returned in its normal form (Unicode NFC, the
domain lower-cased); quoted local parts, control characters, IP-address
domains and special-use names (``.test``, ``localhost``) are refused.
"""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError, fields, validate


class InvalidEmailAddress(ValueError):
    """An address the validator refused; the message says why."""


def normalized_email(address: str) -> str:
    """``address`` in its normal form, or :class:`InvalidEmailAddress` with the reason."""
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidEmailAddress(str(exc)) from exc


class EmailAddress(fields.Email):
    """A marshmallow field for an e-mail address, checked by :func:`normalized_email`.

    Use it for every field that carries an e-mail address (requests and
    message contracts alike). It is an ``Email`` field, so OpenAPI and AsyncAPI
    document it as ``format: email``; the load returns the normalised address.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # marshmallow's own regular expression lets quoted control characters through.
        self.validators = [v for v in self.validators if not isinstance(v, validate.Email)]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalized_email(text)
        except InvalidEmailAddress as exc:
            raise ValidationError(f"Not a valid e-mail address: {exc}") from exc
