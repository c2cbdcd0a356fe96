"""The record of processing activities (GDPR Art. 30)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ProcessingActivityOut(Schema):
    service = fields.String()
    name = fields.String()
    purpose = fields.String()
    legal_basis = fields.String()
    data_subjects = fields.List(fields.String())
    categories = fields.List(fields.String())
    tables = fields.List(fields.String())
    retention = fields.String()
    recipients = fields.List(fields.String())


class RecordOfProcessingOut(Schema):
    """The record of processing activities (GDPR Art. 30)."""

    controller = fields.String()
    country = fields.String()
    activities = fields.List(fields.Nested(ProcessingActivityOut))
