"""International projects' request and answer schemas, with their deadlines."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import DEPARTMENT_CODE, one_of, required, short_text
from chancery.validation import StrictSchema, UpdateSchema
from foreign_relations.domain import terms


class DeadlineIn(StrictSchema):
    kind = required(
        fields.String,
        "What the deadline is for (e.g. report, application).",
        validate=validate.Length(min=1, max=50),
    )
    due_on = required(fields.Date, "The day it is due (YYYY-MM-DD).")


class ProjectIn(StrictSchema):
    title = required(short_text, "The project's title.")
    programme = required(short_text, "The funding programme (e.g. Interreg, Erasmus+).")
    partners = fields.List(short_text(), load_default=list)
    budget = fields.Decimal(
        places=2, load_default=None, allow_none=True, validate=validate.Range(min=0)
    )
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))
    department_code = required(
        fields.String, "The code of the department that runs the project.", validate=DEPARTMENT_CODE
    )
    status = one_of(terms.PROJECT_STATUSES, "Where the project stands.", load_default="idea")
    deadlines = fields.List(fields.Nested(DeadlineIn), load_default=list)


class ProjectPatch(UpdateSchema):
    title = short_text()
    programme = short_text()
    partners = fields.List(short_text())
    budget = fields.Decimal(places=2, allow_none=True, validate=validate.Range(min=0))
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    department_code = fields.String(validate=DEPARTMENT_CODE)
    status = one_of(terms.PROJECT_STATUSES, "Where the project stands.")
    deadlines = fields.List(fields.Nested(DeadlineIn))


DeadlineOut = answer_schema("DeadlineOut", "kind due_on:date notified_at:datetime?")
ProjectOut = answer_schema(
    "ProjectOut",
    "id title programme partners:[str] budget:decimal? currency department_code status version:int",
)
ProjectDetailOut = answer_schema(
    "ProjectDetailOut",
    "deadlines",
    base=ProjectOut,
    deadlines=fields.List(fields.Nested(DeadlineOut)),
)
