"""Protocol-events' use cases for official events.

Views and message handlers call these with plain values; every change is
checked against the event's life (``lifecycle``), written with its history
and, when participants must hear about it, published through the outbox in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from chancery.ical import Attendee, CalendarEntry, to_ics
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.profiles import Profile
from protocol_events import lifecycle
from protocol_events.conflicts import Booking, clashes, describe_clash
from protocol_events.models import (
    Accreditation,
    BudgetLine,
    CostLine,
    Event,
    EventHistory,
    Official,
    Participant,
    PrecedenceList,
    ProgrammeItem,
    Resource,
    ResourceBooking,
)
from protocol_events.precedence import Place, Precedence, Seatable, default_ranks, ranks_from

SYSTEM = "protocol-events"
CURRENCIES = {"LT": "EUR", "LV": "EUR", "GE": "GEL", "AL": "ALL"}
# What a change of a confirmed event is announced as (event.updated's ``changes``).
ANNOUNCED_FIELDS = {"starts_at": "time", "ends_at": "time", "venue": "venue", "title": "title"}
CURRENT_LIST = "current"


class BookingConflict(Conflict):
    """A resource is already held for an overlapping time (409 naming each clash)."""

    def __init__(self, detail: str, found: Sequence[Booking], sentences: Sequence[str]) -> None:
        super().__init__(detail, field="resource_id", reason=sentences[0])
        self.clashes = list(found)
        self.sentences = list(sentences)


_SOONEST_FIRST = (Ordering(Event.starts_at), Ordering(Event.id))


@dataclass(frozen=True)
class EventFilters:
    """Which events a list shows."""

    status: str | None = None
    kind: str | None = None
    starts_from: date | None = None
    starts_before: date | None = None


@dataclass(frozen=True)
class ExpenseReportLine:
    """Representation expenses of one event and category in a period."""

    event_id: str
    event_title: str
    starts_at: str
    category: str
    currency: str
    budget: Decimal
    planned: Decimal
    actual: Decimal
    approved_actual: Decimal


class Events:
    """Official events: life, participants and precedence, programme, resources, press, costs."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self.profile = profile
        self.currency = CURRENCIES.get(profile.country, "EUR")
        self.zone = ZoneInfo(profile.time_zone)
        self._clock = clock

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """A unit of work committed when the block ends without error."""
        with self._uow() as uow:
            yield uow
            uow.commit()

    # Events ----------------------------------------------------------------------------

    def create(self, data: dict[str, Any], principal: Principal) -> Event:
        """A new draft event; the department defaults to the profile's protocol office."""
        department = data.get("department_code") or self.profile.offices["protocol"]
        self._check_department(department)
        _check_span(data["starts_at"], data["ends_at"])
        with self.transaction() as uow:
            return self._new_event(uow.session, data, department, principal.subject)

    def _new_event(self, session: Session, data: dict[str, Any], department: str,
                   actor: str, visit_id: str | None = None) -> Event:
        now = self._clock()
        event_id = new_id()
        event = Event(id=event_id, kind=data["kind"], protocol_level=data["protocol_level"],
                      title=data["title"], description=data.get("description") or {},
                      venue=data.get("venue"), department_code=department,
                      starts_at=data["starts_at"], ends_at=data["ends_at"], status="draft",
                      sequence=0, ical_uid=f"{event_id}@{self.profile.code}.chancery",
                      visit_id=visit_id, created_by=actor, created_at=now, updated_at=now)
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
            return list(uow.session.scalars(select(EventHistory).where(
                EventHistory.event_id == event_id).order_by(EventHistory.id)))

    def update(self, event_id: str, changes: dict[str, Any], principal: Principal,
               correlation_id: str, expected: int | None) -> Event:
        """Change an event's facts; a confirmed event's participants hear of time, venue and
        title changes (``event.updated``, the calendar entry's sequence grows)."""
        if "department_code" in changes:
            self._check_department(changes["department_code"])
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, expected, lock=True)
            lifecycle.check_editable(event.status, "details")
            _check_span(changes.get("starts_at", event.starts_at),
                        changes.get("ends_at", event.ends_at))
            self._check_programme_fits(uow.session, event, changes.get("starts_at",
                                       event.starts_at), changes.get("ends_at", event.ends_at))
            announced: list[str] = []
            for name, value in changes.items():
                if getattr(event, name) == value:
                    continue
                setattr(event, name, value)
                if name in ANNOUNCED_FIELDS and ANNOUNCED_FIELDS[name] not in announced:
                    announced.append(ANNOUNCED_FIELDS[name])
            event.updated_at = self._clock()
            self._history(uow.session, event, principal.subject, "updated",
                          {"fields": sorted(changes)})
            if announced:
                self._announce_update(uow, event, announced, correlation_id)
            return event

    def transition(self, event_id: str, target: str, note: str | None, principal: Principal,
                   correlation_id: str, expected: int | None) -> Event:
        """Move an event along its life; confirmation invites, cancellation tells everyone."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, expected, lock=True)
            lifecycle.check_transition(event.status, target)
            if target == "cancelled" and not note:
                raise InvalidInput("Say why the event is cancelled; participants are told.",
                                   field="note", reason="required when cancelling")
            previous = event.status
            event.status = target
            event.status_note = note
            event.updated_at = now = self._clock()
            self._history(uow.session, event, principal.subject, "status",
                          {"from": previous, "to": target, "note": note})
            if target == "confirmed":
                uow.emit("event.scheduled", 1, {**self._payload(uow.session, event),
                                                "scheduled_at": now}, correlation_id)
            elif target == "cancelled" and previous in lifecycle.ANNOUNCED_ON_CANCEL:
                event.sequence += 1
                uow.emit("event.cancelled", 1, {**self._payload(uow.session, event),
                                                "reason": note, "cancelled_at": now},
                         correlation_id)
            return event

    def visit_approved(self, uow: UnitOfWork, visit: dict[str, Any]) -> Event:
        """Create an approved delegation visit's draft event with its members, once per visit."""
        visit_id = str(visit["visit_id"])
        known = uow.session.scalar(select(Event).where(Event.visit_id == visit_id))
        if known is not None:
            return known
        language = visit.get("language") or "en"
        department = visit["host_department_code"]
        if self.profile.department(department) is None:
            department = self.profile.offices["protocol"]
        description = {language: visit["purpose"]} if visit.get("purpose") else {}
        event = self._new_event(uow.session, {
            "kind": "delegation_visit", "protocol_level": "municipal",
            "title": {language: visit["title"]}, "description": description,
            "venue": None, "starts_at": visit["arrives_at"], "ends_at": visit["departs_at"],
        }, department, f"service:foreign-relations ({visit['approved_by']})", visit_id=visit_id)
        now = self._clock()
        for member in visit["members"]:
            uow.session.add(Participant(
                id=new_id(), event_id=event.id, kind="guest", name=member["name"],
                role=member.get("role"), organisation=member.get("organisation"),
                country=member.get("country") or visit["country"],
                language=member.get("language") or visit.get("language"),
                rank=member.get("rank") or _delegate_rank(member.get("role")),
                email=member.get("email"), host=False, guest_of_honour=bool(member.get("head")),
                speaks=bool(member.get("head")), created_at=now))
        return event

    # Participants and precedence -------------------------------------------------------

    def add_participant(self, event_id: str, data: dict[str, Any], principal: Principal,
                        correlation_id: str) -> Participant:
        """Add an internal participant or a guest; a confirmed event's invitees hear of it."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "participants")
            if data.get("official_id") and uow.session.get(Official,
                                                           data["official_id"]) is None:
                raise InvalidInput("No such official.", field="official_id",
                                   reason="unknown official")
            participant = Participant(id=new_id(), event_id=event.id,
                                      created_at=self._clock(), **data)
            uow.session.add(participant)
            uow.session.flush()
            self._history(uow.session, event, principal.subject, "participant_added",
                          {"participant_id": participant.id})
            self._announce_update(uow, event, ["participants"], correlation_id,
                                  invited=[participant.id])
            return participant

    def remove_participant(self, event_id: str, participant_id: str, principal: Principal,
                           correlation_id: str) -> None:
        """Take a participant off the event."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "participants")
            participant = uow.session.get(Participant, participant_id)
            if participant is None or participant.event_id != event.id:
                raise NotFound("The event has no such participant.")
            uow.session.delete(participant)
            uow.session.flush()
            self._history(uow.session, event, principal.subject, "participant_removed",
                          {"participant_id": participant_id})
            self._announce_update(uow, event, ["participants"], correlation_id)

    def participants(self, event_id: str, principal: Principal) -> list[Participant]:
        """The participants with their contacts (the read is audited)."""
        with self.transaction() as uow:
            self._event(uow.session, event_id)
            found = self._participants(uow.session, event_id)
            record_access(uow.session, uow.tables.audit, principal, "read", "participant",
                          [p.id for p in found], {p.id: p.email or p.name for p in found})
            return found

    def order(self, event_id: str) -> tuple[list[Place], list[Place]]:
        """Seating and speaking order by the protocol list in force, with reasons."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            people = [Seatable(p.id, p.name, p.rank, p.kind == "guest", p.host,
                               p.guest_of_honour, p.speaks)
                      for p in self._participants(uow.session, event_id)]
            precedence = Precedence(self._ranks(uow.session)[0])
        return precedence.seating(people), precedence.speaking(people)

    def precedence_list(self) -> tuple[list[dict[str, Any]], str, int]:
        """The protocol list in force, where it comes from (default or saved), its version."""
        with self._uow() as uow:
            ranks, source, version = self._ranks(uow.session)
        return [{"code": r.code, "names": r.names} for r in ranks], source, version

    def replace_precedence(self, ranks: list[dict[str, Any]], principal: Principal,
                           expected: int | None) -> tuple[list[dict[str, Any]], str, int]:
        """Replace the protocol list (the whole list, in order)."""
        try:
            ranks_from(ranks)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="ranks", reason=str(exc)) from exc
        with self.transaction() as uow:
            saved = uow.session.get(PrecedenceList, CURRENT_LIST, with_for_update=True)
            current_version = saved.version if saved else 0
            if expected is not None and expected != current_version:
                raise PreconditionFailed(
                    f"The protocol list is at version {current_version}, not {expected}.",
                    field="If-Match", reason="stale version")
            if saved is None:
                saved = PrecedenceList(id=CURRENT_LIST, ranks=ranks,
                                       updated_by=principal.subject, updated_at=self._clock())
                uow.session.add(saved)
            else:
                saved.ranks, saved.updated_by = ranks, principal.subject
                saved.updated_at = self._clock()
            uow.session.flush()
            return ranks, "saved", saved.version

    # Programme -------------------------------------------------------------------------

    def add_item(self, event_id: str, data: dict[str, Any], principal: Principal
                 ) -> tuple[ProgrammeItem, list[ResourceBooking]]:
        """Add a programme item and book its resources for its time (all or nothing)."""
        resource_ids = data.pop("resource_ids", [])
        _check_span(data["starts_at"], data["ends_at"])
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "programme")
            self._check_within_event(event, data["starts_at"], data["ends_at"])
            item = ProgrammeItem(id=new_id(), event_id=event.id, **data)
            uow.session.add(item)
            uow.session.flush()
            bookings = [self._book(uow.session, event, resource_id, item.starts_at,
                                   item.ends_at, item, principal.subject)
                        for resource_id in dict.fromkeys(resource_ids)]
            self._history(uow.session, event, principal.subject, "programme_item_added",
                          {"item_id": item.id})
            return item, bookings

    def _check_within_event(self, event: Event, starts_at: datetime, ends_at: datetime
                            ) -> None:
        if starts_at < event.starts_at or ends_at > event.ends_at:
            field = "starts_at" if starts_at < event.starts_at else "ends_at"
            raise InvalidInput(
                f"A programme item lies within its event, {self._local(event.starts_at)} to "
                f"{self._local(event.ends_at)}.", field=field, reason="outside the event")

    def _check_programme_fits(self, session: Session, event: Event, starts_at: datetime,
                              ends_at: datetime) -> None:
        """A new span must hold the programme: items are not moved behind the officer's back
        (their bookings would have to be checked again), they are named instead."""
        outside = [item for item in session.scalars(select(ProgrammeItem).where(
                       ProgrammeItem.event_id == event.id).order_by(ProgrammeItem.starts_at))
                   if item.starts_at < starts_at or item.ends_at > ends_at]
        if outside:
            named = "; ".join(f"{self._text(item.title)} ({self._local(item.starts_at)} to "
                              f"{self._local(item.ends_at)})" for item in outside)
            raise Conflict(f"The new time leaves programme items outside the event: {named}. "
                           "Move or remove them first.", field="starts_at",
                           reason="programme items outside the event")

    def _local(self, instant: datetime) -> str:
        """An instant as the municipality reads it: local date, time and zone."""
        return f"{instant.astimezone(self.zone):%Y-%m-%d %H:%M %Z}"

    def remove_item(self, event_id: str, item_id: str, principal: Principal) -> None:
        """Remove a programme item, freeing its resources (its cost lines stay, unlinked)."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "programme")
            item = uow.session.get(ProgrammeItem, item_id)
            if item is None or item.event_id != event.id:
                raise NotFound("The event has no such programme item.")
            for booking in uow.session.scalars(select(ResourceBooking).where(
                    ResourceBooking.item_id == item_id)):
                uow.session.delete(booking)
            for cost in uow.session.scalars(select(CostLine).where(CostLine.item_id == item_id)):
                cost.item_id = None
            uow.session.flush()
            uow.session.delete(item)
            self._history(uow.session, event, principal.subject, "programme_item_removed",
                          {"item_id": item_id})

    def programme(self, event_id: str) -> list[dict[str, Any]]:
        """The timetable in time order, each item with its bookings and cost lines."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            items = list(uow.session.scalars(select(ProgrammeItem).where(
                ProgrammeItem.event_id == event_id).order_by(ProgrammeItem.starts_at,
                                                             ProgrammeItem.id)))
            bookings = list(uow.session.scalars(select(ResourceBooking).where(
                ResourceBooking.event_id == event_id)))
            costs = list(uow.session.scalars(select(CostLine).where(
                CostLine.event_id == event_id)))
        return [{"item": item, "bookings": [b for b in bookings if b.item_id == item.id],
                 "costs": [c for c in costs if c.item_id == item.id]} for item in items]

    # Resources -------------------------------------------------------------------------

    def create_resource(self, data: dict[str, Any]) -> Resource:
        """Add a room, vehicle, interpreter or other resource."""
        with self.transaction() as uow:
            resource = Resource(id=new_id(), active=True, **data)
            uow.session.add(resource)
            return resource

    def resources(self) -> list[Resource]:
        """Every resource, by kind and name."""
        with self._uow() as uow:
            return list(uow.session.scalars(select(Resource).order_by(Resource.kind,
                                                                      Resource.name)))

    def book(self, event_id: str, resource_id: str, starts_at: datetime, ends_at: datetime,
             principal: Principal) -> ResourceBooking:
        """Book a resource for the event; an overlapping booking elsewhere is a 409."""
        _check_span(starts_at, ends_at)
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "bookings")
            return self._book(uow.session, event, resource_id, starts_at, ends_at, None,
                              principal.subject)

    def release(self, event_id: str, booking_id: str) -> None:
        """Free a booking of the event."""
        with self.transaction() as uow:
            booking = uow.session.get(ResourceBooking, booking_id)
            if booking is None or booking.event_id != event_id:
                raise NotFound("The event has no such booking.")
            uow.session.delete(booking)

    def bookings(self, resource_id: str, first: date, last: date) -> list[dict[str, Any]]:
        """A resource's live bookings (cancelled events left out) from ``first`` to ``last``."""
        with self._uow() as uow:
            if uow.session.get(Resource, resource_id) is None:
                raise NotFound("No such resource.")
            found = self._live_bookings(uow.session, resource_id, self._midnight(first),
                                        self._midnight(last + timedelta(days=1)))
        return [{"booking_id": b.booking_id, "event_id": b.event_id, "event_title": b.event_title,
                 "item_id": b.item_id, "item_title": b.item_title, "starts_at": b.starts_at,
                 "ends_at": b.ends_at} for b in found]

    def _book(self, session: Session, event: Event, resource_id: str, starts_at: datetime,
              ends_at: datetime, item: ProgrammeItem | None, actor: str) -> ResourceBooking:
        # Locking the resource row serialises every booking of this resource on PostgreSQL,
        # so two overlapping requests cannot both see "free" (SQLite writers queue anyway).
        resource = session.get(Resource, resource_id, with_for_update=True)
        if resource is None or not resource.active:
            raise InvalidInput("No such resource (or it is no longer in use).",
                               field="resource_id", reason="unknown resource")
        found = clashes(self._live_bookings(session, resource_id, starts_at, ends_at),
                        resource_id, starts_at, ends_at)
        if found:
            sentences = [describe_clash(resource.name, clash, self.zone) for clash in found]
            raise BookingConflict(" ".join(sentences), found, sentences)
        booking = ResourceBooking(id=new_id(), resource_id=resource_id, event_id=event.id,
                                  item_id=item.id if item else None, starts_at=starts_at,
                                  ends_at=ends_at, booked_by=actor)
        session.add(booking)
        session.flush()
        # Its answer names the resource, read after the session has closed.
        session.refresh(booking, ["resource"])
        return booking

    def _live_bookings(self, session: Session, resource_id: str, starts_at: datetime,
                       ends_at: datetime) -> list[Booking]:
        rows = session.execute(
            select(ResourceBooking, Event.title, ProgrammeItem.title)
            .join(Event, Event.id == ResourceBooking.event_id)
            .outerjoin(ProgrammeItem, ProgrammeItem.id == ResourceBooking.item_id)
            .where(ResourceBooking.resource_id == resource_id, Event.status != "cancelled",
                   ResourceBooking.starts_at < ends_at, ResourceBooking.ends_at > starts_at)
            .order_by(ResourceBooking.starts_at))
        return [Booking(b.id, b.resource_id, b.event_id, self._text(event_title),
                        b.starts_at, b.ends_at, b.item_id,
                        self._text(item_title) if item_title else None)
                for b, event_title, item_title in rows]

    # Press -----------------------------------------------------------------------------

    def accredit(self, event_id: str, data: dict[str, Any], principal: Principal
                 ) -> Accreditation:
        """Put a journalist on the event's media list (requested until decided)."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "media list")
            accreditation = Accreditation(id=new_id(), event_id=event.id, status="requested",
                                          created_at=self._clock(), **data)
            uow.session.add(accreditation)
            uow.session.flush()
            self._history(uow.session, event, principal.subject, "accreditation",
                          {"accreditation_id": accreditation.id, "status": "requested"})
            return accreditation

    def decide_accreditation(self, event_id: str, accreditation_id: str, status: str,
                             principal: Principal, correlation_id: str) -> Accreditation:
        """Approve (a badge number is given) or refuse an accreditation; the journalist is
        told (``accreditation.decided``) when the decision changes."""
        with self.transaction() as uow:
            # The event row's lock numbers badges one after another.
            event = self._event(uow.session, event_id, lock=True)
            accreditation = uow.session.get(Accreditation, accreditation_id)
            if accreditation is None or accreditation.event_id != event.id:
                raise NotFound("The event has no such accreditation.")
            if status == "approved" and accreditation.badge_number is None:
                issued = uow.session.scalar(select(func.count()).select_from(Accreditation).where(
                    Accreditation.event_id == event.id, Accreditation.badge_number.is_not(None)))
                accreditation.badge_number = f"PRESS-{issued + 1:03d}"
            changed, accreditation.status = accreditation.status != status, status
            self._history(uow.session, event, principal.subject, "accreditation",
                          {"accreditation_id": accreditation_id, "status": status})
            if changed:
                uow.emit("accreditation.decided", 1, {
                    "accreditation_id": accreditation.id, "event_id": event.id,
                    "event_title": event.title, "starts_at": event.starts_at,
                    "ends_at": event.ends_at, "time_zone": self.profile.time_zone,
                    "venue": event.venue, "status": status,
                    "badge_number": accreditation.badge_number if status == "approved" else None,
                    "journalist": accreditation.journalist, "outlet": accreditation.outlet,
                    "email": accreditation.email, "phone": accreditation.phone,
                    "language": accreditation.language, "decided_at": self._clock()},
                    correlation_id)
            return accreditation

    def media_list(self, event_id: str, principal: Principal) -> list[Accreditation]:
        """The event's media list with the journalists' contacts (the read is audited)."""
        with self.transaction() as uow:
            self._event(uow.session, event_id)
            found = list(uow.session.scalars(select(Accreditation).where(
                Accreditation.event_id == event_id).order_by(Accreditation.outlet,
                                                            Accreditation.journalist)))
            record_access(uow.session, uow.tables.audit, principal, "read", "accreditation",
                          [a.id for a in found], {a.id: a.email or a.journalist for a in found})
            return found

    # Representation expenses -----------------------------------------------------------

    def set_budget(self, event_id: str, lines: dict[str, Decimal], principal: Principal
                   ) -> list[BudgetLine]:
        """Replace the event's budget per category."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            for old in uow.session.scalars(select(BudgetLine).where(
                    BudgetLine.event_id == event.id)):
                uow.session.delete(old)
            uow.session.flush()
            saved = [BudgetLine(event_id=event.id, category=category, amount=amount,
                                currency=self.currency) for category, amount in lines.items()]
            uow.session.add_all(saved)
            self._history(uow.session, event, principal.subject, "budget",
                          {category: str(amount) for category, amount in lines.items()})
            return saved

    def add_cost(self, event_id: str, data: dict[str, Any], principal: Principal) -> CostLine:
        """A planned cost line (optionally of a programme item), waiting for approval."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            if data.get("item_id"):
                item = uow.session.get(ProgrammeItem, data["item_id"])
                if item is None or item.event_id != event.id:
                    raise InvalidInput("The event has no such programme item.", field="item_id",
                                       reason="unknown programme item")
            incurred_on = data.pop("incurred_on", None) or self._local_date(event.starts_at)
            cost = CostLine(id=new_id(), event_id=event.id, currency=self.currency,
                            status="proposed", created_by=principal.subject,
                            incurred_on=incurred_on, **data)
            uow.session.add(cost)
            return cost

    def record_actual(self, event_id: str, cost_id: str, actual: Decimal,
                      principal: Principal) -> CostLine:
        """Record what a cost line really cost; after the line's approval the actual waits
        for its own approval (an approved plan is not an approved bill)."""
        with self.transaction() as uow:
            cost = self._cost(uow.session, event_id, cost_id)
            if cost.status == "rejected":
                raise Conflict("The cost line was rejected; it has no actual cost.",
                               field="actual", reason="rejected line")
            cost.actual = actual
            if cost.status == "approved":
                cost.actual_status = "proposed"
                cost.actual_decided_by = cost.actual_decided_at = None
            self._history(uow.session, self._event(uow.session, event_id), principal.subject,
                          "actual_cost", {"cost_id": cost_id, "actual": str(actual)})
            return cost

    def decide_cost(self, event_id: str, cost_id: str, approve: bool,
                    principal: Principal, over_budget: bool = False) -> CostLine:
        """Approve or reject a cost line (the mayor's office or the director).

        A line that takes its category's approved costs over the budget is approved only
        when the approver says so (``over_budget``); that, who and when are kept.
        """
        with self.transaction() as uow:
            cost = self._cost(uow.session, event_id, cost_id)
            if cost.status != "proposed":
                raise Conflict(f"The cost line is already {cost.status}.", field="status",
                               reason=f"{cost.status} is final")
            if approve:
                excess = self._excess(uow.session, cost)
                if excess > 0 and not over_budget:
                    raise Conflict(
                        f"Approving this line takes {cost.category} {excess} {self.currency} "
                        "over its budget; approve it with over_budget: true to accept that.",
                        field="over_budget", reason="over budget: explicit approval needed")
                cost.approved_over_budget = excess > 0
                if cost.actual is not None:
                    # The approver saw the bill with the plan: both are approved.
                    cost.actual_status = "approved"
                    cost.actual_decided_by = principal.subject
                    cost.actual_decided_at = self._clock()
            cost.status = "approved" if approve else "rejected"
            cost.decided_by, cost.decided_at = principal.subject, self._clock()
            return cost

    def decide_actual(self, event_id: str, cost_id: str, approve: bool,
                      principal: Principal) -> CostLine:
        """Approve or reject the actual cost recorded after its line was approved."""
        with self.transaction() as uow:
            cost = self._cost(uow.session, event_id, cost_id)
            if cost.actual_status != "proposed":
                state = cost.actual_status or "not waiting for a decision"
                raise Conflict(f"The actual cost is {state}.", field="actual_status",
                               reason=f"actual {state}")
            cost.actual_status = "approved" if approve else "rejected"
            cost.actual_decided_by, cost.actual_decided_at = principal.subject, self._clock()
            return cost

    def _excess(self, session: Session, cost: CostLine) -> Decimal:
        """How far the category's approved costs (plan or approved actual) plus this line's
        would exceed its budget (no budget line: a budget of 0)."""
        budget = sum(session.scalars(select(BudgetLine.amount).where(
            BudgetLine.event_id == cost.event_id, BudgetLine.category == cost.category)),
            Decimal(0))
        approved = session.scalars(select(CostLine).where(
            CostLine.event_id == cost.event_id, CostLine.category == cost.category,
            CostLine.status == "approved", CostLine.id != cost.id))
        committed = sum((committed_amount(line) for line in approved), Decimal(0))
        return committed + max(cost.planned, cost.actual or Decimal(0)) - budget

    def expenses(self, event_id: str) -> dict[str, Any]:
        """The event's budget, cost lines and totals per category."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            budget = list(uow.session.scalars(select(BudgetLine).where(
                BudgetLine.event_id == event_id)))
            costs = list(uow.session.scalars(select(CostLine).where(
                CostLine.event_id == event_id).order_by(CostLine.incurred_on, CostLine.id)))
        categories = sorted({b.category for b in budget} | {c.category for c in costs})
        totals = []
        for category in categories:
            lines = [c for c in costs if c.category == category and c.status != "rejected"]
            totals.append({
                "category": category,
                "budget": sum((b.amount for b in budget if b.category == category), Decimal(0)),
                "planned": sum((c.planned for c in lines), Decimal(0)),
                "actual": sum((c.actual or Decimal(0) for c in lines), Decimal(0)),
            })
        flagged = over_budget_categories(budget, costs)
        for cost in costs:
            cost.over_budget = cost.category in flagged and cost.status != "rejected"
        return {"currency": self.currency, "budget": budget, "costs": costs, "totals": totals,
                "over_budget": sorted(flagged)}

    def expense_report(self, first: date, last: date) -> list[ExpenseReportLine]:
        """Per event and category, for events starting from ``first`` to ``last`` (included):
        budget, planned, actual and approved actual costs (rejected lines left out)."""
        with self._uow() as uow:
            events = list(uow.session.scalars(select(Event).where(
                Event.starts_at >= self._midnight(first),
                Event.starts_at < self._midnight(last + timedelta(days=1)))
                .order_by(Event.starts_at, Event.id)))
            ids = [e.id for e in events]
            budget = list(uow.session.scalars(select(BudgetLine).where(
                BudgetLine.event_id.in_(ids)))) if ids else []
            costs = list(uow.session.scalars(select(CostLine).where(
                and_(CostLine.event_id.in_(ids), CostLine.status != "rejected")))) if ids else []
        lines = []
        for event in events:
            categories = sorted({b.category for b in budget if b.event_id == event.id}
                                | {c.category for c in costs if c.event_id == event.id})
            for category in categories:
                mine = [c for c in costs if c.event_id == event.id and c.category == category]
                lines.append(ExpenseReportLine(
                    event_id=event.id, event_title=self._text(event.title),
                    starts_at=event.starts_at.astimezone(self.zone).isoformat(),
                    category=category, currency=self.currency,
                    budget=sum((b.amount for b in budget if b.event_id == event.id
                                and b.category == category), Decimal(0)),
                    planned=sum((c.planned for c in mine), Decimal(0)),
                    actual=sum((c.actual or Decimal(0) for c in mine), Decimal(0)),
                    approved_actual=sum((c.actual or Decimal(0) for c in mine
                                         if c.actual_status == "approved"), Decimal(0))))
        return lines

    # iCalendar -------------------------------------------------------------------------

    def ics(self, event_id: str, language: str | None = None) -> bytes:
        """The event as an iCalendar file in ``language`` (else the municipality's), its
        participants with e-mail as attendees."""
        languages = (language, self.profile.default_language)
        with self._uow() as uow:
            event = self._event(uow.session, event_id)
            participants = self._participants(uow.session, event_id)
        return to_ics([calendar_entry(event, participants, *languages)],
                      name=pick_text(event.title, *languages), time_zone=self.profile.time_zone)

    # Internals -------------------------------------------------------------------------

    def _event(self, session: Session, event_id: str, expected: int | None = None,
               lock: bool = False) -> Event:
        event = session.get(Event, event_id, with_for_update=lock or None)
        if event is None:
            raise NotFound("No such event.")
        if expected is not None and expected != event.version:
            raise PreconditionFailed(
                f"The event changed meanwhile (version {event.version}, not {expected}); "
                "read it again.", field="If-Match", reason="stale version")
        return event

    def _cost(self, session: Session, event_id: str, cost_id: str) -> CostLine:
        cost = session.get(CostLine, cost_id)
        if cost is None or cost.event_id != event_id:
            raise NotFound("The event has no such cost line.")
        return cost

    @staticmethod
    def _participants(session: Session, event_id: str) -> list[Participant]:
        return list(session.scalars(select(Participant).where(
            Participant.event_id == event_id).order_by(Participant.created_at, Participant.id)))

    def _ranks(self, session: Session) -> tuple[list[Any], str, int]:
        saved = session.get(PrecedenceList, CURRENT_LIST)
        if saved is None:
            return default_ranks(), "default", 0
        return ranks_from(saved.ranks), "saved", saved.version

    def _announce_update(self, uow: UnitOfWork, event: Event, changes: list[str],
                         correlation_id: str, invited: Sequence[str] = ()) -> None:
        if event.status not in lifecycle.INVITED:
            return
        event.sequence += 1
        uow.session.flush()
        uow.emit("event.updated", 1, {**self._payload(uow.session, event), "changes": changes,
                                      "updated_at": self._clock(), "invited": list(invited)},
                 correlation_id)

    def _payload(self, session: Session, event: Event) -> dict[str, Any]:
        participants = self._participants(session, event.id)
        subjects = dict(session.execute(select(Official.id, Official.staff_subject).where(
            Official.id.in_([p.official_id for p in participants if p.official_id]))).all())
        return {
            "event_id": event.id, "kind": event.kind, "protocol_level": event.protocol_level,
            "title": event.title, "description": event.description,
            "starts_at": event.starts_at, "ends_at": event.ends_at,
            "time_zone": self.profile.time_zone, "venue": event.venue,
            "department_code": event.department_code, "ical_uid": event.ical_uid,
            "sequence": event.sequence,
            "participants": [{"participant_id": p.id, "name": p.name, "email": p.email,
                              "language": p.language, "role": p.role,
                              "organisation": p.organisation,
                              "staff_subject": subjects.get(p.official_id)}
                             for p in participants],
        }

    def _history(self, session: Session, event: Event, actor: str, action: str,
                 details: dict[str, Any]) -> None:
        session.add(EventHistory(event_id=event.id, at=self._clock(), actor=actor,
                                 action=action, details=details))

    def _check_department(self, code: str) -> None:
        if self.profile.department(code) is None:
            raise InvalidInput(f"The municipality has no department {code}.",
                               field="department_code", reason="unknown department")

    def _text(self, texts: dict[str, str]) -> str:
        return pick_text(texts, self.profile.default_language)

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()


