"""The field types message contracts share: a Python type annotated with its wire field.

A contract declares ``letter_id: Id`` instead of repeating
``Annotated[UUID, fields.UUID(required=True)]`` in every message that names
a letter; the wire form is the same. Each alias holds one marshmallow field
object, which :func:`~chancery.messages.payloads.payload` copies into every
schema it builds, so no two schemas (or two fields of one schema) share it.

``Optional…`` types may be omitted or null and then load as ``None``; the
others are required.
"""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.vocabulary import CONFIDENTIALITY_LEVELS, LANGUAGE_PATTERN

LANGUAGE = validate.Regexp(LANGUAGE_PATTERN)
"""A language code, as the vocabulary writes them."""

COUNTRY = validate.Regexp(r"^[A-Z]{2}$")
"""A country as its ISO 3166-1 alpha-2 code."""

Id = Annotated[UUID, fields.UUID(required=True)]
OptionalId = Annotated[UUID | None, fields.UUID(load_default=None, allow_none=True)]
Text = Annotated[str, fields.String(required=True)]
OptionalText = Annotated[str | None, fields.String(load_default=None, allow_none=True)]
Integer = Annotated[int, fields.Integer(required=True)]
Day = Annotated[date, fields.Date(required=True)]
OptionalDay = Annotated[date | None, fields.Date(load_default=None, allow_none=True)]
Moment = Annotated[datetime, fields.AwareDateTime(required=True)]
"""A point in time with its offset (a naive time is refused)."""

OptionalEmail = Annotated[str | None, EmailAddress(load_default=None, allow_none=True)]
Language = Annotated[str, fields.String(required=True, validate=LANGUAGE)]
OptionalLanguage = Annotated[
    str | None, fields.String(load_default=None, allow_none=True, validate=LANGUAGE)
]
Country = Annotated[str, fields.String(required=True, validate=COUNTRY)]
OptionalCountry = Annotated[
    str | None, fields.String(load_default=None, allow_none=True, validate=COUNTRY)
]

Confidentiality = Annotated[
    str, fields.String(load_default="normal", validate=validate.OneOf(CONFIDENTIALITY_LEVELS))
]
"""The letter's level (decision 17): consumers show whoever lacks its clearance a neutral
text instead of what it protects. Older producers omitted it: ``normal``."""
