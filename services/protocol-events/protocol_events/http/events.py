"""Official events: create, read, list, change, move along their life, history and .ics."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request

from chancery.explanations import explanation_language
from chancery.http import (
    if_match,
    use_case,
    versioned_json,
)
from chancery.http.openapi import versioned_read
from chancery.http.paging import PageQuery, answer_page, page_request, page_response
from chancery.http.resources import Decorator, Resource
from chancery.http.security import principal
from protocol_events.http.answers import calendar_file, calendar_response
from protocol_events.http.schemas.events import (
    EVENT_EXAMPLE,
    EVENT_OUT_EXAMPLE,
    EventIn,
    EventOut,
    EventPatch,
    EventQuery,
    HistoryOut,
    TransitionIn,
)
from protocol_events.permissions import EVENT_READERS, ORGANISERS
from protocol_events.usecases.calendars import Calendars
from protocol_events.usecases.events import EventFilters, Events

events = Resource(
    "events",
    __name__,
    "Official events: life, participants, precedence, programme, "
    "bookings, press and representation expenses.",
    readers=EVENT_READERS,
    editors=ORGANISERS,
)
ONE = "/<uuid:event_id>"


EVENT_OUT = EventOut()


_events = use_case("events", Events)


_calendars = use_case("calendars", Calendars)


def _event_response(event: Any, status: int = 200) -> Response:
    headers = {"Location": f"/events/{event.id}"} if status == 201 else None
    return versioned_json(EVENT_OUT.dump(event), event.version, status, headers)


@events.creation(
    EventIn,
    EventOut,
    roles=ORGANISERS,
    idempotent=False,
    example=EVENT_EXAMPLE,
    answer_example=EVENT_OUT_EXAMPLE,
)
def create_event(data: dict[str, Any]) -> Response:
    """Create a draft event (titles and descriptions per language)."""
    return _event_response(_events().create(data, principal()), 201)


@events.listing(EventQuery, EventOut)
def list_events(query: dict[str, Any]) -> Any:
    """Events, soonest first."""
    asked = page_request(query)
    return page_response(_events().events(EventFilters(**query), asked), asked)


@events.reading(ONE, EventOut, marks=(versioned_read,))
def read_event(event_id: Any) -> Response:
    """One event, with its ETag for a later change."""
    return _event_response(_events().event(str(event_id)))


@events.change(ONE, EventPatch, EventOut)
def update_event(data: dict[str, Any], event_id: Any) -> Response:
    """Change an event (If-Match); a confirmed event's participants are told of time, venue
    and title changes."""
    return _event_response(
        _events().update(str(event_id), data, principal(), g.correlation_id, if_match())
    )


@events.action(f"{ONE}/status", TransitionIn, EventOut, roles=ORGANISERS)
def move_event(data: dict[str, Any], event_id: Any) -> Response:
    """Move the event: draft → planned → confirmed → held → reported, or cancelled (409
    names the current status and the possible moves)."""
    return _event_response(
        _events().transition(
            str(event_id), data["status"], data["note"], principal(), g.correlation_id, if_match()
        )
    )


@events.listing(PageQuery, HistoryOut, path=f"{ONE}/history")
def event_history(query: dict[str, Any], event_id: Any) -> Any:
    """What happened to the event, oldest first."""
    return answer_page(_events().history(str(event_id)), query, lambda entry: (entry.id,))


def _calendar_file(path: str) -> Decorator:
    return calendar_file(
        events, path, "The event as an iCalendar (RFC 5545) file.", roles=EVENT_READERS
    )


@_calendar_file(f"{ONE}.ics")
def event_ics(query: dict[str, Any], event_id: Any) -> Response:
    """The event as an iCalendar file in ``?lang=`` (else Accept-Language, else the
    municipality's language; a text missing in it falls back along that chain)."""
    return calendar_response(
        _calendars().ics(str(event_id), _reader_language(query)), f"{event_id}.ics"
    )


@_calendar_file(f"{ONE}/calendar")
def event_calendar(query: dict[str, Any], event_id: Any) -> Response:
    """The event as an iCalendar file (the same as ``/events/{id}.ics``)."""
    return calendar_response(
        _calendars().ics(str(event_id), _reader_language(query)), f"{event_id}.ics"
    )


def _reader_language(query: dict[str, Any]) -> str:
    """The language asked for: ``?lang=``, else Accept-Language, else the municipality's."""
    return query.get("lang") or explanation_language(
        request.headers.get("Accept-Language"), _events().profile.default_language
    )
