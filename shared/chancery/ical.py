"""iCalendar (RFC 5545) files: one event's invitation, an event export, an official's feed.

Times are written in UTC, which every calendar client reads without a
VTIMEZONE block; the municipality's zone travels as ``X-WR-TIMEZONE`` so a
subscribed feed is shown in local time. Text is UTF-8 and folded at 75
octets without splitting a character (Georgian letters are three octets).

Single-line properties (summary, location, names) never carry a line break
or another control character: the edge refuses them, and the writer turns
any that slip through into spaces, so no value can start a property of its
own. A description keeps its line feeds (written escaped, as ``\\n``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import icalendar

PRODUCT = "-//Chancery//Protocol events//EN"
# Line breaks (CR, LF, the Unicode separators) and every other control character.
_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")


@dataclass(frozen=True)
class Attendee:
    """Someone invited: a name and, when known, an e-mail address."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT. ``sequence`` must grow with every change of a sent invitation."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    status: str = "CONFIRMED"
    description: str | None = None
    location: str | None = None
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = field(default_factory=tuple)
    stamp: datetime | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("calendar times must be timezone-aware")
        if self.ends_at < self.starts_at:
            raise ValueError("an entry cannot end before it starts")


def to_ics(
    entries: Iterable[CalendarEntry],
    *,
    method: str | None = None,
    name: str | None = None,
    time_zone: str | None = None,
) -> bytes:
    """The iCalendar file holding ``entries``.

    ``method`` is ``REQUEST`` for an invitation sent by e-mail, ``CANCEL`` for
    its cancellation, and None for a published export or feed.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", one_line(name))
    if time_zone:
        calendar.add("x-wr-timezone", time_zone)
    for entry in entries:
        calendar.add_component(_event(entry))
    return bytes(calendar.to_ical())


def _event(entry: CalendarEntry) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", _utc(entry.stamp or datetime.now(UTC)))
    event.add("dtstart", _utc(entry.starts_at))
    event.add("dtend", _utc(entry.ends_at))
    event.add("summary", one_line(entry.summary))
    event.add("status", entry.status)
    if entry.description:
        event.add("description", _NOT_IN_TEXT.sub(" ", entry.description.replace("\r\n", "\n")))
    if entry.location:
        event.add("location", one_line(entry.location))
    # RFC 5545 names people by a URI: someone without e-mail is invited by other means.
    if entry.organizer is not None and entry.organizer.email:
        event.add(
            "organizer",
            f"mailto:{one_line(entry.organizer.email)}",
            parameters={"CN": one_line(entry.organizer.name)},
        )
    for attendee in entry.attendees:
        if attendee.email:
            event.add(
                "attendee",
                f"mailto:{one_line(attendee.email)}",
                parameters={
                    "CN": one_line(attendee.name),
                    "ROLE": "REQ-PARTICIPANT",
                    "PARTSTAT": "NEEDS-ACTION",
                    "RSVP": "TRUE",
                },
            )
    return event


def one_line(text: str) -> str:
    """``text`` as a single-line property value: line breaks and controls become spaces."""
    return _NOT_ON_ONE_LINE.sub(" ", text)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
