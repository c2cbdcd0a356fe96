"""Resource double bookings: the plain overlap rule and the message that names the clash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from chancery.errors import InvalidInput


@dataclass(frozen=True)
class Booking:
    """A resource held for a time span, by an event (and possibly one programme item)."""

    booking_id: str
    resource_id: str
    event_id: str
    event_title: str
    starts_at: datetime
    ends_at: datetime
    item_id: str | None = None
    item_title: str | None = None
    # The titles in every language they were written in, for a reader in any of them.
    event_titles: dict[str, str] | None = None
    item_titles: dict[str, str] | None = None


def check_span(starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a span that ends before (or when) it starts."""
    if ends_at <= starts_at:
        raise InvalidInput(
            "The end must come after the start.", field="ends_at", reason="not after starts_at"
        )


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open spans [start, end) overlap: back-to-back bookings do not clash."""
    return a_start < b_end and b_start < a_end


def clashes(
    existing: Iterable[Booking],
    resource_id: str,
    starts_at: datetime,
    ends_at: datetime,
    ignore: Iterable[str] = (),
) -> list[Booking]:
    """The bookings of ``resource_id`` that overlap [starts_at, ends_at), earliest first.

    ``ignore`` lists booking ids being replaced (a programme item moved in time).
    """
    skipped = set(ignore)
    found = [
        b
        for b in existing
        if b.resource_id == resource_id
        and b.booking_id not in skipped
        and overlaps(b.starts_at, b.ends_at, starts_at, ends_at)
    ]
    return sorted(found, key=lambda b: (b.starts_at, b.booking_id))


def describe_clash(resource_name: str, clash: Booking, zone: ZoneInfo) -> str:
    """One sentence naming what holds the resource and when, in the municipality's time
    (names, not ids: the ids travel beside it as data)."""
    holder = f"event “{clash.event_title}”"
    if clash.item_id:
        holder = f"programme item “{clash.item_title}” of {holder}"
    starts, ends = clash.starts_at.astimezone(zone), clash.ends_at.astimezone(zone)
    until = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%Y-%m-%d %H:%M}"
    return (
        f"{resource_name} is already booked by {holder} on "
        f"{starts:%Y-%m-%d} from {starts:%H:%M} to {until} ({starts:%Z})."
    )
