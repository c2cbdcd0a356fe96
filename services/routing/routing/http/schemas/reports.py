"""Routing's request and answer schemas for the deadline and due reports."""

from __future__ import annotations

from marshmallow import Schema, fields


class DueLineOut(Schema):
    department = fields.String()
    letters_overdue = fields.Integer()
    letters_due_soon = fields.Integer(metadata={"description": "due within 3 days"})
    assignments_overdue = fields.Integer()
    assignments_due_soon = fields.Integer(metadata={"description": "due within 3 days"})


class ReportLineOut(Schema):
    department = fields.String()
    month = fields.String()
    answered = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    average_days = fields.Float(allow_none=True)
    open = fields.Integer()
    overdue = fields.Integer()
