"""The registry's suggestions of earlier correspondents."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chancery.http.paging import PageQuery


class CorrespondentQuery(PageQuery):
    """Suggestions: the ``limit`` best matches, newest first, in one page (never a next one)."""

    text = fields.String(data_key="q", required=True, validate=validate.Length(min=2, max=200))


class CorrespondentOut(Schema):
    type = fields.String()
    name = fields.String()
    organisation = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    preferred_language = fields.String(allow_none=True)
