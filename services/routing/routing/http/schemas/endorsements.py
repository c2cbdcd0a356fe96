"""Routing's request and answer schemas for the endorsement circuit's steps and the
replies waiting."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from chancery.http.schemas import prose
from chancery.http.times import LocalDateTime
from chancery.validation import StrictSchema


def _step() -> fields.Integer:
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={
            "description": "the step being decided, counted from 1 "
            "as listed (`step`); 409 when the circuit "
            "moved on"
        },
    )


class DecisionIn(StrictSchema):
    comment = prose(2000, load_default=None, allow_none=True)
    step = _step()


class ReturnIn(StrictSchema):
    comment = prose(
        2000,
        required=True,
        metadata={
            "description": "What the executor should change, shown to them with the returned draft."
        },
    )
    step = _step()


class EndorsementOut(Schema):
    id = fields.String()
    letter_id = fields.String()
    reply_subject = fields.String()
    reply_language = fields.String()
    circuit = fields.List(fields.String())
    step = fields.Method(
        "_step_number",
        metadata={"description": "the step waiting (or decided last), counted from 1"},
    )
    status = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)

    @staticmethod
    def _step_number(endorsement: Any) -> int:
        return endorsement.step + 1


class EndorsementDecisionOut(Schema):
    step = fields.Integer(metadata={"description": "counted from 1"})
    role = fields.String()
    approver = fields.String()
    decision = fields.String(metadata={"description": "`approved` or `returned`"})
    comment = fields.String(allow_none=True)
    at = LocalDateTime()


class EndorsementViewOut(Schema):
    """An endorsement with what its approver or executor needs to read."""

    id = fields.String()
    letter_id = fields.String()
    registration_number = fields.String()
    letter_subject = fields.String()
    department_code = fields.String(allow_none=True)
    executor = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    reply_subject = fields.String()
    reply_summary = fields.String(allow_none=True, metadata={"description": "the draft text"})
    reply_language = fields.String()
    circuit = fields.List(fields.String())
    step = fields.Integer(metadata={"description": "the step waiting, counted from 1"})
    steps = fields.Integer()
    status = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
    decisions = fields.List(
        fields.Nested(EndorsementDecisionOut),
        metadata={"description": "the earlier steps' decisions with their comments, in order"},
    )
