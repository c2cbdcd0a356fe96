"""Calendar files attached to invitations and appointment notices.

Each recipient gets their own .ics: the summary in their language and only
themselves as the attendee, so no participant learns another's address.
The file is built with the shared writer (:mod:`chancery.ical`) and carried
as a delivery attachment (base64, with the content type mail clients need
to offer "accept" or to remove a cancelled entry).
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chancery.ical import Attendee, CalendarEntry, to_ics

if TYPE_CHECKING:  # the contracts load marshmallow; the domain needs only their shape
    from chancery.messages.contracts.protocol_events import AppointmentV1, EventV1

REQUEST, CANCEL = "REQUEST", "CANCEL"


def localised(texts: dict[str, str], *languages: str | None) -> str:
    """The first of ``texts`` in ``languages`` (in order), else any one, else ''."""
    for language in languages:
        if language and texts.get(language):
            return texts[language]
    return next(iter(texts.values()), "")


def ics_attachment(entry: CalendarEntry, method: str, filename: str) -> dict[str, Any]:
    """A delivery attachment holding ``entry`` as an iTIP message with ``method``."""
    content = to_ics([entry], method=method)
    return {
        "filename": filename,
        "content_type": f"text/calendar; method={method}; charset=UTF-8",
        "content": base64.b64encode(content).decode("ascii"),
    }


def event_entry(
    payload: EventV1,
    summary: str,
    description: str | None,
    organizer: Attendee | None,
    attendee: Attendee,
    cancelled: bool,
    stamp: datetime,
) -> CalendarEntry:
    """An official event's calendar entry as one participant receives it."""
    return CalendarEntry(
        uid=payload.ical_uid,
        sequence=payload.sequence,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        summary=summary,
        status="CANCELLED" if cancelled else "CONFIRMED",
        description=description or None,
        location=payload.venue,
        organizer=organizer,
        attendees=(attendee,),
        stamp=stamp,
    )


def appointment_entry(
    payload: AppointmentV1,
    uid: str,
    summary: str,
    organizer: Attendee | None,
    cancelled: bool,
    stamp: datetime,
) -> CalendarEntry:
    """A reception-hours appointment's calendar entry for the visitor.

    Appointment messages carry no sequence: the booking is 0 and its
    cancellation 1, enough for calendars to let the cancellation win.
    """
    visitor = payload.visitor
    return CalendarEntry(
        uid=uid,
        sequence=1 if cancelled else 0,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        summary=summary,
        status="CANCELLED" if cancelled else "CONFIRMED",
        location=payload.place,
        organizer=organizer,
        attendees=(Attendee(visitor.name, visitor.email),),
        stamp=stamp,
    )
