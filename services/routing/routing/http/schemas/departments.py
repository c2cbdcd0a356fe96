"""Routing's request and answer schemas for departments and administrative units."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import DEPARTMENT_CODE, LANGUAGE, one_of, required
from chancery.validation import UpdateSchema


class DepartmentIn(UpdateSchema):
    kind = one_of(
        ("department", "administrative_unit"),
        "department, or administrative_unit (an elderate or another unit outside the departments).",
    )
    names = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.String(validate=validate.Length(min=1, max=300)),
    )
    parent = fields.String(allow_none=True, validate=DEPARTMENT_CODE)
    email = EmailAddress(allow_none=True)
    active = fields.Boolean()


class NewDepartmentIn(DepartmentIn):
    code = required(
        fields.String,
        "A short unique code in capitals (e.g. TOURISM); letters are routed by it.",
        validate=DEPARTMENT_CODE,
    )
    names = required(
        fields.Dict,
        'The department\'s name per language, e.g. {"lt": "Turizmo skyrius"}.',
        keys=fields.String(validate=LANGUAGE),
        values=fields.String(validate=validate.Length(min=1, max=300)),
    )


DepartmentOut = answer_schema("DepartmentOut", "code kind names:dict parent? email? active:bool")


# An example for the OpenAPI document (tests/api sends it through a generated client).
DEPARTMENT_EXAMPLE = {
    "code": "TOURISM",
    "kind": "department",
    "parent": "COMM",
    "names": {"lt": "Turizmo poskyris", "lv": "Tūrisma nodaļa", "en": "Tourism Unit"},
    "email": "turizmas@municipality.example.org",
}


# An answer as the service gives it (the document's example).
DEPARTMENT_OUT_EXAMPLE = {
    "code": "TOURISM",
    "kind": "department",
    "names": {"lt": "Turizmo poskyris", "lv": "Tūrisma nodaļa", "en": "Tourism Unit"},
    "parent": "COMM",
    "email": "turizmas@municipality.example.org",
    "active": True,
}
