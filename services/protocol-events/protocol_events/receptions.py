"""Reception hours: officials, their weekly hours, slots, residents' bookings and the visitor log.

A slot is computed (``slots.generate_slots``), never stored; an appointment
holds it, and a partial unique index on (official, start) over live
appointments makes a second booking of the same slot fail in the database
however the requests race.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.declared_days import CalendarSource, store_declared
from chancery.errors import Conflict, InvalidInput, NotFound
from chancery.ical import CalendarEntry, to_ics
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    create_once,
)
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.profiles import Profile
from protocol_events.models import (
    CALENDAR_DAYS,
    Appointment,
    Event,
    Official,
    Participant,
    ReceptionHours,
    VisitEntry,
)
from protocol_events.services import calendar_entry, pick_text
from protocol_events.slots import DayPeriods, ReceptionWindow, Slot, SlotPlan, generate_slots

# The appointment's life as the visitor log records it.
VISIT_MOVES: dict[str, tuple[str, ...]] = {
    "booked": ("arrived", "no_show", "cancelled"),
    "arrived": ("seen", "left"),
    "seen": ("left",),
    "left": (),
    "no_show": (),
    "cancelled": (),
}
# A resident may be let in a little early; nobody counts as absent before the slot begins.
ARRIVAL_MARGIN = timedelta(minutes=15)
LIVE = ("booked", "arrived", "seen", "left", "no_show")
# A feed entry for a booked visit: no resident's name or topic, in the reader's language.
APPOINTMENT_SUMMARY = {
    "lt": "Gyventojų priėmimas: vizitas", "lv": "Apmeklētāju pieņemšana: vizīte",
    "ka": "მოქალაქეთა მიღება: ვიზიტი", "sq": "Pritja e qytetarëve: takim",
    "en": "Reception hours: appointment"}
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=366)


@dataclass(frozen=True)
class BookAppointment:
    """A clerk's or department system's booking of a slot for a resident."""

    official_id: str
    starts_at: datetime
    topic: str
    visitor: dict[str, Any]


_IN_TIME_ORDER = (Ordering(Appointment.starts_at), Ordering(Appointment.id))


@dataclass(frozen=True)
class AppointmentFilters:
    """Which appointments a list shows."""

    official_id: str | None = None
    day: date | None = None
    status: str | None = None


def token_hash(token: str) -> str:
    """The stored form of a feed token (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Receptions:
    """Officials' reception hours and the residents who come to them."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 reminder_hours: int = 24, horizon_days: int = 120,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self.profile = profile
        # The calendar of the moment (profile + declared days) is read per computation.
        self.calendars = CalendarSource(profile, CALENDAR_DAYS)
        self.zone = ZoneInfo(profile.time_zone)
        self.reminder_hours = reminder_hours
        self.horizon = timedelta(days=horizon_days)
        self._clock = clock

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """A unit of work committed when the block ends without error."""
        with self._uow() as uow:
            yield uow
            uow.commit()

    # Officials -------------------------------------------------------------------------

    def create_official(self, data: dict[str, Any]) -> Official:
        """Add an official who holds reception hours."""
        with self.transaction() as uow:
            official = Official(id=new_id(), active=True, **data)
            uow.session.add(official)
            return official

    def update_official(self, official_id: str, data: dict[str, Any]) -> Official:
        """Change an official's name, position, subject, place, contact or activity."""
        with self.transaction() as uow:
            official = self._official(uow.session, official_id)
            for name, value in data.items():
                setattr(official, name, value)
            return official

    def officials(self) -> list[tuple[Official, list[ReceptionHours]]]:
        """Every official with their weekly hours."""
        with self._uow() as uow:
            officials = list(uow.session.scalars(select(Official).order_by(Official.name)))
            hours = list(uow.session.scalars(select(ReceptionHours).order_by(
                ReceptionHours.weekday, ReceptionHours.start)))
        return [(o, [h for h in hours if h.official_id == o.id]) for o in officials]

    def official(self, official_id: str) -> tuple[Official, list[ReceptionHours]]:
        """One official with their weekly hours."""
        with self._uow() as uow:
            return self._official(uow.session, official_id), self._hours(uow.session,
                                                                         official_id)

    def set_hours(self, official_id: str, windows: Sequence[dict[str, Any]]
                  ) -> list[ReceptionHours]:
        """Replace the official's weekly reception hours (booked appointments stay)."""
        checked = []
        for index, window in enumerate(windows):
            try:
                checked.append(ReceptionWindow(**window))
            except ValueError as exc:
                raise InvalidInput(str(exc), field=f"hours[{index}]", reason=str(exc)) from exc
        with self.transaction() as uow:
            self._official(uow.session, official_id)
            for old in self._hours(uow.session, official_id):
                uow.session.delete(old)
            uow.session.flush()
            rows = [ReceptionHours(id=new_id(), official_id=official_id, weekday=w.weekday,
                                   start=w.start, end=w.end, slot_minutes=w.slot_minutes,
                                   valid_from=w.valid_from, valid_until=w.valid_until)
                    for w in checked]
            uow.session.add_all(rows)
            return rows

    def slots(self, official_id: str, first: date, last: date
              ) -> tuple[SlotPlan, dict[datetime, str]]:
        """The official's slots from ``first`` to ``last`` and which are taken (start → status)."""
        if last < first or (last - first).days > 92:
            raise InvalidInput("Ask for at most 93 days, the end not before the start.",
                               field="to", reason="0 to 92 days after from")
        with self._uow() as uow:
            self._official(uow.session, official_id)
            windows = [_window(h) for h in self._hours(uow.session, official_id)]
            taken = dict(uow.session.execute(select(Appointment.starts_at, Appointment.status)
                                             .where(Appointment.official_id == official_id,
                                                    Appointment.status != "cancelled",
                                                    Appointment.starts_at >= self._midnight(first),
                                                    Appointment.starts_at < self._midnight(
                                                        last + timedelta(days=1)))).all())
            days = DayPeriods(self.calendars.current(uow.session))
        return generate_slots(days, windows, first, last), taken

    # Appointments ----------------------------------------------------------------------

    def book(self, command: BookAppointment, principal: Principal, correlation_id: str,
             idempotent: IdempotentRequest | None,
             respond: Callable[[Appointment], StoredResponse]) -> StoredResponse:
        """Book a slot for a resident and announce it; a taken slot is a 409.

        With an idempotency key a repeated request returns the first answer and
        books nothing; the booking, its message and the remembered answer commit
        together.
        """
        try:
            return create_once(self._uow, idempotent,
                               lambda uow: self._book(uow, command, principal, correlation_id),
                               respond)
        except IntegrityError:
            # Not our own key's first answer: the slot's unique index refused a second holder.
            raise self._taken(command.starts_at, self.zone) from None

    def _book(self, uow: UnitOfWork, command: BookAppointment, principal: Principal,
              correlation_id: str) -> Appointment:
        official = self._official(uow.session, command.official_id)
        if not official.active:
            raise InvalidInput("The official no longer holds reception hours.",
                               field="official_id", reason="inactive official")
        now = self._clock()
        if command.starts_at <= now:
            raise InvalidInput("The slot has already begun.", field="starts_at",
                               reason="in the past")
        if command.starts_at > now + self.horizon:
            raise InvalidInput(f"Bookings open {self.horizon.days} days ahead.",
                               field="starts_at", reason="beyond the booking horizon")
        slot = self._slot(uow.session, command.official_id, command.starts_at)
        if uow.session.scalar(select(Appointment.id).where(
                Appointment.official_id == official.id, Appointment.starts_at == slot.starts_at,
                Appointment.status != "cancelled")):
            raise self._taken(slot.starts_at, self.zone)
        visitor = command.visitor
        appointment = Appointment(
            id=new_id(), official_id=official.id, starts_at=slot.starts_at,
            ends_at=slot.ends_at, topic=command.topic, visitor_name=visitor["name"],
            visitor_email=visitor.get("email"), visitor_phone=visitor.get("phone"),
            visitor_language=visitor.get("language"), status="booked",
            booked_by=principal.subject, booked_at=now)
        uow.session.add(appointment)
        uow.session.flush()
        # Its answer names the official, read after the session has closed.
        uow.session.refresh(appointment, ["official"])
        uow.emit("appointment.booked", 1, {**self._payload(official, appointment),
                                           "booked_by": principal.subject, "booked_at": now},
                 correlation_id)
        return appointment

    def cancel(self, appointment_id: str, reason: str, principal: Principal,
               correlation_id: str) -> Appointment:
        """Cancel a booking (the slot is free again) and tell the resident and the official."""
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            self._check_move(appointment, "cancelled")
            appointment.status = "cancelled"
            appointment.cancelled_reason = reason
            official = uow.session.get(Official, appointment.official_id)
            uow.session.flush()
            uow.emit("appointment.cancelled", 1, {
                **self._payload(official, appointment), "reason": reason,
                "cancelled_by": principal.subject, "cancelled_at": self._clock()},
                correlation_id)
            return appointment

    def log_visit(self, appointment_id: str, action: str, principal: Principal) -> Appointment:
        """Note that the resident arrived, was seen, left, or did not come."""
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            self._check_move(appointment, action)
            self._check_time_of_visit(appointment, action)
            appointment.status = action
            uow.session.add(VisitEntry(appointment_id=appointment.id, action=action,
                                       at=self._clock(), recorded_by=principal.subject))
            return appointment

    def appointment(self, appointment_id: str, principal: Principal
                    ) -> tuple[Appointment, list[VisitEntry]]:
        """One appointment with the visitor's contacts and log (the read is audited)."""
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id)
            log = list(uow.session.scalars(select(VisitEntry).where(
                VisitEntry.appointment_id == appointment_id).order_by(VisitEntry.id)))
            record_access(uow.session, uow.tables.audit, principal, "read", "appointment",
                          [appointment.id], _visitors([appointment]))
            return appointment, log

    def appointments(self, filters: AppointmentFilters, principal: Principal,
                     page: PageRequest) -> Page[Appointment]:
        """A page of appointments in time order (the read of visitors' contacts on the
        page is audited)."""
        query = select(Appointment)
        if filters.official_id:
            query = query.where(Appointment.official_id == filters.official_id)
        if filters.status:
            query = query.where(Appointment.status == filters.status)
        if filters.day:
            query = query.where(Appointment.starts_at >= self._midnight(filters.day),
                                Appointment.starts_at < self._midnight(
                                    filters.day + timedelta(days=1)))
        with self.transaction() as uow:
            found = fetch_page(uow.session, query, _IN_TIME_ORDER, page)
            record_access(uow.session, uow.tables.audit, principal, "list", "appointment",
                          [a.id for a in found.items], _visitors(found.items))
            return found

    def visitor_log(self, day: date, principal: Principal
                    ) -> list[tuple[VisitEntry, Appointment]]:
        """Who came when on ``day`` (the read is audited)."""
        with self.transaction() as uow:
            rows = [(entry, appointment) for entry, appointment in uow.session.execute(
                select(VisitEntry, Appointment)
                .join(Appointment, Appointment.id == VisitEntry.appointment_id)
                .where(VisitEntry.at >= self._midnight(day),
                       VisitEntry.at < self._midnight(day + timedelta(days=1)))
                .order_by(VisitEntry.at, VisitEntry.id)).all()]
            record_access(uow.session, uow.tables.audit, principal, "read", "visitor_log",
                          sorted({a.id for _, a in rows}), _visitors([a for _, a in rows]))
            return rows

    @staticmethod
    def day_declared(uow: UnitOfWork, declared: dict[str, Any]) -> None:
        """Keep routing's declared day: reception slots follow it from now on."""
        store_declared(uow.session, CALENDAR_DAYS, declared["day"], declared["working"],
                       declared["reason"], declared["decree"], declared["hours_of"],
                       declared["declared_by"], declared["declared_at"])

    @staticmethod
    def letter_registered(uow: UnitOfWork, source_reference: str, letter_id: str,
                          registration_number: str) -> None:
        """Note the letter intake registered from a hand-over (other letters are not ours)."""
        appointment = uow.session.scalars(select(Appointment).where(
            Appointment.intake_key == source_reference)).first()
        if appointment is not None:
            appointment.letter_id = letter_id
            appointment.registration_number = registration_number

    def hand_to_intake(self, appointment_id: str, kind: str, subject: str | None,
                       principal: Principal, correlation_id: str) -> Appointment:
        """Send the resident's topic to intake as a letter (``letter.submitted``), once.

        The idempotency key is derived from the appointment, so even a repeated
        command registers one letter; a second hand-over changes nothing.
        """
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            if appointment.status == "cancelled":
                raise Conflict("A cancelled appointment cannot be handed to intake.",
                               field="status", reason="cancelled")
            if appointment.handed_to_intake_at is not None:
                return appointment
            official = uow.session.get(Official, appointment.official_id)
            now = self._clock()
            key = f"protocol-events:appointment:{appointment.id}"
            uow.emit("letter.submitted", 1, {
                "idempotency_key": key, "kind": kind, "channel": "in_person",
                "language": appointment.visitor_language or self.profile.default_language,
                "subject": (subject or appointment.topic)[:500],
                "summary": appointment.topic,
                "addressee": {"kind": official.addressee_kind, "name": official.name},
                "sender": {"type": "person", "name": appointment.visitor_name,
                           "email": appointment.visitor_email,
                           "phone": appointment.visitor_phone,
                           "preferred_language": appointment.visitor_language},
                "received_at": now}, correlation_id)
            appointment.handed_to_intake_at, appointment.intake_key = now, key
            appointment.handed_over_by = principal.subject
            return appointment

    def send_reminders(self, correlation_id: str) -> int:
        """Publish ``appointment.reminder_due`` once for every booking within the lead time."""
        now = self._clock()
        with self.transaction() as uow:
            due = list(uow.session.scalars(
                select(Appointment).where(
                    Appointment.status == "booked", Appointment.reminder_sent_at.is_(None),
                    Appointment.starts_at > now,
                    Appointment.starts_at <= now + timedelta(hours=self.reminder_hours))
                .order_by(Appointment.starts_at).limit(500)
                # Two workers never remind twice: each takes rows the other has not locked.
                .with_for_update(skip_locked=True)))
            officials = {o.id: o for o in uow.session.scalars(select(Official).where(
                Official.id.in_({a.official_id for a in due})))}
            for appointment in due:
                appointment.reminder_sent_at = now
                uow.emit("appointment.reminder_due", 1, {
                    **self._payload(officials[appointment.official_id], appointment),
                    "hours_before": self.reminder_hours}, correlation_id)
            return len(due)

    # The official's calendar feed --------------------------------------------------------

    def issue_feed_token(self, official_id: str) -> str:
        """A new secret feed token for the official (the previous one stops working)."""
        token = secrets.token_urlsafe(32)
        with self.transaction() as uow:
            official = self._official(uow.session, official_id)
            official.feed_token_hash = token_hash(token)
        return token

    def feed(self, token: str, language: str | None = None) -> bytes:
        """The official's events and reception appointments as a subscribable calendar, in
        ``language`` (else the municipality's; each text falls back along that chain).

        The feed URL is a bearer secret, so appointments show no resident's name
        or contacts: the official reads those in the application.
        """
        now = self._clock()
        with self._uow() as uow:
            official = uow.session.scalar(select(Official).where(
                Official.feed_token_hash == token_hash(token)))
            if official is None:
                raise NotFound("No such feed.")
            events = list(uow.session.scalars(
                select(Event).join(Participant, Participant.event_id == Event.id)
                .where(Participant.official_id == official.id, Event.status != "draft",
                       Event.ends_at >= now - FEED_PAST, Event.starts_at <= now + FEED_FUTURE)
                .order_by(Event.starts_at).distinct()))
            appointments = list(uow.session.scalars(select(Appointment).where(
                Appointment.official_id == official.id,
                or_(Appointment.status == "booked", Appointment.status == "arrived",
                    Appointment.status == "seen", Appointment.status == "left"),
                Appointment.starts_at >= now - FEED_PAST,
                Appointment.starts_at <= now + FEED_FUTURE).order_by(Appointment.starts_at)))
        languages = (language, self.profile.default_language)
        entries = [calendar_entry(event, [], *languages) for event in events]
        summary = pick_text(APPOINTMENT_SUMMARY, *languages)
        entries += [CalendarEntry(uid=f"{a.id}@{self.profile.code}.chancery", sequence=0,
                                  starts_at=a.starts_at, ends_at=a.ends_at, summary=summary,
                                  location=official.place, stamp=a.booked_at)
                    for a in appointments]
        return to_ics(entries, name=official.name, time_zone=self.profile.time_zone)

    # Internals -------------------------------------------------------------------------

    def _slot(self, session: Session, official_id: str, starts_at: datetime) -> Slot:
        day = starts_at.astimezone(self.zone).date()
        windows = [_window(h) for h in self._hours(session, official_id)]
        plan = generate_slots(DayPeriods(self.calendars.current(session)), windows, day, day)
        slot = next((s for s in plan.slots if s.starts_at == starts_at), None)
        if slot is None:
            why = (f"the office is closed that day ({plan.closed_days[0][1]})"
                   if plan.closed_days else "it is not one of the official's slots")
            raise InvalidInput(f"No reception slot starts at "
                               f"{starts_at.astimezone(self.zone).isoformat()}: {why}.",
                               field="starts_at", reason="not a reception slot")
        return slot

    @staticmethod
    def _taken(starts_at: datetime, zone: ZoneInfo) -> Conflict:
        return Conflict(f"The slot at {starts_at.astimezone(zone).isoformat()} is already booked.",
                        field="starts_at", reason="slot already booked")

    @staticmethod
    def _check_move(appointment: Appointment, target: str) -> None:
        allowed = VISIT_MOVES.get(appointment.status, ())
        if target not in allowed:
            possible = ", ".join(allowed) or "nothing (it is final)"
            raise Conflict(f"The appointment is {appointment.status}; it cannot become "
                           f"{target}. It can become: {possible}.", field="status",
                           reason=f"{appointment.status} → {target} is not allowed")

    def _check_time_of_visit(self, appointment: Appointment, action: str) -> None:
        """Nobody can be absent from a slot that has not begun, nor have come hours early."""
        earliest = {"arrived": ARRIVAL_MARGIN, "no_show": timedelta(0)}.get(action)
        if earliest is None:
            return
        starts_at = appointment.starts_at
        if self._clock() < starts_at - earliest:
            local = starts_at.astimezone(ZoneInfo(self.profile.time_zone))
            when = "the slot starts" if action == "no_show" else (
                f"{int(ARRIVAL_MARGIN.total_seconds() // 60)} minutes before the slot")
            raise Conflict(f"The appointment is at {local:%Y-%m-%d %H:%M} ({local:%Z}); "
                           f"{action} can be recorded from {when}.", field="action",
                           reason=f"{action} before {when}")

    def _payload(self, official: Official, appointment: Appointment) -> dict[str, Any]:
        return {
            "appointment_id": appointment.id, "official_id": official.id,
            "official_name": official.name, "official_subject": official.staff_subject,
            "official_position": official.position, "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at, "time_zone": self.profile.time_zone,
            "place": official.place, "topic": appointment.topic,
            "visitor": {"name": appointment.visitor_name, "email": appointment.visitor_email,
                        "phone": appointment.visitor_phone,
                        "language": appointment.visitor_language},
        }

    @staticmethod
    def _official(session: Session, official_id: str) -> Official:
        official = session.get(Official, official_id)
        if official is None:
            raise NotFound("No such official.")
        return official

    @staticmethod
    def _appointment(session: Session, appointment_id: str, lock: bool = False) -> Appointment:
        appointment = session.get(Appointment, appointment_id, with_for_update=lock or None)
        if appointment is None:
            raise NotFound("No such appointment.")
        return appointment

    @staticmethod
    def _hours(session: Session, official_id: str) -> list[ReceptionHours]:
        return list(session.scalars(select(ReceptionHours).where(
            ReceptionHours.official_id == official_id).order_by(ReceptionHours.weekday,
                                                                ReceptionHours.start)))

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)


def _window(row: ReceptionHours) -> ReceptionWindow:
    return ReceptionWindow(row.weekday, row.start, row.end, row.slot_minutes, row.valid_from,
                           row.valid_until)


def _visitors(appointments: list[Appointment]) -> dict[str, str | None]:
    """Whose data each appointment holds, for the audit: the visitor's e-mail, else name."""
    return {a.id: a.visitor_email or a.visitor_name for a in appointments}
