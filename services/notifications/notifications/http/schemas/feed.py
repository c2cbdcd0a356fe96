"""The in-app feed: its filter, a notice, the unread count."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery


class FeedQuery(PageQuery):
    unread = fields.Boolean(
        load_default=False, metadata={"description": "only the notices not yet read"}
    )


FeedOut = answer_schema(
    "FeedOut",
    "id kind title body created_at:datetime read_at:datetime? registration_number? assignment_id?",
    notes={
        "registration_number": "the letter the notice is about (a link target)",
        "assignment_id": "the own task (assignment without a letter) the notice is about",
    },
)


UnreadCountOut = answer_schema(
    "UnreadCountOut",
    "unread:int",
    notes={"unread": "the caller's unread notices"},
)
