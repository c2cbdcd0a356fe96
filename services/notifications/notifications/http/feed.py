"""``/feed``: staff members' in-app notices."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from notifications.http.schemas.feed import FeedOut, FeedQuery, UnreadCountOut
from notifications.permissions import SIGNED_IN
from notifications.usecases.feed import Feed

feed = Resource("feed", __name__, "Staff in-app notices.")
_feed = use_case("feed", Feed)


@feed.listing(FeedQuery, FeedOut, roles=SIGNED_IN)
def my_feed(query: dict[str, Any]) -> Any:
    """The caller's in-app notices, newest first (``?unread=true`` for the unread)."""
    asked = page_request(query)
    return page_response(_feed().page(principal().subject, query["unread"], asked), asked)


@feed.reading("/unread-count", UnreadCountOut, roles=SIGNED_IN)
def unread_count() -> Any:
    """How many of the caller's notices are unread."""
    return {"unread": _feed().unread_count(principal().subject)}


@feed.action("/<uuid:item_id>/read", None, FeedOut, roles=SIGNED_IN)
def mark_read(item_id: Any) -> Any:
    """Mark a notice read."""
    return _feed().mark_read(str(item_id), principal().subject)
