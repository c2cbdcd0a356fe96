"""The protocol precedence list's schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chancery.http.schemas import LANGUAGE, required, required_list, short_text
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
    ranks = required_list(
        fields.Nested(RankIn), "The ranks in order, highest first.", at_least=1, at_most=500
    )


class PrecedenceOut(Schema):
    source = fields.String(metadata={"description": "default (shipped) or saved"})
    version = fields.Integer()
    ranks = fields.List(fields.Dict())
