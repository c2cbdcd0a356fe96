"""The citizen's status lookup: the access code asked for and what is shown."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chancery.validation import StrictSchema


class StatusQuery(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=4, max=40))


class CitizenStatusOut(Schema):
    registration_number = fields.String()
    status = fields.String()
    received_on = fields.Date(allow_none=True)
    registered_on = fields.Date()
    due_date = fields.Date(allow_none=True)
    answered_on = fields.Date(allow_none=True)
    status_changed_on = fields.Date()
    department_code = fields.String(allow_none=True)
    reply_registration_number = fields.String(
        allow_none=True,
        metadata={"description": "the registered reply's number, once the letter is answered"},
    )
