"""Routing's request and answer schemas for assignments and own tasks."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import DEPARTMENT_CODE, one_of, required, text
from chancery.validation import StrictSchema, Text


class AssignmentIn(StrictSchema):
    title = text(
        2000, required=True, metadata={"description": "What the department is asked to do."}
    )
    description = Text(max_length=10_000, single_line=False, load_default=None, allow_none=True)
    department_code = required(
        fields.String, "The code of the department that does it.", validate=DEPARTMENT_CODE
    )
    executor = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=200)
    )
    due_date = required(fields.Date, "The day it is due (YYYY-MM-DD, the municipality's calendar).")


class AssignmentDoneIn(StrictSchema):
    status = one_of(
        ("done", "cancelled"), "done (completed) or cancelled (no longer needed).", required=True
    )
    report = Text(
        min_length=1,
        max_length=10_000,
        single_line=False,
        load_default=None,
        allow_none=True,
        metadata={"description": "what was done: required when `status` is `done`"},
    )

    JSON_SCHEMA: ClassVar[dict[str, Any]] = {
        "if": {"properties": {"status": {"const": "done"}}, "required": ["status"]},
        "then": {"required": ["report"], "properties": {"report": {"type": "string"}}},
    }

    @validates_schema
    def _reported(self, data: dict[str, Any], **_: Any) -> None:
        if data["status"] == "done" and not data.get("report"):
            raise ValidationError("a report on what was done is required", "report")


class AssignmentQuery(PageQuery):
    department = fields.String(validate=DEPARTMENT_CODE)
    executor = fields.String()
    status = fields.String(
        load_default="open", validate=validate.OneOf(("open", "done", "cancelled"))
    )
    due_by = fields.Date()
    overdue_on = fields.Date()


AssignmentOut = answer_schema(
    "AssignmentOut",
    "id letter_id? registration_number? title description? department_code executor? assigned_by"
    " due_date:date status created_at:datetime completed_at:datetime? report?"
    " due_soon_notified_at:datetime? overdue_notified_at:datetime? last_reminded_at:datetime?"
    " reminder_count:int",
    notes={
        "registration_number": "the letter's number, for a letter's assignment",
        "description": "the instructions to the executor",
        "due_date": "the executor's own due date (a letter's: never later than the letter's)",
        "report": "written on completion",
        "due_soon_notified_at": "when the due-soon reminder went out",
        "overdue_notified_at": "when the overdue reminder went out",
        "last_reminded_at": "when the mayor's office last reminded the executor by hand",
        "reminder_count": "how many reminders by hand the executor has had",
    },
)
