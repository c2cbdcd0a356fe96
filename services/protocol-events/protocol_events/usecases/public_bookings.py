"""Residents book reception slots themselves, from the public pages (no sign-in).

A request holds the slot as ``pending`` and sends the resident a link (by
e-mail, else SMS) that confirms it; a hold not confirmed within the hold time
expires and the slot is free again. Only the confirmation tells the official
(``appointment.booked``). The link's token opens the booking, its calendar
file and its cancellation; it is stored as a SHA-256 digest and travels only
in the message's secret field, which the relay and notifications forget once
delivered (decision 19).

Requests are counted per client and per contact in the database (every
worker sees the same counters; keys are digests); over a limit the request
is refused with a 429 naming when to try again. A contact has at most one
live booking (pending or booked, still ahead) with an official. What anyone
may read without a token is the officials' public names and positions and
their free slots, nothing of other residents.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, case, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chancery.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from chancery.ical import CalendarEntry, to_ics
from chancery.retention import PurgeRule
from protocol_events.adapters.models import Appointment, BookingCounter, Official
from protocol_events.domain.invitations import token_hash
from protocol_events.domain.slots import Slot, SlotPlan
from protocol_events.domain.texts import pick_text
from protocol_events.domain.visits import contact_key
from protocol_events.usecases.appointments import Appointments
from protocol_events.usecases.officials import Officials
from protocol_events.usecases.receptions import APPOINTMENT_SUMMARY, BookAppointment

# A declarative model's table is a Table (the stubs only promise a FromClause).
COUNTERS = cast(Table, BookingCounter.__table__)
PUBLIC_BOOKER = "public"
# A week view and a little more: residents look ahead week by week.
LONGEST_RANGE_DAYS = 31


@dataclass(frozen=True)
class BookingLimits:
    """Booking requests allowed within ``window``: per client (address) and per contact."""

    per_client: int = 10
    per_contact: int = 3
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class FreeSlots:
    """An official's free slots of a range and the reception days the office is closed."""

    slots: list[Slot]
    plan: SlotPlan


