"""The protocol book's export and the statistics: their queries and answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chancery.http.schemas import PeriodQuery
from intake.http.schemas.letters import SearchCriteria


class ExportQuery(PeriodQuery, SearchCriteria):
    """The export's period (at most ten years) and, optionally, the protocol book's search
    criteria."""

    MAX_YEARS = 10


class StatisticsQuery(PeriodQuery):
    MAX_YEARS = 10

    group = fields.String(load_default="month", validate=validate.OneOf(("week", "month")))


class PeriodCounts(Schema):
    period = fields.String()
    total = fields.Integer()
    kind = fields.Dict(keys=fields.String(), values=fields.Integer())
    addressee = fields.Dict(keys=fields.String(), values=fields.Integer())
    status = fields.Dict(keys=fields.String(), values=fields.Integer())
    channel = fields.Dict(keys=fields.String(), values=fields.Integer())


class StatisticsOut(Schema):
    group = fields.String()
    periods = fields.List(fields.Nested(PeriodCounts))
