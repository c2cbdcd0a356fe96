"""Representation expenses' schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import one_of, optional, required, short_text
from chancery.validation import StrictSchema
from chancery.vocabulary import COST_CATEGORIES
from protocol_events.http.schemas import ROW_ID


def _amount(**options: Any) -> fields.Decimal:
    return fields.Decimal(
        places=2, as_string=True, validate=validate.Range(min=0, max=10**11), **options
    )


CostOut = answer_schema(
    "CostOut",
    "id item_id? category description planned:decimal actual:decimal? currency "
    "incurred_on:date status decided_by? decided_at:datetime? approved_over_budget:bool "
    "over_budget:bool actual_status? actual_decided_by? actual_decided_at:datetime?",
)


class BudgetIn(StrictSchema):
    lines = required(
        fields.Dict,
        'The budget per cost category, each a decimal string (e.g. {"catering": "450.00"}).',
        keys=fields.String(validate=validate.OneOf(COST_CATEGORIES)),
        values=_amount(),
    )


class CostIn(StrictSchema):
    category = one_of(COST_CATEGORIES, "The cost category the line belongs to.", required=True)
    description = required(short_text, "What the cost is for.")
    planned = _amount(required=True)
    actual = _amount(load_default=None, allow_none=True)
    item_id = fields.String(load_default=None, allow_none=True, validate=ROW_ID)
    incurred_on = optional(fields.Date)


class ActualIn(StrictSchema):
    actual = _amount(required=True)


class ApproveCostIn(StrictSchema):
    over_budget = fields.Boolean(load_default=False)


ExpensesOut = answer_schema(
    "ExpensesOut",
    "currency budget:[dict] costs totals:[dict] over_budget:[str]",
    costs=fields.List(fields.Nested(CostOut)),
)