class PublicBookings:
    """The residents' side of reception hours."""

    def __init__(
        self,
        desk: Officials,
        appointments: Appointments,
        booking_url: str,
        hold: timedelta = timedelta(minutes=30),
        limits: BookingLimits | None = None,
    ) -> None:
        self.desk = desk
        self.appointments = appointments
        self.booking_url = booking_url.rstrip("/")
        self.hold = hold
        self.limits = limits or BookingLimits()

    def officials(self) -> list[Official]:
        """The active officials who hold reception hours, by name."""
        return [official for official, hours in self.desk.officials() if official.active and hours]

    def free_slots(self, official_id: str, first: date, last: date) -> FreeSlots:
        """The official's slots still free (and not begun) from ``first`` to ``last``."""
        if last < first or (last - first).days >= LONGEST_RANGE_DAYS:
            raise InvalidInput(
                f"Ask for at most {LONGEST_RANGE_DAYS} days, the end not before the start.",
                field="to",
                reason=f"0 to {LONGEST_RANGE_DAYS - 1} days after from",
            )
        self._active_official(official_id)
        plan, taken = self.desk.slots(official_id, first, last)
        now = self.appointments.now()
        return FreeSlots(
            [slot for slot in plan.slots if slot.starts_at not in taken and slot.starts_at > now],
            plan,
        )

    def request(self, command: BookAppointment, client: str, correlation_id: str) -> Appointment:
        """Hold the slot for the resident and send them the link that confirms it.

        The request is counted first, in its own transaction, so refused and failed
        requests count too.
        """
        key = contact_key(command.visitor)
        if key is None:
            raise InvalidInput(
                "Give an e-mail address or a phone number.",
                field="visitor.email",
                reason="no contact",
            )
        self._count(client, key)
        token = secrets.token_urlsafe(32)
        appointments = self.appointments
        with appointments.transaction() as uow:
            now = appointments.now()
            self._one_live_booking(uow.session, command.official_id, key, now)
            official, appointment = appointments.hold_slot(
                uow, command, PUBLIC_BOOKER, status="pending"
            )
            appointment.hold_expires_at = now + self.hold
            appointment.public_token_hash = token_hash(token)
            uow.emit(
                "appointment.confirmation_requested",
                1,
                {
                    **appointments.message_payload(official, appointment),
                    "confirmation_url": f"{self.booking_url}/{token}",
                    "expires_at": appointment.hold_expires_at,
                },
                correlation_id,
            )
            return appointment

    def booking(self, token: str) -> Appointment:
        """The booking the token opens (a hold past its time reads as expired)."""
        with self.appointments.transaction() as uow:
            return self._by_token(uow.session, token)

    def confirm(self, token: str, correlation_id: str) -> Appointment:
        """Confirm the held slot; the official is told now. Confirming twice changes nothing."""
        appointments = self.appointments
        with appointments.transaction() as uow:
            appointment = self._by_token(uow.session, token, lock=True)
            if appointment.status != "pending":
                if appointment.confirmed_at is not None:
                    return appointment
                raise Conflict(
                    f"The booking is {appointment.status}; only a booking waiting "
                    f"for its confirmation can be confirmed.",
                    field="status",
                    reason=f"{appointment.status}, not pending",
                )
            now = appointments.now()
            appointment.status, appointment.confirmed_at = "booked", now
            official = uow.session.get(Official, appointment.official_id)
            uow.session.flush()
            uow.emit(
                "appointment.booked",
                1,
                {
                    **appointments.message_payload(official, appointment),
                    "booked_by": PUBLIC_BOOKER,
                    "booked_at": now,
                },
                correlation_id,
            )
            return appointment

    def cancel(self, token: str, correlation_id: str) -> Appointment:
        """Cancel the booking and free its slot; a confirmed one is announced as cancelled."""
        appointments = self.appointments
        with appointments.transaction() as uow:
            appointment = self._by_token(uow.session, token, lock=True)
            if appointment.status not in ("pending", "booked"):
                raise Conflict(
                    f"The booking is {appointment.status}; it can no longer be cancelled.",
                    field="status",
                    reason=f"{appointment.status} cannot be cancelled",
                )
            was_confirmed = appointment.status == "booked"
            appointment.status = "cancelled"
            appointment.cancelled_reason = "cancelled by the resident"
            official = uow.session.get(Official, appointment.official_id)
            uow.session.flush()
            if was_confirmed:
                uow.emit(
                    "appointment.cancelled",
                    1,
                    {
                        **appointments.message_payload(official, appointment),
                        "reason": appointment.cancelled_reason,
                        "cancelled_by": PUBLIC_BOOKER,
                        "cancelled_at": appointments.now(),
                    },
                    correlation_id,
                )
            return appointment

    def calendar(self, token: str, language: str | None) -> bytes:
        """The confirmed booking as an iCalendar file, titled in ``language``."""
        appointment = self.booking(token)
        if appointment.status != "booked":
            raise Conflict(
                f"The booking is {appointment.status}; a calendar file is for a confirmed booking.",
                field="status",
                reason="not confirmed",
            )
        appointments = self.appointments
        official = appointment.official
        summary = pick_text(
            APPOINTMENT_SUMMARY,
            language or appointment.visitor_language,
            appointments.profile.default_language,
        )
        # The same UID as the confirmation e-mail's file: calendars keep one entry.
        entry = CalendarEntry(
            uid=f"appointment-{appointment.id}@{appointments.profile.code}.chancery",
            sequence=0,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            summary=f"{summary} — {official.name}",
            location=official.place,
            stamp=appointment.confirmed_at,
        )
        return to_ics([entry], name=official.name, time_zone=appointments.profile.time_zone)

    def _active_official(self, official_id: str) -> None:
        official, hours = self.desk.official(official_id)
        if not official.active or not hours:
            raise NotFound("No such official.")

    def _count(self, client: str, contact: str) -> None:
        limits = self.limits
        with self.appointments.transaction() as uow:
            now = self.appointments.now()
            waits = []
            for digest, limit in (
                (_digest("client", client), limits.per_client),
                (_digest("contact", contact), limits.per_contact),
            ):
                requests, window_ends_at = self._increment(uow.session, digest, now)
                if requests > limit:
                    waits.append(window_ends_at - now)
        if waits:
            seconds = max(1, math.ceil(max(waits).total_seconds()))
            raise TooManyRequests(
                f"Too many booking requests; try again in {math.ceil(seconds / 60)} minutes.",
                seconds,
            )

    def _increment(self, session: Session, digest: str, now: datetime) -> tuple[int, datetime]:
        """Count one request on the counter (one atomic upsert: workers may race)."""
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(COUNTERS).values(
            key=digest, requests=1, window_ends_at=now + self.limits.window
        )
        ended = COUNTERS.c.window_ends_at <= now
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "requests": case((ended, 1), else_=COUNTERS.c.requests + 1),
                    "window_ends_at": case(
                        (ended, statement.excluded.window_ends_at), else_=COUNTERS.c.window_ends_at
                    ),
                },
            )
        )
        row = session.execute(
            select(COUNTERS.c.requests, COUNTERS.c.window_ends_at).where(COUNTERS.c.key == digest)
        ).one()
        return row.requests, row.window_ends_at

    def _one_live_booking(
        self, session: Session, official_id: str, key: str, now: datetime
    ) -> None:
        # The official's row is locked by hold_slot only after this read, so lock it first:
        # two requests of one contact cannot both see no live booking.
        session.get(Official, official_id, with_for_update=True)
        live = session.scalar(
            select(Appointment.id).where(
                Appointment.official_id == official_id,
                Appointment.contact_key == key,
                Appointment.starts_at > now,
                or_(
                    Appointment.status == "booked",
                    (Appointment.status == "pending") & (Appointment.hold_expires_at > now),
                ),
            )
        )
        if live:
            raise Conflict(
                "This e-mail address or phone number already has a booking with "
                "this official that is still ahead; cancel it from the link you "
                "were sent before booking another time.",
                field="visitor",
                reason="one live booking per contact and official",
            )

    def _by_token(self, session: Session, token: str, lock: bool = False) -> Appointment:
        """The booking the token opens, a hold past its time expired first."""
        query = select(Appointment).where(Appointment.public_token_hash == token_hash(token))
        appointment = session.scalar(query.with_for_update() if lock else query)
        if appointment is None:
            raise NotFound("No such booking.")
        if (
            appointment.status == "pending"
            and appointment.hold_expires_at is not None
            and appointment.hold_expires_at <= self.appointments.now()
        ):
            appointment.status = "expired"
        return appointment


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def ended_counters() -> PurgeRule:
    """The purge of booking counters whose window has ended (they refuse nobody any more)."""
    return PurgeRule(
        "booking_counters",
        timedelta(0),
        lambda cutoff: delete(COUNTERS).where(COUNTERS.c.window_ends_at < cutoff),
    )


def public_official(official: Official) -> dict[str, Any]:
    """What anyone may read of an official: the id to ask for slots, name, position, place."""
    return {
        "id": official.id,
        "name": official.name,
        "position": official.position,
        "place": official.place,
    }
