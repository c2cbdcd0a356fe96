"""Trips' request and answer schemas: travellers, checklist, budget, checks, per diems."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import COUNTRY, Id, one_of, optional, required, short_text
from chancery.validation import StrictSchema, UpdateSchema
from foreign_relations.domain import workflow
from foreign_relations.http.schemas import AT_MOST_ONE_HEAD, delegation, notes


class TravellerIn(StrictSchema):
    name = required(short_text, "The traveller's full name.")
    position = optional(short_text)
    head = fields.Boolean(load_default=False)
    passport_expires_on = optional(fields.Date)


class ChecklistIn(StrictSchema):
    director_order = fields.Boolean()
    tickets = fields.Boolean()
    insurance = fields.Boolean()
    visas = fields.Boolean(metadata={"description": "visas obtained, or none needed"})


class BudgetIn(StrictSchema):
    transport = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    accommodation = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    registration = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    other = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)


class TripIn(StrictSchema):
    invitation_id = Id(load_default=None, allow_none=True)
    partner_id = Id(load_default=None, allow_none=True)
    title = optional(short_text)
    city = optional(short_text)
    country = optional(fields.String, validate=COUNTRY)
    departs_on = optional(fields.Date)
    returns_on = optional(fields.Date)
    members = delegation(
        TravellerIn,
        "Who travels; at most one of them is flagged as the head.",
        AT_MOST_ONE_HEAD,
        required=True,
    )
    checklist = fields.Nested(ChecklistIn, load_default=None)
    budget = fields.Nested(BudgetIn, load_default=None)
    programme = optional(notes)


class TripPatch(UpdateSchema):
    title = short_text()
    city = short_text()
    country = fields.String(validate=COUNTRY)
    departs_on = fields.Date()
    returns_on = fields.Date()
    members = delegation(
        TravellerIn,
        "Who travels, replacing the list; at most one of them is flagged as the head.",
        AT_MOST_ONE_HEAD,
    )
    checklist = fields.Nested(ChecklistIn)
    budget = fields.Nested(BudgetIn)
    programme = notes(allow_none=True)
    report = notes(allow_none=True)


class TripStatusIn(StrictSchema):
    status = one_of(tuple(workflow.TRIP), "The status to move the trip to.", required=True)
    report = optional(notes)


TravellerOut = answer_schema(
    "TravellerOut", "id name position? head:bool passport_expires_on:date?"
)
PassportOut = answer_schema(
    "PassportOut",
    "member valid_until:date? required_until:date ok:bool reason?",
    notes={
        "valid_until": "The passport's expiry date; null when nobody has given it.",
        "reason": "Why the passport is not good for the trip; null when it is.",
    },
)
PerDiemOut = answer_schema(
    "PerDiemOut", "country days:int rate:decimal travellers:int total:decimal"
)
TripOut = answer_schema(
    "TripOut",
    """id status invitation_id? partner_id? title city country departs_on:date
    returns_on:date checklist:dict budget:dict programme? report? version:int""",
)
TripDetailOut = answer_schema(
    "TripDetailOut",
    "members passports per_diem budget_total ready_to_leave:bool missing:[str]",
    base=TripOut,
    members=fields.List(fields.Nested(TravellerOut)),
    passports=fields.List(fields.Nested(PassportOut)),
    per_diem=fields.Nested(PerDiemOut),
    budget_total=fields.Decimal(
        as_string=True, metadata={"description": "budget lines plus per diems"}
    ),
)
