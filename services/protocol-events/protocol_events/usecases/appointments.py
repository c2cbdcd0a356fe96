"""Residents' appointments in reception hours: booked by staff, cancelled, the visitor log,
reminders and the hand-over of a topic to intake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from chancery.audit import record_access
from chancery.audited import record_reads
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    create_once,
)
from chancery.keyset import fetch_page
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from protocol_events.adapters.models import (
    Appointment,
    Official,
    VisitEntry,
)
from protocol_events.adapters.repositories import rows_where
from protocol_events.domain.visits import APPOINTMENT, ARRIVAL_MARGIN, contact_key
from protocol_events.permissions import RESTRICTED_READERS
from protocol_events.usecases.receptions import (
    IN_TIME_ORDER,
    AppointmentFilters,
    BookAppointment,
    ReceptionUseCase,
    hold_ended,
    holds_its_slot,
    visitors_of,
)


class Appointments(ReceptionUseCase):
    """Bookings of reception slots and what happens to them."""

    def book(
        self,
        command: BookAppointment,
        principal: Principal,
        correlation_id: str,
        idempotent: IdempotentRequest | None,
        respond: Callable[[Appointment], StoredResponse],
    ) -> StoredResponse:
        """Book a slot for a resident and announce it; a taken slot is a 409.

        With an idempotency key a repeated request returns the first answer and
        books nothing; the booking, its message and the remembered answer commit
        together.
        """
        try:
            return create_once(
                self._uow,
                idempotent,
                lambda uow: self._book(uow, command, principal, correlation_id),
                respond,
            )
        except IntegrityError:
            # Not our own key's first answer: the slot's unique index refused a second holder.
            raise self._taken(command.starts_at, self.zone) from None

    def _book(
        self, uow: UnitOfWork, command: BookAppointment, principal: Principal, correlation_id: str
    ) -> Appointment:
        official, appointment = self.hold_slot(uow, command, principal.subject)
        uow.emit(
            "appointment.booked",
            1,
            {
                **self.message_payload(official, appointment),
                "booked_by": principal.subject,
                "booked_at": appointment.booked_at,
            },
            correlation_id,
        )
        return appointment

    def hold_slot(
        self, uow: UnitOfWork, command: BookAppointment, booked_by: str, status: str = "booked"
    ) -> tuple[Official, Appointment]:
        """Check the slot and take it for the visitor (announcing is the caller's part).

        A resident's hold that expired gives its slot up here, before the check, so the
        slot is free the moment the hold ends, whether or not the timer has run.
        """
        official = self._official(uow.session, command.official_id, lock=True)
        if not official.active:
            raise InvalidInput(
                "The official no longer holds reception hours.",
                field="official_id",
                reason="inactive official",
            )
        now = self._clock()
        if command.starts_at <= now:
            raise InvalidInput(
                "The slot has already begun.", field="starts_at", reason="in the past"
            )
        if command.starts_at > now + self.horizon:
            raise InvalidInput(
                f"Bookings open {self.horizon.days} days ahead.",
                field="starts_at",
                reason="beyond the booking horizon",
            )
        slot = self._slot(uow.session, command.official_id, command.starts_at)
        uow.session.execute(
            update(Appointment)
            .where(
                Appointment.official_id == official.id,
                Appointment.starts_at == slot.starts_at,
                hold_ended(now),
            )
            .values(status="expired")
            .execution_options(synchronize_session=False)
        )
        if uow.session.scalar(
            select(Appointment.id).where(
                Appointment.official_id == official.id,
                Appointment.starts_at == slot.starts_at,
                holds_its_slot(now),
            )
        ):
            raise self._taken(slot.starts_at, self.zone)
        visitor = command.visitor
        appointment = Appointment(
            id=new_id(),
            official_id=official.id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            topic=command.topic,
            visitor_name=visitor["name"],
            visitor_email=visitor.get("email"),
            visitor_phone=visitor.get("phone"),
            visitor_language=visitor.get("language"),
            status=status,
            contact_key=contact_key(visitor),
            booked_by=booked_by,
            booked_at=now,
        )
        uow.session.add(appointment)
        uow.session.flush()
        # Its answer names the official, read after the session has closed.
        uow.session.refresh(appointment, ["official"])
        return official, appointment

    def expire_holds(self) -> int:
        """Give up the slots of residents' holds that were not confirmed in time."""
        with self.transaction() as uow:
            return uow.session.execute(
                update(Appointment)
                .where(hold_ended(self._clock()))
                .values(status="expired")
                .execution_options(synchronize_session=False)
            ).rowcount

    def cancel(
        self, appointment_id: str, reason: str, principal: Principal, correlation_id: str
    ) -> Appointment:
        """Cancel a booking (the slot is free again) and tell the resident and the official.

        A resident's unconfirmed hold was never announced, so its end is not either.
        """
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            APPOINTMENT.check(appointment.status, "cancelled")
            announced = appointment.status != "pending"
            appointment.status = "cancelled"
            appointment.cancelled_reason = reason
            official = uow.session.get(Official, appointment.official_id)
            uow.session.flush()
            if not announced:
                return appointment
            uow.emit(
                "appointment.cancelled",
                1,
                {
                    **self.message_payload(official, appointment),
                    "reason": reason,
                    "cancelled_by": principal.subject,
                    "cancelled_at": self._clock(),
                },
                correlation_id,
            )
            return appointment

    def log_visit(self, appointment_id: str, action: str, principal: Principal) -> Appointment:
        """Note that the resident arrived, was seen, left, or did not come."""
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            APPOINTMENT.check(appointment.status, action)
            self._check_time_of_visit(appointment, action)
            appointment.status = action
            uow.session.add(
                VisitEntry(
                    appointment_id=appointment.id,
                    action=action,
                    at=self._clock(),
                    recorded_by=principal.subject,
                )
            )
            return appointment

    def _check_time_of_visit(self, appointment: Appointment, action: str) -> None:
        """Nobody can be absent from a slot that has not begun, nor have come hours early."""
        earliest = {"arrived": ARRIVAL_MARGIN, "no_show": timedelta(0)}.get(action)
        if earliest is None:
            return
        starts_at = appointment.starts_at
        if self._clock() < starts_at - earliest:
            local = starts_at.astimezone(ZoneInfo(self.profile.time_zone))
            when = (
                "the slot starts"
                if action == "no_show"
                else (f"{int(ARRIVAL_MARGIN.total_seconds() // 60)} minutes before the slot")
            )
            raise Conflict(
                f"The appointment is at {local:%Y-%m-%d %H:%M} ({local:%Z}); "
                f"{action} can be recorded from {when}.",
                field="action",
                reason=f"{action} before {when}",
            )

    def appointment(
        self, appointment_id: str, principal: Principal
    ) -> tuple[Appointment, list[VisitEntry]]:
        """One appointment with the visitor's contacts and log (the read is audited)."""
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id)
            log = rows_where(
                uow.session, VisitEntry, VisitEntry.appointment_id == appointment_id, VisitEntry.id
            )
            record_reads(uow, principal, "read", "appointment", visitors_of([appointment]))
            return appointment, log

    def appointments(
        self, filters: AppointmentFilters, principal: Principal, page: PageRequest
    ) -> Page[Appointment]:
        """A page of appointments in time order (the read of visitors' contacts on the
        page is audited)."""
        query = select(Appointment)
        if not principal.has_any(*RESTRICTED_READERS):
            # A restricted visitor's appointments are only stored (GDPR Art. 18).
            query = query.where(Appointment.restricted_at.is_(None))
        if filters.official_id:
            query = query.where(Appointment.official_id == filters.official_id)
        if filters.status:
            query = query.where(Appointment.status == filters.status)
        if filters.day:
            query = query.where(
                Appointment.starts_at >= self._midnight(filters.day),
                Appointment.starts_at < self._midnight(filters.day + timedelta(days=1)),
            )
        with self.transaction() as uow:
            found = fetch_page(uow.session, query, IN_TIME_ORDER, page)
            record_reads(uow, principal, "list", "appointment", visitors_of(found.items))
            return found

    def visitor_log(self, day: date, principal: Principal) -> list[tuple[VisitEntry, Appointment]]:
        """Who came when on ``day`` (the read is audited)."""
        with self.transaction() as uow:
            rows = [
                (entry, appointment)
                for entry, appointment in uow.session.execute(
                    select(VisitEntry, Appointment)
                    .join(Appointment, Appointment.id == VisitEntry.appointment_id)
                    .where(
                        VisitEntry.at >= self._midnight(day),
                        VisitEntry.at < self._midnight(day + timedelta(days=1)),
                        Appointment.restricted_at.is_(None),
                    )
                    .order_by(VisitEntry.at, VisitEntry.id)
                ).all()
            ]
            record_access(
                uow.session,
                uow.tables.audit,
                principal,
                "read",
                "visitor_log",
                sorted({a.id for _, a in rows}),
                visitors_of([a for _, a in rows]),
            )
            return rows

    @staticmethod
    def letter_registered(
        uow: UnitOfWork, source_reference: str, letter_id: str, registration_number: str
    ) -> None:
        """Note the letter intake registered from a hand-over (other letters are not ours)."""
        appointment = uow.session.scalars(
            select(Appointment).where(Appointment.intake_key == source_reference)
        ).first()
        if appointment is not None:
            appointment.letter_id = letter_id
            appointment.registration_number = registration_number

    def hand_to_intake(
        self,
        appointment_id: str,
        kind: str,
        subject: str | None,
        principal: Principal,
        correlation_id: str,
    ) -> Appointment:
        """Send the resident's topic to intake as a letter (``letter.submitted``), once.

        The idempotency key is derived from the appointment, so even a repeated
        command registers one letter; a second hand-over changes nothing.
        """
        with self.transaction() as uow:
            appointment = self._appointment(uow.session, appointment_id, lock=True)
            if appointment.status == "cancelled":
                raise Conflict(
                    "A cancelled appointment cannot be handed to intake.",
                    field="status",
                    reason="cancelled",
                )
            if appointment.restricted_at is not None:
                raise Conflict(
                    "The visitor restricted the processing of their data (GDPR "
                    "Art. 18): the appointment cannot be handed to intake.",
                    field="restricted_at",
                    reason="restricted",
                )
            if appointment.handed_to_intake_at is not None:
                return appointment
            official = uow.session.get(Official, appointment.official_id)
            now = self._clock()
            key = f"protocol-events:appointment:{appointment.id}"
            uow.emit(
                "letter.submitted",
                1,
                {
                    "idempotency_key": key,
                    "kind": kind,
                    "channel": "in_person",
                    "language": appointment.visitor_language or self.profile.default_language,
                    "subject": (subject or appointment.topic)[:500],
                    "summary": appointment.topic,
                    "addressee": {"kind": official.addressee_kind, "name": official.name},
                    "sender": {
                        "type": "person",
                        "name": appointment.visitor_name,
                        "email": appointment.visitor_email,
                        "phone": appointment.visitor_phone,
                        "preferred_language": appointment.visitor_language,
                    },
                    "received_at": now,
                },
                correlation_id,
            )
            appointment.handed_to_intake_at, appointment.intake_key = now, key
            appointment.handed_over_by = principal.subject
            return appointment

    def send_reminders(self, correlation_id: str) -> int:
        """Publish ``appointment.reminder_due`` once for every booking within the lead time."""
        now = self._clock()
        with self.transaction() as uow:
            due = list(
                uow.session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.status == "booked",
                        Appointment.reminder_sent_at.is_(None),
                        Appointment.starts_at > now,
                        Appointment.starts_at <= now + timedelta(hours=self.reminder_hours),
                    )
                    .order_by(Appointment.starts_at)
                    .limit(500)
                    # Two workers never remind twice: each takes rows the other has not locked.
                    .with_for_update(skip_locked=True)
                )
            )
            officials = {
                o.id: o
                for o in uow.session.scalars(
                    select(Official).where(Official.id.in_({a.official_id for a in due}))
                )
            }
            for appointment in due:
                appointment.reminder_sent_at = now
                uow.emit(
                    "appointment.reminder_due",
                    1,
                    {
                        **self.message_payload(officials[appointment.official_id], appointment),
                        "hours_before": self.reminder_hours,
                    },
                    correlation_id,
                )
            return len(due)
