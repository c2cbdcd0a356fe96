"""Destruction acts: drawing one up, approving it, the act as it stands."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, fields, validate

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


class ActItemOut(Schema):
    """A case file listed in a destruction act."""

    year = fields.Integer()
    code = fields.String()
    title = fields.String()
    retention_years = fields.Integer()
    legal_basis = fields.String()
    letters = fields.Integer()


class ApprovalOut(Schema):
    role = fields.String()
    subject = fields.String()
    at = fields.String(metadata={"format": "date-time"})


class DestructionActOut(Schema):
    """A destruction act: draft, approved or executed."""

    number = fields.Integer()
    as_of = fields.Date()
    status = fields.String()
    items = fields.List(fields.Nested(ActItemOut))
    approvals = fields.List(fields.Nested(ApprovalOut))
    drafted_at = fields.DateTime()
    drafted_by = fields.String()
    executed_at = fields.DateTime(allow_none=True)
    letters_destroyed = fields.Integer(allow_none=True)
