"""Routing's request and answer schemas for the deadline and due reports."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema

DueLineOut = answer_schema(
    "DueLineOut",
    "department letters_overdue:int letters_due_soon:int assignments_overdue:int"
    " assignments_due_soon:int",
    notes={
        "letters_due_soon": "due within 3 days",
        "assignments_due_soon": "due within 3 days",
    },
)

ReportLineOut = answer_schema(
    "ReportLineOut",
    "department month answered:int on_time:int on_time_rate average_days open:int overdue:int",
    on_time_rate=fields.Float(allow_none=True),
    average_days=fields.Float(allow_none=True),
)
