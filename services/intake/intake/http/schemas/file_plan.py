"""The file plan's answers: a year's case files and the year-end closing."""

from __future__ import annotations

from marshmallow import Schema, fields


class CaseFileOut(Schema):
    """A case file of the plan, with the letters filed in it counted."""

    code = fields.String(attribute="case_file.code")
    parent = fields.String(attribute="case_file.parent_code", allow_none=True)
    title = fields.String(attribute="case_file.title")
    department = fields.String(attribute="case_file.department_code")
    retention_years = fields.Integer(
        attribute="case_file.retention_years",
        allow_none=True,
        metadata={"description": "null: kept permanently"},
    )
    legal_basis = fields.String(attribute="case_file.legal_basis")
    medium = fields.String(attribute="case_file.medium")
    kinds = fields.List(fields.String(), attribute="case_file.kind_list")
    closed_at = fields.DateTime(attribute="case_file.closed_at", allow_none=True)
    retention_ends = fields.Date(
        allow_none=True,
        metadata={
            "description": "the first day the file may be destroyed; null for a permanent one"
        },
    )
    letters = fields.Integer()
    first_registered = fields.DateTime(allow_none=True)
    last_registered = fields.DateTime(allow_none=True)


class FilePlanOut(Schema):
    """A year's file plan."""

    year = fields.Integer()
    files = fields.List(fields.Nested(CaseFileOut))


class YearClosedOut(Schema):
    """What the year-end closing closed."""

    year = fields.Integer()
    files_closed = fields.Integer()
    letters_filed = fields.Integer()
    retention_starts = fields.Date()
