"""Officials who hold reception hours: their hours, slots and calendar feed, kept in line
with the staff directory and the declared days."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from chancery.db import UnitOfWork, new_id
from chancery.declared_days import store_declaration
from chancery.errors import InvalidInput, NotFound
from chancery.ical import CalendarEntry, to_ics
from chancery.messages.contracts.routing import CalendarDayDeclaredV1, StaffMemberChangedV1
from protocol_events.adapters.models import (
    CALENDAR_DAYS,
    Appointment,
    Event,
    Official,
    Participant,
    ReceptionHours,
)
from protocol_events.domain.invitations import token_hash
from protocol_events.domain.slots import DayPeriods, ReceptionWindow, SlotPlan, generate_slots
from protocol_events.domain.texts import pick_text
from protocol_events.usecases.calendars import calendar_entry
from protocol_events.usecases.receptions import (
    APPOINTMENT_SUMMARY,
    FEED_FUTURE,
    FEED_PAST,
    ReceptionUseCase,
    holds_its_slot,
    window_of,
)


class Officials(ReceptionUseCase):
    """Officials, their weekly reception hours, slots and feed."""

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
            hours = list(
                uow.session.scalars(
                    select(ReceptionHours).order_by(ReceptionHours.weekday, ReceptionHours.start)
                )
            )
        return [(o, [h for h in hours if h.official_id == o.id]) for o in officials]

    def official(self, official_id: str) -> tuple[Official, list[ReceptionHours]]:
        """One official with their weekly hours."""
        with self._uow() as uow:
            return self._official(uow.session, official_id), self._hours(uow.session, official_id)

    def set_hours(
        self, official_id: str, windows: Sequence[dict[str, Any]]
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
            # A checked window is the row's columns (but its id and official).
            rows = [
                ReceptionHours(id=new_id(), official_id=official_id, **asdict(window))
                for window in checked
            ]
            uow.session.add_all(rows)
            return rows

    def slots(
        self, official_id: str, first: date, last: date
    ) -> tuple[SlotPlan, dict[datetime, str]]:
        """The official's slots from ``first`` to ``last`` and which are taken (start → status)."""
        if last < first or (last - first).days > 92:
            raise InvalidInput(
                "Ask for at most 93 days, the end not before the start.",
                field="to",
                reason="0 to 92 days after from",
            )
        with self._uow() as uow:
            self._official(uow.session, official_id)
            windows = [window_of(h) for h in self._hours(uow.session, official_id)]
            taken = dict(
                uow.session.execute(
                    select(Appointment.starts_at, Appointment.status).where(
                        Appointment.official_id == official_id,
                        holds_its_slot(self._clock()),
                        Appointment.starts_at >= self._midnight(first),
                        Appointment.starts_at < self._midnight(last + timedelta(days=1)),
                    )
                ).all()
            )
            days = DayPeriods(self.calendars.current(uow.session))
        return generate_slots(days, windows, first, last), taken

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
            official = uow.session.scalar(
                select(Official).where(Official.feed_token_hash == token_hash(token))
            )
            if official is None:
                raise NotFound("No such feed.")
            events = list(
                uow.session.scalars(
                    select(Event)
                    .join(Participant, Participant.event_id == Event.id)
                    .where(
                        Participant.official_id == official.id,
                        Event.status != "draft",
                        Event.ends_at >= now - FEED_PAST,
                        Event.starts_at <= now + FEED_FUTURE,
                    )
                    .order_by(Event.starts_at)
                    .distinct()
                )
            )
            appointments = list(
                uow.session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.official_id == official.id,
                        or_(
                            Appointment.status == "booked",
                            Appointment.status == "arrived",
                            Appointment.status == "seen",
                            Appointment.status == "left",
                        ),
                        Appointment.starts_at >= now - FEED_PAST,
                        Appointment.starts_at <= now + FEED_FUTURE,
                    )
                    .order_by(Appointment.starts_at)
                )
            )
        languages = (language, self.profile.default_language)
        entries = [calendar_entry(event, [], *languages) for event in events]
        summary = pick_text(APPOINTMENT_SUMMARY, *languages)
        entries += [
            CalendarEntry(
                uid=f"{a.id}@{self.profile.code}.chancery",
                sequence=0,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                summary=summary,
                location=official.place,
                stamp=a.booked_at,
            )
            for a in appointments
        ]
        return to_ics(entries, name=official.name, time_zone=self.profile.time_zone)

    @staticmethod
    def keep_directory_entry(uow: UnitOfWork, entry: StaffMemberChangedV1) -> list[Official]:
        """Bring the officials who are ``entry``'s person in line with routing's directory.

        The directory (decision 31) owns a person's name, position, e-mail and
        activity; the official's place, addressee kind, reception hours and
        feed stay protocol's own. Only officials already linked by
        ``staff_subject`` follow: the officials are the few who receive guests,
        not every member of staff.
        """
        officials = list(
            uow.session.scalars(
                select(Official).where(Official.staff_subject == entry.subject).with_for_update()
            )
        )
        for official in officials:
            official.name, official.email = entry.name, entry.email
            official.active = entry.active
            # A directory entry without positions must not blank the public title.
            if entry.positions:
                official.position = dict(entry.positions)
        return officials

    @staticmethod
    def day_declared(uow: UnitOfWork, declared: CalendarDayDeclaredV1) -> None:
        """Keep routing's declared day: reception slots follow it from now on."""
        store_declaration(uow.session, CALENDAR_DAYS, declared)
