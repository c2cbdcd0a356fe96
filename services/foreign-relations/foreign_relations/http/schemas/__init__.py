"""Foreign relations' HTTP schemas, one module per resource, and what they share."""

from __future__ import annotations

from functools import partial

from marshmallow import fields

from chancery.http.paging import PageQuery
from chancery.http.schemas import optional, prose
from chancery.validation import StrictSchema

# Notes, summaries, programmes and reports: multi-line, possibly empty.
notes = partial(prose, 20_000, min_length=0)

# A member flagged as the head of the delegation, for the "contains" of members lists.
_HEAD = {"type": "object", "required": ["head"], "properties": {"head": {"const": True}}}
AT_MOST_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 0, "maxContains": 1}}
EXACTLY_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 1, "maxContains": 1}}


class StatusQuery(PageQuery):
    """A list of one status (or all), a page at a time."""

    status = fields.String(load_default=None)


class DecisionIn(StrictSchema):
    note = optional(notes)
