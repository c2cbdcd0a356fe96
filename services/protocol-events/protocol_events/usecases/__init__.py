"""Protocol-events' use cases, one module per aggregate.

Views and message handlers call these with plain values; every change is checked against
the domain's rules, written with its history and, when participants must hear about it,
published through the outbox in the same transaction. ``EventUseCase`` is the unit-of-work
idiom every event aggregate shares: the event loaded (locked, version-checked), its
history written, a confirmed event's change announced.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput, NotFound, check_version
from chancery.profiles import Profile
from chancery.usecase import MunicipalUseCase
from protocol_events.adapters.models import (
    Event,
    EventHistory,
    Official,
    Participant,
    ProgrammeItem,
    Resource,
    ResourceBooking,
)
from protocol_events.adapters.repositories import live_bookings, participants_of
from protocol_events.domain import lifecycle
from protocol_events.domain.conflicts import Booking, clashes, describe_clash
from protocol_events.domain.invitations import token_hash
from protocol_events.domain.texts import pick_text

# Where an invitation's answer link goes unless configured: the public pages' invitations.
DEFAULT_ANSWER_URL = "http://127.0.0.1:8000/public/invitations"
CURRENCIES = {"LT": "EUR", "LV": "EUR", "GE": "GEL", "AL": "ALL"}


# A row that belongs to one event (its ``event_id``): a participant, programme item, cost line...
Part = TypeVar("Part")
Row = TypeVar("Row")


def one_row(session: Session, model: type[Row], row_id: str, what: str, lock: bool = False) -> Row:
    """The ``what`` ``row_id``, locked for the transaction when asked; not found otherwise."""
    row = session.get(model, row_id, with_for_update=lock or None)
    if row is None:
        raise NotFound(f"No such {what}.")
    return row


class BookingConflict(Conflict):
    """A resource is already held for an overlapping time (409 naming each clash)."""

    def __init__(self, detail: str, found: Sequence[Booking], sentences: Sequence[str]) -> None:
        super().__init__(detail, field="resource_id", reason=sentences[0])
        self.clashes = list(found)
        self.sentences = list(sentences)


class EventUseCase(MunicipalUseCase):
    """The shared idiom of the use cases of an event and its parts."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        clock: Callable[[], datetime] = utcnow,
        answer_url: str = DEFAULT_ANSWER_URL,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        # The public page a guest answers their invitation on (the link's token appended).
        self.answer_url = answer_url.rstrip("/")
        self.currency = CURRENCIES.get(profile.country, "EUR")
        self.zone = ZoneInfo(profile.time_zone)

    def _event(
        self, session: Session, event_id: str, expected: int | None = None, lock: bool = False
    ) -> Event:
        event = one_row(session, Event, event_id, "event", lock)
        check_version("event", event.version, expected)
        return event

    def _new_part(
        self,
        session: Session,
        event: Event,
        model: Callable[..., Part],
        data: dict[str, Any],
        **fixed: Any,
    ) -> Part:
        """A new row of ``event`` from ``data`` and ``fixed`` values, with its id and creation
        time, flushed (its id is then in the history written next)."""
        part = model(id=new_id(), event_id=event.id, created_at=self._clock(), **fixed, **data)
        session.add(part)
        session.flush()
        return part

    @staticmethod
    def _part(
        session: Session,
        model: type[Part],
        part_id: str,
        event_id: str,
        what: str,
        lock: bool = False,
    ) -> Part:
        """The event's ``what`` ``part_id``: not found when there is none or it is another
        event's (an id from one event's page does not reach into another's)."""
        part = session.get(model, part_id, with_for_update=lock or None)
        if part is None or cast(Any, part).event_id != event_id:
            raise NotFound(f"The event has no such {what}.")
        return part

    def _event_facts(self, event: Event) -> dict[str, Any]:
        """The event as a message to one person names it: id, titles, time, zone, venue."""
        return {
            "event_id": event.id,
            "event_title": event.title,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "time_zone": self.profile.time_zone,
            "venue": event.venue,
        }

    def _history(
        self, session: Session, event: Event, actor: str, action: str, details: dict[str, Any]
    ) -> None:
        session.add(
            EventHistory(
                event_id=event.id, at=self._clock(), actor=actor, action=action, details=details
            )
        )

    def _announce_update(
        self,
        uow: UnitOfWork,
        event: Event,
        changes: list[str],
        correlation_id: str,
        invited: Sequence[Participant] = (),
    ) -> None:
        if event.status not in lifecycle.INVITED:
            return
        event.sequence += 1
        links = self._answer_links(invited)
        uow.session.flush()
        uow.emit(
            "event.updated",
            1,
            {
                **self._payload(uow.session, event),
                "changes": changes,
                "updated_at": self._clock(),
                "invited": [p.id for p in invited],
                "answer_urls": links,
            },
            correlation_id,
        )

    def _answer_links(self, participants: Sequence[Participant]) -> dict[str, str]:
        """A fresh answer link for each participant invited now (only its digest is kept)."""
        links = {}
        for participant in participants:
            token = secrets.token_urlsafe(32)
            participant.answer_token_hash = token_hash(token)
            links[participant.id] = f"{self.answer_url}/{token}"
        return links

    def _payload(self, session: Session, event: Event) -> dict[str, Any]:
        participants = participants_of(session, event.id)
        subjects: dict[str, str | None] = dict(
            session.execute(
                select(Official.id, Official.staff_subject).where(
                    Official.id.in_([p.official_id for p in participants if p.official_id])
                )
            ).all()
        )
        return {
            "event_id": event.id,
            "kind": event.kind,
            "protocol_level": event.protocol_level,
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "time_zone": self.profile.time_zone,
            "venue": event.venue,
            "department_code": event.department_code,
            "ical_uid": event.ical_uid,
            "sequence": event.sequence,
            "participants": [
                {
                    "participant_id": p.id,
                    "name": p.name,
                    "email": p.email,
                    "language": p.language,
                    "role": p.role,
                    "organisation": p.organisation,
                    "staff_subject": subjects.get(p.official_id or ""),
                }
                for p in participants
            ],
        }

    def _check_department(self, code: str) -> None:
        if self.profile.department(code) is None:
            raise InvalidInput(
                f"The municipality has no department {code}.",
                field="department_code",
                reason="unknown department",
            )

    def _text(self, texts: dict[str, str]) -> str:
        return pick_text(texts, self.profile.default_language)

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def _local(self, instant: datetime) -> str:
        """An instant as the municipality reads it: local date, time and zone."""
        return f"{instant.astimezone(self.zone):%Y-%m-%d %H:%M %Z}"

    def _check_free(
        self,
        session: Session,
        resource_id: str,
        starts_at: datetime,
        ends_at: datetime,
        ignore: Sequence[str] = (),
    ) -> Resource:
        """The resource, locked, if nothing but ``ignore`` holds it for the span (else 409)."""
        # Locking the resource row serialises every booking of this resource on PostgreSQL,
        # so two overlapping requests cannot both see "free" (SQLite writers queue anyway).
        resource = session.get(Resource, resource_id, with_for_update=True)
        if resource is None or not resource.active:
            raise InvalidInput(
                "No such resource (or it is no longer in use).",
                field="resource_id",
                reason="unknown resource",
            )
        found = clashes(
            live_bookings(session, resource_id, starts_at, ends_at, self.profile.default_language),
            resource_id,
            starts_at,
            ends_at,
            ignore,
        )
        if found:
            sentences = [describe_clash(resource.name, clash, self.zone) for clash in found]
            raise BookingConflict(" ".join(sentences), found, sentences)
        return resource

    def _book(
        self,
        session: Session,
        event: Event,
        resource_id: str,
        starts_at: datetime,
        ends_at: datetime,
        item: ProgrammeItem | None,
        actor: str,
    ) -> ResourceBooking:
        self._check_free(session, resource_id, starts_at, ends_at)
        booking = ResourceBooking(
            id=new_id(),
            resource_id=resource_id,
            event_id=event.id,
            item_id=item.id if item else None,
            starts_at=starts_at,
            ends_at=ends_at,
            booked_by=actor,
        )
        session.add(booking)
        session.flush()
        # Its answer names the resource, read after the session has closed.
        session.refresh(booking, ["resource"])
        return booking
