"""Rooms, vehicles, interpreters and their bookings (an overlap is a 409 naming it)."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.problems import Problem, field_error
from chancery.http.resources import Resource
from chancery.http.security import principal
from chancery.http.times import local_isoformat
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.resources import (
    BookingIn,
    BookingOut,
    ResourceIn,
    ResourceOut,
    ScheduleOut,
    ScheduleQuery,
)
from protocol_events.permissions import EVENT_READERS, ORGANISERS
from protocol_events.usecases import BookingConflict
from protocol_events.usecases.resources import Resources

resources = Resource(
    "resources",
    __name__,
    "Rooms, vehicles and interpreters, with their bookings.",
    readers=EVENT_READERS,
)


_resources = use_case("resources", Resources)


def _booking_conflict(error: BookingConflict) -> Response:
    errors = [
        {
            **field_error("resource_id", sentence),
            "resource_id": clash.resource_id,
            "event_id": clash.event_id,
            "item_id": clash.item_id or "",
            "starts_at": local_isoformat(clash.starts_at),
            "ends_at": local_isoformat(clash.ends_at),
            # What holds the resource, by its titles per language: the sentence's parts
            # for a reader in another language (decision 0058).
            "event_title": clash.event_titles,
            "item_title": clash.item_titles,
        }
        for clash, sentence in zip(error.clashes, error.sentences, strict=True)
    ]
    return Problem(
        409, "Resource already booked", error.detail, errors, kind="booking-conflict"
    ).to_response()


events.blueprint.register_error_handler(BookingConflict, _booking_conflict)


@events.creation(BookingIn, BookingOut, roles=ORGANISERS, path=f"{ONE}/bookings", idempotent=False)
def book_resource(data: dict[str, Any], event_id: Any) -> Any:
    """Book a resource for the event (409 names the event or item holding it, and when)."""
    return _resources().book(
        str(event_id), data["resource_id"], data["starts_at"], data["ends_at"], principal()
    )


@events.action(
    f"{ONE}/bookings/<uuid:booking_id>", None, None, roles=ORGANISERS, method="DELETE", status=204
)
def release_resource(event_id: Any, booking_id: Any) -> None:
    """Free a booking."""
    _resources().release(str(event_id), str(booking_id))


@resources.creation(ResourceIn, ResourceOut, roles=ORGANISERS, idempotent=False)
def create_resource(data: dict[str, Any]) -> Any:
    """Add a room, vehicle, interpreter or other resource."""
    return _resources().create_resource(data)


@resources.listing(PageQuery, ResourceOut)
def list_resources(query: dict[str, Any]) -> Any:
    """Every resource, by kind and name."""
    return answer_page(
        _resources().resources(),
        query,
        lambda resource: (resource.kind, resource.name, resource.id),
    )


@resources.listing(ScheduleQuery, ScheduleOut, path="/<uuid:resource_id>/bookings")
def resource_schedule(query: dict[str, Any], resource_id: Any) -> Any:
    """A resource's bookings in a period (cancelled events left out), in time order."""
    return answer_page(
        _resources().bookings(str(resource_id), query.pop("start"), query.pop("end")), query
    )
