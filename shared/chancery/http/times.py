"""One timestamp convention for every answer: the municipality's offset.

Every moment a service answers (``registered_at``, ``starts_at``, a clash's
``starts_at`` in a problem, ...) is ISO 8601 with the UTC offset of the
municipality's time zone at that moment, e.g. ``2026-12-08T12:45:00+02:00``
in Alytus in winter and ``2026-07-08T12:45:00+03:00`` in summer. The
database keeps UTC; the conversion happens here, once, when the answer is
written. Requests keep accepting any offset (``Z``, ``+04:00``, ...): a
moment is the same instant whatever offset it is written with.

:func:`chancery.http.create_app` installs the zone of the service's profile
(:func:`install_time_zone`); :class:`LocalDateTime` is the marshmallow field
of every response schema, :func:`local_isoformat` the same for bodies and
texts written by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context

from chancery.validation import AnsweredLocally

ZONE_EXTENSION = "chancery.time_zone"
DESCRIPTION = (
    "A moment in ISO 8601 with the municipality's UTC offset, e.g. "
    "2026-12-08T12:45:00+02:00; requests may give any offset."
)
EXAMPLE = "2026-12-08T12:45:00+02:00"


def install_time_zone(app: Flask, time_zone: str) -> None:
    """Answer the app's moments in ``time_zone`` (an IANA name, e.g. ``Europe/Vilnius``)."""
    app.extensions[ZONE_EXTENSION] = ZoneInfo(time_zone)


def municipality_zone() -> tzinfo:
    """The zone answers are written in: the app's, or UTC outside an app (a worker's log)."""
    if has_app_context():
        zone: tzinfo = current_app.extensions.get(ZONE_EXTENSION, UTC)
        return zone
    return UTC


def to_local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """``moment`` in ``zone`` (default: the municipality's); a naive moment is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone or municipality_zone())


def local_isoformat(moment: datetime, zone: tzinfo | None = None) -> str:
    """``moment`` as ISO 8601 with the municipality's offset (``2026-12-08T12:45:00+02:00``)."""
    return to_local(moment, zone).isoformat()


class LocalDateTime(AnsweredLocally):
    """A moment: accepted with any offset, answered with the municipality's.

    Use it for every date-time of a response schema; request-only fields may
    keep :class:`chancery.validation.PlausibleDateTime`, whose answers go
    through the same conversion.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault("description", DESCRIPTION)
        metadata.setdefault("example", EXAMPLE)
        super().__init__(metadata=metadata, **kwargs)
