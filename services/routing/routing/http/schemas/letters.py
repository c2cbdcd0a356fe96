"""Routing's request and answer schemas for a letter's workflow: routing by hand, the
executor, the deadline, the reply, reading it."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import sortable
from chancery.http.schemas import DEPARTMENT_CODE, LANGUAGE, one_of, optional, prose, required, text
from chancery.validation import StrictSchema, Text
from chancery.vocabulary import (
    LETTER_STATUSES,
)
from routing.http.schemas.assignments import AssignmentOut


class RouteIn(StrictSchema):
    department_code = required(
        fields.String,
        "The code of the department that answers the letter (e.g. MUNI).",
        validate=DEPARTMENT_CODE,
    )
    copy_department_codes = fields.List(fields.String(validate=DEPARTMENT_CODE), load_default=list)
    reason = prose(
        2000,
        required=True,
        metadata={"description": "Why the letter goes there; kept in the letter's history."},
    )
    keep_deadline = fields.Boolean(
        load_default=False,
        metadata={"description": "keep the current due date instead of recomputing it"},
    )


class AssignIn(StrictSchema):
    executor = required(
        fields.String,
        "The staff member who prepares the answer, as the directory's subject.",
        validate=validate.Length(min=1, max=200),
    )
    due_date = optional(
        fields.Date,
        metadata={
            "description": "The executor's own due date (YYYY-MM-DD): not before today, not later "
            "than the letter's legal due date, which it is when left out."
        },
    )
    instructions = Text(
        max_length=10_000,
        single_line=False,
        load_default=None,
        allow_none=True,
        metadata={"description": "What the head asks of the executor, free text."},
    )


class ReasonIn(StrictSchema):
    reason = prose(
        2000,
        required=True,
        metadata={
            "description": "Why, in words a colleague reading the letter's history understands."
        },
    )


class ReplyIn(StrictSchema):
    subject = text(2000, required=True, metadata={"description": "The reply's subject."})
    summary = Text(max_length=10_000, single_line=False, load_default=None, allow_none=True)
    language = required(
        fields.String,
        "The reply's language, a code such as lt, lv, ka, sq or en.",
        validate=LANGUAGE,
    )


class LetterQuery(sortable("due", "number")):  # type: ignore[misc]  # a base built at run time
    """A work list, by due date (undated last) or by registration number."""

    department = fields.String(validate=DEPARTMENT_CODE)
    status = fields.String(validate=validate.OneOf(LETTER_STATUSES))
    executor = fields.String()
    due_before = fields.Date()
    overdue_on = fields.Date()


LetterOut = answer_schema(
    "LetterOut",
    "id registration_number kind language subject addressee_kind? confidentiality"
    " received_at:datetime status status_changed_at:datetime department_code?"
    " copy_department_codes:[str] rule_name? due_date:date? deadline_source? forward_by:date"
    " executor? answered_at:datetime? reply_registration_number? triage_reason? version:int",
    notes={"triage_reason": "why routing could not decide and left the letter to triage"},
)

HistoryOut = answer_schema("HistoryOut", "at:datetime actor action details:dict")

LetterDetailOut = answer_schema(
    "LetterDetailOut",
    "assignment deadline:dict? forwarding:dict? explanation:dict history",
    base=LetterOut,
    notes={
        "deadline": (
            "how the due date was computed: structured steps (a code and its "
            "values); `extension` holds the extension's computation"
        ),
        "forwarding": "how `forward_by` was computed, as structured steps",
        "explanation": (
            "the steps as sentences: `answer`, `forwarding` and `extension`, each "
            "keyed by language (the reader's, the letter's and the municipality's)"
        ),
    },
    assignment=fields.Nested(
        "AssignmentOut",
        allow_none=True,
        metadata={
            "description": "the letter's open assignment: the executor's own "
            "due date, the instructions, the reminders; none once answered"
        },
    ),
    history=fields.List(fields.Nested(HistoryOut)),
)


class ReadQuery(StrictSchema):
    lang = one_of(
        ("lt", "lv", "ka", "sq", "en"),
        "the reader's language for the explanations "
        "(default: Accept-Language, else the "
        "municipality's)",
        load_default=None,
    )


AssignedLetterOut = answer_schema(
    "AssignedLetterOut",
    "assignment",
    base=LetterOut,
    assignment=fields.Nested(
        AssignmentOut,
        metadata={
            "description": "the letter's assignment: the executor's own due date and the "
            "instructions"
        },
    ),
)
