"""An event as an iCalendar file."""

from __future__ import annotations

from collections.abc import Sequence

from chancery.ical import Attendee, CalendarEntry, to_ics
from protocol_events.adapters.models import (
    Event,
    Participant,
)
from protocol_events.adapters.repositories import participants_of
from protocol_events.domain.texts import pick_text
from protocol_events.usecases import EventUseCase


class Calendars(EventUseCase):
    """The event's calendar entry for its participants' calendars."""

    def ics(self, event_id: str, language: str | None = None) -> bytes:
        """The event as an iCalendar file in ``language`` (else the municipality's), its
        participants with e-mail as attendees."""
        languages = (language, self.profile.default_language)
        with self._uow() as uow:
            event = self._event(uow.session, event_id)
            participants = participants_of(uow.session, event_id)
        return to_ics(
            [calendar_entry(event, participants, *languages)],
            name=pick_text(event.title, *languages),
            time_zone=self.profile.time_zone,
        )


def calendar_entry(
    event: Event, participants: Sequence[Participant], *languages: str | None
) -> CalendarEntry:
    """The event's VEVENT: stable uid, its sequence, tentative until confirmed."""
    status = {"cancelled": "CANCELLED", "draft": "TENTATIVE", "planned": "TENTATIVE"}.get(
        event.status, "CONFIRMED"
    )
    return CalendarEntry(
        uid=event.ical_uid,
        sequence=event.sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=pick_text(event.title, *languages),
        status=status,
        description=pick_text(event.description, *languages) or None,
        location=event.venue,
        attendees=tuple(Attendee(p.name, p.email) for p in participants),
        stamp=event.updated_at,
    )
