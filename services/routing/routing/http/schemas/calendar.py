"""Routing's request and answer schemas for declared days off and working days."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import one_of, required, text
from chancery.profiles import WEEKDAYS
from chancery.validation import StrictSchema


class DeclaredDayIn(StrictSchema):
    day = required(fields.Date, "The day declared (YYYY-MM-DD).")
    working = fields.Boolean(
        load_default=False,
        metadata={"description": "true for an extra working day, false (default) for a day off"},
    )
    reason = text(
        2000,
        required=True,
        metadata={
            "description": "Why the day is declared a working or non-working day (the decree)."
        },
    )
    decree = text(
        2000,
        required=True,
        metadata={"description": "the government decision's reference (number and date)"},
    )
    hours_of = one_of(
        WEEKDAYS,
        "an extra working day works this weekday's hours (default: the first weekday with hours)",
        load_default=None,
        allow_none=True,
    )


class CalendarQuery(PageQuery):
    start = fields.Date(load_default=None, data_key="from")
    end = fields.Date(load_default=None, data_key="to")


DeclaredDayOut = answer_schema(
    "DeclaredDayOut",
    "day:date working:bool reason decree? hours_of declared_by? declared_at:datetime? origin",
    notes={"origin": "`profile` or `operator`"},
    hours_of=fields.Function(
        lambda day: None if day.get("hours_of") is None else WEEKDAYS[day["hours_of"]],
        metadata={"description": "the weekday whose hours an extra working day works"},
    ),
)