def committed_amount(line: CostLine) -> Decimal:
    """What an approved line commits: its approved actual, else its plan."""
    if line.actual is not None and line.actual_status == "approved":
        return line.actual
    return line.planned


def over_budget_categories(budget: Sequence[BudgetLine], costs: Sequence[CostLine]
                           ) -> set[str]:
    """Categories whose planned non-rejected lines exceed their budget (the flag)."""
    flagged = set()
    for category in {c.category for c in costs}:
        limit = sum((b.amount for b in budget if b.category == category), Decimal(0))
        planned = sum((c.planned for c in costs
                       if c.category == category and c.status != "rejected"), Decimal(0))
        if planned > limit:
            flagged.add(category)
    return flagged


def pick_text(texts: dict[str, str], *languages: str | None) -> str:
    """The text in the first of ``languages`` it exists in, else English, else any."""
    for language in (*languages, "en"):
        if language and texts.get(language):
            return texts[language]
    return next(iter(texts.values()), "")


def calendar_entry(event: Event, participants: Sequence[Participant],
                   *languages: str | None) -> CalendarEntry:
    """The event's VEVENT: stable uid, its sequence, tentative until confirmed."""
    status = {"cancelled": "CANCELLED", "draft": "TENTATIVE",
              "planned": "TENTATIVE"}.get(event.status, "CONFIRMED")
    return CalendarEntry(
        uid=event.ical_uid, sequence=event.sequence, starts_at=event.starts_at,
        ends_at=event.ends_at, summary=pick_text(event.title, *languages), status=status,
        description=pick_text(event.description, *languages) or None, location=event.venue,
        attendees=tuple(Attendee(p.name, p.email) for p in participants), stamp=event.updated_at)


def _check_span(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput("The end must come after the start.", field="ends_at",
                           reason="not after starts_at")


def _delegate_rank(role: str | None) -> str:
    # A visiting mayor is the partner city's mayor, not ours: the protocol list ranks them apart.
    return {"mayor": "foreign_mayor", "deputy_mayor": "foreign_deputy_mayor"}.get(
        role or "", "delegation_member")
