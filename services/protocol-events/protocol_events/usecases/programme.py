"""An event's programme: its items, within the event, with their resources booked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from chancery.db import new_id
from chancery.errors import InvalidInput
from chancery.principal import Principal
from protocol_events.adapters.models import (
    CostLine,
    Event,
    ProgrammeItem,
    ResourceBooking,
)
from protocol_events.adapters.repositories import rows_of_event, rows_where
from protocol_events.domain import lifecycle
from protocol_events.domain.conflicts import check_span
from protocol_events.usecases import EventUseCase


class Programme(EventUseCase):
    """The timetable of an event."""

    def add_item(
        self, event_id: str, data: dict[str, Any], principal: Principal
    ) -> tuple[ProgrammeItem, list[ResourceBooking]]:
        """Add a programme item and book its resources for its time (all or nothing)."""
        resource_ids = data.pop("resource_ids", [])
        check_span(data["starts_at"], data["ends_at"])
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "programme")
            self._check_within_event(event, data["starts_at"], data["ends_at"])
            item = ProgrammeItem(id=new_id(), event_id=event.id, **data)
            uow.session.add(item)
            uow.session.flush()
            bookings = [
                self._book(
                    uow.session,
                    event,
                    resource_id,
                    item.starts_at,
                    item.ends_at,
                    item,
                    principal.subject,
                )
                for resource_id in dict.fromkeys(resource_ids)
            ]
            self._history(
                uow.session, event, principal.subject, "programme_item_added", {"item_id": item.id}
            )
            return item, bookings

    def _check_within_event(self, event: Event, starts_at: datetime, ends_at: datetime) -> None:
        if starts_at < event.starts_at or ends_at > event.ends_at:
            field = "starts_at" if starts_at < event.starts_at else "ends_at"
            raise InvalidInput(
                f"A programme item lies within its event, {self._local(event.starts_at)} to "
                f"{self._local(event.ends_at)}.",
                field=field,
                reason="outside the event",
            )

    def edit_item(
        self, event_id: str, item_id: str, changes: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        """Change a programme item; a new time stays within the event and takes the item's
        bookings along (a clash refuses the change, in words). Answers it as ``programme``
        does: the item with its bookings and cost lines."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "programme")
            item = self._part(
                uow.session, ProgrammeItem, item_id, event.id, "programme item", lock=True
            )
            starts_at = changes.get("starts_at", item.starts_at)
            ends_at = changes.get("ends_at", item.ends_at)
            check_span(starts_at, ends_at)
            self._check_within_event(event, starts_at, ends_at)
            bookings = rows_where(uow.session, ResourceBooking, ResourceBooking.item_id == item.id)
            if (starts_at, ends_at) != (item.starts_at, item.ends_at):
                for booking in bookings:
                    self._check_free(
                        uow.session, booking.resource_id, starts_at, ends_at, [booking.id]
                    )
                    booking.starts_at, booking.ends_at = starts_at, ends_at
            for name, value in changes.items():
                setattr(item, name, value)
            uow.session.flush()
            for booking in bookings:
                uow.session.refresh(booking, ["resource"])
            self._history(
                uow.session,
                event,
                principal.subject,
                "programme_item_changed",
                {"item_id": item.id, "fields": sorted(changes)},
            )
            costs = rows_where(uow.session, CostLine, CostLine.item_id == item.id)
            return {"item": item, "bookings": bookings, "costs": costs}

    def remove_item(self, event_id: str, item_id: str, principal: Principal) -> None:
        """Remove a programme item, freeing its resources (its cost lines stay, unlinked)."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "programme")
            item = self._part(uow.session, ProgrammeItem, item_id, event.id, "programme item")
            for booking in uow.session.scalars(
                select(ResourceBooking).where(ResourceBooking.item_id == item_id)
            ):
                uow.session.delete(booking)
            for cost in uow.session.scalars(select(CostLine).where(CostLine.item_id == item_id)):
                cost.item_id = None
            uow.session.flush()
            uow.session.delete(item)
            self._history(
                uow.session,
                event,
                principal.subject,
                "programme_item_removed",
                {"item_id": item_id},
            )

    def programme(self, event_id: str) -> list[dict[str, Any]]:
        """The timetable in time order, each item with its bookings and cost lines."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            items = rows_of_event(
                uow.session, ProgrammeItem, event_id, ProgrammeItem.starts_at, ProgrammeItem.id
            )
            bookings = rows_of_event(uow.session, ResourceBooking, event_id)
            costs = rows_of_event(uow.session, CostLine, event_id)
        return [
            {
                "item": item,
                "bookings": [b for b in bookings if b.item_id == item.id],
                "costs": [c for c in costs if c.item_id == item.id],
            }
            for item in items
        ]
