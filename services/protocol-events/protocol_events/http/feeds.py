"""Officials' subscribable calendar feeds (the URL is the secret)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http.openapi import file_responses
from chancery.http.problems import Problem
from protocol_events.http.answers import calendar_response, officials_use_case
from protocol_events.http.schemas.events import CalendarQuery

feeds = Blueprint(
    "feeds",
    __name__,
    url_prefix="/feeds",
    description="Subscribable calendars of officials (the URL is the secret).",
)


@feeds.route("/<string:token>.ics", methods=["GET"])
@feeds.doc(**file_responses("The official's calendar feed (iCalendar, RFC 5545).", "text/calendar"))
@feeds.arguments(CalendarQuery(), location="query", unknown=RAISE)
def official_feed(query: dict[str, Any], token: str) -> Response:
    """The official's events and appointments in ``?lang=`` (else the municipality's
    language); no token header: the URL is the secret."""
    if not 20 <= len(token) <= 100:
        raise Problem(404, "Not found", "No such feed.")
    return calendar_response(officials_use_case().feed(token, query.get("lang")), "calendar.ics")
