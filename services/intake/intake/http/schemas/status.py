"""The citizen's status lookup: the access code asked for and what is shown."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.validation import StrictSchema


class StatusQuery(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=4, max=40))


CitizenStatusOut = answer_schema(
    "CitizenStatusOut",
    "registration_number status received_on:date? registered_on:date due_date:date?"
    " answered_on:date? status_changed_on:date department_code? reply_registration_number?",
    notes={
        "reply_registration_number": "the registered reply's number, once the letter is answered"
    },
)
