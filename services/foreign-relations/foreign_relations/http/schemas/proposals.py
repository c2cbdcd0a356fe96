"""Partners' proposals' request and answer schemas: referral and answer."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema
from chancery.http.schemas import DEPARTMENT_CODE, Id, optional, required, short_text
from chancery.validation import StrictSchema
from foreign_relations.http.schemas import notes


class ProposalIn(StrictSchema):
    partner_id = Id(load_default=None, allow_none=True)
    title = required(short_text, "What is proposed.")
    summary = optional(notes)
    received_on = required(fields.Date, "The day the proposal was received (YYYY-MM-DD).")
    letter_id = Id(load_default=None, allow_none=True)


class ReferIn(StrictSchema):
    referred_to = required(short_text, "the council committee or department the proposal goes to")
    department_code = optional(
        fields.String,
        validate=DEPARTMENT_CODE,
        metadata={
            "description": "the department's code when it goes to a department (that "
            "department is told); none for a council committee (the mayor's "
            "office is told)"
        },
    )


class AnswerIn(StrictSchema):
    answer = required(notes, "The municipality's answer to the proposal.", min_length=1)


ProposalOut = answer_schema(
    "ProposalOut",
    """id status partner_id? title summary? received_on:date letter_id? referred_to?
    referred_at:datetime? answer? answered_at:datetime? version:int""",
)
