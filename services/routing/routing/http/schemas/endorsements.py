"""Routing's request and answer schemas for the endorsement circuit's steps and the
replies waiting."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import prose
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


EndorsementOut = answer_schema(
    "EndorsementOut",
    "id letter_id reply_subject reply_language circuit:[str] step status requested_by"
    " requested_at:datetime decided_at:datetime?",
    step=fields.Function(
        lambda endorsement: endorsement.step + 1,
        metadata={"description": "the step waiting (or decided last), counted from 1"},
    ),
)

EndorsementDecisionOut = answer_schema(
    "EndorsementDecisionOut",
    "step:int role approver decision comment? at:datetime",
    notes={
        "step": "counted from 1",
        "decision": "`approved` or `returned`",
    },
)

EndorsementViewOut = answer_schema(
    "EndorsementViewOut",
    "id letter_id registration_number letter_subject department_code? executor? due_date:date?"
    " reply_subject reply_summary? reply_language circuit:[str] step:int steps:int status"
    " requested_by requested_at:datetime decided_at:datetime? decisions",
    doc="An endorsement with what its approver or executor needs to read.",
    notes={
        "reply_summary": "the draft text",
        "step": "the step waiting, counted from 1",
    },
    decisions=fields.List(
        fields.Nested(EndorsementDecisionOut),
        metadata={"description": "the earlier steps' decisions with their comments, in order"},
    ),
)
