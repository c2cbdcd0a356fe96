"""The record of processing activities (GDPR Art. 30)."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema

ProcessingActivityOut = answer_schema(
    "ProcessingActivityOut",
    "service name purpose legal_basis data_subjects:[str] categories:[str] tables:[str]"
    " retention recipients:[str]",
)

RecordOfProcessingOut = answer_schema(
    "RecordOfProcessingOut",
    "controller country activities",
    doc="The record of processing activities (GDPR Art. 30).",
    activities=fields.List(fields.Nested(ProcessingActivityOut)),
)
