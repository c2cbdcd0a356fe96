"""Cooperation plans' and their items' request and answer schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import DEPARTMENT_CODE, Id, one_of, optional, required, short_text
from chancery.validation import BoundedInt, StrictSchema, UpdateSchema
from foreign_relations.domain import partners

PLAN_YEAR = validate.Range(min=2000, max=2100)
"""A year a cooperation plan may cover, first or last."""


class PlanItemIn(StrictSchema):
    title = required(short_text, "What is planned.")
    department_code = required(
        fields.String, "The code of the department that carries it out.", validate=DEPARTMENT_CODE
    )
    target_date = optional(fields.Date)
    status = one_of(partners.PLAN_ITEM_STATUSES, "Where the item stands.", load_default="planned")
    event_ids = fields.List(
        Id(), load_default=list, metadata={"description": "protocol-events' event ids"}
    )
    trip_ids = fields.List(Id(), load_default=list)


class PlanItemPatch(UpdateSchema):
    title = short_text()
    department_code = fields.String(validate=DEPARTMENT_CODE)
    target_date = fields.Date(allow_none=True)
    status = one_of(partners.PLAN_ITEM_STATUSES, "Where the item stands.")
    event_ids = fields.List(Id())
    trip_ids = fields.List(Id())


class PlanIn(StrictSchema):
    kind = one_of(partners.PLAN_KINDS, "perspective (several years) or annual.", required=True)
    title = required(short_text, "The plan's title.")
    first_year = required(fields.Integer, "The first year the plan covers.", validate=PLAN_YEAR)
    last_year = required(
        fields.Integer, "The last year the plan covers (not before first_year).", validate=PLAN_YEAR
    )
    partner_id = Id(load_default=None, allow_none=True)
    items = fields.List(fields.Nested(PlanItemIn), load_default=list)


PlanItemOut = answer_schema(
    "PlanItemOut",
    "id title department_code target_date:date? status event_ids:[str] trip_ids:[str] version:int",
)
PlanOut = answer_schema("PlanOut", "id kind title first_year:int last_year:int partner_id?")
PlanDetailOut = answer_schema(
    "PlanDetailOut", "items", base=PlanOut, items=fields.List(fields.Nested(PlanItemOut))
)


class PlanQuery(PageQuery):
    year = BoundedInt(minimum=2000, maximum=2100, load_default=None)
