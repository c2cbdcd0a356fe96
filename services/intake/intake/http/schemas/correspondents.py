"""The registry's suggestions of earlier correspondents."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery


class CorrespondentQuery(PageQuery):
    """Suggestions: the ``limit`` best matches, newest first, in one page (never a next one)."""

    text = fields.String(data_key="q", required=True, validate=validate.Length(min=2, max=200))


CorrespondentOut = answer_schema(
    "CorrespondentOut",
    "type name organisation? email? phone? address? country? preferred_language?",
)
