"""Rooms, vehicles, interpreters and their bookings by events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from chancery.db import new_id
from chancery.errors import NotFound
from chancery.principal import Principal
from protocol_events.adapters.models import (
    Resource,
    ResourceBooking,
)
from protocol_events.adapters.repositories import live_bookings
from protocol_events.domain import lifecycle
from protocol_events.domain.conflicts import check_span
from protocol_events.usecases import EventUseCase


class Resources(EventUseCase):
    """Resources and their bookings; an overlapping booking is refused."""

    def create_resource(self, data: dict[str, Any]) -> Resource:
        """Add a room, vehicle, interpreter or other resource."""
        with self.transaction() as uow:
            resource = Resource(id=new_id(), active=True, **data)
            uow.session.add(resource)
            return resource

    def resources(self) -> list[Resource]:
        """Every resource, by kind and name."""
        with self._uow() as uow:
            return list(
                uow.session.scalars(select(Resource).order_by(Resource.kind, Resource.name))
            )

    def book(
        self,
        event_id: str,
        resource_id: str,
        starts_at: datetime,
        ends_at: datetime,
        principal: Principal,
    ) -> ResourceBooking:
        """Book a resource for the event; an overlapping booking elsewhere is a 409."""
        check_span(starts_at, ends_at)
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "bookings")
            return self._book(
                uow.session, event, resource_id, starts_at, ends_at, None, principal.subject
            )

    def release(self, event_id: str, booking_id: str) -> None:
        """Free a booking of the event."""
        with self.transaction() as uow:
            booking = self._part(uow.session, ResourceBooking, booking_id, event_id, "booking")
            uow.session.delete(booking)

    def bookings(self, resource_id: str, first: date, last: date) -> list[dict[str, Any]]:
        """A resource's live bookings (cancelled events left out) from ``first`` to ``last``."""
        with self._uow() as uow:
            if uow.session.get(Resource, resource_id) is None:
                raise NotFound("No such resource.")
            found = live_bookings(
                uow.session,
                resource_id,
                self._midnight(first),
                self._midnight(last + timedelta(days=1)),
                self.profile.default_language,
            )
        return [
            {
                "booking_id": b.booking_id,
                "event_id": b.event_id,
                "event_title": b.event_title,
                "item_id": b.item_id,
                "item_title": b.item_title,
                "starts_at": b.starts_at,
                "ends_at": b.ends_at,
            }
            for b in found
        ]
