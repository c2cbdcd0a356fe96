"""Reception hours: officials, their weekly hours, slots, residents' bookings and the visitor log.

``ReceptionUseCase`` is what the officials' and the appointments' use cases share (the
profile's calendar, the clock, an official's slots, the facts an ``appointment.*`` message
carries); ``usecases/officials.py`` and ``usecases/appointments.py`` hold their own.

A slot is computed (``slots.generate_slots``), never stored; an appointment
holds it, and a partial unique index on (official, start) over live
appointments makes a second booking of the same slot fail in the database
however the requests race.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, not_
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.db import UnitOfWork
from chancery.declared_days import CalendarSource
from chancery.errors import Conflict, InvalidInput
from chancery.keyset import Ordering
from chancery.profiles import Profile
from chancery.usecase import MunicipalUseCase
from protocol_events.adapters.models import (
    CALENDAR_DAYS,
    Appointment,
    Official,
    ReceptionHours,
)
from protocol_events.adapters.repositories import rows_where
from protocol_events.domain.slots import DayPeriods, ReceptionWindow, Slot, generate_slots
from protocol_events.usecases import one_row

# A feed entry for a booked visit: no resident's name or topic, in the reader's language.
APPOINTMENT_SUMMARY = {
    "lt": "Gyventojų priėmimas: vizitas",
    "lv": "Apmeklētāju pieņemšana: vizīte",
    "ka": "მოქალაქეთა მიღება: ვიზიტი",
    "sq": "Pritja e qytetarëve: takim",
    "en": "Reception hours: appointment",
}
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=366)


@dataclass(frozen=True)
class BookAppointment:
    """A clerk's or department system's booking of a slot for a resident."""

    official_id: str
    starts_at: datetime
    topic: str
    visitor: dict[str, Any]


IN_TIME_ORDER = (Ordering(Appointment.starts_at), Ordering(Appointment.id))


@dataclass(frozen=True)
class AppointmentFilters:
    """Which appointments a list shows."""

    official_id: str | None = None
    day: date | None = None
    status: str | None = None


class ReceptionUseCase(MunicipalUseCase):
    """Officials' reception hours and the residents who come to them: the shared part."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        reminder_hours: int = 24,
        horizon_days: int = 120,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        # The calendar of the moment (profile + declared days) is read per computation.
        self.calendars = CalendarSource(profile, CALENDAR_DAYS)
        self.zone = ZoneInfo(profile.time_zone)
        self.reminder_hours = reminder_hours
        self.horizon = timedelta(days=horizon_days)

    def message_payload(self, official: Official, appointment: Appointment) -> dict[str, Any]:
        """The facts every ``appointment.*`` message carries."""
        return {
            "appointment_id": appointment.id,
            "official_id": official.id,
            "official_name": official.name,
            "official_subject": official.staff_subject,
            "official_position": official.position,
            "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at,
            "time_zone": self.profile.time_zone,
            "place": official.place,
            "topic": appointment.topic,
            "visitor": {
                "name": appointment.visitor_name,
                "email": appointment.visitor_email,
                "phone": appointment.visitor_phone,
                "language": appointment.visitor_language,
            },
        }

    @staticmethod
    def _official(session: Session, official_id: str, lock: bool = False) -> Official:
        # Locked while booking: one booking per official at a time sees the live ones.
        return one_row(session, Official, official_id, "official", lock)

    @staticmethod
    def _appointment(session: Session, appointment_id: str, lock: bool = False) -> Appointment:
        return one_row(session, Appointment, appointment_id, "appointment", lock)

    @staticmethod
    def _hours(session: Session, official_id: str) -> list[ReceptionHours]:
        return rows_where(
            session,
            ReceptionHours,
            ReceptionHours.official_id == official_id,
            ReceptionHours.weekday,
            ReceptionHours.start,
        )

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def _slot(self, session: Session, official_id: str, starts_at: datetime) -> Slot:
        day = starts_at.astimezone(self.zone).date()
        windows = [window_of(h) for h in self._hours(session, official_id)]
        plan = generate_slots(DayPeriods(self.calendars.current(session)), windows, day, day)
        slot = next((s for s in plan.slots if s.starts_at == starts_at), None)
        if slot is None:
            why = (
                f"the office is closed that day ({plan.closed_days[0][1]})"
                if plan.closed_days
                else "it is not one of the official's slots"
            )
            raise InvalidInput(
                f"No reception slot starts at "
                f"{starts_at.astimezone(self.zone).isoformat()}: {why}.",
                field="starts_at",
                reason="not a reception slot",
            )
        return slot

    @staticmethod
    def _taken(starts_at: datetime, zone: ZoneInfo) -> Conflict:
        return Conflict(
            f"The slot at {starts_at.astimezone(zone).isoformat()} is already booked.",
            field="starts_at",
            reason="slot already booked",
        )


def holds_its_slot(now: datetime) -> Any:
    """The condition of an appointment that keeps its slot: not cancelled, not expired,
    not a resident's hold whose time is up."""
    return and_(Appointment.status.not_in(("cancelled", "expired")), not_(hold_ended(now)))


def hold_ended(now: datetime) -> Any:
    """The condition of a resident's hold whose time is up."""
    return and_(Appointment.status == "pending", Appointment.hold_expires_at <= now)


def window_of(row: ReceptionHours) -> ReceptionWindow:
    """A stored weekly window as the slot rules read it."""
    return ReceptionWindow(
        row.weekday, row.start, row.end, row.slot_minutes, row.valid_from, row.valid_until
    )


def visitors_of(appointments: list[Appointment]) -> dict[str, str | None]:
    """Whose data each appointment holds, for the audit: the visitor's e-mail, else name."""
    return {a.id: a.visitor_email or a.visitor_name for a in appointments}
