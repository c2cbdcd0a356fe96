"""An official event's life: created, changed, moved along its statuses, and the
draft an approved delegation visit becomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput
from chancery.keyset import Ordering, fetch_page
from chancery.messages.contracts.foreign_relations import DelegationVisitApprovedV1
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from protocol_events.adapters.models import (
    Event,
    EventHistory,
    Participant,
    ProgrammeItem,
    ResourceBooking,
)
from protocol_events.adapters.repositories import participants_of, rows_of_event
from protocol_events.domain import lifecycle
from protocol_events.domain.conflicts import check_span
from protocol_events.usecases import EventUseCase

# What a change of a confirmed event is announced as (event.updated's ``changes``).
ANNOUNCED_FIELDS = {"starts_at": "time", "ends_at": "time", "venue": "venue", "title": "title"}
_SOONEST_FIRST = (Ordering(Event.starts_at), Ordering(Event.id))


@dataclass(frozen=True)
class EventFilters:
    """Which events a list shows."""

    status: str | None = None
    kind: str | None = None
    starts_from: date | None = None
    starts_before: date | None = None


class Events(EventUseCase):
    """Official events: create, read, list, change and move them along their life."""

    def create(self, data: dict[str, Any], principal: Principal) -> Event:
        """A new draft event; the department defaults to the profile's protocol office."""
        department = data.get("department_code") or self.profile.offices["protocol"]
        self._check_department(department)
        check_span(data["starts_at"], data["ends_at"])
        with self.transaction() as uow:
            return self._new_event(uow.session, data, department, principal.subject)

    def _new_event(
        self,
        session: Session,
        data: dict[str, Any],
        department: str,
        actor: str,
        visit_id: str | None = None,
    ) -> Event:
        now = self._clock()
        event_id = new_id()
        event = Event(
            id=event_id,
            kind=data["kind"],
            protocol_level=data["protocol_level"],
            title=data["title"],
            description=data.get("description") or {},
            venue=data.get("venue"),
            department_code=department,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            status="draft",
            sequence=0,
            ical_uid=f"{event_id}@{self.profile.code}.chancery",
            visit_id=visit_id,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        session.add(event)
        session.flush()
        self._history(session, event, actor, "created", {"status": "draft"})
        return event

    def event(self, event_id: str) -> Event:
        """One event; 404 when unknown."""
        with self._uow() as uow:
            return self._event(uow.session, event_id)

    def events(self, filters: EventFilters, page: PageRequest) -> Page[Event]:
        """A page of events, soonest first."""
        query = select(Event)
        if filters.status:
            query = query.where(Event.status == filters.status)
        if filters.kind:
            query = query.where(Event.kind == filters.kind)
        if filters.starts_from:
            query = query.where(Event.starts_at >= self._midnight(filters.starts_from))
        if filters.starts_before:
            query = query.where(Event.starts_at < self._midnight(filters.starts_before))
        with self._uow() as uow:
            return fetch_page(uow.session, query, _SOONEST_FIRST, page)

    def history(self, event_id: str) -> list[EventHistory]:
        """What happened to the event, oldest first."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            return rows_of_event(uow.session, EventHistory, event_id, EventHistory.id)

    def update(
        self,
        event_id: str,
        changes: dict[str, Any],
        principal: Principal,
        correlation_id: str,
        expected: int | None,
    ) -> Event:
        """Change an event's facts; a confirmed event's participants hear of time, venue and
        title changes (``event.updated``, the calendar entry's sequence grows)."""
        if "department_code" in changes:
            self._check_department(changes["department_code"])
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, expected, lock=True)
            lifecycle.check_editable(event.status, "details")
            check_span(
                changes.get("starts_at", event.starts_at), changes.get("ends_at", event.ends_at)
            )
            shift = changes.get("starts_at", event.starts_at) - event.starts_at
            if shift:
                self._shift_programme(uow.session, event, shift)
            self._check_programme_fits(
                uow.session,
                event,
                changes.get("starts_at", event.starts_at),
                changes.get("ends_at", event.ends_at),
            )
            announced: list[str] = []
            for name, value in changes.items():
                if getattr(event, name) == value:
                    continue
                setattr(event, name, value)
                if name in ANNOUNCED_FIELDS and ANNOUNCED_FIELDS[name] not in announced:
                    announced.append(ANNOUNCED_FIELDS[name])
            event.updated_at = self._clock()
            self._history(
                uow.session, event, principal.subject, "updated", {"fields": sorted(changes)}
            )
            if announced:
                self._announce_update(uow, event, announced, correlation_id)
            return event

    def transition(
        self,
        event_id: str,
        target: str,
        note: str | None,
        principal: Principal,
        correlation_id: str,
        expected: int | None,
    ) -> Event:
        """Move an event along its life; confirmation invites, cancellation tells everyone."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, expected, lock=True)
            lifecycle.EVENT.check(event.status, target)
            if target == "cancelled" and not note:
                raise InvalidInput(
                    "Say why the event is cancelled; participants are told.",
                    field="note",
                    reason="required when cancelling",
                )
            previous = event.status
            event.status = target
            event.status_note = note
            event.updated_at = now = self._clock()
            self._history(
                uow.session,
                event,
                principal.subject,
                "status",
                {"from": previous, "to": target, "note": note},
            )
            if target == "confirmed":
                links = self._answer_links(participants_of(uow.session, event.id))
                uow.emit(
                    "event.scheduled",
                    1,
                    {
                        **self._payload(uow.session, event),
                        "scheduled_at": now,
                        "answer_urls": links,
                    },
                    correlation_id,
                )
            elif target == "cancelled" and previous in lifecycle.ANNOUNCED_ON_CANCEL:
                event.sequence += 1
                uow.emit(
                    "event.cancelled",
                    1,
                    {**self._payload(uow.session, event), "reason": note, "cancelled_at": now},
                    correlation_id,
                )
            return event

    def visit_approved(self, uow: UnitOfWork, visit: DelegationVisitApprovedV1) -> Event:
        """Create an approved delegation visit's draft event with its members, once per visit."""
        visit_id = str(visit.visit_id)
        known = uow.session.scalar(select(Event).where(Event.visit_id == visit_id))
        if known is not None:
            return known
        language = visit.language or "en"
        department = visit.host_department_code
        if self.profile.department(department) is None:
            department = self.profile.offices["protocol"]
        description = {language: visit.purpose} if visit.purpose else {}
        event = self._new_event(
            uow.session,
            {
                "kind": "delegation_visit",
                "protocol_level": "municipal",
                "title": {language: visit.title},
                "description": description,
                "venue": None,
                "starts_at": visit.arrives_at,
                "ends_at": visit.departs_at,
            },
            department,
            f"service:foreign-relations ({visit.approved_by})",
            visit_id=visit_id,
        )
        now = self._clock()
        for member in visit.members:
            uow.session.add(
                Participant(
                    id=new_id(),
                    event_id=event.id,
                    kind="guest",
                    name=member.name,
                    role=member.role,
                    organisation=member.organisation,
                    country=member.country or visit.country,
                    language=member.language or visit.language,
                    rank=member.rank or _delegate_rank(member.role),
                    email=member.email,
                    host=False,
                    guest_of_honour=bool(member.head),
                    speaks=bool(member.head),
                    created_at=now,
                )
            )
        return event

    def _shift_programme(self, session: Session, event: Event, shift: timedelta) -> None:
        """Move the event's programme items and bookings with its start, checking each moved
        booking against everyone else's (a clash refuses the whole move, in words)."""
        for item in session.scalars(
            select(ProgrammeItem).where(ProgrammeItem.event_id == event.id)
        ):
            item.starts_at, item.ends_at = item.starts_at + shift, item.ends_at + shift
        own = rows_of_event(session, ResourceBooking, event.id, ResourceBooking.starts_at)
        for booking in own:
            self._check_free(
                session,
                booking.resource_id,
                booking.starts_at + shift,
                booking.ends_at + shift,
                [b.id for b in own],
            )
        for booking in own:
            booking.starts_at, booking.ends_at = booking.starts_at + shift, booking.ends_at + shift
        session.flush()

    def _check_programme_fits(
        self, session: Session, event: Event, starts_at: datetime, ends_at: datetime
    ) -> None:
        """A new span must hold the (already shifted) programme: an item a shorter event
        would leave out is named instead of being cut."""
        outside = [
            item
            for item in session.scalars(
                select(ProgrammeItem)
                .where(ProgrammeItem.event_id == event.id)
                .order_by(ProgrammeItem.starts_at)
            )
            if item.starts_at < starts_at or item.ends_at > ends_at
        ]
        if outside:
            named = "; ".join(
                f"{self._text(item.title)} ({self._local(item.starts_at)} to "
                f"{self._local(item.ends_at)})"
                for item in outside
            )
            raise Conflict(
                f"The new time leaves programme items outside the event: {named}. "
                "Move or remove them first.",
                field="starts_at",
                reason="programme items outside the event",
            )


def _delegate_rank(role: str | None) -> str:
    # A visiting mayor is the partner city's mayor, not ours: the protocol list ranks them apart.
    return {"mayor": "foreign_mayor", "deputy_mayor": "foreign_deputy_mayor"}.get(
        role or "", "delegation_member"
    )
