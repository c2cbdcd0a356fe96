"""Foreign relations' HTTP schemas, one module per resource, and what they share."""

from __future__ import annotations

from functools import partial
from typing import Any

from marshmallow import Schema, fields, validate

from chancery.http.paging import PageQuery
from chancery.http.schemas import optional, prose
from chancery.validation import StrictSchema

# Notes, summaries, programmes and reports: multi-line, possibly empty.
notes = partial(prose, 20_000, min_length=0)

# A member flagged as the head of the delegation, for the "contains" of members lists.
_HEAD = {"type": "object", "required": ["head"], "properties": {"head": {"const": True}}}
AT_MOST_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 0, "maxContains": 1}}
EXACTLY_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 1, "maxContains": 1}}


def delegation(
    member: type[Schema], description: str, heads: dict[str, Any], **kwargs: Any
) -> fields.List:
    """A delegation's members (at least one), ``heads`` the rule on the head's flag
    (``AT_MOST_ONE_HEAD``, ``EXACTLY_ONE_HEAD``); ``kwargs`` as for ``fields.List``."""
    return fields.List(
        fields.Nested(member),
        validate=validate.Length(min=1),
        metadata={"description": description, **heads},
        **kwargs,
    )


class StatusQuery(PageQuery):
    """A list of one status (or all), a page at a time."""

    status = fields.String(load_default=None)


class DecisionIn(StrictSchema):
    note = optional(notes)
