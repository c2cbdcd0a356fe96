"""Routing's request and answer schemas for the staff directory."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import DEPARTMENT_CODE, LANGUAGE, PHONE, optional, required
from chancery.validation import StrictSchema, Text
from chancery.vocabulary import (
    ROLES,
)


class StaffMemberIn(StrictSchema):
    """A person's whole entry in the staff directory (``PUT`` replaces it)."""

    name = required(
        fields.String, "The staff member's full name.", validate=validate.Length(min=1, max=200)
    )
    department_code = optional(fields.String, validate=DEPARTMENT_CODE)
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)),
        load_default=list,
        metadata={"description": "The roles the staff member holds."},
    )
    positions = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.String(validate=validate.Length(min=1, max=300)),
        load_default=dict,
        metadata={"description": "the position's title by language"},
    )
    email = optional(EmailAddress)
    phone = optional(fields.String, validate=PHONE)
    language = required(
        fields.String, "The language the staff member is written to in.", validate=LANGUAGE
    )
    active = fields.Boolean(load_default=True)


class StaffQuery(PageQuery):
    """The directory by name; ``q`` searches names, e-mail addresses and positions."""

    department = fields.String(validate=DEPARTMENT_CODE)
    active = fields.Boolean()
    text = Text(
        max_length=200,
        min_length=1,
        data_key="q",
        metadata={
            "description": "part of a name, an e-mail address or a position (in any language), "
            "ignoring case and diacritics: ``zemaite`` finds Žemaitė"
        },
    )


StaffMemberOut = answer_schema(
    "StaffMemberOut",
    "subject name department_code? roles:[str] positions:dict email? phone? language"
    " active:bool updated_at:datetime",
)
