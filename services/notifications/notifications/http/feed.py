"""``/feed``: staff members' in-app notices."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.paging import page_request, page_response, paged_response
from chancery.http.security import principal, require
from notifications.http.schemas.feed import FeedOut, FeedQuery, UnreadCountOut
from notifications.usecases.feed import Feed

feed = Blueprint("feed", __name__, url_prefix="/feed", description="Staff in-app notices.")
_feed = use_case("feed", Feed)


@feed.route("", methods=["GET"])
@require()
@feed.arguments(FeedQuery(), location="query", unknown=RAISE)
@paged_response(feed, FeedOut)
def my_feed(query: dict[str, Any]) -> Any:
    """The caller's in-app notices, newest first (``?unread=true`` for the unread)."""
    asked = page_request(query)
    return page_response(_feed().page(principal().subject, query["unread"], asked), asked)


@feed.route("/unread-count", methods=["GET"])
@require()
@feed.response(200, UnreadCountOut)
def unread_count() -> Any:
    """How many of the caller's notices are unread."""
    return {"unread": _feed().unread_count(principal().subject)}


@feed.route("/<uuid:item_id>/read", methods=["POST"])
@require()
@feed.response(200, FeedOut)
def mark_read(item_id: Any) -> Any:
    """Mark a notice read."""
    return _feed().mark_read(str(item_id), principal().subject)
