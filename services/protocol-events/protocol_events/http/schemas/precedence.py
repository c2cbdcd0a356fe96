"""The protocol precedence list's schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chancery.http.schemas import LANGUAGE, required, short_text
from chancery.validation import StrictSchema


class RankIn(StrictSchema):
    code = required(
        fields.String,
        "A short code of the rank (lower case letters, digits, _).",
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$"),
    )
    names = fields.Dict(
        keys=fields.String(validate=LANGUAGE), values=short_text(), load_default=dict
    )


class PrecedenceIn(StrictSchema):
    ranks = fields.List(
        fields.Nested(RankIn),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "The ranks in order, highest first."},
    )


class PrecedenceOut(Schema):
    source = fields.String(metadata={"description": "default (shipped) or saved"})
    version = fields.Integer()
    ranks = fields.List(fields.Dict())
