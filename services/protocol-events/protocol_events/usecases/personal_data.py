"""What protocol-events holds about a person, erasing and restricting it (people's rights,
decision 60).

A resident appears as the visitor of a reception appointment (with its
visitor log), a guest as an event's participant, a journalist as an
accreditation. Erasing empties a past appointment's visitor and topic (the
slot, official, status and log of who came stay, without a name) and an
accreditation's journalist; an upcoming booking is kept until it is
cancelled or held, and a participant as part of the event's record.
Restricting (GDPR Art. 18) marks a past or cancelled appointment: it is only
stored, left out of lists and the visitor log (but the data protection
officer's) and never handed to intake; an upcoming booking goes on as the
resident booked it, and events' guest lists and accreditations serve the
municipality's public task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.personal_data import ERASED_TEXT, PROCESSING_GOES_ON, Person, ended, outcome, record
from chancery.retention import PurgeRule, pseudonymised
from chancery.shapes import same_named
from protocol_events.adapters.models import (
    Accreditation,
    Appointment,
    Event,
    Participant,
    VisitEntry,
)
from protocol_events.usecases import Part

KEEP_UPCOMING = "An upcoming booking: kept until it is held or cancelled."
KEEP_GUEST_LIST = (
    "Part of the event's record (its guest list in protocol order), kept for "
    "the event's case file retention in the file plan."
)
# What a subject-access record shows of each row, in this order.
APPOINTMENT_FIELDS = (
    "visitor_name",
    "visitor_email",
    "visitor_phone",
    "topic",
    "official",
    "starts_at",
    "status",
    "registration_number",
    "restricted_at",
    "visits",
)
PARTICIPANT_FIELDS = (
    "name",
    "email",
    "role",
    "organisation",
    "event_starts_at",
    "answer",
    "answered_at",
)
ACCREDITATION_FIELDS = ("journalist", "outlet", "email", "phone", "status")


def gather(session: Session, person: Person) -> list[dict[str, Any]]:
    """The person's appointments (with their visits), participations and accreditations."""
    records = []
    for appointment in _appointments(session, person):
        visits = [
            {"action": entry.action, "at": entry.at.isoformat()}
            for entry in session.scalars(
                select(VisitEntry)
                .where(VisitEntry.appointment_id == appointment.id)
                .order_by(VisitEntry.at)
            )
        ]
        records.append(
            record(
                "appointment",
                _reference(appointment),
                same_named(
                    appointment,
                    APPOINTMENT_FIELDS,
                    official=appointment.official.name,
                    visits=visits,
                ),
            )
        )
    for participant, event in _participations(session, person):
        records.append(
            record(
                "participant",
                _event_reference(event),
                same_named(participant, PARTICIPANT_FIELDS, event_starts_at=event.starts_at),
            )
        )
    for accreditation, event in _accreditations(session, person):
        records.append(
            record(
                "accreditation",
                _event_reference(event),
                same_named(accreditation, ACCREDITATION_FIELDS),
            )
        )
    return records


def erase(session: Session, person: Person, now: datetime) -> list[dict[str, Any]]:
    """Erase past appointments' visitors and accreditations; keep what must stay, saying why."""
    outcomes: list[dict[str, Any]] = []
    for appointment, reference in _past_appointments(session, person, now, outcomes):
        appointment.visitor_name = appointment.topic = ERASED_TEXT
        appointment.visitor_email = appointment.visitor_phone = None
        outcomes.append(outcome("appointment", reference, True))
    outcomes += [
        outcome("participant", _event_reference(event), False, KEEP_GUEST_LIST)
        for _, event in _participations(session, person)
    ]
    for accreditation, event in _accreditations(session, person):
        accreditation.journalist = ERASED_TEXT
        accreditation.email = accreditation.phone = None
        outcomes.append(outcome("accreditation", _event_reference(event), True))
    return outcomes


def restrict(session: Session, person: Person, now: datetime) -> list[dict[str, Any]]:
    """Mark past and cancelled appointments restricted; say why the rest goes on."""
    outcomes: list[dict[str, Any]] = []
    for appointment, reference in _past_appointments(session, person, now, outcomes):
        appointment.restricted_at = appointment.restricted_at or now
        outcomes.append(outcome("appointment", reference, True, action="restrict"))
    outcomes += [
        outcome("participant", _event_reference(event), False, PROCESSING_GOES_ON, "restrict")
        for _, event in _participations(session, person)
    ]
    outcomes += [
        outcome("accreditation", _event_reference(event), False, PROCESSING_GOES_ON, "restrict")
        for _, event in _accreditations(session, person)
    ]
    return outcomes


def _past_appointments(
    session: Session, person: Person, now: datetime, outcomes: list[dict[str, Any]]
) -> Iterator[tuple[Appointment, str]]:
    """The person's past and cancelled appointments; an upcoming one goes on as booked
    (until it is held or cancelled)."""
    return ended(
        _appointments(session, person),
        "appointment",
        _reference,
        lambda appointment: appointment.status != "cancelled" and appointment.starts_at > now,
        KEEP_UPCOMING,
        outcomes,
    )


def _reference(appointment: Appointment) -> str:
    return f"{appointment.starts_at.isoformat()} {appointment.official.name}"


def _event_reference(event: Event) -> str:
    title = next(iter(event.title.values()), "") if event.title else ""
    return f"{event.starts_at.date().isoformat()} {title}"


def _appointments(session: Session, person: Person) -> list[Appointment]:
    return [
        appointment
        for appointment in session.scalars(select(Appointment).order_by(Appointment.starts_at))
        if person.matches(
            appointment.visitor_name, appointment.visitor_email, appointment.visitor_phone
        )
    ]


def _participations(session: Session, person: Person) -> list[tuple[Participant, Event]]:
    return _matched_with_event(session, Participant, lambda p: person.matches(p.name, p.email))


def _accreditations(session: Session, person: Person) -> list[tuple[Accreditation, Event]]:
    return _matched_with_event(
        session, Accreditation, lambda a: person.matches(a.journalist, a.email, a.phone)
    )


def _matched_with_event(
    session: Session, model: type[Part], matches: Callable[[Part], bool]
) -> list[tuple[Part, Event]]:
    """The rows of ``model`` that ``matches``, each with its event, the earliest event first."""
    rows = session.execute(
        select(model, Event)
        .join(Event, Event.id == cast(Any, model).event_id)
        .order_by(Event.starts_at)
    )
    return [(row, event) for row, event in rows.tuples() if matches(row)]


def pseudonymised_visitors(keep: timedelta) -> PurgeRule:
    """Visitors of appointments that ended ``keep`` ago become ``visitor <id>``; no contact.

    The slot, official, status and visitor log stay for the statistics of
    reception hours; who came and why does not.
    """
    return pseudonymised(
        "pseudonymised_visitors",
        keep,
        Appointment,
        lambda cutoff: Appointment.ends_at < cutoff,
        "visitor_name",
        "visitor",
        visitor_email=None,
        visitor_phone=None,
        topic=ERASED_TEXT,
    )
