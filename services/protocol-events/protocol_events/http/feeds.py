"""Officials' subscribable calendar feeds (the URL is the secret)."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http.problems import Problem
from chancery.http.resources import Resource
from protocol_events.http.answers import calendar_file, calendar_response, officials_use_case

feeds = Resource(
    "feeds", __name__, "Subscribable calendars of officials (the URL is the secret).", public=True
)


@calendar_file(feeds, "/<string:token>.ics", "The official's calendar feed (iCalendar, RFC 5545).")
def official_feed(query: dict[str, Any], token: str) -> Response:
    """The official's events and appointments in ``?lang=`` (else the municipality's
    language); no token header: the URL is the secret."""
    if not 20 <= len(token) <= 100:
        raise Problem(404, "Not found", "No such feed.")
    return calendar_response(officials_use_case().feed(token, query.get("lang")), "calendar.ics")
