"""Protocol-events' queries beyond ``session.get``: the rows of an event (or of an
official), an event's participants, a resource's live bookings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from protocol_events.adapters.models import Event, Participant, ProgrammeItem, ResourceBooking
from protocol_events.domain.conflicts import Booking
from protocol_events.domain.texts import pick_text

Row = TypeVar("Row")


def rows_where(
    session: Session, model: type[Row], condition: ColumnElement[bool], *order_by: Any
) -> list[Row]:
    """The rows of ``model`` that meet ``condition`` (an event's programme, its costs, an
    official's hours...), in ``order_by``'s order."""
    return list(session.scalars(select(model).where(condition).order_by(*order_by)))


def rows_of_event(session: Session, model: type[Row], event_id: str, *order_by: Any) -> list[Row]:
    """The rows of ``model``, a part of an event (its programme, costs, nominees...), that
    belong to ``event_id``, in ``order_by``'s order."""
    # Every part's model has an ``event_id`` column; the type variable cannot say so.
    return rows_where(session, model, cast(Any, model).event_id == event_id, *order_by)


def participants_of(session: Session, event_id: str) -> list[Participant]:
    """The event's participants in the order they were added."""
    return rows_of_event(session, Participant, event_id, Participant.created_at, Participant.id)


def live_bookings(
    session: Session, resource_id: str, starts_at: datetime, ends_at: datetime, language: str
) -> list[Booking]:
    """The bookings of ``resource_id`` by events not cancelled that overlap
    [starts_at, ends_at), earliest first, titled in ``language`` (and in all of theirs)."""
    rows = session.execute(
        select(ResourceBooking, Event.title, ProgrammeItem.title)
        .join(Event, Event.id == ResourceBooking.event_id)
        .outerjoin(ProgrammeItem, ProgrammeItem.id == ResourceBooking.item_id)
        .where(
            ResourceBooking.resource_id == resource_id,
            Event.status != "cancelled",
            ResourceBooking.starts_at < ends_at,
            ResourceBooking.ends_at > starts_at,
        )
        .order_by(ResourceBooking.starts_at)
    )
    return [
        Booking(
            b.id,
            b.resource_id,
            b.event_id,
            pick_text(event_title, language),
            b.starts_at,
            b.ends_at,
            b.item_id,
            pick_text(item_title, language) if item_title else None,
            dict(event_title),
            dict(item_title) if item_title else None,
        )
        for b, event_title, item_title in rows
    ]
