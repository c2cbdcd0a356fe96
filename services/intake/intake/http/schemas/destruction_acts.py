"""Destruction acts: drawing one up, approving it, the act as it stands."""

from __future__ import annotations

from datetime import date

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import one_of
from chancery.validation import StrictSchema
from intake.permissions import DESTRUCTION_APPROVERS


class DestructionIn(StrictSchema):
    """Draw up an act for the temporary files whose retention ended by this day."""

    as_of = fields.Date(
        required=True, validate=validate.Range(min=date(2000, 1, 1), max=date(2999, 12, 31))
    )


class ApprovalIn(StrictSchema):
    """The role in which the act is approved."""

    role = one_of(
        DESTRUCTION_APPROVERS,
        "the role approving: the registry and the data protection officer, "
        "two different people, both approve",
        required=True,
    )


ActItemOut = answer_schema(
    "ActItemOut",
    "year:int code title retention_years:int legal_basis letters:int",
    doc="A case file listed in a destruction act.",
)

ApprovalOut = answer_schema(
    "ApprovalOut", "role subject at", at=fields.String(metadata={"format": "date-time"})
)

DestructionActOut = answer_schema(
    "DestructionActOut",
    "number:int as_of:date status items approvals drafted_at:aware drafted_by"
    " executed_at:aware? letters_destroyed:int?",
    doc="A destruction act: draft, approved or executed.",
    items=fields.List(fields.Nested(ActItemOut)),
    approvals=fields.List(fields.Nested(ApprovalOut)),
)
